"""Names found through their cue: a title ("Dr. Chen"), a relation ("wife Mary"), a role ("seen by"),
a credential ("John Smith, MD") or a name field ("Patient: SMITH, JOHN"). spaCy's PERSON covers the rest.
"""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern
from etl.deid.recognizers.vocab import CLINICAL_ABBREVIATIONS, NOT_NAMES

_N = r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:[-'’][A-ZÁÉÍÓÚÑ]?[a-záéíóúñü]+)?|[A-ZÁÉÍÓÚÑ]{2,}(?:[-'’][A-Z]+)?|[A-Z]\.)"
_SP = r"[ \t]+"  # names never span a line break
_PARTICLE = rf"(?:{_SP}(?:de|del|de{_SP}la|van|von|da|di|le|la|y|bin|al)(?={_SP}[A-ZÁÉÍÓÚÑ]))?"
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


class CuedNameRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("title", rf"\b(?:{_TITLES})\.?\s+(?P<phi>{_FULL})", "PERSON", 0.85),
            compile_pattern(
                "relation",
                rf"\b(?i:{_RELATIONS})\b(?:\s*(?i:is|was|named|called|,|:|-|\())?\s+(?P<phi>{_FULL})",
                "PERSON",
                0.75,
            ),
            compile_pattern("role", rf"\b(?i:{_ROLES})\b\s*(?:(?i:is|was|:|,|-|#))?\s*(?P<phi>{_FULL})", "PERSON", 0.7),
            compile_pattern(
                "last_first",
                rf"\b(?i:{_ROLES})\b\s*[:#-]?\s*(?P<phi>(?:(?:da|de|del|van|von|der|di|le|la|mc|o')[ \t]+)*"
                r"[A-ZÁÉÍÓÚÑ][\w'’-]+,[ \t]*[A-ZÁÉÍÓÚÑ][\w'’-]+(?:[ \t][A-Z]\b\.?)?)",
                "PERSON",
                0.85,
            ),
            # sign-off initials at the end of a line: "-- EB", "/jd"
            compile_pattern(
                "initials", r"(?:--|—|–|/)[ \t]*(?P<phi>[A-Za-z]{2,3})[ \t]*$", "PERSON", 0.6, re.MULTILINE
            ),
            compile_pattern(
                "credential",
                rf"(?P<phi>{_N}(?:{_SP}[A-Z]\.)?(?:{_SP}{_N}){{1,2}}),?[ \t]+(?:{_CREDENTIALS})\b",
                "PERSON",
                0.85,
            ),
        ]

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        first = re.split(r"[\s,]+", text[start:end], maxsplit=1)[0].strip(".").lower()
        return first not in NOT_NAMES and first not in CLINICAL_ABBREVIATIONS and len(first) > 1
