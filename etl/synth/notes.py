"""Note templates for the synthetic clinic: four note types per language, identifiers planted in each."""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING

from etl.calendar_names import MONTHS_ES
from etl.synth.clinical import COMORBIDITIES

if TYPE_CHECKING:
    from etl.synth.generator import Person

NOTE_TYPES = {
    "en": ["discharge_summary", "progress_note", "referral_letter", "nursing_note"],
    "es": ["informe_alta", "nota_evolucion", "carta_derivacion", "nota_enfermeria"],
}
_MESES = MONTHS_ES


def _age(p: Person, on: date) -> int:
    return on.year - p.birth.year - ((on.month, on.day) < (p.birth.month, p.birth.day))


def _dob(p: Person, rng: random.Random) -> str:
    d = p.birth
    if p.lang == "es":
        return rng.choice([f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day} de {_MESES[d.month - 1]} de {d.year}"])
    return rng.choice([f"{d.month:02d}/{d.day:02d}/{d.year}", d.strftime("%B %-d, %Y"), d.strftime("%-d-%b-%Y")])


def _vitals(rng: random.Random) -> str:
    return (
        f"BP {rng.randint(105, 150)}/{rng.randint(60, 95)}, HR {rng.randint(55, 95)}, "
        f"Temp 36.{rng.randint(4, 9)} C, SpO2 {rng.randint(94, 99)}%, K {rng.randint(35, 50) / 10}"
    )


def _context(p: Person, visit: date, rng: random.Random) -> dict[str, str]:
    case, lang = p.case, p.lang
    months = rng.randint(2, 18)
    pain_before, pain_after = rng.randint(6, 9), rng.randint(1, 4)
    return {
        "name": f"{p.first} {p.last}",
        "NAME": f"{p.last.upper()}, {p.first.upper()}",
        "first": p.first,
        "dob": _dob(p, rng),
        "age": str(_age(p, visit)),
        "mrn": p.mrn,
        "ssn": p.ssn,
        "phone": p.phone,
        "email": p.email,
        "street": p.street,
        "city": p.city,
        "state": p.state,
        "zip": p.zip,
        "relative": p.relative,
        "role": p.relative_role,
        "rphone": p.relative_phone,
        "provider": p.provider,
        "hospital": p.hospital,
        "account": p.account,
        "visit": visit.strftime("%m/%d/%Y")
        if lang == "en"
        else f"{visit.day} de {_MESES[visit.month - 1]} de {visit.year}",
        "complaint": case["complaint"][lang].format(n=months),
        "finding": case["finding"][lang],
        "treatment": case["treatment"][1],
        "procedure": case["treatment"][0],
        "drug": case["medication"][1],
        "condition": case["condition"][0],
        "comorbidity": rng.choice(COMORBIDITIES[lang]),
        "vitals": _vitals(rng),
        "before": str(pain_before),
        "after": str(pain_after),
        "weeks": str(rng.randint(4, 12)),
    }


_TEMPLATES = {
    "discharge_summary": """DISCHARGE SUMMARY
Patient: {NAME}    MRN: {mrn}    DOB: {dob}
Admission date: {visit}    Facility: {hospital}

CHIEF COMPLAINT: {complaint}.

HISTORY OF PRESENT ILLNESS: {name} is a {age} year-old with {complaint} despite physical therapy. \
Past history includes {comorbidity}. Lives at {street}, {city}, {state} {zip}.

PHYSICAL EXAM: {vitals}. {finding}. 2/6 systolic murmur, unchanged.

HOSPITAL COURSE: Underwent {procedure} without complication. Pain improved from {before}/10 to {after}/10.

ASSESSMENT: {condition}, responding to {treatment}.

PLAN: Continue {drug}. Follow up in {weeks} weeks. Call {phone} with questions; {role} {relative} ({rphone}) \
will drive the patient home.

Electronically signed by: {provider}, MD
""",
    "progress_note": """Progress Note - {visit}
pt {name}, MRN {mrn}, {age} yo, seen by Dr. {provider} at {hospital}.

Subjective: Follow-up for {complaint}. Pain now {after}/10 (was {before}/10) since {treatment}. \
Email on file {email}; SSN {ssn} verified for billing (acct {account}).

Objective: {vitals}. {finding}.

Assessment: {condition}, improving after {treatment}.

Plan: Second {treatment} session in {weeks} weeks; continue {drug}; home exercise program.
""",
    "referral_letter": """Dear Dr. {provider},

Re: {name} (DOB {dob}), MRN {mrn}
Address: {street}, {city}, {state} {zip}. Phone {phone}.

Thank you for seeing this {age}-year-old patient with {complaint}. History of {comorbidity}.
Examination: {finding}. {vitals}.

Impression: {condition} refractory to conservative care.

Recommendations: evaluate for {procedure}. Continue {drug} meanwhile.

Sincerely,
{hospital}
""",
    "nursing_note": """Nursing note {visit}: {first} tolerated {treatment} well. {vitals}. Pain {after}/10. \
Discharged with {role} {relative}; contact {rphone}. Reminder sent to {email}.
""",
    "informe_alta": """INFORME DE ALTA
Paciente: {name}    NHC: {mrn}    Fecha de nacimiento: {dob}
Fecha de ingreso: {visit}    Centro: {hospital}

Motivo de consulta: {complaint}.

Enfermedad actual: paciente de {age} años con {complaint}. Antecedentes: {comorbidity}. \
Domicilio: {street}, {zip} {city}. Teléfono {phone}.

Exploración física: {vitals}. {finding}.

Evolución: se realiza {procedure} sin incidencias. Dolor EVA {before}/10 que mejora a {after}/10.

Juicio clínico: {condition}, con buena respuesta a {treatment}.

Tratamiento: continuar {drug}. Revisión en {weeks} semanas. Contacto: su {role} {relative}, tfno {rphone}.

Firmado: Dr. {provider}
""",
    "nota_evolucion": """Nota de evolución {visit}
Paciente {name}, NHC {mrn}, {age} años. Atendido por la Dra. {provider} en {hospital}.

Anamnesis: revisión por {complaint}. Dolor actual {after}/10 (previo {before}/10) tras {treatment}. \
Correo electrónico {email}.

Exploración: {vitals}. {finding}.

Diagnóstico: {condition} en mejoría.

Plan: segunda sesión de {treatment} en {weeks} semanas; mantener {drug}.
""",
    "carta_derivacion": """Estimado Dr. {provider}:

Le remito a {name} (fecha de nacimiento {dob}, NHC {mrn}), con domicilio en {street}, {zip} {city}, \
teléfono {phone}, de {age} años, por {complaint}. Antecedentes: {comorbidity}.

Exploración: {finding}.

Juicio clínico: {condition} refractaria a tratamiento conservador.

Recomendaciones: valorar {procedure}. Mantener {drug}.

Atentamente,
{hospital}
""",
    "nota_enfermeria": """Nota de enfermería {visit}: {first} tolera bien {treatment}. {vitals}. Dolor {after}/10. \
Alta acompañado de su {role} {relative}, teléfono {rphone}.
""",
}
_ROLE_ES = {"wife": "esposa", "husband": "marido", "daughter": "hija", "son": "hijo"}


def render_note(note_type: str, p: Person, visit: date, rng: random.Random) -> tuple[str, str]:
    """(note text, the birth-date string used in it)."""
    values = _context(p, visit, rng)
    if p.lang == "es":
        values["role"] = _ROLE_ES[p.relative_role]
    return _TEMPLATES[note_type].format(**values), values["dob"]
