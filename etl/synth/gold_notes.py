"""A second, independent note generator for held-out evaluation (`clinetl synth-gold`).

It shares nothing with generator.py/notes.py: other note kinds (ED, operative, radiology, telephone,
psychiatry, dictation), other writing styles (all caps, lower case, abbreviations), multinational names,
and identifiers in other layouts. Every filled slot is recorded: PHI slots as gold spans, clinical terms
as `keep` spans that must survive de-identification. The detector is never tuned on its output.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

from etl.calendar_names import MONTHS_EN

_LOCALES = ["en_US", "en_GB", "en_IN", "en_AU", "de_DE", "fr_FR", "it_IT", "pt_BR", "pl_PL", "nl_NL", "es_MX", "en_IE"]
_SLOT = re.compile(r"\{(\w+)\}")

TEMPLATES = [
    """ED PHYSICIAN NOTE
Pt: {patient_last_first}   MRN# {mrn}   DOS: {date_numeric}
CC: {complaint} x{duration}
HPI: {age_over_89} y/o with hx of {eponym} and {eponym2} presents w/ {complaint}. Lives with {relation} {relative} at {street}, {city}, {state} {zip}.
Meds: {drug_dose}; {drug_dose2}.
PE: {vitals}. {exam_sign} negative.
Labs: {labs}.
MDM: {score}. Discussed with Dr. {clinician} (pager {phone}).
Dispo: f/u {clinic} in {duration}. Code {code}.
""",
    """OPERATIVE REPORT
PATIENT NAME: {patient_upper}
DATE OF SURGERY: {date_textual}
SURGEON: {clinician_full}, MD
ASSISTANT: {clinician_full2}, PA-C
FACILITY: {hospital}
PREOPERATIVE DIAGNOSIS: {eponym}.
PROCEDURE: {procedure}. Implant serial no. {device_serial}.
ANESTHESIA: general. EBL 50 mL. {vitals}.
The patient tolerated the procedure well and was taken to PACU. Family ({relative}) updated by phone at {phone}.
""",
    """Radiology report. Accession {accession}. Exam date {date_iso}.
Ordering provider: {clinician_full}. Patient {patient_first_last}, DOB {dob}.
Clinical history: {complaint}; known {eponym}.
Findings: no acute fracture. {imaging_finding}.
Impression: findings consistent with {eponym2}. Results sent to {email} and posted to {url}.
""",
    """telephone encounter {date_short}
pt {patient_lower} called from {phone} re {complaint}. taking {drug_dose} since {month_year}. denies fever. \
{labs}. advised to go to {hospital} if worse. cb # {phone2}. -- {clinician_initials}
""",
    """Psychiatry progress note - {date_textual}
Identifying data: {patient_first_last} is a {age_over_89}-year-old retired {occupation} from {city}. Works part-time at {employer}.
Subjective: mood "ok". {score}. Sleep 6 h. Daughter {relative} (cell {phone}) concerned.
Objective: {vitals}. MSE notable for {exam_sign}.
Plan: continue {drug_dose}; recheck {labs} in {duration}. Telehealth from IP {ip}; portal {url}.
Signed: {clinician_full}, MD, NPI {npi}
""",
    """Dear Dr. {clinician_last2},
