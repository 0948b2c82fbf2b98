"""Write a synthetic clinic folder: Synthea-layout tables, notes in several types and two languages with
identifiers planted in them, and `planted_identifiers.json` listing every planted value for tests.

Everything is drawn from a seeded RNG and Faker, so the same seed gives the same clinic.
"""

from __future__ import annotations

import csv
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from etl.synth.clinical import CASES
from etl.synth.notes import NOTE_TYPES, render_note
from etl.synth.zh_clinic import NOTE_TYPES as ZH_NOTE_TYPES
from etl.synth.zh_clinic import render_zh_note, zh_person

PATIENT_COLUMNS = [
    "Id",
    "BIRTHDATE",
    "DEATHDATE",
    "SSN",
    "DRIVERS",
    "PASSPORT",
    "PREFIX",
    "FIRST",
    "LAST",
    "SUFFIX",
    "MAIDEN",
    "MARITAL",
    "RACE",
    "ETHNICITY",
    "GENDER",
    "BIRTHPLACE",
    "ADDRESS",
    "CITY",
    "STATE",
    "COUNTY",
    "ZIP",
    "LAT",
    "LON",
    "HEALTHCARE_EXPENSES",
    "HEALTHCARE_COVERAGE",
]
ENCOUNTER_COLUMNS = [
    "Id",
    "START",
    "STOP",
    "PATIENT",
    "ORGANIZATION",
    "PROVIDER",
    "PAYER",
    "ENCOUNTERCLASS",
    "CODE",
    "DESCRIPTION",
    "BASE_ENCOUNTER_COST",
    "TOTAL_CLAIM_COST",
    "PAYER_COVERAGE",
    "REASONCODE",
    "REASONDESCRIPTION",
]
CONDITION_COLUMNS = ["START", "STOP", "PATIENT", "ENCOUNTER", "CODE", "DESCRIPTION"]
MEDICATION_COLUMNS = [
    "START",
    "STOP",
    "PATIENT",
    "PAYER",
    "ENCOUNTER",
    "CODE",
    "DESCRIPTION",
    "BASE_COST",
    "PAYER_COVERAGE",
    "DISPENSES",
    "TOTALCOST",
    "REASONCODE",
    "REASONDESCRIPTION",
]
PROCEDURE_COLUMNS = [
    "START",
    "STOP",
    "PATIENT",
    "ENCOUNTER",
    "CODE",
    "DESCRIPTION",
    "BASE_COST",
    "REASONCODE",
    "REASONDESCRIPTION",
]
OBSERVATION_COLUMNS = ["DATE", "PATIENT", "ENCOUNTER", "CATEGORY", "CODE", "DESCRIPTION", "VALUE", "UNITS", "TYPE"]


@dataclass
class Person:
    """One synthetic patient with every identifier the notes may mention."""

    id: str
    lang: str
    first: str
    last: str
    gender: str
    birth: date
    ssn: str
    mrn: str
    phone: str
    email: str
    street: str
    city: str
    state: str
    zip: str
    relative: str
    relative_role: str
    relative_phone: str
    provider: str
    hospital: str
    account: str
    case: dict = field(default_factory=dict)


