"""Reading a clinic's export files as they really come: byte-order marks, fields of any length, broken
quotes, JSON Lines with U+2028 inside strings, and a count of the records each file holds that does not
come from the parser that builds the records (so a parser that merges or invents rows is caught).

Every message names the file and a line number, never the file's content.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.sources.errors import SourceError

# The csv module's own limit is 131,072 characters per field; a note the config allows (deid.max_note_chars)
# can be longer. Longer notes than the config allows are quarantined later, never cut here.
_FIELD_LIMIT = 2**31 - 1

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    bom: bool  # a byte-order mark was found at the start and removed


def _same_codec(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name.split("-")[0:2] == codecs.lookup(b).name.split("-")[0:2]
    except LookupError:
        return False


class BomMismatch(ValueError):
    """The bytes start with the byte-order mark of another encoding than the configured one."""

    def __init__(self, marked: str) -> None:
        super().__init__(marked)
        self.marked = marked


def decode_bytes(raw: bytes, encoding: str) -> Decoded:
    """`raw` in `encoding` without its byte-order mark; raises UnicodeDecodeError, LookupError or BomMismatch."""
    marked = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if marked is not None and not _same_codec(marked, encoding):
        raise BomMismatch(marked)
    text = raw.decode(encoding)
    bom = text.startswith("\ufeff")
    return Decoded(text[1:] if bom else text, bom or marked is not None)


def decode(path: Path, encoding: str, key: str) -> Decoded:
    """The file's text in `encoding` without its byte-order mark. `key` is the config key that sets the
    encoding, named in the message when the bytes are not valid in it."""
    try:
        return decode_bytes(path.read_bytes(), encoding)
    except BomMismatch as exc:
        raise SourceError(
            f"{path.name}: starts with a {exc.marked.upper()} byte-order mark but is read as {encoding}; "
            f"set {key}: {exc.marked}"
        ) from None
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path.name}: not valid {encoding} (first bad byte at offset {exc.start}); "
            f"set the file's encoding in the config ({key}, e.g. {key}: latin-1)"
        ) from None
    except LookupError:
        raise SourceError(f"{path.name}: unknown encoding {encoding!r}; set {key} to a Python codec name") from None


# -- CSV ---------------------------------------------------------------------------------------------------

# One field as RFC 4180 writes it: quoted (quotes inside doubled), or unquoted (a quote inside an unquoted
# field is a plain character, as the csv module reads it), followed by what ends it.
_FIELD = re.compile(r'(?:"[^"]*(?:""[^"]*)*"|[^,"\r\n][^,\r\n]*|)(,|\r\n|\n|\r|\Z)')
_PLAIN_LINE = re.compile(r'[^"\r\n]*(?:\r\n|\n|\r|\Z)')  # a line without any quote, in one step


def _line_breaks(value: str) -> int:
    return value.count("\n") + value.count("\r") - value.count("\r\n")


def csv_record_count(text: str, name: str) -> int:
    """How many records (non-blank rows, the header included) `text` holds, by a scan of its own that shares
    nothing with the csv module. A quoted field that is not closed where a field must end stops with the
    line where that record starts: the rest of the file cannot be split into records with any confidence."""
    position, line, records, end = 0, 1, 0, len(text)
    while position < end:
        plain = _PLAIN_LINE.match(text, position)
        if plain is not None:  # no quote on this line
            records += bool(plain.group().strip("\r\n"))
            position, line = plain.end(), line + 1
            continue
        records, record_line = records + 1, line
        while True:
            field = _FIELD.match(text, position)
            if field is None:
                raise SourceError(
                    f"{name}: line {record_line}: a quoted field is not closed where a field ends (an "
                    'unbalanced quote?); fix the export (a quote inside a field is written "")'
                )
            line += _line_breaks(field.group(0))
            position = field.end()
            if field.group(1) != ",":
                break
    return records


_PIECE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The text in lines as the csv module wants them, each with its ending (\r\n, \r or \n: what a
    StringIO with newline="" gives), made one at a time (a StringIO copy of a large export would hold four
    bytes a character)."""
    for piece in _PIECE.finditer(text):
        yield piece.group()


def csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its fields) for every non-blank record of a CSV text, the header
    first. The csv module reads in strict mode, so a stray quote is an error with its line, not a merged
    row; fields have no length limit below what the config allows."""
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(_lines(text), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise SourceError(
                f"{name}: line {reader.line_num}: broken CSV quoting (an unbalanced quote?); "
                'fix the export (quotes inside a field are written "")'
            ) from None
        if row:
            yield start, row
        start = reader.line_num + 1


def checked_csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """csv_rows, checked against csv_record_count when the file is done: the two readers must agree on
    how many records the file holds, or the run stops naming the file."""
    expected = csv_record_count(text, name)
    seen = 0
    for item in csv_rows(text, name):
        seen += 1
        yield item
    if seen != expected:
        raise SourceError(
            f"{name}: the CSV reader found {seen} records where the file holds {expected}; "
            "the file's quoting is ambiguous: fix the export"
        )


# -- JSON Lines --------------------------------------------------------------------------------------------


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for every non-blank line. Only "\\n" ends a record (JSON Lines' own rule): U+2028,
    U+0085 or a form feed inside a JSON string belong to the record."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line.removesuffix("\r")
