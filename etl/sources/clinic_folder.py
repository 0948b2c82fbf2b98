"""A clinic folder: EHR tables as CSV/Parquet with Synthea's names, notes as csv/jsonl/parquet/txt.

File-level problems (unreadable encoding, a notes file without a text column) raise SourceError with
a message that names the file and never quotes its content. Row-level problems go to quarantine.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from etl.io import Quarantine, parquet_rows
from schemas.config import NotesSourceConfig, TablesSourceConfig
from schemas.records import Note

TABLE_SUFFIXES = (".csv", ".parquet")
NOTE_FIELDS = ("NOTE_ID", "PATIENT", "ENCOUNTER", "DATE", "NOTE_TYPE", "TEXT", "LANG")
_NOTE_STEMS = {"notes"}


class SourceError(RuntimeError):
    """A source file cannot be read as a whole. The message names the file, never its content."""


def _decode(path: Path, encoding: str) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path.name}: not valid {encoding} (first bad byte at offset {exc.start}); "
            "set the source encoding in the config (e.g. source.tables.encoding: latin-1)"
        ) from None


def discover_tables(source_dir: Path, config: TablesSourceConfig) -> dict[str, Path]:
    """Table name (lower-case file stem) -> file, from the configured folders. Notes files are skipped."""
    found: dict[str, Path] = {}
    for folder in config.folders:
        base = (source_dir / folder).resolve()
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            name = path.stem.lower()
            if path.suffix.lower() in TABLE_SUFFIXES and name not in _NOTE_STEMS and name not in found:
                found[name] = path
    return found


def _csv_rows(text: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""))


def read_table(path: Path, encoding: str, quarantine: Quarantine) -> pd.DataFrame:
    """Read one table with every value as a string ("" for missing). Malformed CSV rows are quarantined."""
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
        return frame.astype("string").fillna("").astype(object)
    rows = _csv_rows(_decode(path, encoding))
    header = next(rows, None)
    if not header:
        raise SourceError(f"{path.name}: empty file, no header row")
    header = [column.strip() for column in header]
    good: list[list[str]] = []
    for line_no, row in enumerate(rows, start=2):
        if not row:
            continue
        if len(row) != len(header):
            quarantine.add(
                path.name,
                f"{path.name}:row{line_no}",
                f"malformed_row:expected_{len(header)}_fields_got_{len(row)}",
                {"fields": row},
            )
            continue
        good.append(row)
    return pd.DataFrame(good, columns=header, dtype=object)


def _column_map(config: NotesSourceConfig, columns: list[str]) -> dict[str, str]:
    """Canonical note field -> column in the file: explicit config first, then case-insensitive names."""
    by_upper = {column.upper(): column for column in columns}
    mapping = {}
    for field in NOTE_FIELDS:
        column = config.columns.get(field) or by_upper.get(field)
        if column is not None and column in columns:
            mapping[field] = column
    return mapping


def _tabular_note_rows(path: Path, encoding: str) -> tuple[list[str], Iterable[dict[str, Any]]]:
    """The columns and the rows of a notes file; Parquet and CSV rows are read as they are used."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pq.read_schema(path).names, parquet_rows(path)
    text = _decode(path, encoding)
    if suffix == ".jsonl":
        rows: list[dict[str, Any]] = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    rows.append({"__bad_line__": line_no, "__raw__": line})
        columns = sorted({key for row in rows for key in row if not key.startswith("__")})
        return columns, rows
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), reader


def _as_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    return text if text.strip() else None


def notes_from_rows(
    columns: list[str], rows: Iterable[dict[str, Any]], rel: str, config: NotesSourceConfig, quarantine: Quarantine
) -> Iterator[Note]:
    """Notes from the rows of a notes table (a file, or a database table), columns mapped by config; rows
    are read as the notes are used."""
    mapping = _column_map(config, columns)
    missing = [field for field in ("NOTE_ID", "TEXT") if field not in mapping]
    if missing:
        raise SourceError(
            f"{rel}: no column for {', '.join(missing)} (columns present: {', '.join(columns)}); "
            "map them with source.notes.columns in the config"
        )
    for index, row in enumerate(rows):
        key = f"{rel}:row{index + 1}"
        if "__bad_line__" in row:
            quarantine.add(rel, key, "malformed_json_line", {"raw": row["__raw__"]})
            continue
        if None in row:  # csv.DictReader puts surplus fields under None
            quarantine.add(rel, key, "malformed_row:too_many_fields", {"row": {str(k): v for k, v in row.items()}})
            continue
        note_id = _as_str(row.get(mapping["NOTE_ID"]))
        if note_id is None:
            quarantine.add(rel, key, "missing_note_id", {"row": {str(k): v for k, v in row.items()}})
            continue

        def get(field: str, row: dict[str, Any] = row) -> str | None:
            return _as_str(row.get(mapping[field])) if field in mapping else None

        text = row.get(mapping["TEXT"])
        yield (
            Note(
                note_id=note_id,
                text="" if _as_str(text) is None else str(text),
                patient_id=get("PATIENT"),
                encounter_id=get("ENCOUNTER"),
                date=get("DATE"),
                note_type=get("NOTE_TYPE") or "note",
                lang=(get("LANG") or "").lower() or None,
                source=rel,
            )
        )


def _note_from_txt(path: Path, rel: str, notes_root: Path, encoding: str, quarantine: Quarantine) -> Note | None:
    """notes/<PATIENT>/<NOTE_ID>.txt links a note to its patient; notes/<NOTE_ID>.txt leaves it unlinked."""
    parts = path.relative_to(notes_root).parts
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as exc:
        quarantine.add(rel, rel, f"encoding:not_{encoding}_at_byte_{exc.start}", {"path": str(path)})
        return None
    return Note(
        note_id=path.stem,
        text=text,
        patient_id=parts[0] if len(parts) > 1 else None,
        source=rel,
    )


def read_notes(source_dir: Path, config: NotesSourceConfig, quarantine: Quarantine) -> Iterator[Note]:
    """All notes the configured paths match (see drop_duplicate_notes for id uniqueness), as a stream: a
    Parquet or CSV notes file is read as its notes are used (a CSV is decoded whole first, so a wrong
    encoding fails before any of its notes is passed on)."""
    for pattern in config.paths:
        for path in sorted(source_dir.glob(pattern)):
            if not path.is_file():
                continue
            rel = path.relative_to(source_dir).as_posix()
            if path.suffix.lower() == ".txt":
                root = source_dir / pattern.split("/")[0] if "/" in pattern else source_dir
                note = _note_from_txt(path, rel, root, config.encoding, quarantine)
                if note is not None:
                    yield note
            elif path.suffix.lower() in {".csv", ".jsonl", ".parquet"}:
                columns, rows = _tabular_note_rows(path, config.encoding)
                yield from notes_from_rows(columns, rows, rel, config, quarantine)


def drop_duplicate_notes(notes: Iterable[Note], quarantine: Quarantine) -> Iterator[Note]:
    """Note ids must be unique across all sources: later duplicates are quarantined, the first one wins. A
    stream: it keeps the ids seen, not the notes."""
    seen: set[str] = set()
    for note in notes:
        if note.note_id in seen:
            quarantine.add(note.source, note.note_id, "duplicate_note_id", {"text": note.text})
            continue
        seen.add(note.note_id)
        yield note
