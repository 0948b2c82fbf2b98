"""Record-linked detection: the patient's own identifiers from the structured record, found in their notes.

A model can miss "Aurea194" or "pt john smith"; a value we already know belongs to this patient cannot be
missed this way. Built per patient and passed to Presidio as an ad-hoc recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from etl.calendar_names import MONTHS_EN, MONTHS_ES
from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer

_MONTHS = MONTHS_EN
_MESES = MONTHS_ES


_HAN = "\u4e00-\u9fff"


def _flex(value: str) -> str:
    """Regex for a value whose separators may vary: '999-12-3456' also matches '999 12 3456'."""
    parts = [re.escape(p) for p in re.split(rf"[^0-9A-Za-zÀ-ÿ{_HAN}]+", value) if p]
    return r"[\s./-]*".join(parts)


# what follows a Chinese family name that makes it the patient's: 张先生, 张女士, 张某, 张老师
_HAN_ADDRESS = "先生|女士|小姐|某某|某|老师|阿姨|师傅|大爷|奶奶|爷爷|同志|太太"


def _han_name_patterns(value: str) -> list[tuple[str, re.RegexFlag | int]] | None:
    """A Chinese name kept as "given family" (FIRST LAST: "伟 张"), as notes write it: 张伟, and the family
    name with a form of address (张先生, 张某; only the family name is reported). None for other names."""
    parts = value.split()
    if len(parts) != 2 or not all(re.fullmatch(f"[{_HAN}]+", p) for p in parts):
        return None
    given, family = parts
    return [(re.escape(family + given), 0), (rf"{re.escape(family)}(?=(?:{_HAN_ADDRESS}))", 0)]


def date_forms(value: str) -> list[str]:
    """An ISO date as notes write it (US and European numeric, 2-digit years, English and Spanish months);
    the value itself when it is not a date."""
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return [value]
    m, mon = _MONTHS[d.month - 1], _MONTHS[d.month - 1][:3]
    return [
        d.isoformat(),
        f"{d.month}/{d.day}/{d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.month}/{d.day}/{d.year % 100:02d}",
        f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
        f"{m} {d.day}, {d.year}",
        f"{mon} {d.day}, {d.year}",
        f"{d.day} {m} {d.year}",
        f"{d.day}-{mon}-{d.year}",
        f"{d.day} de {_MESES[d.month - 1]} de {d.year}",
    ]


def _name_patterns(value: str) -> list[tuple[str, re.RegexFlag | int]]:
    """(regex, flags) for one name value. Multi-token names match in any case; single tokens only when
    capitalized, so a surname like 'Brown' does not redact 'brown stool'."""
    tokens = [t for t in re.split(r"\s+", value.strip()) if t]
    variants = {" ".join(tokens)}
    stripped = [re.sub(r"\d+$", "", t) for t in tokens]  # Synthea-style 'Aurea194' is also written 'Aurea'
    if all(len(t) >= 2 for t in stripped):
        variants.add(" ".join(stripped))
    patterns: list[tuple[str, re.RegexFlag | int]] = []
    for variant in sorted(variants):  # a set's order changes with the interpreter's hash seed
        body = r"\s+".join(re.escape(t) for t in variant.split())
        if len(variant.split()) > 1 or any(c.isdigit() for c in variant):
            patterns.append((body, re.IGNORECASE))
        elif len(variant) >= 2:
            patterns.append((rf"(?:{re.escape(variant.title())}|{re.escape(variant.upper())})", 0))
    return patterns


def _han_dates(value: str) -> list[str]:
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return []
    return [f"{d.year}年{d.month}月{d.day}日", f"{d.year}年{d.month:02d}月{d.day:02d}日"]


class KnownIdentifierRecognizer(GroupRegexRecognizer):
    """`known` is a list of (label, value) pairs belonging to one patient. Chinese dates of birth are the
    Chinese pack's date recognizer's; the numbers, addresses and names are matched here in any language."""

    LANGS = ("en", "es", "zh")

    def __init__(self, lang: str, known: Iterable[tuple[str, str]]) -> None:
        self._known = [(label, value) for label, value in known if value and len(value.strip()) >= 2]
        super().__init__(lang)

    def patterns(self, lang: str) -> list[GroupPattern]:
        patterns = []
        for index, (label, value) in enumerate(self._known):
            if label == "PERSON":
                forms = _han_name_patterns(value) or _name_patterns(value)
            elif label == "DATE":
                forms = [(_flex(v), re.IGNORECASE) for v in date_forms(value)]
                if lang == "zh":
                    forms += [(_flex(v), 0) for v in _han_dates(value)]
            else:
                forms = [(_flex(value), re.IGNORECASE)]
            for n, (body, flags) in enumerate(forms):
                regex = re.compile(rf"(?<![0-9A-Za-zÀ-ÿ])(?P<phi>{body})(?![0-9A-Za-zÀ-ÿ])", flags)
                patterns.append(GroupPattern(f"known_{label.lower()}_{index}_{n}", regex, label, 0.99))
        return patterns
