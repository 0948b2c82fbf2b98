"""Cities and ZIP codes in address context ("Boston, MA 02115", "28013 Madrid", "lives in Lincoln")."""

from __future__ import annotations

import re

from etl.deid.casing import case_blind
from etl.deid.lexicon import place_names, unknown_word
from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern
from etl.deid.recognizers.vocab import US_STATE_ABBR, US_STATES

_I = re.IGNORECASE
_LIVES_CUES = by_first_char(  # regrouped by first letter: the same matches, found faster
    "lives|living|resides|residing|resident|moved|relocated|born|vive|reside|residente|natural|nacido|nacida",
    ignore_case=True,
)
_CITY = r"[A-Z][a-zA-Z.'-]+(?:\s[A-Z][a-zA-Z.'-]+){0,2}"
# coming from a town: "BIBA from Pueblo", "drives in from golden", "transferred from Revere"
_TRAVEL_CUES = by_first_char(
    "drives|drove|drive|came|comes|coming|transferred|transported|brought|arrived|biba|bibems|traveled|travelled"
    "|commutes|commuted|visiting",
    ignore_case=True,
)
# where someone lives or comes from, never a town: care settings, rooms, possessives
_NOT_TOWNS = frozenset(
    """
    home work school the a an his her their our my its outside osh er ed or icu pacu nicu floor unit ward
    nursing rehab snf ltac hospital clinic shelter jail prison street church car house apartment facility
    assisted group bed chair bathroom office there here abroad overseas town state country area
    """.split()
)
_ONE_WORD = r"[^\W\d_][\w'-]+"
_ZIP = r"\d{5}(?:-\d{4})?"
_ES_CITY = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+(?:de\s+(?:la\s+|los\s+)?)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){0,3}"


class LocationRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        """A word after a travel or residence cue is a town when it can be one: capitalized where case means
        something, and on a line of one case a known town or a word no list knows; never a care setting."""
        if pattern.name not in ("travel_from", "lives_in_any_case"):
            return True
        word = text[start:end]
        if word.lower() in _NOT_TOWNS:
            return False
        if not case_blind(text, start):
            return pattern.name == "travel_from" and word[:1].isupper()
        return word.lower() in place_names("en") or unknown_word(word)

    def patterns(self, lang: str) -> list[GroupPattern]:
        state = rf"(?:{US_STATES}|{US_STATE_ABBR})"
        patterns = [
            compile_pattern(  # the city, and the ZIP code as a pattern of its own, from one scan
                "city_state_zip_city",
                rf"\b(?P<phi>{_CITY}),\s*{state}\.?,?\s+(?P<zip>{_ZIP})\b",
                "LOCATION",
                0.85,
                also=(("zip", "city_state_zip_zip", "ZIP", 0.9),),
            ),
            compile_pattern(
                "state_zip", rf"\b(?-i:{US_STATE_ABBR})\.?,?\s+(?P<phi>{_ZIP})\b", "ZIP", 0.8, engine="regex"
            ),
            # a ZIP code after the town it belongs to, closing the clause: "lives in Erie, 96006."
            compile_pattern(
                "place_zip",
                r"(?<![\w'-])[^\W\d_][\w'.-]*(?:[ \t]+[^\W\d_][\w'.-]*){0,2},[ \t]*(?P<phi>\d{5}(?:-\d{4})?)"
                r"(?=[ \t]*(?:[.;)\n]|$))",
                "ZIP",
                0.6,
            ),
            compile_pattern(
                "zip_cued",
                r"\b(?:zip(?:\s*code)?|postal\s+code|postcode|c[óo]digo\s+postal|C\.?P\.?)\s*[:#]?\s*(?:is\s+)?"
                r"(?P<phi>\d{3,6}(?:[- ]\d{3,4})?)\b",
                "ZIP",
                0.9,
                _I,
                engine="regex",
            ),
            compile_pattern(
                "lives_in",
                rf"\b(?i:{_LIVES_CUES})"
                rf"\s+(?i:in|at|to|of|en|de)\s+(?P<phi>{_CITY})",
                "LOCATION",
                0.7,
                engine="regex",
            ),
        ]
        if lang == "en":
            patterns += [
                compile_pattern(
                    "travel_from",
                    rf"\b(?i:{_TRAVEL_CUES})\s+(?:(?i:in|over|up|down)\s+)?(?i:from)\s+(?P<phi>{_ONE_WORD})",
                    "LOCATION",
                    0.6,
                ),
                # "pt lives in pueblo": on a line written all in one case, where lives_in's capital cannot help
                compile_pattern(
                    "lives_in_any_case",
                    rf"\b(?i:{_LIVES_CUES})\s+(?i:in|at|to|of)\s+(?P<phi>{_ONE_WORD})",
                    "LOCATION",
                    0.6,
                    engine="regex",
                ),
            ]
        if lang == "es":
            patterns.append(
                compile_pattern(
                    "cp_city_zip", rf"(?<!\d)(?P<phi>[0-5]\d{{4}})\s+{_ES_CITY}", "ZIP", 0.85, engine="regex"
                )
            )
            patterns.append(
                compile_pattern(
                    "cp_city_city", rf"(?<!\d)[0-5]\d{{4}}\s+(?P<phi>{_ES_CITY})", "LOCATION", 0.8, engine="regex"
                )
            )
        return patterns
