"""Ages over 89 (Safe Harbor groups them as 90+). Younger ages are not identifiers."""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern

_I = re.IGNORECASE
_OLD = r"(?P<phi>9\d|1[0-2]\d)"


_TEMPERATURE = re.compile(r"\b(?:t|temp|tmax|tc|tcurrent|temperature|core)\b[\s:=]*$", re.IGNORECASE)


class AgeOver89Recognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return pattern.name != "age_sex" or not _TEMPERATURE.search(text, max(0, start - 16), start)

    def patterns(self, lang: str) -> list[GroupPattern]:
        if lang == "es":
            return [
                compile_pattern(
                    "anos", rf"\b{_OLD}\s*(?:años|a\.)(?:\s+de\s+edad)?\b", "AGE", 0.85, _I, engine="regex"
                ),
                compile_pattern("edad", rf"\bedad\s*(?:de\s*)?:?\s*{_OLD}\b", "AGE", 0.85, _I, engine="regex"),
            ]
        return [
            compile_pattern(
                "year_old", rf"\b{_OLD}(?:\s*|-)(?:years?|yrs?|y)(?:\s*|-)old\b", "AGE", 0.9, _I, engine="regex"
            ),
            compile_pattern(
                "yo", rf"\b{_OLD}\s*(?:yo|y/o|y\.o\.?|yr|yrs|years?)(?![a-z])", "AGE", 0.85, _I, engine="regex"
            ),
            compile_pattern("aged", rf"\b(?:age|aged)\s*:?\s*{_OLD}\b", "AGE", 0.85, _I, engine="regex"),
            # "92F", "93 M": an age and a sex, unless a temperature ("T 92F") or a dose precedes it
            compile_pattern("age_sex", rf"(?<![\d.])\b{_OLD}[ \t]?(?:F|M|f|m)(?![\w'])", "AGE", 0.75, engine="regex"),
            compile_pattern("nonagenarian", r"\b(?P<phi>nonagenarian|centenarian)\b", "AGE", 0.8, _I, engine="regex"),
        ]
