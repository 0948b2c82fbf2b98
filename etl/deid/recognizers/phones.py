"""Telephone and fax numbers: North American and Spanish formats, plus any number after a phone cue."""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern

_I = re.IGNORECASE
_EXT = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
_NANP = rf"(?:\+?1[\s.-]?)?(?:\(\d{{3}}\)\s?|\d{{3}}[\s./-])\d{{3}}[\s.-]\d{{4}}{_EXT}"
_ES = r"(?:(?:\+|00)34[\s.-]?)?[6789]\d{2}(?:[\s.-]?\d{3}[\s.-]?\d{3}|[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2})"
_CUES = r"tel|tel[ée]fono|tfno|tlf|phone|ph|fax|cell|mobile|m[óo]vil|pager|beeper|contact(?:\s+number)?|call"
_FAST_CUES = by_first_char(_CUES, ignore_case=True)  # the same matches, found faster


# International layouts: "+41 (0)96 471 07 95", "0494 92 82 32", "(08) 8747 6301"; 9-15 digits in 3+ groups.
_GROUPED = (
    r"(?<![\w.,/:-])(?P<phi>(?:\+\d{1,3}[\s.-]?)?(?:\(0\)\s?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}"
    r"(?:[\s.-]\d{2,4}){1,4})(?![\w/:-]|[.,]\d)"
)


class ClinicalPhoneRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        if pattern.name != "grouped":
            return True
        return 9 <= sum(ch.isdigit() for ch in text[start:end]) <= 15

    def patterns(self, lang: str) -> list[GroupPattern]:
        patterns = [
            compile_pattern("nanp", rf"(?<![\d-])(?P<phi>{_NANP})(?![\d-])", "PHONE", 0.75, engine="regex"),
            compile_pattern(
                "cued",
                rf"\b(?:{_FAST_CUES})\b\.?\s*(?:#|:|no\.?|number)?\s*(?P<phi>\+?\(?\d(?:[\d()-]|[.\s](?=[\d(])){{6,18}}\d)",
                "PHONE",
                0.9,
                _I,
            ),
        ]
        patterns.append(compile_pattern("grouped", _GROUPED, "PHONE", 0.6, engine="regex"))
        # short numbers after their cue: pagers, beepers, extensions ("pager 12345", "p# 45678", "x40143")
        patterns.append(
            compile_pattern(
                "pager",
                r"(?:\b(?:pager|beeper|bpr|pgr|page|paged\s+at|ext|extension|p)\b\.?[ \t]*[#:]?[ \t]*|\bx[ \t]?)"
                r"(?P<phi>\d{4,6})(?![\d,/-]|\.\d)",
                "PHONE",
                0.75,
                _I,
                engine="regex",
            )
        )
        # a local number without its area code: "555-0143" (not a range before a unit: "200-1000 cc")
        patterns.append(
            compile_pattern(
                "local",
                r"(?<![\d./-])(?P<phi>[2-9]\d{2}-\d{4})(?![\d/-])(?!\s*(?:cc|ml|mg|units?|%)\b)",
                "PHONE",
                0.55,
                engine="regex",
            )
        )
        if lang == "es":
            patterns.append(compile_pattern("es", rf"(?<![\d-])(?P<phi>{_ES})(?![\d-])", "PHONE", 0.7, engine="regex"))
        return patterns
