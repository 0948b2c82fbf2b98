"""Vetoes for the statistical model's guesses that are clinical language, not identifiers.

Only spaCy's spans are filtered: a pattern with a cue ("Dr. Parkinson") or the patient's own record
still redacts the same words.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from etl.deid.casing import case_at, opens_sentence
from etl.deid.lexicon import is_known, person_names, place_names, safe_words
from etl.deid.recognizers.vocab import (
    CLINICAL_ABBREVIATIONS,
    CUE_WORDS,
    DOSAGE_FORMS,
    DOSE,
    DRUG_SUFFIXES,
    NOT_NAMES,
    PAYERS,
    SALTS,
    VACCINES,
)
from etl.headings import HEADING_PHRASES

MODEL_RECOGNIZER = "SpacyRecognizer"
_EPONYM_HEADS = (
    r"disease|syndrome|sign|test|maneuver|manoeuvre|thyroiditis|cyst|fracture|palsy|phenomenon|reflex|nodes?"
    r"|triad|score|scale|criteria|classification|procedure|operation|law|lymphoma|sarcoma|tumou?r|ulcer"
    r"|esophagus|oesophagus|contracture|neuroma|neuralgia|anomaly|disorder|encephalopathy|dementia|agent"
    r"|catheter|tube|forceps|retractor|protocol|technique|position|incision|repair|block|index|rule|method"
)
_EPONYM_AFTER = re.compile(rf"^(?:['’]s?)?[ \t-]+(?:{_EPONYM_HEADS})\b", re.IGNORECASE)
_EPONYM_INSIDE = re.compile(rf"(?:['’]s?)?[ \t-]+(?:{_EPONYM_HEADS})(?:[ \t]+\d+(?:[.,/]\d+)?)?$", re.IGNORECASE)
_EPONYM_BEFORE = re.compile(
    r"\b(?:enfermedad|s[íi]ndrome|signo|maniobra|prueba|test|quiste|fractura|par[áa]lisis|tiroiditis|escala"
    r"|criterios|clasificaci[óo]n|ley|linfoma|sarcoma|tumor|[úu]lcera|n[óo]dulos?|reflejo|sonda|cat[ée]ter)"
    r"\s+(?:de\s+)?$",
    re.IGNORECASE,
)
_FRACTION = re.compile(r"\d\s*/\s*\d")
_MEASUREMENT = re.compile(r"^[A-Za-z]{1,5}\s*[:=]?\s*\d+(?:[.,]\d+)?\s*(?:%|[A-Za-z]{1,4})?$")  # "K 4.1", "T 37 C"
_VALUE_AFTER = re.compile(r"^\s*[:=]?\s*\d")  # "Hgb 10.9": a short token followed by its value
_DOSE_AFTER = re.compile(rf"^{SALTS}\)?(?:\s*\([^)]{{1,30}}\))?\s*{DOSE}", re.IGNORECASE)  # "apixaban (Eliquis) 5 mg"
_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")


_KNOWN_WORDS = CLINICAL_ABBREVIATIONS | DOSAGE_FORMS | VACCINES | PAYERS | NOT_NAMES


def _clinical_words(value: str) -> bool:
    """Every word is a clinical abbreviation, a dosage form, a vaccine, a payer or a non-name word."""
    words = [w.lower() for w in _WORD.findall(value)]
    return bool(words) and all(w in _KNOWN_WORDS for w in words)


def is_eponym(after: str) -> bool:
    """The text after a word makes it an eponym: "'s disease", " sign", "-Barre syndrome"."""
    return bool(_EPONYM_AFTER.match(after))


def is_eponym_before(text: str, start: int) -> bool:
    """A Spanish eponym: the head word stands before the name ("enfermedad de Crohn", "signo de Murphy")."""
    return bool(_EPONYM_BEFORE.search(text[max(0, start - 30) : start]))


def is_drug(value: str, after: str) -> bool:
    """A drug: followed by a dose ("Zyvox 600 mg"), or one word with an INN stem ("rivaroxaban")."""
    word = value.lower()
    return bool(_DOSE_AFTER.match(after)) or (" " not in word and word.endswith(DRUG_SUFFIXES) and len(word) > 5)


def _name_evidence(text: str, word: re.Match[str], mixed: bool, safe: frozenset[str]) -> bool:
    """The word could be a name: unknown to the safe list, or a known name or place written capitalized on
    a mixed-case line ("Brown" there; "BROWN STOOL", "foley draining", "Daughter", "500x14" are not)."""
    bare = re.sub(r"['’]s?$", "", word.group())
    lowered = bare.lower()
    if any(c.isdigit() for c in bare) or lowered in STOP_WORDS or lowered in CUE_WORDS:
        return False
    if mixed and not bare[:1].isupper():
        return False  # names are capitalized where case means something ("chondromalacia" is not one)
    if not is_known(bare, safe):
        return True
    # a known name capitalized mid-sentence ("Brown" there, not "Grade" opening a sentence)
    opening = opens_sentence(text, word.start())
    return (
        mixed and not opening and bare[:1].isupper() and (lowered in person_names("en") or lowered in place_names("en"))
    )


def trim_model_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An English model span without the words at its edges that cannot be a name ("Daughter Hope
    Ellison" -> "Hope Ellison", "Dr. Smith" -> "Smith"); None when no word of it can be one."""
    safe = safe_words("en")
    mixed = case_at(text, start) == "mixed"
    words = list(_WORD.finditer(text, start, end))
    evidence = [_name_evidence(text, w, mixed, safe) for w in words]
    if not any(evidence):
        return None
    first = evidence.index(True)
    last = len(evidence) - 1 - evidence[::-1].index(True)
    kept_start = start if first == 0 and not text[start : words[0].start()].strip() else words[first].start()
    return kept_start, words[last].end() if last < len(words) - 1 else end


def is_false_model_hit(text: str, start: int, end: int, label: str, recognizer: str, lang: str = "en") -> bool:
    """True when a spaCy span is clinical language: abbreviations, values, eponyms, drugs, headings, or (in
    English) words none of which could be a name."""
    if recognizer != MODEL_RECOGNIZER:
        return False
    value, after = text[start:end], text[end : end + 40]
    if lang == "en" and trim_model_span(text, start, end) is None:
        return True
    if (len(value) <= 4 and value.isupper()) or _clinical_words(value):  # "MD", "HPI", "mL. BP", "Patient"
        return True
    if _FRACTION.search(value) or _MEASUREMENT.match(value):  # "Grade 2/6", "K 4.1": values, not names
        return True
    if value.isupper() and len(value) <= 6 and " " not in value and _VALUE_AFTER.match(after):  # "NIHSS 14"
        return True
    if (
        _EPONYM_AFTER.match(after)
        or _EPONYM_INSIDE.search(value)
        or _EPONYM_BEFORE.search(text[max(0, start - 30) : start])
    ):
        return True  # "Kaposi sarcoma", "Wells score", "enfermedad de Parkinson"
    if is_drug(value, after):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].lstrip().startswith("#"):  # a markdown section heading ("# Social History")
        return True
    at_line_start = not text[line_start:start].strip()
    return at_line_start and text[end : end + 1] == ":" and value.lower() in HEADING_PHRASES  # "Plan:"
