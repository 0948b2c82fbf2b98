"""A whole clinic folder of ward notes: Synthea-layout patients, encounters, providers, organizations and
payers, notes.csv, the gold spans of every note (`gold.jsonl`, keyed by NOTE_ID) and
`planted_identifiers.json` (every identifying value a shareable output must not hold).

Physicians are in providers.csv; most nurses and therapists are not (as in real exports): only detection,
or a steward's staff roster, can find them. `site_list.yaml` is what a steward would list for the hospital
(its name, abbreviation and buildings), for runs that set `deid.site_list`.
"""

from __future__ import annotations

import csv
import json
import random
import uuid
from pathlib import Path
from typing import Any

import yaml

from etl.synth.generator import ENCOUNTER_COLUMNS, PATIENT_COLUMNS
from etl.synth.ward.cast import SITES, Cast, faker_for, new_cast, new_person
from etl.synth.ward.render import DEFAULT_SEEDS, FAMILIES, render_note

PROVIDER_COLUMNS = [
    "Id",
    "ORGANIZATION",
    "NAME",
    "GENDER",
    "SPECIALITY",
    "ADDRESS",
    "CITY",
    "STATE",
    "ZIP",
    "LAT",
    "LON",
    "UTILIZATION",
]
ORGANIZATION_COLUMNS = [
    "Id",
    "NAME",
    "ADDRESS",
    "CITY",
    "STATE",
    "ZIP",
    "LAT",
    "LON",
    "PHONE",
    "REVENUE",
    "UTILIZATION",
]
PAYER_COLUMNS = ["Id", "NAME", "ADDRESS", "CITY", "STATE_HEADQUARTERED", "ZIP", "PHONE", "OWNERSHIP"]
_SPECIALITY = {"MD": "INTERNAL MEDICINE", "NP": "NURSE PRACTITIONER", "RN": "NURSING", "RRT": "RESPIRATORY THERAPY"}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _organizations(rng: random.Random, split: str) -> list[dict[str, str]]:
    site = SITES[split]
    fake = faker_for(rng)
    names = [site.name, *site.other_hospitals, *site.facilities]
    return [
        {
            "Id": _uuid(rng),
            "NAME": name.upper() if index else name,
            "ADDRESS": fake.street_address().upper(),
            "CITY": rng.choice(site.towns).upper(),
            "STATE": "MA",
            "ZIP": f"{rng.randint(1000, 99999):05d}",
            "LAT": f"{rng.uniform(41, 43):.6f}",
            "LON": f"{rng.uniform(-72, -70):.6f}",
            "PHONE": f"{rng.choice(site.area_codes)}{rng.randint(2000000, 9899999)}",
            "REVENUE": "0.0",
            "UTILIZATION": str(rng.randint(1, 400)),
        }
        for index, name in enumerate(names)
    ]


def _patient_row(cast: Cast, patient_id: str, rng: random.Random) -> dict[str, str]:
    row = dict.fromkeys(PATIENT_COLUMNS, "")
    row.update(
        {
            "Id": patient_id,
            "BIRTHDATE": cast.birth.isoformat(),
            "SSN": f"999-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            "FIRST": cast.patient.first,
            "LAST": cast.patient.last,
            "GENDER": cast.sex,
            "ADDRESS": cast.street,
            "CITY": cast.town,
            "STATE": "MA",
            "ZIP": cast.zip,
            "MARITAL": rng.choice("MSW"),
            "RACE": "white",
            "ETHNICITY": "nonhispanic",
            "LAT": f"{rng.uniform(41, 43):.6f}",
            "LON": f"{rng.uniform(-72, -70):.6f}",
            "HEALTHCARE_EXPENSES": "1000.00",
            "HEALTHCARE_COVERAGE": "100.00",
        }
    )
    return row


def _planted(cast: Cast, patient_id: str) -> list[dict[str, str]]:
    values = [
        ("name", cast.patient.full),
        ("name", cast.patient.last),
        ("mrn", cast.mrn),
        ("phone", cast.phone),
        ("address", cast.street),
    ]
    values += [("name", person.full) for _, person in cast.relatives]
    return [{"patient_id": patient_id, "kind": kind, "value": value} for kind, value in values]


