"""The generated clinic's CSV tables and notes written again as FHIR R4 transaction bundles, one per
patient, in the shape of Synthea's FHIR export (US Core profiles, urn:uuid references, base64 notes):
the FHIR and CSV forms of one clinic, for tests of the FHIR source."""

from __future__ import annotations

import base64
import csv
import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

_SNOMED = "http://snomed.info/sct"
_OMB = {"white": "2106-3", "black": "2054-5", "asian": "2028-9", "native": "1002-5", "hawaiian": "2076-8"}
_ETHNICITY = {"hispanic": "2135-2", "nonhispanic": "2186-5"}
_CLASS = {"ambulatory": "AMB", "emergency": "EMER", "inpatient": "IMP", "wellness": "AMB"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _concept(code: str, display: str, system: str = _SNOMED) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _ref(kind_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{kind_id}"}


def _omb(url: str, code: str | None, text: str) -> dict[str, Any]:
    inner: list[dict[str, Any]] = [{"url": "text", "valueString": text}]
    if code:
        inner.insert(0, {"url": "ombCategory", "valueCoding": {"code": code, "display": text}})
    return {"url": f"http://hl7.org/fhir/us/core/StructureDefinition/{url}", "extension": inner}


def _patient(row: dict[str, str]) -> dict[str, Any]:
    identifiers = [
        {"type": {"coding": [{"code": code}]}, "value": row[column]}
        for code, column in (("SS", "SSN"), ("DL", "DRIVERS"), ("PPN", "PASSPORT"))
        if row.get(column)
    ]
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": row["Id"],
        "extension": [
            _omb("us-core-race", _OMB.get(row["RACE"]), row["RACE"]),
            _omb("us-core-ethnicity", _ETHNICITY.get(row["ETHNICITY"]), row["ETHNICITY"]),
        ],
        "identifier": identifiers,
        "name": [{"use": "official", "family": row["LAST"], "given": [row["FIRST"]], "prefix": [row["PREFIX"]]}],
        "gender": {"M": "male", "F": "female"}.get(row["GENDER"], "unknown"),
        "birthDate": row["BIRTHDATE"],
        "address": [
            {
                "line": [row["ADDRESS"]],
                "city": row["CITY"],
                "state": row["STATE"],
                "postalCode": row["ZIP"],
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/geolocation",
                        "extension": [
                            {"url": "latitude", "valueDecimal": float(row["LAT"])},
                            {"url": "longitude", "valueDecimal": float(row["LON"])},
                        ],
                    }
                ],
            }
        ],
    }
    if row.get("DEATHDATE"):
        resource["deceasedDateTime"] = f"{row['DEATHDATE']}T00:00:00Z"
    return resource


def _encounter(row: dict[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": row["Id"],
        "status": "finished",
        "class": {"code": _CLASS.get(row["ENCOUNTERCLASS"], row["ENCOUNTERCLASS"].upper())},
        "type": [_concept(row["CODE"], row["DESCRIPTION"])],
        "subject": _ref(row["PATIENT"]),
        "period": {"start": row["START"], "end": row["STOP"]},
        "serviceProvider": {
            "reference": f"Organization?identifier=https://github.com/synthetichealth/synthea|{row['ORGANIZATION']}"
        },
        "reasonCode": [_concept(row["REASONCODE"], row["REASONDESCRIPTION"])] if row.get("REASONCODE") else [],
    }


def _event(kind: str, row: dict[str, str]) -> dict[str, Any]:
    base = {"resourceType": kind, "subject": _ref(row["PATIENT"]), "encounter": _ref(row["ENCOUNTER"])}
    if kind == "Condition":
        return {**base, "code": _concept(row["CODE"], row["DESCRIPTION"]), "onsetDateTime": row["START"]}
    if kind == "MedicationRequest":
        concept = _concept(row["CODE"], row["DESCRIPTION"], "http://www.nlm.nih.gov/research/umls/rxnorm")
        return {**base, "status": "active", "medicationCodeableConcept": concept, "authoredOn": row["START"]}
    if kind == "Procedure":
        period = {"start": row["START"], "end": row["STOP"]}
        return {
            **base,
            "status": "completed",
            "code": _concept(row["CODE"], row["DESCRIPTION"]),
            "performedPeriod": period,
        }
    value: dict[str, Any] = (
        {"valueQuantity": {"value": json.loads(row["VALUE"]), "unit": row["UNITS"]}}
        if row["TYPE"] == "numeric"
        else {"valueString": row["VALUE"]}
    )
    return {
        **base,
        "status": "final",
        "category": [{"coding": [{"code": row["CATEGORY"]}]}],
        "code": _concept(row["CODE"], row["DESCRIPTION"], "http://loinc.org"),
        "effectiveDateTime": row["DATE"],
        **value,
    }


def _document(note: dict[str, str]) -> dict[str, Any]:
    data = base64.b64encode(note["TEXT"].encode("utf-8")).decode("ascii")
    return {
        "resourceType": "DocumentReference",
        "id": note["NOTE_ID"],
        "type": _concept(note["NOTE_TYPE"], note["NOTE_TYPE"], "http://loinc.org"),
        "subject": _ref(note["PATIENT"]),
        "date": note["DATE"],
        "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "data": data}}],
        "context": {"encounter": [_ref(note["ENCOUNTER"])]} if note.get("ENCOUNTER") else {},
    }


def write_fhir_bundles(clinic_dir: Path, out_dir: Path) -> int:
    """One transaction bundle per patient of the clinic (tables and notes.csv); returns how many."""
    by_patient: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(clinic_dir / "patients.csv"):
        by_patient[row["Id"]].append(_patient(row))
    for row in _rows(clinic_dir / "encounters.csv"):
        by_patient[row["PATIENT"]].append(_encounter(row))
    for table, kind in (
        ("conditions", "Condition"),
        ("medications", "MedicationRequest"),
        ("procedures", "Procedure"),
        ("observations", "Observation"),
    ):
        for row in _rows(clinic_dir / f"{table}.csv"):
            by_patient[row["PATIENT"]].append(_event(kind, row))
    for note in _rows(clinic_dir / "notes.csv"):
        by_patient[note["PATIENT"]].append(_document(note))
    out_dir.mkdir(parents=True, exist_ok=True)
    for patient, resources in sorted(by_patient.items()):
        entries = []
        for index, resource in enumerate(resources):
            resource.setdefault("id", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{patient}/{index}")))
            entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": entries}
        (out_dir / f"{patient}.json").write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(by_patient)
