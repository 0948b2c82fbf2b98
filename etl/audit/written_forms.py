"""The residual scan's own knowledge of how values are written: dates in every form a note may use, and
the dictionary words that are no evidence of a leak on their own.

Written apart from detection on purpose (no import from etl/deid/): a bug in detection's date forms or
word list must not blind the gate that checks detection's output. tests/test_residual_scan.py holds the
two in agreement: the scan knows every form detection looks for, and the same dictionary words.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS_EN = "january february march april may june july august september october november december".split()
_MONTHS_ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


def written_dates(value: str) -> list[str]:
    """An ISO date (or datetime) as notes and letters write it: ISO, US and European numeric with 4- and
    2-digit years, with and without leading zeros, English month names full and short in both orders,
    Spanish "14 de marzo de 2023". The value itself when it is not an ISO date."""
    try:
        day = date.fromisoformat(value.strip()[:10])
    except ValueError:
        return [value]
    d, m, y, yy = day.day, day.month, day.year, f"{day.year % 100:02d}"
    month, mon = _MONTHS_EN[m - 1].capitalize(), _MONTHS_EN[m - 1][:3].capitalize()
    numeric = {
        f"{y}-{m:02d}-{d:02d}",
        *(f"{a}/{b}/{year}" for year in (y, yy) for a, b in ((m, d), (f"{m:02d}", f"{d:02d}"))),
        *(f"{a}/{b}/{y}" for a, b in ((d, m), (f"{d:02d}", f"{m:02d}"))),
        f"{m:02d}/{d:02d}/{yy}",
        f"{d}.{m}.{y}",
        f"{d:02d}.{m:02d}.{y}",
    }
    named = (
        {f"{name} {d}, {y}" for name in (month, mon)}
        | {f"{d} {name} {y}" for name in (month, mon)}
        | {f"{d}-{mon}-{y}", f"{d} de {_MONTHS_ES[m - 1]} de {y}"}
        | {f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日"}  # Chinese
    )
    return sorted(numeric | named)


_HAN = "\u4e00-\u9fff"


def written_names(value: str) -> list[str]:
    """A name as notes write it. A Chinese name kept as "given family" (the clinic schema's FIRST LAST,
    "伟 张") is written family name first and without a space: "张伟". A Chinese given or family name of
    one or two characters alone is no evidence of a leak on its own (as an ordinary English word is not)
    and is searched only as part of the full name."""
    parts = value.split()
    if parts and all(re.fullmatch(f"[{_HAN}]+", p) for p in parts):
        if len(parts) == 1:
            return [value] if len(value) > 2 else []
        return ["".join(reversed(parts)), "".join(parts)]
    return [value]


def dictionary_words(nlp: object) -> frozenset[str]:
    """Every word of an English spaCy model's lemmatizer tables: WordNet's base forms and the irregular
    forms ("went", "children"). Empty for a model without a lemmatizer."""
    if "lemmatizer" not in getattr(nlp, "component_names", ()):
        return frozenset()
    tables = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    words: set[str] = set()
    for table in ("lemma_index", "lemma_exc"):  # base forms by part of speech; irregular forms by lemma
        for entries in tables.get_table(table).values():
            words.update(entries)
    return frozenset(words)
