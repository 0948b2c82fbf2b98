"""What a line's letter case says about names. On a line written all in capitals or all in lower case
(nursing notes, older systems, dictation) case carries no information, and detection must not rely on it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

import regex

_MIN_LETTERS = 8
_NOT_LETTERS = regex.compile(r"\P{L}+")
_NOT_LOWER = regex.compile(r"\P{Ll}+")
_LINE = re.compile(r"[^\n]+")


def line_case(line: str) -> str:
    """'upper' or 'lower' where the line's case says nothing about names, 'mixed' where it does, 'short'
    for a line with too few letters to tell (headings, sign-offs: judge them as the note is)."""
    letters = _NOT_LETTERS.sub("", line)
    if len(letters) < _MIN_LETTERS:
        return "short"
    lower = len(_NOT_LOWER.sub("", letters))
    if lower == len(letters):
        return "lower"
    return "upper" if len(letters) - lower >= 0.8 * len(letters) else "mixed"


def line_at(text: str, position: int) -> tuple[int, int]:
    """(start, end) of the line of `text` that holds `position`, without its line break."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, end if end >= 0 else len(text)


@lru_cache(maxsize=8)
def _line_cases(text: str) -> tuple[list[int], list[str], str]:
    """Where each line of `text` starts, each line's case, the whole text's case: worked out once per note,
    however many recognizers ask (the last few notes are kept)."""
    starts, cases, position = [], [], 0
    for line in text.split("\n"):
        starts.append(position)
        cases.append(line_case(line))
        position += len(line) + 1
    return starts, cases, line_case(text)


def case_at(text: str, position: int) -> str:
    """The case of the line holding `position`, a short line judged as the whole text is."""
    starts, cases, whole = _line_cases(text)
    case = cases[bisect_right(starts, position) - 1]
    if case == "short":
        return "mixed" if whole == "short" else whole
    return case


def case_blind(text: str, position: int) -> bool:
    """True where case says nothing about names at `position`."""
    return case_at(text, position) in ("upper", "lower")


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def same_length(value: str, convert: Callable[[str], str]) -> str:
    """`convert(value)` (str.upper, str.lower, str.title), character by character where converting a
    character would change the length ("ß" -> "SS"), so every offset into `value` still holds."""
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
            pieces.append(same_length(value, str.title if name_like(value) else str.lower))
            cursor = word.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


SENTENCE_MARKS = ".:;!?\n"


def opens_sentence(text: str, position: int, marks: str = SENTENCE_MARKS) -> bool:
    """The word at `position` opens a sentence or the text: at most two spaces or tabs stand between it and
    the text's start or one of `marks`. (Capitalized there, a word says nothing about being a name.)"""
    window_start = max(0, position - 3)
    before = text[window_start:position].rstrip(" \t")
    return window_start == 0 if not before else before[-1] in marks
