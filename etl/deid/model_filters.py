"""Vetoes for the statistical model's guesses that are clinical language, not identifiers.

Only spaCy's spans are filtered: a pattern with a cue ("Dr. Parkinson") or the patient's own record
still redacts the same words.
"""

from __future__ import annotations

import re

from etl.deid.recognizers.vocab import NOT_NAMES
from etl.headings import HEADING_PHRASES

MODEL_RECOGNIZER = "SpacyRecognizer"
_EPONYM_AFTER = re.compile(
    r"^(?:['’]s)?[ \t-]+(?:disease|syndrome|sign|test|maneuver|manoeuvre|thyroiditis|cyst|fracture|palsy|"
    r"phenomenon|reflex|node|nodes|triad|score|scale|criteria|classification|procedure|operation|law|"
    r"lymphoma|sarcoma|tumou?r|ulcer|esophagus|oesophagus|contracture|neuroma|neuralgia|anomaly|"
    r"disorder|encephalopathy|agent|catheter|tube|forceps|retractor)\b",
    re.IGNORECASE,
)
_EPONYM_BEFORE = re.compile(
    r"\b(?:enfermedad|s[íi]ndrome|signo|maniobra|prueba|test|quiste|fractura|par[áa]lisis|tiroiditis|escala"
    r"|criterios|clasificaci[óo]n|ley|linfoma|sarcoma|tumor|[úu]lcera|n[óo]dulos?|reflejo|sonda|cat[ée]ter)"
    r"\s+(?:de\s+)?$",
    re.IGNORECASE,
)
_FRACTION = re.compile(r"\d\s*/\s*\d")
_MEASUREMENT = re.compile(r"^[A-Za-z]{1,5}\s*[:=]?\s*\d+(?:[.,]\d+)?\s*%?$")  # "K 4.1", "EF 55%"


def is_false_model_hit(text: str, start: int, end: int, label: str, recognizer: str) -> bool:
    if recognizer != MODEL_RECOGNIZER:
        return False
    value = text[start:end]
    if len(value) <= 4 and value.isupper():  # "MD", "HPI", "CHF" tagged as people or places
        return True
    if _FRACTION.search(value) or _MEASUREMENT.match(value):  # "Grade 2/6", "K 4.1": values, not names
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].lstrip().startswith("#"):  # a markdown section heading ("# Social History")
        return True
    at_line_start = not text[line_start:start].strip()
    if at_line_start and text[end : end + 1] == ":" and value.lower() in HEADING_PHRASES:  # "Plan:"
        return True
    if all(word.lower() in NOT_NAMES for word in re.findall(r"[^\W\d_]+", value)):  # "Patient", "The"
        return True
    if label == "PERSON":
        return bool(
            _EPONYM_AFTER.match(text[end : end + 40]) or _EPONYM_BEFORE.search(text[max(0, start - 30) : start])
        )
    return False
