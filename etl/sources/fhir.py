"""FHIR R4 bundles (Synthea's FHIR export) normalized to the Synthea CSV tables and to notes.

Patient -> patients, Encounter -> encounters, Condition -> conditions, MedicationRequest -> medications,
Procedure -> procedures, Observation -> observations (one row per component, as Synthea's CSV does),
DocumentReference -> notes (the text/plain attachment). Datetimes become UTC "YYYY-MM-DDTHH:MM:SSZ" as in
the CSV export; condition onsets keep their (local) date. Other resource types are counted, not read.

A file that is not a JSON bundle is quarantined whole; a resource that cannot be mapped is quarantined
with its reason. Messages name files and resource types, never values.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from etl.io import Quarantine
from schemas.contracts import parse_datetime
from schemas.records import Note

Resource = dict[str, Any]
Row = dict[str, str]

_IDENTIFIER_CODES = {"SS": "SSN", "DL": "DRIVERS", "PPN": "PASSPORT"}
# OMB race and ethnicity codes (US Core) -> the words Synthea's CSV export uses
_OMB = {
    "2106-3": "white",
    "2054-5": "black",
    "2028-9": "asian",
    "1002-5": "native",
    "2076-8": "hawaiian",
    "2131-1": "other",
    "2135-2": "hispanic",
    "2186-5": "nonhispanic",
}
_GENDER = {"male": "M", "female": "F"}
_ENCOUNTER_CLASS = {
    "AMB": "ambulatory",
    "EMER": "emergency",
    "IMP": "inpatient",
    "ACUTE": "inpatient",
    "NONAC": "inpatient",
    "HH": "home",
    "VR": "virtual",
    "OBSENC": "observation",
}


def _ref(reference: dict[str, Any] | None) -> str:
    """The id in "urn:uuid:<id>", "Patient/<id>" or a conditional "…?identifier=system|<id>"."""
    value = str((reference or {}).get("reference") or "")
    for separator in ("|", "urn:uuid:", "/"):
        if separator in value:
            value = value.rsplit(separator, 1)[1]
    return value


def _utc(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 10:  # a date: midnight, as Synthea writes dates into datetime columns
        value = f"{value}T00:00:00+00:00"
    return parse_datetime(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_date(value: str | None) -> str:
    return (value or "")[:10]


def _coding(concept: dict[str, Any] | None) -> tuple[str, str, str]:
    """(code, display, system) of a CodeableConcept's first coding."""
    coding = ((concept or {}).get("coding") or [{}])[0]
    return (
        str(coding.get("code", "")),
        str(coding.get("display") or (concept or {}).get("text", "")),
        str(coding.get("system", "")),
    )


def _extension(resource: Resource, suffix: str) -> dict[str, Any]:
    return next((e for e in resource.get("extension", []) if str(e.get("url", "")).endswith(suffix)), {})


def _omb(resource: Resource, suffix: str) -> str:
    """The OMB category as Synthea's CSV words ("white", "hispanic"), else the extension's text."""
    inner = _extension(resource, suffix).get("extension", [])
    code = next((str(e.get("valueCoding", {}).get("code", "")) for e in inner if e.get("url") == "ombCategory"), "")
    text = next((str(e.get("valueString", "")) for e in inner if e.get("url") == "text"), "")
    return _OMB.get(code, text)