def write_ward_clinic(
    out_dir: Path, patients: int = 40, notes_per_patient: int = 9, split: str = "heldout", seed: int | None = None
) -> dict[str, int]:
    rng = random.Random(DEFAULT_SEEDS[split] + 1 if seed is None else seed)
    fake = faker_for(rng)
    staff = [new_person(rng, fake, c) for c in ["MD"] * 6 + ["RN"] * 8 + ["NP"] * 2 + ["RRT", "PT", "LICSW"]]
    organizations = _organizations(rng, split)
    in_table = [p for p in staff if p.credential in ("MD", "NP") or rng.random() < 0.25]
    providers = [
        {
            "Id": _uuid(rng),
            "ORGANIZATION": organizations[0]["Id"],
            "NAME": p.full,
            "GENDER": rng.choice("FM"),
            "SPECIALITY": _SPECIALITY.get(p.credential, "GENERAL PRACTICE"),
            "ADDRESS": organizations[0]["ADDRESS"],
            "CITY": organizations[0]["CITY"],
            "STATE": "MA",
            "ZIP": organizations[0]["ZIP"],
            "LAT": organizations[0]["LAT"],
            "LON": organizations[0]["LON"],
            "UTILIZATION": "10",
        }
        for p in in_table
    ]
    payers = [
        {
            "Id": _uuid(rng),
            "NAME": name,
            "ADDRESS": fake.street_address(),
            "CITY": "Boston",
            "STATE_HEADQUARTERED": "MA",
            "ZIP": "02110",
            "PHONE": f"1-800-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            "OWNERSHIP": "PRIVATE",
        }
        for name in ("Medicare", "Medicaid", "Blue Cross Blue Shield", "NO_INSURANCE")
    ]
    tables: dict[str, list[dict[str, str]]] = {"patients": [], "encounters": []}
    notes: list[dict[str, Any]] = []
    gold: list[dict[str, Any]] = []
    planted: list[dict[str, str]] = []
    templates = FAMILIES[split]
    for _ in range(patients):
        patient_id = _uuid(rng)
        cast = new_cast(rng, split, staff=staff)
        tables["patients"].append(_patient_row(cast, patient_id, rng))
        planted += _planted(cast, patient_id)
        for _ in range(notes_per_patient):
            cast.day = cast.day.fromordinal(cast.day.toordinal() + rng.randint(1, 20))
            note_id, encounter = f"W{len(notes):05d}", _uuid(rng)
            doc = render_note(rng.choice(templates), cast, rng)
            row = dict.fromkeys(ENCOUNTER_COLUMNS, "")
            row.update(
                {
                    "Id": encounter,
                    "START": f"{cast.day.isoformat()}T09:00:00Z",
                    "STOP": f"{cast.day.isoformat()}T10:00:00Z",
                    "PATIENT": patient_id,
                    "ORGANIZATION": organizations[0]["Id"],
                    "PROVIDER": providers[0]["Id"],
                    "PAYER": payers[0]["Id"],
                    "ENCOUNTERCLASS": "inpatient",
                    "CODE": "183452005",
                    "DESCRIPTION": "Emergency hospital admission",
                    "BASE_ENCOUNTER_COST": "100.0",
                    "TOTAL_CLAIM_COST": "100.0",
                    "PAYER_COVERAGE": "0.0",
                }
            )
            tables["encounters"].append(row)
            notes.append(
                {
                    "NOTE_ID": note_id,
                    "PATIENT": patient_id,
                    "ENCOUNTER": encounter,
                    "DATE": cast.day.isoformat(),
                    "NOTE_TYPE": doc["note_type"],
                    "TEXT": doc["text"],
                    "LANG": "en",
                }
            )
            gold.append({"id": note_id, "lang": "en", **doc})
    planted += [{"patient_id": "", "kind": "name", "value": p.full} for p in staff]
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / "patients.csv", PATIENT_COLUMNS, tables["patients"])
    _write(out_dir / "encounters.csv", ENCOUNTER_COLUMNS, tables["encounters"])
    _write(out_dir / "providers.csv", PROVIDER_COLUMNS, providers)
    _write(out_dir / "organizations.csv", ORGANIZATION_COLUMNS, organizations)
    _write(out_dir / "payers.csv", PAYER_COLUMNS, payers)
    _write(out_dir / "notes.csv", list(notes[0]), notes)
    (out_dir / "gold.jsonl").write_text(
        "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8"
    )
    (out_dir / "planted_identifiers.json").write_text(
        json.dumps(planted, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    # what a steward would list for this hospital: its name, abbreviation and buildings (5 entries); used only
    # where a run's config names it (deid.site_list)
    site = SITES[split]
    site_list = {"facilities": [site.name, site.abbr], "places": list(site.buildings)}
    (out_dir / "site_list.yaml").write_text(yaml.safe_dump(site_list), encoding="utf-8")
    return {"patients": patients, "notes": len(notes), "providers": len(providers), "planted": len(planted)}
