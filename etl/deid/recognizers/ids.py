"""Medical record, account, health-plan, licence, device, vehicle and other numbers.

IDs have no universal shape, so we trust the cue ("MRN:", "Member ID", "NHC") and take the token after it.
Unlabelled long digit runs are reported with a lower score unless a clinical-code cue precedes them.
"""

from __future__ import annotations

import re

from etl.deid.recognizers.base import CaseBlind, GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern

_I = re.IGNORECASE
# an identifier token: letters/digits/dashes with at least one digit
_VALUE = r"(?P<phi>(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9][A-Za-z0-9/-]{2,24}[A-Za-z0-9])"  # "436434/875" too
_SEP = r"\s*(?:[:#=]|no\.?|number|num\.?|n[º°o]\.?)?\s*(?:is\s+|es\s+)?#?\s*"

_MRN_CUES = (
    r"MRN|MR\s*#|MR\s+No|medical\s+record(?:\s+(?:number|no|#))?|med\.?\s*rec(?:ord)?|chart(?:\s+(?:number|no|#))?"
    r"|hospital\s+(?:number|no|#)|unit\s+(?:number|no)|NHC|N\.?H\.?C\.?|historia\s+cl[ií]nica|n[úu]mero\s+de\s+historia"
)
_ID_CUES = (
    r"account|acct|member(?:\s+id)?|subscriber(?:\s+id)?|policy|group(?:\s+(?:number|no|#))|plan\s+id"
    r"|insurance(?:\s+id)?|health\s+plan|beneficiary|medicaid|medicare|MBI|HICN"
    r"|licen[cs]e|DL|driver'?s\s+licen[cs]e|passport|DEA|NPI|UPIN|certificate"
    r"|device|serial|S/N|SN|UDI|lot|implant\s+id|pacemaker\s+id"
    r"|VIN|vehicle\s+id|plate|license\s+plate|matr[ií]cula"
    r"|claim|encounter(?:\s+id)?|visit(?:\s+id)?|accession|specimen|sample\s+id|case|requisition|order"
    r"|patient\s+id|ID|identifier"
    r"|DNI|NIE|NIF|NSS|NASS|CIP|CIPA|TSI|n[úu]mero\s+de\s+(?:la\s+)?seguridad\s+social|tarjeta\s+sanitaria"
    r"|n[úu]mero\s+de\s+(?:afiliaci[óo]n|colegiado|episodio|identificaci[óo]n)|colegiado|pasaporte"
)
# where either form can start
_CUE_ANCHOR = CaseBlind(rf"\b(?=(?:{by_first_char(f'{_MRN_CUES}|{_ID_CUES}', True)})\b)")
_CODE_CUE = re.compile(r"(?:SNOMED|ICD|CPT|LOINC|RxNorm|NDC|HCPCS|code|c[óo]digo)[\s:#-]*(?:\d+[\s:#-]*)?$", _I)


_DATE_LIKE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?")


class LabeledIdRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return not _DATE_LIKE.fullmatch(text[start:end])  # "encounter 7/21" is a date; "NHC: 436434/875" an ID

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern(
                "mrn",
                rf"\b(?:{by_first_char(_MRN_CUES, True)})\b{_SEP}{_VALUE}",
                "MRN",
                0.95,
                _I,
                anchor=_CUE_ANCHOR,
                engine="regex",
            ),
            compile_pattern(
                "labeled_id",
                rf"\b(?:{by_first_char(_ID_CUES, True)})\b{_SEP}{_VALUE}",
                "ID",
                0.9,
                _I,
                anchor=_CUE_ANCHOR,
            ),
        ]


class LongNumberRecognizer(GroupRegexRecognizer):
    """A bare run of 7+ digits, or letters+6 digits, in a note is far more often an ID than anything clinical."""

    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("digits", r"(?<![\w.,/-])(?P<phi>\d{7,})(?![\w.,/]\d)", "ID", 0.5, engine="regex"),
            compile_pattern("alnum", r"(?<![\w-])(?P<phi>[A-Z]{1,3}-?\d{6,})\b", "ID", 0.5, engine="regex"),
        ]

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return not _CODE_CUE.search(text[max(0, start - 24) : start])
