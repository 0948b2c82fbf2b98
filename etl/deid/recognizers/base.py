"""A regex recognizer that reports only the named group `phi` of each match, not the cue around it.

Presidio's PatternRecognizer scores the whole match, so "MRN: 12345678" would redact the cue too and
lose the label's position. Our patterns keep the cue (what makes the match trustworthy) outside `phi`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


@dataclass(frozen=True)
class GroupPattern:
    name: str
    regex: re.Pattern[str] | regex.Pattern[str]
    label: str
    score: float


_QUANTIFIERS = frozenset("?*+{")


def _branches(alternation: str) -> list[str] | None:
    """The top-level branches of `alternation`, or None where a character class holds a bracket."""
    branches, current, depth, i = [], "", 0, 0
    while i < len(alternation):
        char = alternation[i]
        if char == "\\":
            current += alternation[i : i + 2]
            i += 2
            continue
        if char == "[":
            end = alternation.find("]", i + 1)
            if end < 0 or any(c in alternation[i + 1 : end] for c in "()[|"):
                return None
            current += alternation[i : end + 1]
            i = end + 1
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            branches.append(current)
            current = ""
        else:
            current += char
        i += 1
    return [*branches, current]


def by_first_char(alternation: str, ignore_case: bool = False) -> str:
    """`a|b|…` regrouped by first character, `w(?:ife|…)|h(?:usband|…)|…`, matching exactly the same: two
    branches that start with different characters (different letters, when `ignore_case`, as the pattern
    that uses the result must then be) never match at the same place, and within a group the branches
    keep their order (the first that matches wins, as before). Python's regex engine then tests one
    character per group instead of every branch: 2–3× faster on cue lists of fifty words. Returns
    `alternation` unchanged unless every branch starts with an ASCII letter or digit not followed by a
    quantifier."""
    branches = _branches(alternation)
    if not branches or any(not (b[:1].isascii() and b[:1].isalnum()) or b[1:2] in _QUANTIFIERS for b in branches):
        return alternation
    groups: dict[str, list[str]] = {}
    for branch in branches:
        groups.setdefault(branch[0].lower() if ignore_case else branch[0], []).append(branch[1:])
    return "|".join(
        f"{first}(?:{'|'.join(rests)})" if len(rests) > 1 else first + rests[0] for first, rests in groups.items()
    )


def compile_pattern(name: str, pattern: str, label: str, score: float, flags: int = 0) -> GroupPattern:
    return GroupPattern(name, re.compile(pattern, flags), label, score)


# The patterns the `regex` module (Presidio's engine) runs faster than Python's `re`, by language. `re`
# cannot skip ahead to a pattern's first character when the pattern opens with an assertion (\b, a
# look-behind) and tries it at every position; `regex` skips (2-10x faster on dates, phones, SSNs, ages),
# but is slower on patterns that open with a long case-insensitive word list. Both find the same matches
# (checked, with the times, by scripts/regex_engines.py, which prints this set).
REGEX_ENGINE = frozenset(
    {
        "en:AgeOver89Recognizer:aged",
        "en:AgeOver89Recognizer:nonagenarian",
        "en:AgeOver89Recognizer:year_old",
        "en:AgeOver89Recognizer:yo",
        "en:ClinicalDateRecognizer:dotted",
        "en:ClinicalDateRecognizer:iso",
        "en:ClinicalDateRecognizer:mdy",
        "en:ClinicalDateRecognizer:month_day",
        "en:ClinicalDateRecognizer:month_year",
        "en:ClinicalDateRecognizer:month_year_numeric",
        "en:ClinicalDateRecognizer:partial_cued",
        "en:ClinicalDateRecognizer:weekday",
        "en:ClinicalPhoneRecognizer:grouped",
        "en:ClinicalPhoneRecognizer:nanp",
        "en:CuedNameRecognizer:closing",
        "en:CuedNameRecognizer:title",
        "en:LabeledIdRecognizer:mrn",
        "en:LocationRecognizer:lives_in",
        "en:LocationRecognizer:state_zip",
        "en:LocationRecognizer:zip_cued",
        "en:LongNumberRecognizer:alnum",
        "en:LongNumberRecognizer:digits",
        "en:SsnRecognizer:cued",
        "en:SsnRecognizer:dashed",
        "en:StreetAddressRecognizer:before_unit",
        "en:StreetAddressRecognizer:number_name_number",
        "en:StreetAddressRecognizer:po_box",
        "en:StreetAddressRecognizer:street",
        "es:AgeOver89Recognizer:anos",
        "es:AgeOver89Recognizer:edad",
        "es:ClinicalDateRecognizer:dia",
        "es:ClinicalDateRecognizer:dotted",
        "es:ClinicalDateRecognizer:iso",
        "es:ClinicalDateRecognizer:m_de_y",
        "es:ClinicalDateRecognizer:mes_de",
        "es:ClinicalDateRecognizer:month_day",
        "es:ClinicalDateRecognizer:month_year",
        "es:ClinicalDateRecognizer:month_year_numeric",
        "es:ClinicalDateRecognizer:partial_cued",
        "es:ClinicalDateRecognizer:weekday",
        "es:ClinicalPhoneRecognizer:es",
        "es:ClinicalPhoneRecognizer:grouped",
        "es:ClinicalPhoneRecognizer:nanp",
        "es:CuedNameRecognizer:closing",
        "es:CuedNameRecognizer:title",
        "es:LocationRecognizer:cp_city_city",
        "es:LocationRecognizer:cp_city_zip",
        "es:LocationRecognizer:lives_in",
        "es:LocationRecognizer:state_zip",
        "es:LocationRecognizer:zip_cued",
        "es:LongNumberRecognizer:alnum",
        "es:LongNumberRecognizer:digits",
        "es:SsnRecognizer:cued",
        "es:SsnRecognizer:dashed",
        "es:StreetAddressRecognizer:before_unit",
        "es:StreetAddressRecognizer:number_name_number",
        "es:StreetAddressRecognizer:street",
    }
)


def _engine(pattern: GroupPattern, key: str) -> GroupPattern:
    if key not in REGEX_ENGINE:
        return pattern
    return replace(pattern, regex=regex.compile(pattern.regex.pattern, pattern.regex.flags | regex.V0))


class GroupRegexRecognizer(LocalRecognizer):
    """Subclasses set LANGS and implement `patterns(lang)`; `validate(text, start, end, pattern)` may veto."""

    LANGS: tuple[str, ...] = ("en", "es")

    def __init__(self, lang: str) -> None:
        self._patterns = [_engine(p, f"{lang}:{type(self).__name__}:{p.name}") for p in self.patterns(lang)]
        labels = sorted({p.label for p in self._patterns})
        super().__init__(supported_entities=labels, name=type(self).__name__, supported_language=lang)

    def patterns(self, lang: str) -> list[GroupPattern]:
        raise NotImplementedError

    def load(self) -> None:  # nothing to load: patterns are compiled in __init__
        pass

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return True

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for pattern in self._patterns:
            if entities and pattern.label not in entities:
                continue
            for match in pattern.regex.finditer(text):
                start, end = match.span("phi") if "phi" in pattern.regex.groupindex else match.span()
                if start == end or start < 0 or not self.validate(text, start, end, pattern):
                    continue
                results.append(
                    RecognizerResult(
                        pattern.label,
                        start,
                        end,
                        pattern.score,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: f"{type(self).__name__}:{pattern.name}",
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results