def _ssn(rng: random.Random) -> str:
    area = rng.choice([999, rng.randint(1, 665), rng.randint(667, 899)])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _person(rng: random.Random, fakers: dict[str, Faker], lang: str, old: bool) -> Person:
    fake = fakers[lang]
    gender = rng.choice("MF")
    first = fake.first_name_male() if gender == "M" else fake.first_name_female()
    born = (
        date(rng.randint(1928, 1933), rng.randint(1, 12), rng.randint(1, 28))
        if old
        else date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
    )
    if lang == "es":
        street = (
            f"{rng.choice(['C/', 'Calle', 'Avenida'])} {fake.last_name()} {rng.randint(1, 120)}, {rng.randint(1, 8)}º"
        )
        city, state, zip_code = fake.city(), "Madrid", f"{rng.randint(1000, 52999):05d}"
        phone = f"6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        relative_phone = f"6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
        hospital = f"Hospital Universitario {fake.last_name()}"
    else:
        street = fake.street_address()
        city, state, zip_code = fake.city(), fake.state_abbr(include_territories=False), fake.zipcode()
        phone = f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        relative_phone = f"{rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        hospital = f"{fake.last_name()} {rng.choice(['Memorial Hospital', 'Medical Center', 'Regenerative Clinic'])}"
    last = fake.last_name()
    return Person(
        id=str(uuid.UUID(int=rng.getrandbits(128))),
        lang=lang,
        first=first,
        last=last,
        gender=gender,
        birth=born,
        ssn=_ssn(rng),
        mrn=f"{rng.randint(10_000_000, 99_999_999)}",
        phone=phone,
        email=f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{fake.free_email_domain()}".replace(" ", ""),
        street=street,
        city=city,
        state=state,
        zip=zip_code,
        relative=f"{fake.first_name()} {fake.last_name()}",
        relative_role=rng.choice(["wife", "husband", "daughter", "son"]),
        relative_phone=relative_phone,
        provider=f"{fake.first_name()} {fake.last_name()}",
        hospital=hospital,
        account=f"{rng.choice('ABHK')}{rng.randint(100000, 999999)}",
        case=rng.choice(CASES),
    )


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _patient_row(p: Person, rng: random.Random) -> dict[str, str]:
    return {
        "Id": p.id,
        "BIRTHDATE": p.birth.isoformat(),
        "DEATHDATE": "",
        "SSN": p.ssn,
        "DRIVERS": f"S{rng.randint(10_000_000, 99_999_999)}",
        "PASSPORT": f"X{rng.randint(10_000_000, 99_999_999)}X",
        "PREFIX": "Mr." if p.gender == "M" else "Ms.",
        "FIRST": p.first,
        "LAST": p.last,
        "SUFFIX": "",
        "MAIDEN": "",
        "MARITAL": rng.choice("MSD"),
        "RACE": rng.choice(["white", "black", "asian", "other"]),
        "ETHNICITY": "hispanic" if p.lang == "es" else rng.choice(["hispanic", "nonhispanic"]),
        "GENDER": p.gender,
        "BIRTHPLACE": f"{p.city}  {p.state}  US",
        "ADDRESS": p.street,
        "CITY": p.city,
        "STATE": p.state,
        "COUNTY": f"{p.city} County",
        "ZIP": p.zip,
        "LAT": f"{rng.uniform(25, 48):.6f}",
        "LON": f"{rng.uniform(-122, -70):.6f}",
        "HEALTHCARE_EXPENSES": f"{rng.uniform(1e3, 1e5):.2f}",
        "HEALTHCARE_COVERAGE": f"{rng.uniform(0, 1e4):.2f}",
    }


def _planted(p: Person, birth_text: str) -> list[dict[str, str]]:
    values = [
        ("name", f"{p.last}{p.first}" if p.lang == "zh" else f"{p.first} {p.last}"),
        ("name", p.relative),
        ("name", p.provider),
        ("ssn", p.ssn),
        ("mrn", p.mrn),
        ("phone", p.phone),
        ("phone", p.relative_phone),
        ("email", p.email),
        ("address", p.street),
        ("birth_date", birth_text),
        ("birth_date", p.birth.isoformat()),
        ("account", p.account),
    ]
    return [{"patient_id": p.id, "kind": kind, "value": value} for kind, value in values]


