"""Split a clinical note into its sections ("# Assessment and Plan", "HPI:", "Juicio clínico:")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# canonical section -> heading phrases (lower-case, compared after stripping punctuation)
_HEADINGS: dict[str, tuple[str, ...]] = {
    "chief_complaint": (
        "chief complaint",
        "cc",
        "reason for visit",
        "reason for referral",
        "reason for admission",
        "presenting complaint",
        "motivo de consulta",
        "motivo de ingreso",
        "主诉",
    ),
    "hpi": (
        "history of present illness",
        "hpi",
        "present illness",
        "interval history",
        "subjective",
        "history",
        "enfermedad actual",
        "anamnesis",
        "现病史",
    ),
    "history": (
        "past medical history",
        "pmh",
        "past surgical history",
        "psh",
        "family history",
        "social history",
        "medical history",
        "past history",
        "antecedentes",
        "antecedentes personales",
        "antecedentes familiares",
        "既往史",
    ),
    "medications": (
        "medications",
        "current medications",
        "meds",
        "medications on admission",
        "discharge medications",
        "tratamiento habitual",
        "medicación",
        "用药",
    ),
    "allergies": ("allergies", "alergias", "过敏史"),
    "exam": (
        "physical exam",
        "physical examination",
        "exam",
        "examination",
        "objective",
        "vital signs",
        "vitals",
        "exploración física",
        "exploración",
        "体格检查",
    ),
    "results": (
        "labs",
        "laboratory",
        "laboratory data",
        "results",
        "diagnostic results",
        "imaging",
        "studies",
        "pruebas complementarias",
        "辅助检查",
    ),
    "hospital_course": ("hospital course", "course", "clinical course", "evolución", "evolution", "诊疗经过"),
    "assessment_plan": (
        "assessment and plan",
        "a/p",
        "a&p",
        "assessment & plan",
        "impression and plan",
        "juicio clínico y plan",
    ),
    "assessment": (
        "assessment",
        "impression",
        "diagnosis",
        "diagnoses",
        "discharge diagnosis",
        "discharge diagnoses",
        "juicio clínico",
        "diagnóstico",
        "diagnóstico principal",
        "impresión diagnóstica",
        "诊断",
    ),
    "plan": (
        "plan",
        "recommendations",
        "treatment",
        "treatment plan",
        "disposition",
        "discharge instructions",
        "follow-up",
        "follow up",
        "tratamiento",
        "recomendaciones",
        "plan terapéutico",
        "处理",
        "治疗",
        "医嘱",
    ),
}
_LOOKUP = {phrase: name for name, phrases in _HEADINGS.items() for phrase in phrases}
# Closing formulas start a "signature" section that no task uses (letters end in names and facilities).
_SIGN_OFF = re.compile(
    r"^\s*(?:sincerely|regards|best regards|kind regards|yours (?:truly|sincerely)|electronically signed|signed"
    r"|dictated by|atentamente|un saludo|saludos|firmado|fdo\.?)\b",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"^\s*#{1,6}\s*(?P<head>[^\n#]+?)\s*$")
_COLON = re.compile(r"^\s*(?P<head>[^\W\d_][\w /&().'-]{0,40}?)\s*[:：]\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Section:
    name: str  # canonical name, or "preamble" for text before the first heading
    body: str


def _canonical(heading: str) -> str | None:
    return _LOOKUP.get(re.sub(r"\s+", " ", heading.strip().strip(":.").lower()))


def split_sections(text: str) -> list[Section]:
    """Sections in order; text under an unrecognised heading stays with the section above it."""
    sections: list[tuple[str, list[str]]] = [("preamble", [])]
    for line in text.splitlines():
        if _SIGN_OFF.match(line):
            sections.append(("signature", [line]))
            continue
        match = _MARKDOWN.match(line) or _COLON.match(line)
        name = _canonical(match.group("head")) if match else None
        if name is None:
            sections[-1][1].append(line)
            continue
        rest = (match.groupdict().get("rest") or "") if match else ""
        sections.append((name, [rest] if rest.strip() else []))
    return [Section(name, "\n".join(lines).strip()) for name, lines in sections if "\n".join(lines).strip()]


def section_map(text: str) -> dict[str, str]:
    """Canonical name -> body, repeated sections joined in order."""
    merged: dict[str, list[str]] = {}
    for section in split_sections(text):
        merged.setdefault(section.name, []).append(section.body)
    return {name: "\n\n".join(bodies) for name, bodies in merged.items()}
