"""Dates without a year and without a cue ("7/23 AT", "dialysis 8/23", "3/16-> CABG", "3/16-18"): Safe
Harbor removes every element of a date except the year, wherever it stands.

A month/day pair is a date unless what stands around it says it is a clinical number: a fraction before
a unit or dose ("1/2 tab", "1 1/2"), muscle strength ("5/5", "4/5 LLE"), a murmur grade ("2/6 SEM"), a
pain or other score out of ten ("pain 6/10"), a vital sign or lab range ("RR 12-20", "FS 180-220"), a
numeric range before a unit ("2-3L", "30-60cc"), "2/2" for "secondary to", APGAR pairs. With a date cue
before it ("on 7-8", "since 3/4") the guards do not apply. A dash form ("8-10") is a range where a word
other than a function word follows it ("2-3 glasses"), as a quantity's noun does and a date's clause
does not ("fall at home 1-9, lives …", "d/c 4-8 if stable").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from etl.deid.recognizers.base import ScanRecognizer

_PAIR = re.compile(  # and a range after it: "3/16-18", "3/16-3/18"
    r"(?<![\w/.:+-])(?P<m>\d{1,2})(?P<sep>[/-])(?P<d>\d{1,2})(?:-(?:\d{1,2}/)?\d{1,2}(?![\d/]))?"
    r"(?![\w/+%]|[.,]\d)"
)
_CUE = re.compile(
    r"\b(?:on|since|from|until|till|through|thru|dated|seen|admitted|admit|adm|discharged|d/c'?d|dc'?d|as\s+of|by"
    r"|before|after|of|last|next|this|due|scheduled|sched|appt|appointment|visit|f/u|follow\s*up|surgery|or|s/p"
    r"|dos|dob|date|day|started|stopped|began|onset|x-?ray|cxr|ct|mri|echo|ekg|ecg|cath|dialysis|hd|labs?|bm"
    r"|note|call(?:ed)?|transferred|returned|placed|removed|changed|inserted|done|drawn|sent|given|held|week\s+of"
    r"|wk\s+of|beginning|end|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?)\s*[:,]?\s*$",
    re.IGNORECASE,
)
# an event before its date, with up to two words between ("s/p CABG 10-8", "admitted to MICU 3/4")
_EVENT_CUE = re.compile(
    r"\b(?:s/p|admitted|admit|discharged|d/c'?d|dc'?d|seen|surgery|dialysis|transferred|appt|scheduled|planned"
    r"|due|started|stopped|placed|removed|changed|done|drawn|extubated|intubated)(?:[ \t]+[^\W\d_][\w/-]*){1,2}"
    r"[ \t]*[:,]?[ \t]*$",
    re.IGNORECASE,
)
UNIT_AFTER = re.compile(
    r"[ \t]*(?:tabs?|tablets?|caps?|capsules?|pills?|puffs?|drops?|gtts?|units?|u\b|mg|mcg|g\b|gm|ml|mls|cc|l\b|lpm"
    r"|liters?"
    r"|%|in\b|inch|inches|cm|mm|hrs?|hours?|h\b|min|mins|minutes|days?|wks?|weeks?|months?|mos?|yrs?|years?|x\b"
    r"|times|strength|str\b|murmur|sem|hsm|systolic|diastolic|beats?|breaths?|bpm|ns\b|nss\b|strength|grade|scale"
    r"|of\s+\d|out\s+of|score|ratio|sized?|amp|vials?|bags?|bottles?|cans?|servings?|portions?|plts?|s\b|ish\b)",
    re.IGNORECASE,
)
_MEASURE_BEFORE = re.compile(
    r"\b(?:grade|gr|pain|painscale|scale|score|rated?|rates|level|relief|strength|str|motor|power|reflexes|dtrs?"
    r"|murmur|sem|apgars?|bp|sbp|dbp|map|hr|rr|fs|fsbs|bs|bg|glucose|temp|t|tmax|sats?|spo2|o2|peep|fio2|tv|vt"
    r"|ps|psv|cvp|pap|ci|uo|i/o|ins|outs|k|na|mg|ca|wbc|hct|hgb|plt|inr|ptt|cr|bun|ratio|x|times|about|approx"
    r"|approximately|~|range|between|vision|acuity|gcs|rass|cpot|flacc|braden|morse|ciwa|cows|nihss|ph|abg"
    r"|bipap|cpap|ipap|epap|vent|ventilator|ac|simv|prvc|settings|mmse|moca|slums|phq|phq-9|gad|gad-7|bdi|madrs"
    r"|ham-d|audit|cage|mini-cog|frs)\b"
    r"[\s:=]*(?:\w+[\s:=]*){0,2}$",
    re.IGNORECASE,
)
_PAIN_SENTENCE = re.compile(r"\b(?:pain|relief|rated?|scale|score|/10)\b", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\d[ \t]*$")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")


def _is_date(text: str, pair: re.Match[str]) -> bool:
    start, end = pair.start(), pair.end()
    m, d, sep = int(pair.group("m")), int(pair.group("d")), pair.group("sep")
    before, after = text[max(0, start - 40) : start], text[end : end + 25]
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return False
    if _CUE.search(before) or _EVENT_CUE.search(before):
        return not UNIT_AFTER.match(text, end)
    if UNIT_AFTER.match(text, end) or _MEASURE_BEFORE.search(before) or _NUMBER_BEFORE.search(before):
        return False
    if pair.group("m").startswith("0") or pair.group("d").startswith("0"):
        return True  # "05/05": scores and fractions are never written with a leading zero
    if sep == "-":  # a range quantifies the word after it ("2-3 glasses"); a date is followed by punctuation
        following = _WORD_AFTER.match(text, end)
        return following is None or following.group(1).lower() in STOP_WORDS
    if (d == 5 and m <= 5) or (m == d == 2 and re.match(r"^\s+[a-z]", after, re.IGNORECASE)):
        return False  # strength "4/5"; "2/2 chf" (secondary to)
    if d == 6 and m <= 6 and re.search(r"murmur|sem|hsm|systolic|diastolic", text[max(0, start - 30) : end + 30], re.I):
        return False
    if d == 10:  # a score out of ten where the sentence speaks of pain or scales
        sentence = text[max(0, start - 80) : start].rsplit(".", 1)[-1]
        return not _PAIN_SENTENCE.search(sentence)
    return not (d in (2, 3, 4) and m < d)  # a proper fraction ("1/2", "3/4")


class PartialDateRecognizer(ScanRecognizer):
    LANGS = ("en",)
    ENTITIES = ("DATE",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in _PAIR.finditer(text):
            if _is_date(text, match):
                results.append(self.result("DATE", match.start(), match.end(), 0.6))
        return results