def generate_clinic(
    out_dir: Path,
    patients: int = 12,
    seed: int = 7,
    spanish_share: float = 0.25,
    langs: tuple[str, ...] = ("en", "es"),
    chinese_share: float = 0.35,
) -> dict[str, int]:
    """Write the clinic folder; return counts. "zh" in `langs`: some patients are Chinese (zh_clinic.py)."""
    rng = random.Random(seed)
    fakers = {"en": Faker("en_US"), "es": Faker("es_ES")}
    if "zh" in langs:
        fakers["zh"] = Faker("zh_CN")
    for offset, fake in enumerate(fakers.values()):
        fake.seed_instance(seed + offset)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, str]]] = {
        k: [] for k in ("patients", "encounters", "conditions", "medications", "procedures", "observations")
    }
    csv_notes: list[dict[str, str]] = []
    planted: list[dict[str, str]] = []
    for index in range(patients):
        draw = rng.random()
        lang = "es" if draw < spanish_share else "zh" if "zh" in langs and draw > 1 - chinese_share else "en"
        if lang == "zh":
            person = zh_person(rng, fakers["zh"], index % 6 == 5, Person)
        else:
            person = _person(rng, fakers, lang, old=index % 6 == 5)
        tables["patients"].append(_patient_row(person, rng))
        visit = date(2023, 1, 1) + timedelta(days=rng.randint(0, 600))
        birth_text = ""
        for note_type in rng.sample(ZH_NOTE_TYPES if lang == "zh" else NOTE_TYPES[lang], k=rng.randint(2, 3)):
            encounter = str(uuid.UUID(int=rng.getrandbits(128)))
            visit += timedelta(days=rng.randint(14, 90))
            note_id = f"N{len(csv_notes):05d}"
            render = render_zh_note if lang == "zh" else render_note
            text, birth_text = render(note_type, person, visit, rng)
            _add_clinical_rows(tables, person, encounter, visit, rng)
            csv_notes.append(
                {
                    "NOTE_ID": note_id,
                    "PATIENT": person.id,
                    "ENCOUNTER": encounter,
                    "DATE": visit.isoformat(),
                    "NOTE_TYPE": note_type,
                    "TEXT": text,
                    "LANG": lang,
                }
            )
        planted.extend(_planted(person, birth_text))
    csv_notes.append(
        {
            "NOTE_ID": "N-empty",
            "PATIENT": tables["patients"][0]["Id"],
            "ENCOUNTER": "",
            "DATE": "2024-01-02",
            "NOTE_TYPE": "nursing_note",
            "TEXT": "",
            "LANG": "en",
        }
    )
    txt_notes = csv_notes[1::4]  # a share of the notes arrives as a folder of text files instead
    for note in txt_notes:
        folder = out_dir / "notes" / note["PATIENT"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{note['NOTE_ID']}.txt").write_text(note["TEXT"], encoding="utf-8")
    table_notes = [n for n in csv_notes if n not in txt_notes]
    _write_csv(out_dir / "notes.csv", list(csv_notes[0]), table_notes)
    columns = {
        "patients": PATIENT_COLUMNS,
        "encounters": ENCOUNTER_COLUMNS,
        "conditions": CONDITION_COLUMNS,
        "medications": MEDICATION_COLUMNS,
        "procedures": PROCEDURE_COLUMNS,
        "observations": OBSERVATION_COLUMNS,
    }
    for name, rows in tables.items():
        _write_csv(out_dir / f"{name}.csv", columns[name], rows)
    (out_dir / "planted_identifiers.json").write_text(
        json.dumps(planted, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return {"patients": patients, "notes": len(csv_notes), "txt_notes": len(txt_notes), "planted": len(planted)}


def _add_clinical_rows(
    tables: dict[str, list[dict[str, str]]], p: Person, encounter: str, visit: date, rng: random.Random
) -> None:
    start = f"{visit.isoformat()}T{rng.randint(8, 17):02d}:00:00Z"
    condition, snomed = p.case["condition"]
    procedure, _ = p.case["treatment"]
    drug, _ = p.case["medication"]
    tables["encounters"].append(
        {
            "Id": encounter,
            "START": start,
            "STOP": start,
            "PATIENT": p.id,
            "ORGANIZATION": "org-1",
            "PROVIDER": "prov-1",
            "PAYER": "payer-1",
            "ENCOUNTERCLASS": "ambulatory",
            "CODE": "185349003",
            "DESCRIPTION": "Encounter for check up",
            "BASE_ENCOUNTER_COST": "129.16",
            "TOTAL_CLAIM_COST": "129.16",
            "PAYER_COVERAGE": "100.0",
            "REASONCODE": snomed,
            "REASONDESCRIPTION": condition,
        }
    )
    tables["conditions"].append(
        {
            "START": visit.isoformat(),
            "STOP": "",
            "PATIENT": p.id,
            "ENCOUNTER": encounter,
            "CODE": snomed,
            "DESCRIPTION": condition,
        }
    )
    tables["medications"].append(
        {
            "START": start,
            "STOP": "",
            "PATIENT": p.id,
            "PAYER": "payer-1",
            "ENCOUNTER": encounter,
            "CODE": "198405",
            "DESCRIPTION": drug,
            "BASE_COST": "4.5",
            "PAYER_COVERAGE": "0",
            "DISPENSES": "1",
            "TOTALCOST": "4.5",
            "REASONCODE": snomed,
            "REASONDESCRIPTION": condition,
        }
    )
    tables["procedures"].append(
        {
            "START": start,
            "STOP": start,
            "PATIENT": p.id,
            "ENCOUNTER": encounter,
            "CODE": "433591000124103",
            "DESCRIPTION": procedure,
            "BASE_COST": "850.0",
            "REASONCODE": snomed,
            "REASONDESCRIPTION": condition,
        }
    )
    for code, desc, value, units in (
        ("8480-6", "Systolic Blood Pressure", rng.randint(105, 150), "mm[Hg]"),
        ("72514-3", "Pain severity - 0-10 verbal numeric rating", rng.randint(2, 8), "{score}"),
    ):
        tables["observations"].append(
            {
                "DATE": start,
                "PATIENT": p.id,
                "ENCOUNTER": encounter,
                "CATEGORY": "vital-signs",
                "CODE": code,
                "DESCRIPTION": desc,
                "VALUE": str(value),
                "UNITS": units,
                "TYPE": "numeric",
            }
        )