Thank you for referring {patient_honorific} {patient_last}, date of birth {dob}, health plan member ID {member_id}, \
address {street}, {city}, {state} {zip}. {patient_pronoun} drives vehicle plate {plate} and holds licence {licence}.
History: {eponym}, {eponym2}. Current medication: {drug_dose}. Vitals today: {vitals}. {score}.
We performed {procedure} on {date_textual}. Follow-up on {date_partial}. SSN on file {ssn}. Fax {phone}.
Kind regards,
{clinician_full}
{hospital}
""",
]

_EPONYMS = [
    "Parkinson's disease",
    "Alzheimer's dementia",
    "Crohn's disease",
    "Hashimoto's thyroiditis",
    "Bell's palsy",
    "Graves' disease",
    "Cushing's syndrome",
    "Addison's disease",
    "Barrett's esophagus",
    "Meniere's disease",
    "Raynaud's phenomenon",
    "Sjogren's syndrome",
    "Guillain-Barre syndrome",
    "Huntington's disease",
    "Kaposi sarcoma",
    "Hodgkin lymphoma",
    "Tourette syndrome",
    "Wilson's disease",
    "Paget's disease of bone",
]
_SIGNS = [
    "Babinski sign",
    "McMurray test",
    "Lachman test",
    "Phalen's test",
    "Tinel's sign",
    "Murphy's sign",
    "Romberg test",
    "Kernig sign",
    "Spurling test",
    "Homan's sign",
]
_DRUGS = [
    "apixaban (Eliquis) 5 mg BID",
    "metoprolol succinate 25 mg daily",
    "atorvastatin 40 mg qHS",
    "adalimumab (Humira) 40 mg q2w",
    "rivaroxaban (Xarelto) 20 mg daily",
    "levothyroxine 75 mcg daily",
    "sertraline 100 mg daily",
    "gabapentin 300 mg TID",
    "insulin glargine 18 units qHS",
    "lisinopril 20 mg daily",
    "carbidopa-levodopa 25/100 TID",
    "prednisone 10 mg taper",
]
_PROCEDURES = [
    "total knee arthroplasty",
    "laparoscopic cholecystectomy",
    "ACL reconstruction",
    "carpal tunnel release",
    "rotator cuff repair",
    "bone marrow aspirate concentrate injection",
    "ORIF of distal radius",
]
_COMPLAINTS = [
    "chest pain",
    "shortness of breath",
    "low back pain",
    "fall at home",
    "worsening tremor",
    "knee swelling",
    "palpitations",
    "dizziness",
]
_FINDINGS = [
    "Mild degenerative change at L4-L5",
    "Small joint effusion",
    "Grade 2 chondromalacia patellae",
    "Stable 4 mm pulmonary nodule",
]
_OCCUPATIONS = ["teacher", "machinist", "nurse", "farmer", "accountant"]
_CODES = ["ICD-10 I10", "ICD-10 M17.11", "CPT 99214", "ICD-10 G20", "CPT 27447"]


def _city(fake: Faker, rng: random.Random) -> str:
    """A city name that depends on the seed only. Some Faker locales (it_IT) build their city list from a set,
    so its order, and the seeded pick, changes with PYTHONHASHSEED; sorting it first makes it stable."""
    for provider in fake.get_providers():
        cities = getattr(provider, "cities", None)
        if isinstance(cities, list | tuple | set | frozenset) and cities:
            return rng.choice(sorted(cities))
    return fake.city()


def _vitals(rng: random.Random) -> str:
    return (
        f"BP {rng.randint(100, 170)}/{rng.randint(55, 100)}, HR {rng.randint(50, 120)}, "
        f"RR {rng.randint(12, 24)}, T {rng.randint(361, 389) / 10} C, SpO2 {rng.randint(88, 100)}% RA"
    )


def _labs(rng: random.Random) -> str:
    return (
        f"Na {rng.randint(128, 146)}, K {rng.randint(32, 55) / 10}, Cr {rng.randint(6, 25) / 10}, "
        f"Hgb {rng.randint(80, 160) / 10}, WBC {rng.randint(30, 180) / 10}"
    )


def _score(rng: random.Random) -> str:
    return rng.choice(
        [
            f"PHQ-9 of {rng.randint(0, 27)}",
            f"NIHSS {rng.randint(0, 20)}",
            f"MMSE {rng.randint(12, 30)}/30",
            f"Wells score {rng.randint(0, 8)}",
            f"GCS {rng.randint(8, 15)}",
            "2/6 systolic murmur",
        ]
    )


def _slot_makers(rng: random.Random, fake: Faker, birth: date, visit: date) -> dict[str, Callable[[], tuple[str, str]]]:
    first, last = fake.first_name(), fake.last_name()
    relative = f"{fake.first_name()} {fake.last_name()}"
    clinician = (fake.first_name(), fake.last_name())
    clinician2 = (fake.first_name(), fake.last_name())
    months = MONTHS_EN
    old_age = visit.year - birth.year

    def num(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    return {
        "patient_last_first": lambda: (f"{last}, {first}", "PERSON"),
        "patient_upper": lambda: (f"{first} {last}".upper(), "PERSON"),
        "patient_first_last": lambda: (f"{first} {last}", "PERSON"),
        "patient_lower": lambda: (f"{first} {last}".lower(), "PERSON"),
        "patient_honorific": lambda: (rng.choice(["Mr.", "Mrs.", "Ms."]), "KEEP"),
        "patient_last": lambda: (last, "PERSON"),
        "patient_pronoun": lambda: (rng.choice(["She", "He"]), "KEEP"),
        "relative": lambda: (relative, "PERSON"),
        "relation": lambda: (rng.choice(["daughter", "son", "wife", "husband", "niece"]), "KEEP"),
        "clinician": lambda: (clinician[1], "PERSON"),
        "clinician_full": lambda: (f"{clinician[0]} {clinician[1]}", "PERSON"),
        "clinician_full2": lambda: (f"{clinician2[0]} {clinician2[1]}", "PERSON"),
        "clinician_last2": lambda: (clinician2[1], "PERSON"),
        "clinician_initials": lambda: (f"{clinician[0][0]}{clinician[1][0]}", "PERSON"),
        "mrn": lambda: (rng.choice([num(7), f"{rng.choice('AEMK')}{num(8)}", f"{num(3)}-{num(2)}-{num(3)}"]), "MRN"),
        "accession": lambda: (f"RAD{num(9)}", "ID"),
        "device_serial": lambda: (f"{rng.choice(['ZB', 'SN', 'MD'])}-{num(6)}{rng.choice('XYZ')}", "ID"),
        "member_id": lambda: (f"{rng.choice(['W', 'XJ', 'H'])}{num(9)}", "ID"),
        "plate": lambda: (f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNP')}{num(1)}-{num(4)}", "ID"),
        "licence": lambda: (f"{rng.choice('SDM')}{num(7)}", "ID"),
        "npi": lambda: (f"1{num(9)}", "ID"),
        "ssn": lambda: (f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}", "SSN"),
        "phone": lambda: (
            rng.choice(
                [
                    f"{num(3)}.{num(3)}.{num(4)}",
                    f"+1 ({rng.randint(201, 989)}) {num(3)} {num(4)}",
                    f"{rng.randint(201, 989)}-{num(3)}-{num(4)} ext. {num(3)}",
                ]
            ),
            "PHONE",
        ),
        "phone2": lambda: (f"{rng.randint(201, 989)}{num(7)}", "PHONE"),
        "email": lambda: (
            f"{first[0].lower()}{last.lower()}@{rng.choice(['mail.com', 'example.net', 'post.org'])}".replace(" ", ""),
            "EMAIL",
        ),
        "url": lambda: (
            f"https://portal.{rng.choice(['stlukes', 'riverside', 'northside'])}health.org/r/{num(6)}",
            "URL",
        ),
        "ip": lambda: (
            f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "IP_ADDRESS",
        ),
        "street": lambda: (
            f"{rng.randint(2, 9999)} {fake.street_name()}{rng.choice(['', ' Apt #' + num(2) + 'B'])}",
            "STREET_ADDRESS",
        ),
        "city": lambda: (_city(fake, rng), "LOCATION"),
        "state": lambda: (rng.choice(["OH", "TX", "NY", "WA", "FL"]), "KEEP"),
        "zip": lambda: (num(5), "ZIP"),
        "hospital": lambda: (
            f"{rng.choice(['St. ', ''])}{fake.last_name()} {rng.choice(['General Hospital', 'Medical Center', 'Community Hospital'])}",
            "ORGANIZATION",
        ),
        "clinic": lambda: (
            f"{fake.last_name()} {rng.choice(['Orthopedics', 'Cardiology Associates', 'Family Clinic'])}",
            "ORGANIZATION",
        ),
        "employer": lambda: (f"{fake.last_name()} {rng.choice(['Hardware', 'Logistics', 'Bakery'])}", "ORGANIZATION"),
        "age_over_89": lambda: (str(old_age if old_age > 89 else rng.randint(90, 101)), "AGE"),
        "dob": lambda: (
            rng.choice([birth.strftime("%m/%d/%Y"), f"{months[birth.month - 1]} {birth.day}, {birth.year}"]),
            "DATE",
        ),
        "date_numeric": lambda: (visit.strftime("%m/%d/%y"), "DATE"),
        "date_iso": lambda: (f"{visit.isoformat()} {rng.randint(7, 19):02d}:{rng.randint(0, 59):02d}", "DATE"),
        "date_textual": lambda: (
            rng.choice(
                [
                    f"{months[visit.month - 1]} {visit.day}th, {visit.year}",
                    f"{visit.day} {months[visit.month - 1][:3]} {visit.year}",
                ]
            ),
            "DATE",
        ),
        "date_short": lambda: (f"{visit.month}/{visit.day}", "DATE"),
        "date_partial": lambda: (f"{months[(visit.month + 1) % 12]} {rng.randint(1, 28)}", "DATE"),
        "month_year": lambda: (f"{months[visit.month - 1]} {visit.year - 1}", "DATE"),
        "occupation": lambda: (rng.choice(_OCCUPATIONS), "KEEP"),
        "eponym": lambda: (rng.choice(_EPONYMS), "KEEP"),
        "eponym2": lambda: (rng.choice(_EPONYMS), "KEEP"),
        "exam_sign": lambda: (rng.choice(_SIGNS), "KEEP"),
        "drug_dose": lambda: (rng.choice(_DRUGS), "KEEP"),
        "drug_dose2": lambda: (rng.choice(_DRUGS), "KEEP"),
        "procedure": lambda: (rng.choice(_PROCEDURES), "KEEP"),
        "complaint": lambda: (rng.choice(_COMPLAINTS), "KEEP"),
        "imaging_finding": lambda: (rng.choice(_FINDINGS), "KEEP"),
        "vitals": lambda: (_vitals(rng), "KEEP"),
        "labs": lambda: (_labs(rng), "KEEP"),
        "score": lambda: (_score(rng), "KEEP"),
        "duration": lambda: (rng.choice(["3 days", "2 weeks", "6 months", "48 hours"]), "KEEP"),
        "code": lambda: (rng.choice(_CODES), "KEEP"),
    }


def render(template: str, makers: dict[str, Callable[[], tuple[str, str]]]) -> dict[str, Any]:
    """Fill the template's slots, recording where each PHI value and each kept clinical term landed."""
    text: list[str] = []
    spans: list[dict[str, Any]] = []
    keep: list[dict[str, Any]] = []
    cursor = 0
    for piece_index, piece in enumerate(_SLOT.split(template)):
        if piece_index % 2 == 0:
            text.append(piece)
            cursor += len(piece)
            continue
        value, label = makers[piece]()
        record = {"start": cursor, "end": cursor + len(value), "label": label if label != "KEEP" else piece}
        (keep if label == "KEEP" else spans).append(record)
        text.append(value)
        cursor += len(value)
    return {"text": "".join(text), "spans": spans, "keep": keep}


def generate_gold(count: int, seed: int = 2024) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = []
    for index in range(count):
        fake = Faker(rng.choice(_LOCALES))
        fake.seed_instance(rng.randint(0, 10**9))
        visit = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1000))
        birth = date(rng.randint(1921, 1934), rng.randint(1, 12), rng.randint(1, 28))
        doc = render(TEMPLATES[index % len(TEMPLATES)], _slot_makers(rng, fake, birth, visit))
        docs.append({"id": f"heldout-{index:04d}", "lang": "en", **doc})
    return docs


def write_gold(path: Path, count: int, seed: int = 2024) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = generate_gold(count, seed)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)
