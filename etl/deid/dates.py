"""Dates in free text: Safe Harbor reduction to the year, or a per-patient shift that keeps the format.

`reduce_to_year` keeps only the year (nothing when the text holds no year). `shift_date` parses the text,
moves it by the patient's offset and writes it back in the same layout ("03/14/2023" stays m/d/yyyy,
"14 de marzo de 2023" stays Spanish). A date it cannot parse returns None: the caller then redacts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from etl.languages import PACKS

_FALLBACK = PACKS["en"]  # month names of a language without its own are written in English
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)")
_NO_YEAR = 2000  # leap year: "2/29" can be shifted


@dataclass(frozen=True)
class _Layout:
    regex: re.Pattern[str]
    order: str  # which groups hold d, m, y: e.g. "mdy", "ymd", "dMy" (M = month name)


def _layouts(lang: str) -> list[_Layout]:
    numeric = PACKS[lang].numeric_dates if lang in PACKS else "dmy"
    month = r"([A-Za-zé]+)\.?"
    return [
        _Layout(re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(.*)$"), "ymd"),
        _Layout(re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$"), numeric),
        _Layout(re.compile(r"^(\d{1,2})(/)(\d{1,2})$"), numeric[:2]),
        _Layout(re.compile(rf"^{month}(\s+)(\d{{1,2}})(?:st|nd|rd|th)?(,?\s+)(\d{{4}})$", re.I), "Md_y"),
        _Layout(
            re.compile(
                rf"^(\d{{1,2}})(?:st|nd|rd|th)?(\s+(?:of\s+)?|-|\s+de\s+){month}(\s+de\s+|,?\s+|-)(\d{{2,4}})$", re.I
            ),
            "dM_y",
        ),
        _Layout(re.compile(rf"^{month}(,?\s+(?:de\s+|del\s+)?)(\d{{4}})$", re.I), "My"),
        _Layout(re.compile(rf"^{month}(\s+)(\d{{1,2}})(?:st|nd|rd|th)?$", re.I), "Md"),
    ]


def reduce_to_year(text: str) -> str | None:
    """Safe Harbor: the year alone, or None when the date has no year."""
    match = _YEAR.search(text)
    return match.group(1) if match else None


def _month_index(name: str) -> int | None:
    key = name.lower().rstrip(".")
    for pack in PACKS.values():
        for index, month in enumerate(pack.months):
            if key == month or (len(key) >= 3 and month.startswith(key)):
                return index + 1
    return None


def _month_name(month: int, like: str, lang: str) -> str:
    """Month `month` written as `like` is: in the language whose full month name `like` is (another
    language's than the fallback's first), else in the note's own where it writes months in lower case
    and `like` is, else in English; cut short and cased as `like`."""
    key = like.lower().rstrip(".")
    own = next((p for p in PACKS.values() if p is not _FALLBACK and key in p.months), None)
    if own is None and lang in PACKS and PACKS[lang].months_lower_case and like[:1].islower():
        own = PACKS[lang]
    name = (own or _FALLBACK).months[month - 1]
    if len(like.rstrip(".")) <= 4 and like.lower().rstrip(".") != name:
        name = name[:3]
    if like.isupper():
        return name.upper()
    return name.capitalize() if like[:1].isupper() else name


def _year(text: str) -> int:
    value = int(text)
    return value + (2000 if value < 50 else 1900) if len(text) == 2 else value


def _fmt_year(year: int, like: str) -> str:
    return f"{year % 100:02d}" if len(like) == 2 else str(year)


def _num(value: int, padded: bool) -> str:
    return f"{value:02d}" if padded else str(value)


def _padded(*parts: str) -> bool:
    """A layout is zero-padded when any numeric part has a leading zero or all have two digits."""
    return any(p.startswith("0") for p in parts) or all(len(p) == 2 for p in parts)


def shift_date(text: str, days: int, lang: str = "en") -> str | None:
    """`text` moved by `days`, in its own layout; None when it does not parse as a date."""
    stripped = text.strip()
    for layout in _layouts(lang):
        match = layout.regex.match(stripped)
        if match is None:
            continue
        try:
            return _shift_match(match, layout.order, days, lang)
        except (ValueError, TypeError):
            return None
    return None


def _month(name: str) -> int:
    index = _month_index(name)
    if index is None:
        raise ValueError("not a month name")
    return index


def _shift_match(m: re.Match[str], order: str, days: int, lang: str) -> str | None:
    g = m.groups()
    if order == "ymd":
        new = date(int(g[0]), int(g[2]), int(g[3])) + timedelta(days=days)
        pad = _padded(g[2], g[3])
        return f"{new.year}{g[1]}{_num(new.month, pad)}{g[1]}{_num(new.day, pad)}{g[4]}"
    if order in ("mdy", "dmy"):
        month_text, day_text = (g[2], g[0]) if order == "dmy" else (g[0], g[2])
        new = date(_year(g[3]), int(month_text), int(day_text)) + timedelta(days=days)
        pad = _padded(g[0], g[2])
        first, second = (new.day, new.month) if order == "dmy" else (new.month, new.day)
        return f"{_num(first, pad)}{g[1]}{_num(second, pad)}{g[1]}{_fmt_year(new.year, g[3])}"
    if order in ("md", "dm"):
        month_text, day_text = (g[0], g[2]) if order == "md" else (g[2], g[0])
        new = date(_NO_YEAR, int(month_text), int(day_text)) + timedelta(days=days)
        pad = _padded(g[0], g[2])
        first, second = (new.month, new.day) if order == "md" else (new.day, new.month)
        return f"{_num(first, pad)}{g[1]}{_num(second, pad)}"
    if order == "Md_y":
        new = date(int(g[4]), _month(g[0]), int(g[2])) + timedelta(days=days)
        return f"{_month_name(new.month, g[0], lang)}{g[1]}{new.day}{g[3]}{new.year}"
    if order == "dM_y":
        new = date(_year(g[4]), _month(g[2]), int(g[0])) + timedelta(days=days)
        return f"{new.day}{g[1]}{_month_name(new.month, g[2], lang)}{g[3]}{_fmt_year(new.year, g[4])}"
    if order == "My":
        new = date(int(g[2]), _month(g[0]), 15) + timedelta(days=days)
        return f"{_month_name(new.month, g[0], lang)}{g[1]}{new.year}"
    if order == "Md":
        new = date(_NO_YEAR, _month(g[0]), int(g[2])) + timedelta(days=days)
        return f"{_month_name(new.month, g[0], lang)}{g[1]}{new.day}"
    return None
