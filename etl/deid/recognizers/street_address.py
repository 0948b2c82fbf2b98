"""Street addresses and PO boxes (English: number + words + USPS suffix; Spanish: "C/ Mayor 5, 3º")."""

from __future__ import annotations

import re

from etl.deid.casing import case_blind
from etl.deid.lexicon import unknown_word
from etl.deid.recognizers.base import CaseBlind, GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern
from etl.deid.recognizers.vocab import STREET_SUFFIXES

_I = re.IGNORECASE
_WORD = r"[A-Z][A-Za-z'.-]*"
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Floor|Fl|Room|Rm|Lot|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
_EN = (
    rf"(?<![\w-])(?P<phi>\d{{1,6}}[A-Za-z]?\s+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
    rf"(?:{_WORD}\s+){{0,3}}(?:{STREET_SUFFIXES})\b\.?{_UNIT})"
)
# "Puruntie 82", "Præstevænget 15" after an address cue; "5366 Pivovarská 276," before a unit or separator
_INTL_NAME = r"[A-ZÀ-ÖØ-Þ][\w'.-]*(?:[ \t]+[\w'.-]+){0,3}?"
_ADDRESS_CUES_EN = r"address|addr\.?|lives\s+at|living\s+at|located\s+at|resides\s+at|sent\s+to|ship\s+to|mail\s+to"
# regrouped by first letter: the same matches, found faster (see by_first_char)
_ADDRESS_CUES = by_first_char(_ADDRESS_CUES_EN, ignore_case=True)
_ADDRESS_CUES_ALL = by_first_char(_ADDRESS_CUES_EN + r"|domicilio|direcci[óo]n|vive\s+en|reside\s+en", ignore_case=True)
_CUE_ANCHOR = CaseBlind(rf"(?=(?:{_ADDRESS_CUES_ALL}))")  # where the two cued forms can start
_CUED = (
    rf"(?i:{_ADDRESS_CUES_ALL})\s*[:\-]?\s*(?:(?i:is)\s+)?"
    rf"(?P<phi>(?:\d{{1,6}}[A-Za-z]?[ \t]+)?{_INTL_NAME}[ \t]+\d{{1,5}}[A-Za-z]?\b{_UNIT})"
)
# after a number, a unit or a count says it is a dose or a measure, not a house number ("12 MG. OXALIPLATIN 2H")
_NOT_STREET_AFTER_NUMBER = (
    r"(?!(?i:mg|mcg|ml|g|kg|lb|lbs|units?|iu|meq|mmol|cm|mm|min|mins|hrs?|h|x|days?|wks?|weeks?|months?|yrs?"
    r"|years?|tabs?|caps?|puffs?|drops?|times|doses?)\b)"
)
_NUMBER_NAME_NUMBER = (
    rf"(?<![\w.-])(?P<phi>\d{{1,6}}[ \t]+{_NOT_STREET_AFTER_NUMBER}{_INTL_NAME}[ \t]+\d{{1,5}}[A-Za-z]?\b{_UNIT})"
    r"(?=[ \t]*(?:,|\n|\||Apt|Suite|Unit))"
)
# "lives at 5978 Hornichallee, …": after a cue, a house number and capitalized words up to the separator
_CUED_NUMBER_FIRST = (
    rf"(?i:{_ADDRESS_CUES})"
    rf"\s*[:\-]?\s*(?P<phi>\d{{1,6}}[A-Za-z]?[ \t]+[A-ZÀ-ÖØ-Þ][\w'.-]*(?:[ \t]+[\w'.-]+){{0,5}}?{_UNIT})"
    r"(?=[ \t]*(?:,|\n|;|\.\s))"
)
# "5978 Hornichallee Apt #09B": number + capitalized words right before a unit designator
_BEFORE_UNIT = (
    r"(?<![\w.-])(?P<phi>\d{1,6}[A-Za-z]?[ \t]+[A-ZÀ-ÖØ-Þ][\w'.-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'.-]*){0,3}"
    r"[ \t]*,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?[ \t]*#?[ \t]*[A-Za-z0-9-]+)"
)
# US postal form, whatever the street's words: "6051 Pasaje Guinea, San Ana los altos, NY 71809"; the
# number and words before ", <place>, <state> <ZIP>" are the street (the block extension takes the rest)
_US_STATE_ZIP = r"[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b"
_BEFORE_PLACE_STATE_ZIP = (
    r"(?<![\w.-])(?P<phi>\d{1,6}[A-Za-z]?[ \t]+[^\W\d_][\w'.-]*(?:[ \t]+[\w'.-]+){0,5}?"
    r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Floor|Fl|Room|Rm|Lot|#)\.?[ \t]*#?[ \t]*[A-Za-z0-9-]+)?)"
    rf"(?=,[ \t]*[^\W\d_][^\W\d_' .-]*(?:[ \t'.-]+[^\W\d_]+){{0,5}},[ \t]*{_US_STATE_ZIP})"
)
# where the forms that open with a house number can start (a number, then a word): one scan for the four
_NUMBER_ANCHOR = r"(?<![\w-])(?=\d{1,6}[A-Za-z]?\s+[^\W\d_])"
_ES_WORD = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü'.-]*"
_ES_LINK = r"(?:[ \t]+(?:de|del|de[ \t]+la|de[ \t]+los|de[ \t]+las|y)[ \t]+|[ \t]+)"
_ES = (
    r"(?P<phi>(?:C/|Calle|Avda\.?|Avenida|Av\.|Plaza|Pza\.?|Pl\.|Paseo|P[ºo]\.?|Camino|Carretera|Ctra\.?"
    r"|Ronda|Traves[ií]a|Glorieta|Urbanizaci[óo]n|Urb\.|Barrio|Bº|Pol[ií]gono|Rambla|Callej[óo]n|Cuesta)"
    rf"\s*(?:de(?:l|\s+la|\s+los|\s+las)?\s+)?{_ES_WORD}(?:{_ES_LINK}{_ES_WORD}){{0,4}}"
    r"(?:,?\s*(?:n[ºo°]\.?\s*)?\d{1,4}[A-Za-z]?)?(?:,?\s*(?:\d{1,2}\s*[ºª°]|bajo|entlo)\s*[A-Za-z]?)?"
    r"(?:,?\s*(?:puerta|pta\.?|esc\.?|escalera)\s*\w+)?)"
)


