"""Names found through their cue: a title ("Dr. Chen"), a relation ("wife Mary"), a role ("seen by"),
a credential ("John Smith, MD") or a name field ("Patient: SMITH, JOHN"). spaCy's PERSON covers the rest.
"""

from __future__ import annotations

import re

from etl.deid.casing import case_blind
from etl.deid.recognizers.any_case_names import name_like
from etl.deid.recognizers.base import CaseBlind, GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern
from etl.deid.recognizers.vocab import CLINICAL_ABBREVIATIONS, NOT_NAMES

# Letters of the Latin alphabets (Latin-1 and Latin Extended-A: "Câmara", "Żary", "Hörle"); the first
# letter of a name is checked for case in `validate`, since Extended-A interleaves upper and lower case.
_UP = r"[A-ZÀ-ÖØ-ÞĀ-ž]"
_LO = r"[a-zß-öø-ÿĀ-ž]"
_N = rf"(?:{_UP}{_LO}+(?:[-'’]{_UP}?{_LO}+)?|{_UP}{{2,}}(?:[-'’]{_UP}+)?|[A-Z]\.)"
_SP = r"[ \t]+"  # names never span a line break
_PARTICLE = (
    rf"(?:{_SP}(?:de{_SP}la|del|de|van{_SP}de[rn]|van|von{_SP}der|von|der|das|dos|da|do|du|di|le|la|y|bin|al|ten|ter)"
    rf"(?={_SP}{_UP}))?"
)
_FULL = rf"{_N}(?:{_PARTICLE}{_SP}{_N}){{0,3}}"
_TITLES = r"Dr|Dra|Drs|Doctor|Doctora|Mr|Mrs|Ms|Miss|Mx|Prof|Sr|Sra|Srta|Don|Doña|Dña|D\.ª"
_RELATIONS = (
    r"wife|husband|son|daughter|mother|father|mom|dad|brother|sister|spouse|partner|fianc[eé]e?|grandmother"
    r"|grandfather|grandson|granddaughter|aunt|uncle|niece|nephew|cousin|friend|neighbou?r|guardian|caregiver"
    r"|caretaker|roommate|boyfriend|girlfriend|emergency\s+contact|next\s+of\s+kin|NOK|POA|proxy"
    r"|esposa|esposo|marido|mujer|hijo|hija|madre|padre|hermano|hermana|abuelo|abuela|nieto|nieta|t[ií]o|t[ií]a"
    r"|pareja|cuidador|cuidadora|familiar|vecino|vecina|acompañante"
)
_ROLES = (
    r"patient(?:\s+name)?|pt|name|nombre|paciente|seen\s+by|attending|resident|fellow|intern|surgeon|physician"
    r"|provider|PCP|nurse|signed\s+by|dictated\s+by|transcribed\s+by|referred\s+by|referring(?:\s+physician)?"
    r"|electronically\s+signed\s+by|cc|employer|works\s+for|employed\s+by|m[ée]dico|enfermer[oa]|firmado\s+por"
    r"|atendido\s+por|remitido\s+por"
)
_CREDENTIALS = r"MD|M\.D\.|DO|D\.O\.|RN|NP|PA-C|PA|PhD|LPN|FNP|FNP-BC|CNM|DPM|DDS|LCSW|PT|OT|MSN|APRN"
_I = re.IGNORECASE
# the cue lists regrouped by first letter: the same matches, found faster (see by_first_char)
_RELATION_CUES = by_first_char(_RELATIONS, ignore_case=True)
_ROLE_CUES = by_first_char(_ROLES, ignore_case=True)
_BRACKET_CUES = by_first_char(f"{_RELATIONS}|family|contact|contacto|familia", ignore_case=True)
# where a cued name can start: the relation, role and bracket patterns share one scan for their cues
_CUE_ANCHOR = CaseBlind(
    rf"\b(?=(?:{by_first_char(f'{_RELATIONS}|{_ROLES}|family|contact|contacto|familia', ignore_case=True)}))"
)


class CuedNameRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("title", rf"\b(?:{_TITLES})\.?\s+(?P<phi>{_FULL})", "PERSON", 0.85, engine="regex"),
            compile_pattern(
                "relation",
                rf"\b(?i:{_RELATION_CUES})\b(?:\s*(?i:is|was|named|called|,|:|-|\())?\s+(?P<phi>{_FULL})",
                "PERSON",
                0.75,
                anchor=_CUE_ANCHOR,
            ),
            compile_pattern(
                "role",
                rf"\b(?i:{_ROLE_CUES})\b\s*(?:(?i:is|was|:|,|-|#))?\s*(?P<phi>{_FULL})",
                "PERSON",
                0.7,
                anchor=_CUE_ANCHOR,
            ),
            compile_pattern(
                "last_first",
                rf"\b(?i:{_ROLE_CUES})\b\s*[:#-]?\s*"
                r"(?P<phi>(?:(?i:da|das|de|del|do|dos|du|van|von|der|di|le|la|mc|o')[ \t]+)*"
                rf"{_UP}[\w'’-]+,[ \t]*{_UP}[\w'’-]+(?:[ \t][A-Z]\b\.?)?)",
                "PERSON",
                0.85,
                anchor=_CUE_ANCHOR,
            ),
            # a name in brackets after a relation: "Family (Alf Dietz) updated", "contact (Ana Ruiz)"
            compile_pattern(
                "relation_bracket",
                rf"\b(?i:{_BRACKET_CUES})\s*\(\s*(?P<phi>{_FULL})\s*\)",
                "PERSON",
                0.8,
                anchor=_CUE_ANCHOR,
            ),
            # the line after a letter's closing: "Kind regards,\nAlexia das Neves"
            compile_pattern(
                "closing",
                r"\b(?i:regards|sincerely|yours\s+truly|yours\s+faithfully|best\s+wishes|cordially|respectfully"
                r"|atentamente|saludos(?:\s+cordiales)?|un\s+saludo)[ \t]*[,.]?[ \t]*\n[ \t]*"
                rf"(?P<phi>{_FULL})[ \t]*$",
                "PERSON",
                0.85,
                re.MULTILINE,
                engine="regex",
            ),
            # sign-off initials at the end of a line: "-- EB" (a signature, even "-- RN"), "/jd"
            compile_pattern("signature", r"(?:--|—|–)[ \t]*(?P<phi>[A-Za-z]{2,3})[ \t]*$", "PERSON", 0.9, re.MULTILINE),
            compile_pattern("initials", r"/[ \t]*(?P<phi>[A-Za-z]{2,3})[ \t]*$", "PERSON", 0.6, re.MULTILINE),
            # a writer's initials closing a line after a space ("… to see in am. /dm"): not "and/or"
            compile_pattern(
                "initials_closing",
                r"(?<=\s)/[ \t]*(?P<phi>[A-Za-z]{2,3})[ \t]*$",
                "PERSON",
                0.6,
                re.MULTILINE,
                engine="regex",
            ),
            compile_pattern(
                "credential",
                rf"(?P<phi>{_N}(?:{_SP}[A-Z]\.)?(?:{_SP}{_N}){{1,2}}),?[ \t]+(?:{_CREDENTIALS})\b",
                "PERSON",
                0.85,
                line_gate=rf"[ \t](?:{_CREDENTIALS})\b",  # names and credential on one line
            ),
        ]

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        if pattern.name in ("signature", "initials_closing"):
            return True
        if pattern.name not in ("initials", "closing") and case_blind(text, start):
            return False  # case says nothing on this line: AnyCaseNameRecognizer checks the words instead
        first = re.split(r"[\s,]+", text[start:end], maxsplit=1)[0].strip(".")
        if pattern.name != "initials" and not first[:1].isupper():
            return False
        if self.supported_language == "en" and len(first) > 1 and pattern.name not in ("initials", "title"):
            return name_like(first, capital_required=True, weak=True)  # not "PCP", "Daughter", "Neuro"
        first = first.lower()
        return first not in NOT_NAMES and first not in CLINICAL_ABBREVIATIONS and len(first) > 1
