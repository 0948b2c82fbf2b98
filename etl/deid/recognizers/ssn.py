"""US Social Security numbers.

Presidio's validator rejects known-invalid test numbers; clinical test data uses valid-format fakes such
as Synthea's 999-xx-xxxx, so we accept every 3-2-4 number except the impossible 000/666 area, 00 group
and 0000 serial, and treat an unlabelled 9-digit run as an SSN only after an SSN cue.
"""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern

_I = re.IGNORECASE
_SSN = r"(?!000|666)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}"


class SsnRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("dashed", rf"(?<![\d-])(?P<phi>{_SSN})(?![\d-])", "SSN", 0.85, engine="regex"),
            compile_pattern(
                "cued",
                r"\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*"
                r"(?P<phi>\d{3}[- .]?\d{2}[- .]?\d{4})\b",
                "SSN",
                0.95,
                _I,
                engine="regex",
            ),
        ]
