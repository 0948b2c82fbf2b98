"""Map every recognizer's entity names onto clinetl's labels (schemas.records.LABELS)."""

from __future__ import annotations

from schemas.records import LABELS

PRESIDIO_TO_LABEL: dict[str, str] = {
    "PERSON": "PERSON",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "URL": "URL",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "SSN",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "US_DRIVER_LICENSE": "ID",
    "US_PASSPORT": "ID",
    "US_ITIN": "ID",
    "US_BANK_NUMBER": "ID",
    "MEDICAL_LICENSE": "ID",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "ES_NIF": "ID",
    "ES_NIE": "ID",
    **{label: label for label in LABELS},
}


def to_label(entity_type: str) -> str | None:
    """Our label for a recognizer's entity type; None for types we do not treat as PHI."""
    return PRESIDIO_TO_LABEL.get(entity_type)