def _patient(resource: Resource) -> Row:
    names = resource.get("name") or [{}]
    official = next((n for n in names if n.get("use") == "official"), names[0])
    maiden: dict[str, Any] = next((n for n in names if n.get("use") == "maiden"), {})
    given = official.get("given") or []
    address = (resource.get("address") or [{}])[0]
    geo = _extension(address, "geolocation").get("extension", [])
    birthplace = _extension(resource, "patient-birthPlace").get("valueAddress", {})
    row: Row = {
        "Id": str(resource["id"]),
        "BIRTHDATE": str(resource.get("birthDate", "")),
        "DEATHDATE": _local_date(resource.get("deceasedDateTime")),
        "SSN": "",
        "DRIVERS": "",
        "PASSPORT": "",
        "PREFIX": " ".join(official.get("prefix") or []),
        "FIRST": str(given[0]) if given else "",
        "MIDDLE": " ".join(given[1:]),
        "LAST": str(official.get("family", "")),
        "SUFFIX": " ".join(official.get("suffix") or []),
        "MAIDEN": str(maiden.get("family", "")),
        "MARITAL": _coding(resource.get("maritalStatus"))[0],
        "RACE": _omb(resource, "us-core-race"),
        "ETHNICITY": _omb(resource, "us-core-ethnicity"),
        "GENDER": _GENDER.get(str(resource.get("gender", "")), str(resource.get("gender", ""))),
        "BIRTHPLACE": " ".join(str(birthplace[k]) for k in ("city", "state", "country") if birthplace.get(k)),
        "ADDRESS": " ".join(address.get("line") or []),
        "CITY": str(address.get("city", "")),
        "STATE": str(address.get("state", "")),
        "ZIP": str(address.get("postalCode", "")),
        "LAT": next((str(e.get("valueDecimal")) for e in geo if e.get("url") == "latitude"), ""),
        "LON": next((str(e.get("valueDecimal")) for e in geo if e.get("url") == "longitude"), ""),
    }
    for identifier in resource.get("identifier", []):
        code = _coding(identifier.get("type"))[0]
        if code in _IDENTIFIER_CODES:
            row[_IDENTIFIER_CODES[code]] = str(identifier.get("value", ""))
    return row


def _reason(resource: Resource) -> tuple[str, str]:
    code, display, _ = _coding((resource.get("reasonCode") or [None])[0])
    return code, display


def _encounter(resource: Resource) -> Row:
    code, display, _ = _coding((resource.get("type") or [None])[0])
    period = resource.get("period", {})
    participant = (resource.get("participant") or [{}])[0]
    encounter_class = str(resource.get("class", {}).get("code", ""))
    reason_code, reason = _reason(resource)
    return {
        "Id": str(resource["id"]),
        "START": _utc(period.get("start")),
        "STOP": _utc(period.get("end")),
        "PATIENT": _ref(resource.get("subject")),
        "ORGANIZATION": _ref(resource.get("serviceProvider")),
        "PROVIDER": _ref(participant.get("individual")),
        "ENCOUNTERCLASS": _ENCOUNTER_CLASS.get(encounter_class, encounter_class.lower()),
        "CODE": code,
        "DESCRIPTION": display,
        "REASONCODE": reason_code,
        "REASONDESCRIPTION": reason,
    }


def _event(resource: Resource, concept: str, start: str, stop: str, reasons: bool = True) -> Row:
    """The columns Synthea's clinical-event tables share: dates, patient, encounter, code, reason."""
    code, display, _ = _coding(resource.get(concept))
    row = {
        "START": start,
        "STOP": stop,
        "PATIENT": _ref(resource.get("subject")),
        "ENCOUNTER": _ref(resource.get("encounter")),
        "CODE": code,
        "DESCRIPTION": display,
    }
    if reasons:
        row["REASONCODE"], row["REASONDESCRIPTION"] = _reason(resource)
    return row


def _condition(resource: Resource) -> Row:
    onset = _local_date(resource.get("onsetDateTime") or resource.get("recordedDate"))
    return _event(resource, "code", onset, _local_date(resource.get("abatementDateTime")), reasons=False)


def _medication(resource: Resource) -> Row:
    return _event(resource, "medicationCodeableConcept", _utc(resource.get("authoredOn")), "")


def _procedure(resource: Resource) -> Row:
    period = resource.get("performedPeriod") or {}
    start = _utc(period.get("start") or resource.get("performedDateTime"))
    return _event(resource, "code", start, _utc(period.get("end")))