# forms whose street words are any words: on a case-blind line they need one the safe list lacks
_ANY_WORDS = ("number_name_number", "cued_number_first", "before_unit")


# a street on a line written all in capitals or all in lower case: a house number, one to three words, a
# street type ("8 calvin lower", "19918 MEGAN MANORS"); checked by validate to be on such a line
_CASE_BLIND_STREET = (
    rf"(?<![\w.-])(?P<phi>\d{{1,6}}[ \t]+(?:[^\W\d_][\w'.-]*[ \t]+){{0,3}}(?i:{STREET_SUFFIXES})\b\.?{_UNIT})"
    r"(?![ \t]*(?:mg|ml|mcg|units?)\b)"
)


class StreetAddressRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        if pattern.name == "case_blind_street":
            return case_blind(text, start) and any(
                unknown_word(w) for w in re.findall(r"[^\W\d_]{2,}", text[start:end])
            )
        if self.supported_language != "en" or pattern.name not in _ANY_WORDS or not case_blind(text, start):
            return True
        return any(unknown_word(word) for word in re.findall(r"[^\W\d_]{2,}", text[start:end]))

    def patterns(self, lang: str) -> list[GroupPattern]:
        patterns = [
            compile_pattern("street", _EN, "STREET_ADDRESS", 0.85, anchor=_NUMBER_ANCHOR, engine="regex"),
            compile_pattern("cued", _CUED, "STREET_ADDRESS", 0.8, anchor=_CUE_ANCHOR),
            compile_pattern(
                "number_name_number", _NUMBER_NAME_NUMBER, "STREET_ADDRESS", 0.75, anchor=_NUMBER_ANCHOR, engine="regex"
            ),
            compile_pattern("cued_number_first", _CUED_NUMBER_FIRST, "STREET_ADDRESS", 0.8, anchor=_CUE_ANCHOR),
            compile_pattern("before_unit", _BEFORE_UNIT, "STREET_ADDRESS", 0.8, anchor=_NUMBER_ANCHOR, engine="regex"),
            compile_pattern(
                "before_place_state_zip", _BEFORE_PLACE_STATE_ZIP, "STREET_ADDRESS", 0.85, anchor=_NUMBER_ANCHOR
            ),
            compile_pattern("case_blind_street", _CASE_BLIND_STREET, "STREET_ADDRESS", 0.75, anchor=_NUMBER_ANCHOR),
            compile_pattern(
                "po_box",
                r"\b(?P<phi>P\.?\s?O\.?\s+Box\s+\d+|Apartado(?:\s+de\s+Correos)?\s+\d+)",
                "STREET_ADDRESS",
                0.9,
                _I,
                engine="regex",
            ),
        ]
        if lang == "es":
            patterns.append(compile_pattern("calle", _ES, "STREET_ADDRESS", 0.85))
        return patterns
