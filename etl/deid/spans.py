"""Resolve overlapping detections: redact the union, label it by the most trusted detection."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from schemas.records import Span

# When two labels cover the same text, the more specific/identifying one names the merged span.
_PRIORITY = {
    label: rank
    for rank, label in enumerate(
        [
            "SSN",
            "MRN",
            "EMAIL",
            "URL",
            "IP_ADDRESS",
            "PHONE",
            "ID",
            "STREET_ADDRESS",
            "ZIP",
            "AGE",
            "DATE",
            "PERSON",
            "ORGANIZATION",
            "LOCATION",
        ]
    )
}


_GUESSES = ("SpacyRecognizer", "UnknownWordRecognizer")


def _better(a: Span, b: Span) -> Span:
    """The span whose label should name a merged region: a pattern's specific label over the statistical
    model's guess, then the higher score, then the more identifying label."""

    def key(span: Span) -> tuple[bool, float, int, int]:
        # the model's and the backstop's labels are guesses: a pattern's label names what both found
        from_pattern = not span.recognizer.startswith(_GUESSES)
        return (from_pattern, round(span.score, 2), -_PRIORITY.get(span.label, 99), span.end - span.start)

    return a if key(a) >= key(b) else b


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and trailing punctuation a recognizer included at the edges."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def merge_spans(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans covering every input span. Overlaps are unioned (never narrowed):
    a region any recognizer flagged stays redacted."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = _better(last, span)
            merged[-1] = Span(
                last.start, max(last.end, span.end), best.label, max(last.score, span.score), best.recognizer
            )
        else:
            merged.append(span)
    return merged


def tag(span: Span) -> str:
    return f"[{span.label}]"


def replace_spans(text: str, spans: Iterable[Span], render: Callable[[Span], str] = tag) -> str:
    """`text` with each (non-overlapping, sorted) span replaced by `render(span)`: a type tag by default."""
    pieces, cursor = [], 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        pieces.append(render(span))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)
