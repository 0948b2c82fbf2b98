"""Values of identifying form fields: a field label at the start of a line (or after a " | " or ". "
in a one-line header), a colon, and the value to the end of the field ("Domicilio: C BIZKARRETA, 1. Bajo
A.", "Localidad/ Provincia: Las palmas.", "City: Quincy", "Emergency contact: …"). Forms are how clinical
systems print a patient's header, and the label says what the value is, whatever its words.
"""

from __future__ import annotations

import re

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern

_FIELDS = {
    "STREET_ADDRESS": (r"domicilio|direcci[óo]n(?:\s+postal)?|address|home\s+address|street(?:\s+address)?|residencia"),
    "LOCATION": (
        r"localidad(?:\s*/\s*provincia)?|provincia|municipio|poblaci[óo]n|ciudad|city(?:\s*/\s*state)?|town"
        r"|county|lugar\s+de\s+nacimiento|place\s+of\s+birth|birthplace"
    ),
    "PERSON": (
        r"nombre|apellidos?|name|patient\s+name|nombre\s+del\s+paciente|emergency\s+contact|next\s+of\s+kin"
        r"|contacto|familiar\s+responsable|m[ée]dico(?:\s+responsable)?|enfermer[oa]|pcp|primary\s+care\s+physician"
        r"|referring\s+physician|attending(?:\s+physician)?"
    ),
    "ORGANIZATION": r"employer|empresa|centro(?:\s+de\s+trabajo)?|hospital|facility|institution",
    # a date field's value, however mistyped ("16/018/1961", "24/08//1979"): digits and separators only
    "DATE": (
        r"fecha(?:\s+de\s+(?:nacimiento|ingreso|alta|intervenci[óo]n|consulta|visita))?|f\.?\s*nac\.?|date(?:\s+of"
        r"\s+(?:birth|admission|discharge|service|visit))?|dob|d\.o\.b\.?|admission\s+date|discharge\s+date"
    ),
}
# where a field starts, and where its value ends (the line's end, a " | " or a full stop before a label)
_START = r"(?:^|(?<=\|)|(?<=\.\s))[ \t]*"
_VALUE = r"(?P<phi>[^\n|:]{1,80}?)"
_END = r"[ \t.;,]*(?=$|\||\.\s+[A-ZÁÉÍÓÚÑ][\w/ ]{0,30}:)"


_DATE_VALUE = re.compile(r"[\d][\d/.\- ]*\d")


class FormFieldRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def patterns(self, lang: str) -> list[GroupPattern]:
        """One scan for every field kind, on the lines that hold a colon: each kind's value is a group of its
        own, reported under its label."""
        names = [label.lower() for label in _FIELDS]
        branches = [
            rf"(?:{labels})[ \t]*:[ \t]*{_VALUE.replace('?P<phi>', f'?P<{name}>')}"
            for name, labels in zip(names, _FIELDS.values(), strict=True)
        ]
        also = tuple(
            (name, f"field_{name}", label, 0.75) for name, label in zip(names[1:], list(_FIELDS)[1:], strict=True)
        )
        return [
            compile_pattern(
                f"field_{names[0]}",
                rf"{_START}(?:{'|'.join(branches)}){_END}".replace(f"?P<{names[0]}>", "?P<phi>"),
                next(iter(_FIELDS)),
                0.75,
                re.IGNORECASE | re.MULTILINE,
                line_gate=re.compile(":"),
                also=also,
            )
        ]

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        """A value with a letter (not "Name: 1/2" or an empty field) that is not itself a field label; a
        date field's value, digits and separators with at least four digits."""
        value = text[start:end]
        if pattern.label == "DATE":
            return bool(_DATE_VALUE.fullmatch(value.strip())) and sum(c.isdigit() for c in value) >= 4
        return any(c.isalpha() for c in value) and not value.rstrip().endswith(":")
