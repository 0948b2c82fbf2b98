"""What survives in the output text: gold identifiers still readable at their place, and ordinary words kept.

A gold span *survives* when any of its words is still in the output where it stood: not covered by a
replacement, or covered by one whose replacement repeats it (a surrogate that echoes "ROME." is a leak).
Words that identify nobody are not counted: single letters (initials alone), the year of a date (Safe
Harbor keeps it), the generic words of place and organization names ("Medical Center"), and the parts of
a web or mail address that every address has ("https", "com"). An age span
is never an echo: "90+" is what Safe Harbor asks for.

This is stricter than asking whether the whole span string is still in the output (`whole_span_leak`,
reported beside it): one surviving surname of "Mary Daniel Rome" counts the span as surviving, and so
does the business word of an employer left beside its redacted name ("Logistics" of "Adams Logistics").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
GENERIC_WORDS = frozenset(
    """
    the of and at in on st saint hospital hospitals medical center centre clinic clinics health healthcare general
    memorial community regional university rehab rehabilitation nursing home house manor care unit units
    department dept service services associates group institute school college building bldg floor wing
    street st avenue ave road rd drive dr lane ln court ct boulevard blvd place way suite apt north south east
    west new http https www com org net edu gov html htm php mailto mail email ext extension
    """.split()
)


@dataclass
class LeakCounts:
    spans: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    surviving: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    whole: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # the span's text unchanged
    words_outside: int = 0
    words_kept: int = 0

    def as_dict(self) -> dict[str, Any]:
        total, leaked = sum(self.spans.values()), sum(self.surviving.values())
        return {
            "spans": total,
            "surviving": leaked,
            "span_leak": round(leaked / total, 4) if total else 0.0,
            "surviving_whole": sum(self.whole.values()),
            "whole_span_leak": round(sum(self.whole.values()) / total, 4) if total else 0.0,
            "by_label": {
                label: {
                    "spans": n,
                    "surviving": self.surviving[label],
                    "leak": round(self.surviving[label] / n, 4),
                    "surviving_whole": self.whole[label],
                }
                for label, n in sorted(self.spans.items())
            },
            "words_outside_phi": self.words_outside,
            "words_kept": round(self.words_kept / self.words_outside, 4) if self.words_outside else 1.0,
        }


def _counted(word: str, label: str) -> bool:
    if len(word) < 2 and not word.isdigit():
        return False
    if label == "DATE" and _YEAR.fullmatch(word):
        return False
    return word.lower() not in GENERIC_WORDS


def _cover(spans: Sequence[Any], start: int, end: int) -> list[int]:
    return [i for i, s in enumerate(spans) if s.start < end and start < s.end]


def _survives(text: str, start: int, end: int, label: str, predicted: Sequence[Any], rendered: Sequence[str]) -> bool:
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        if not _counted(word, label):
            continue
        covering = _cover(predicted, match.start(), match.end())
        covered = sum(min(predicted[i].end, match.end()) - max(predicted[i].start, match.start()) for i in covering)
        if covered < len(word):
            return True  # some of the word is still where it stood
        if label != "AGE" and any(
            re.search(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", rendered[i], re.IGNORECASE) for i in covering
        ):
            return True  # the replacement repeats it
    return False


def _whole(text: str, start: int, end: int, predicted: Sequence[Any], rendered: Sequence[str]) -> bool:
    """The span's whole text is still in the output at its place: nothing replaced it, or what replaced
    it repeats it."""
    covering = _cover(predicted, start, end)
    value = text[start:end].lower()
    return not covering or any(value in rendered[i].lower() for i in covering)


def score_leaks(
    text: str,
    gold: Sequence[Any],
    ignore: Sequence[Any],
    predicted: Sequence[Any],
    rendered: Sequence[str],
    counts: LeakCounts,
) -> None:
    """Add one document: `predicted` are the replacements made (sorted, non-overlapping), `rendered` what
    each was replaced by."""
    for span in gold:
        counts.spans[span.label] += 1
        survives = _survives(text, span.start, span.end, span.label, predicted, rendered)
        counts.surviving[span.label] += survives
        counts.whole[span.label] += survives and _whole(text, span.start, span.end, predicted, rendered)
    for match in _WORD.finditer(text):
        start, end = match.span()
        if _cover(gold, start, end) or _cover(ignore, start, end):
            continue
        counts.words_outside += 1
        counts.words_kept += not _cover(predicted, start, end)
