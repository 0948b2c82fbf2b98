"""Telephone and fax numbers: North American and Spanish formats, plus any number after a phone cue."""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern

_I = re.IGNORECASE
_EXT = r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?"
_NANP = rf"(?:\+?1[\s.-]?)?(?:\(\d{{3}}\)\s?|\d{{3}}[\s.-])\d{{3}}[\s.-]\d{{4}}{_EXT}"
_ES = r"(?:(?:\+|00)34[\s.-]?)?[6789]\d{2}(?:[\s.-]?\d{3}[\s.-]?\d{3}|[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2})"
_CUES = r"tel|tel[ée]fono|tfno|tlf|phone|ph|fax|cell|mobile|m[óo]vil|pager|beeper|contact(?:\s+number)?|call"


class ClinicalPhoneRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        patterns = [
            compile_pattern("nanp", rf"(?<![\d-])(?P<phi>{_NANP})(?![\d-])", "PHONE", 0.75),
            compile_pattern(
                "cued",
                rf"\b(?:{_CUES})\b\.?\s*(?:#|:|no\.?|number)?\s*(?P<phi>\+?\d[\d\s().-]{{6,18}}\d)",
                "PHONE",
                0.9,
                _I,
            ),
        ]
        if lang == "es":
            patterns.append(compile_pattern("es", rf"(?<![\d-])(?P<phi>{_ES})(?![\d-])", "PHONE", 0.7))
        return patterns
