"""Hospital, clinic and practice names. spaCy's ORG label is too noisy in notes ("HPI", "CHF")."""

from __future__ import annotations

import re

from etl.deid.lexicon import unknown_word
from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern

# a practice is named after people of any origin ("Söding Medical Center", "das Neves Cardiology")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w&'.-]+"
_PARTICLES = r"van|von|de|di|da|das|do|dos|du|le"
_WORD = rf"(?:{_NAME}|[A-Z]|of|the|and|for|del|la|der|den|{_PARTICLES})"
_SP = r"[ \t]+"  # an organization's name never spans a line break
_EN_HEADS = (
    r"Hospital|Medical\s+Center|Medical\s+Centre|Health\s+Center|Health\s+System|Healthcare|Health\s+Care"
    r"|Clinic|Infirmary|Hospice|Nursing\s+Home|Rehabilitation\s+Center|Medical\s+Group|Surgery\s+Center"
    r"|Surgical\s+Center|Cancer\s+Center|Urgent\s+Care|Family\s+Practice|Family\s+Medicine|Health\s+Clinic"
    r"|Physicians|Associates|Pharmacy|Laboratories|Labs|Orthopa?edics|Cardiology|Dermatology|Oncology|Neurology"
    r"|Pediatrics|Radiology|Urology|Gastroenterology|Rheumatology|Physical\s+Therapy|Chiropractic|Dental|Imaging"
    r"|Diagnostics|Sports\s+Medicine|Pain\s+Management|Women'?s\s+Health|Behavioral\s+Health|Dialysis"
    r"|Rehab|Rehabilitation|Manor|Nursing\s+Center|Care\s+Center|Senior\s+Living|Assisted\s+Living|Gardens"
    r"|Shelter|Mission|Hospice\s+House"
)
_ES_HEADS = (
    r"Hospital(?:\s+Universitario|\s+General|\s+Cl[ií]nico|\s+Comarcal|\s+Provincial)?|Cl[ií]nica|Centro\s+de\s+Salud"
    r"|Centro\s+M[ée]dico|Complejo\s+Hospitalario|Consultorio|Ambulatorio|Policl[ií]nica|Residencia|Sanatorio"
    r"|Universidad|Fundaci[óo]n?|Laboratorios|Instituto|Facultad\s+de\s+Medicina"
)


# Both English forms hold a head word and, but for a head that spans two lines, stay on one line: they
# run on the lines that hold a head only.
_EN_GATE = re.compile(by_first_char(_EN_HEADS))


# an acronym no list knows, naming a place of care: "the LMH geriatric clinic", "labs at BSMC lab"
_ACRONYM_BEFORE_CARE = (
    r"\b(?P<phi>[A-Z]{2,6})\b(?=[ \t]+(?:[a-z]+[ \t]+){0,2}(?:clinic|hospital|ED|ER|ICU|lab|laboratory|campus"
    r"|pharmacy|outpatient|inpatient|rehab|cancer\s+center|medical\s+center|health\s+center)\b)"
)


# a hospital's initials, as its staff write it anywhere ("drive pt to GVUH", "LMH ED", "labs from BIDMC"):
# capitals ending in H or MC that no word list knows and that are not a clinical abbreviation so formed
_HOSPITAL_ACRONYM = r"(?<![\w/-])(?P<phi>[A-Z]{2,5}(?:H|MC))(?![\w/-])"
_NOT_HOSPITALS = frozenset(
    """
    lvh rvh bph tsh acth etoh pth nph ich ivh sah sdh edh fsh adh siadh hoh osh pph pih iih pah cah mch lh gh hgh
    fh sh pmh psh hh doh bmh ish oh dh nh
    """.split()
)
# a word of four letters or more closing a sentence: an organization's name does not run across it
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{4,}\.[ \t]")


class HealthcareOrganizationRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        if pattern.name == "hospital_acronym":
            value = text[start:end]
            return value.lower() not in _NOT_HOSPITALS and unknown_word(value)
        if pattern.name == "en_named":
            return not _SENTENCE_BREAK.search(text, start, end)  # "C3D1 FOLFOX. Labs"
        return pattern.name != "acronym_before_care" or unknown_word(text[start:end])

    def patterns(self, lang: str) -> list[GroupPattern]:
        if lang == "es":  # Spanish puts the head first ("Hospital Universitario …"): the English forms misfire
            return [
                compile_pattern(
                    "es_named",
                    rf"(?P<phi>(?:{_ES_HEADS})\s+(?:(?:de|del|de\s+la|de\s+los)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ.'-]*"
                    rf"(?:\s+(?:(?:de|del|de\s+la|y)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ.'-]*){{0,4}})",
                    "ORGANIZATION",
                    0.86,
                    re.UNICODE,
                )
            ]
        return [
            compile_pattern(
                "en_named",
                rf"(?P<phi>(?:St\.?{_SP}|Saint{_SP}|(?i:{_PARTICLES}){_SP}(?:der{_SP}|den{_SP})?)?{_NAME}"
                rf"(?:{_SP}{_WORD}){{0,4}}{_SP}(?:{_EN_HEADS}))\b",
                "ORGANIZATION",
                0.86,
                line_gate=_EN_GATE,
            ),
            compile_pattern("acronym_before_care", _ACRONYM_BEFORE_CARE, "ORGANIZATION", 0.7, engine="regex"),
            compile_pattern("hospital_acronym", _HOSPITAL_ACRONYM, "ORGANIZATION", 0.6, engine="regex"),
            compile_pattern(
                "en_of",
                rf"(?P<phi>(?:{_EN_HEADS}){_SP}(?:of|at){_SP}{_NAME}(?:{_SP}{_NAME}){{0,3}})",
                "ORGANIZATION",
                0.86,
                line_gate=_EN_GATE,
            ),
        ]
