"""What a line's letter case says about names. On a line written all in capitals or all in lower case
(nursing notes, older systems, dictation) case carries no information, and detection must not rely on it."""

from __future__ import annotations

import re
from collections.abc import Callable

_MIN_LETTERS = 8
_LINE = re.compile(r"[^\n]+")


def line_case(line: str) -> str:
    """'upper' or 'lower' where the line's case says nothing about names, 'mixed' where it does, 'short'
    for a line with too few letters to tell (headings, sign-offs: judge them as the note is)."""
    letters = [c for c in line if c.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return "short"
    upper = sum(c.isupper() for c in letters)
    if upper == 0:
        return "lower"
    return "upper" if upper >= 0.8 * len(letters) else "mixed"


def line_at(text: str, position: int) -> tuple[int, int]:
    """(start, end) of the line of `text` that holds `position`, without its line break."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, end if end >= 0 else len(text)


def case_at(text: str, position: int) -> str:
    """The case of the line holding `position`, a short line judged as the whole text is."""
    start, end = line_at(text, position)
    case = line_case(text[start:end])
    if case == "short":
        whole = line_case(text)
        return "mixed" if whole == "short" else whole
    return case


def case_blind(text: str, position: int) -> bool:
    """True where case says nothing about names at `position`."""
    return case_at(text, position) in ("upper", "lower")


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _same_length(value: str, convert: Callable[[str], str]) -> str:
    converted = convert(value)
    if len(converted) == len(value):
        return converted
    return "".join(c2 if len(c2 := convert(c)) == 1 else c for c in value)


def restore_case(text: str, name_like: Callable[[str], bool]) -> str:
    """`text` with its case-blind lines re-cased for a statistical model trained on ordinary text: a word
    that could be a name (`name_like`) capitalized, every other word in lower case. Mixed-case lines are
    left as written. Same length, so every offset into the view is an offset into `text`."""
    pieces: list[str] = []
    cursor = 0
    for line in _LINE.finditer(text):
        if case_at(text, line.start()) not in ("upper", "lower"):
            continue
        pieces.append(text[cursor : line.start()])
        cursor = line.start()
        for word in _WORD.finditer(text, line.start(), line.end()):
            pieces.append(text[cursor : word.start()])
            value = word.group()
            pieces.append(_same_length(value, str.title if name_like(value) else str.lower))
            cursor = word.end()
    pieces.append(text[cursor:])
    return "".join(pieces)
