"""Addresses come in blocks: "12 Oak St, Apt 4, Boston, MA 02115" or one piece per line. After a street
address, the comma-, pipe- or line-separated pieces that follow are redacted too while each piece, whole,
looks like a unit, a place name, a region code or a postcode."""

from __future__ import annotations

import re

from etl.deid.casing import case_blind
from schemas.records import Span

_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'.-]*|de|del|la|le|of)"
_SEPARATOR = re.compile(r"[ \t]*(?:,|\n|\|)[ \t|,]*")
_PIECE = re.compile(
    r"(?:(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Floor|Fl|Room|Rm|Box|PSC|#)\.?\s*#?\s*[\w-]+"
    rf"|{_WORD}(?:[ \t]+(?:{_WORD}|\d{{1,5}})){{0,4}}(?:[ \t]+\d{{3,6}}(?:-\d{{3,4}})?)?"
    r"|\d{3,6}(?:[- ]\d{3,4})?(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'.-]*){0,3}"
    r"|[A-Z]\d[A-Z][ ]?\d[A-Z]\d)"
)
# a place name of any form right before ", <state> <ZIP>": "San Ana los altos, NY 71809"
_PLACE = re.compile(r"[^\W\d_][^\W\d_'.-]*(?:[ \t'.-]+[^\W\d_]+){0,5}")
_STATE_ZIP_NEXT = re.compile(r"[ \t]*,[ \t]*[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b")
_STATE_ZIP = re.compile(r"[A-Z]{2}[ \t]+(?P<zip>\d{5}(?:-\d{4})?)")
# on a line written all in capitals or all in lower case, a place's words are any words
_PIECE_ANY_CASE = re.compile(_PIECE.pattern.replace("[A-ZÀ-ÖØ-Þ]", "[^\\W\\d_]"))
_MAX_PIECES = 5
_MAX_PIECE_CHARS = 40


def extend_address_blocks(text: str, spans: list[Span]) -> list[Span]:
    """Spans plus the address-block pieces following each STREET_ADDRESS (as LOCATION or ZIP)."""
    extra = []
    for span in spans:
        if span.label != "STREET_ADDRESS":
            continue
        cursor = span.end
        for _ in range(_MAX_PIECES):
            separator = _SEPARATOR.match(text, cursor)
            if separator is None:
                break
            start = separator.end()
            line_end = len(text) if (n := re.search(r"[,\n|]", text[start:])) is None else start + n.start()
            piece = text[start:line_end].rstrip(" \t.;")
            end = start + len(piece)
            place = _PLACE.fullmatch(piece) is not None and _STATE_ZIP_NEXT.match(text, end) is not None
            pieces = _PIECE_ANY_CASE if case_blind(text, start) else _PIECE
            if (
                not piece
                or len(piece) > _MAX_PIECE_CHARS
                or not (place or pieces.fullmatch(piece))
                or text[end : end + 1] == ":"
            ):
                break
            if state_zip := _STATE_ZIP.fullmatch(piece):  # a state is not a Safe Harbor identifier; its ZIP is
                extra.append(Span(start + state_zip.start("zip"), end, "ZIP", span.score, "AddressBlock"))
            else:
                label = "ZIP" if piece[:1].isdigit() and len(re.sub(r"\D", "", piece)) >= 3 else "LOCATION"
                extra.append(Span(start, end, label, span.score, "AddressBlock"))
            cursor = end
    return spans + extra
