"""Assemble a note from pieces while recording where every identifier and every kept clinical term lands.

A phrase is written in a small markup: `{slot}` is an identifier (or a group of pieces) rendered by the
note's cast, `<k>…</k>` a clinical term that must survive de-identification. Case styles are applied to
each piece before it is placed, so the recorded offsets stay exact whatever the style does to length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Piece = tuple[str, str | None]  # (text, gold label or None for plain text)
SlotRenderer = Callable[[str], list[Piece]]
_MARKUP = re.compile(r"\{(\w+)\}|<k>(.*?)</k>")
STYLES = ("mixed", "upper", "lower")


def _cased(value: str, style: str) -> str:
    """`value` in the note's style, character by character where a character would change length."""
    if style == "mixed":
        return value
    convert = str.upper if style == "upper" else str.lower
    converted = convert(value)
    if len(converted) == len(value):
        return converted
    return "".join(c2 if len(c2 := convert(c)) == 1 else c for c in value)


@dataclass
class NoteBuilder:
    style: str = "mixed"
    parts: list[str] = field(default_factory=list)
    spans: list[dict[str, Any]] = field(default_factory=list)
    keep: list[dict[str, Any]] = field(default_factory=list)
    cursor: int = 0

    def piece(self, value: str, label: str | None = None, style: str | None = None) -> None:
        """Place `value`; record it as gold `label` (an identifier), "KEEP" (a clinical term) or nothing."""
        value = _cased(value, style or self.style)
        if label == "KEEP":
            self.keep.append({"start": self.cursor, "end": self.cursor + len(value), "label": "term"})
        elif label:
            self.spans.append({"start": self.cursor, "end": self.cursor + len(value), "label": label})
        self.parts.append(value)
        self.cursor += len(value)

    def add(self, phrase: str, render: SlotRenderer, style: str | None = None) -> None:
        """Place a phrase in the markup above; `render(slot)` gives a slot's pieces."""
        position = 0
        for match in _MARKUP.finditer(phrase):
            self.piece(phrase[position : match.start()], None, style)
            if match.group(1):
                for value, label in render(match.group(1)):
                    self.piece(value, label, style)
            else:
                self.piece(match.group(2), "KEEP", style)
            position = match.end()
        self.piece(phrase[position:], None, style)

    def result(self) -> dict[str, Any]:
        return {"text": "".join(self.parts), "spans": self.spans, "keep": self.keep}