def _value(item: dict[str, Any]) -> tuple[str, str, str]:
    """(VALUE, UNITS, TYPE) of an observation or one of its components."""
    if "valueQuantity" in item:
        quantity = item["valueQuantity"]
        return str(quantity.get("value", "")), str(quantity.get("unit", "")), "numeric"
    if "valueCodeableConcept" in item:
        return _coding(item["valueCodeableConcept"])[1], "", "text"
    for key in ("valueString", "valueBoolean", "valueInteger", "valueDateTime"):
        if key in item:
            return str(item[key]), "", "text"
    return "", "", ""


def _observations(resource: Resource) -> list[Row]:
    base = {
        "DATE": _utc(resource.get("effectiveDateTime") or resource.get("issued")),
        "PATIENT": _ref(resource.get("subject")),
        "ENCOUNTER": _ref(resource.get("encounter")),
        "CATEGORY": _coding((resource.get("category") or [None])[0])[0],
    }
    rows = []
    for item in resource.get("component") or [resource]:
        code, display, _ = _coding(item.get("code"))
        value, units, kind = _value(item)
        rows.append({**base, "CODE": code, "DESCRIPTION": display, "VALUE": value, "UNITS": units, "TYPE": kind})
    return rows


def _note(resource: Resource, source: str) -> Note:
    attachment = next(
        (
            c["attachment"]
            for c in resource.get("content", [])
            if str(c.get("attachment", {}).get("contentType", "")).startswith("text/plain")
        ),
        None,
    )
    if attachment is None or "data" not in attachment:
        raise ValueError("no_text_attachment")
    try:
        text = base64.b64decode(attachment["data"], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("attachment_not_base64_utf8") from None
    context = resource.get("context") or {}
    encounter = (context.get("encounter") or [None])[0]
    return Note(
        note_id=str(resource["id"]),
        text=text,
        patient_id=_ref(resource.get("subject")) or None,
        encounter_id=_ref(encounter) or None,
        date=_local_date(resource.get("date")) or None,
        note_type=_coding(resource.get("type"))[1] or "note",
        source=source,
    )


_TABLES: dict[str, tuple[str, Callable[[Resource], list[Row]]]] = {
    "Patient": ("patients", lambda r: [_patient(r)]),
    "Encounter": ("encounters", lambda r: [_encounter(r)]),
    "Condition": ("conditions", lambda r: [_condition(r)]),
    "MedicationRequest": ("medications", lambda r: [_medication(r)]),
    "Procedure": ("procedures", lambda r: [_procedure(r)]),
    "Observation": ("observations", _observations),
}


def _resources(path: Path, rel: str, quarantine: Quarantine) -> Iterable[Resource]:
    try:
        bundle = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        quarantine.add(rel, rel, "fhir:not_a_json_bundle", {"path": str(path)})
        return []
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        quarantine.add(rel, rel, "fhir:not_a_bundle", {"path": str(path)})
        return []
    return [e.get("resource") or {} for e in bundle.get("entry", [])]


def read_fhir(
    paths: list[Path], source_dir: Path, quarantine: Quarantine
) -> tuple[dict[str, pd.DataFrame], list[Note], dict[str, int]]:
    """Synthea-layout tables and notes from the bundles, and the count of resources of unread types."""
    rows: dict[str, list[Row]] = {table: [] for table, _ in _TABLES.values()}
    notes: list[Note] = []
    unread: Counter[str] = Counter()
    for path in paths:
        rel = path.relative_to(source_dir).as_posix()
        for index, resource in enumerate(_resources(path, rel, quarantine)):
            kind = str(resource.get("resourceType", ""))
            key = f"{rel}:entry{index}"
            try:
                if kind == "DocumentReference":
                    notes.append(_note(resource, rel))
                elif kind in _TABLES:
                    table, mapper = _TABLES[kind]
                    rows[table].extend(mapper(resource))
                else:
                    unread[kind or "unknown"] += 1
            except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
                reason = str(exc) if isinstance(exc, ValueError) and str(exc).isidentifier() else type(exc).__name__
                quarantine.add(rel, key, f"fhir:{kind}:{reason}", {"resource": resource})
    tables = {name: pd.DataFrame(found, dtype=object).fillna("") for name, found in rows.items() if found}
    return tables, notes, dict(sorted(unread.items()))
