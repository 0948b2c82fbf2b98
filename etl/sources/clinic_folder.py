"""A clinic folder: EHR tables as CSV/Parquet with Synthea's names, notes as csv/jsonl/parquet/txt.

File-level problems (unreadable encoding, a notes file without a text column) raise SourceError with
a message that names the file and never quotes its content. Row-level problems go to quarantine.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from etl.io import Quarantine, parquet_rows
from etl.lang import language_code
from etl.sources.discovery import ClinicFiles, FileEntry, matches, survey
from etl.sources.errors import SourceError
from etl.sources.files import BomMismatch, checked_csv_rows, decode, decode_bytes, jsonl_lines
from schemas.config import NotesSourceConfig, SourceConfig, TablesSourceConfig
from schemas.records import Note

NOTE_FIELDS = ("NOTE_ID", "PATIENT", "ENCOUNTER", "DATE", "NOTE_TYPE", "TEXT", "LANG")
_TABLES_ENCODING = "source.tables.encoding"
_NOTES_ENCODING = "source.notes.encoding"


def discover_tables(
    source_dir: Path, config: TablesSourceConfig, notes: NotesSourceConfig | None = None
) -> dict[str, Path]:
    """Table name (lower-case file stem) -> file, from the configured folders. Notes files are skipped."""
    source = SourceConfig(tables=config, notes=notes or NotesSourceConfig(), ccda_paths=[])
    return survey(source_dir, source).tables()


def _entry(path: Path, entry: FileEntry | None) -> FileEntry:
    return entry if entry is not None else FileEntry(path.name, None)


def read_table(path: Path, encoding: str, quarantine: Quarantine, entry: FileEntry | None = None) -> pd.DataFrame:
    """Read one table with every value as a string ("" for missing). Malformed CSV rows are quarantined.
    `entry` receives what the file holds, counted apart from the parser (rows, a byte-order mark)."""
    entry = _entry(path, entry)
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
        entry.records = pq.read_metadata(path).num_rows
        return frame.astype("string").fillna("").astype(object)
    decoded = decode(path, encoding, _TABLES_ENCODING)
    entry.bom = decoded.bom
    rows = checked_csv_rows(decoded.text, path.name)
    first = next(rows, None)
    if first is None:
        raise SourceError(f"{path.name}: empty file, no header row")
    header = [column.strip() for column in first[1]]
    good: list[list[str]] = []
    records = 0
    for line_no, row in rows:
        records += 1
        if len(row) != len(header):
            quarantine.add(
                path.name,
                f"{path.name}:line{line_no}",
                f"malformed_row:expected_{len(header)}_fields_got_{len(row)}",
                {"fields": row},
            )
            continue
        good.append(row)
    entry.records = records
    return pd.DataFrame(good, columns=header, dtype=object)


def read_counted_table(path: Path, encoding: str, quarantine: Quarantine, entry: FileEntry) -> tuple[pd.DataFrame, int]:
    """read_table, and the rows it quarantined; the rows read and quarantined must add up to the records the
    file holds (counted apart from the parser, in `entry`), or the run stops naming the file."""
    before = len(quarantine)
    frame = read_table(path, encoding, quarantine, entry)
    bad = len(quarantine) - before
    if entry.records != len(frame) + bad:
        raise SourceError(f"{path.name}: {len(frame) + bad} rows read where the file holds {entry.records}")
    return frame, bad


def _column_map(config: NotesSourceConfig, columns: list[str]) -> dict[str, str]:
    """Canonical note field -> column in the file: explicit config first, then case-insensitive names."""
    by_upper = {column.upper(): column for column in columns}
    mapping = {}
    for field in NOTE_FIELDS:
        column = config.columns.get(field) or by_upper.get(field)
        if column is not None and column in columns:
            mapping[field] = column
    return mapping


def _tabular_note_rows(path: Path, encoding: str, entry: FileEntry) -> tuple[list[str], Iterable[dict[str, Any]]]:
    """The columns and the rows of a notes file; Parquet and CSV rows are read as they are used. `entry`
    receives the records the file holds, counted apart from the parser that builds the rows."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        entry.records = pq.read_metadata(path).num_rows
        return pq.read_schema(path).names, parquet_rows(path)
    decoded = decode(path, encoding, _NOTES_ENCODING)
    entry.bom = decoded.bom
    if suffix == ".jsonl":
        rows: list[dict[str, Any]] = []
        for line_no, line in jsonl_lines(decoded.text):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = None
            rows.append(row if isinstance(row, dict) else {"__bad_line__": line_no, "__raw__": line})
        entry.records = len(rows)
        columns = sorted({key for row in rows for key in row if not key.startswith("__")})
        return columns, rows
    csv_rows = checked_csv_rows(decoded.text, path.name)
    first = next(csv_rows, None)
    entry.records = 0
    if first is None:
        return [], iter(())
    header = [column.strip() for column in first[1]]

    def as_dicts() -> Iterator[dict[str, Any]]:
        for line_no, row in csv_rows:
            entry.records = (entry.records or 0) + 1
            if len(row) != len(header):
                yield {"__bad_row__": line_no, "__fields__": len(row), "__raw__": row, "__expected__": len(header)}
            else:
                yield dict(zip(header, row, strict=True))

    return header, as_dicts()


def _as_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    return text if text.strip() else None


def notes_from_rows(
    columns: list[str],
    rows: Iterable[dict[str, Any]],
    rel: str,
    config: NotesSourceConfig,
    quarantine: Quarantine,
    rejected: list[int] | None = None,
) -> Iterator[Note]:
    """Notes from the rows of a notes table (a file, or a database table), columns mapped by config; rows
    are read as the notes are used. `rejected[0]` counts the rows quarantined here."""
    rejected = rejected if rejected is not None else [0]
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
            quarantine.add(rel, f"{rel}:line{row['__bad_line__']}", "malformed_json_line", {"raw": row["__raw__"]})
            rejected[0] += 1
            continue
        if "__bad_row__" in row:
            reason = f"malformed_row:expected_{row['__expected__']}_fields_got_{row['__fields__']}"
            quarantine.add(rel, f"{rel}:line{row['__bad_row__']}", reason, {"fields": row["__raw__"]})
            rejected[0] += 1
            continue
        note_id = _as_str(row.get(mapping["NOTE_ID"]))
        if note_id is None:
            quarantine.add(rel, key, "missing_note_id", {"row": {str(k): v for k, v in row.items()}})
            rejected[0] += 1
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
                lang=language_code(get("LANG")),
                source=rel,
            )
        )


def _note_from_txt(
    path: Path, rel: str, parts: tuple[str, ...], encoding: str, quarantine: Quarantine, entry: FileEntry
) -> Note | None:
    """notes/<PATIENT>/<NOTE_ID>.txt links a note to its patient; notes/<NOTE_ID>.txt leaves it unlinked."""
    entry.records = 1
    try:
        decoded = decode_bytes(path.read_bytes(), encoding)
    except UnicodeDecodeError as exc:
        quarantine.add(rel, rel, f"encoding:not_{_codec(encoding)}_at_byte_{exc.start}", {"path": str(path)})
        return None
    except BomMismatch as exc:
        quarantine.add(rel, rel, f"encoding:{_codec(exc.marked)}_byte_order_mark", {"path": str(path)})
        return None
    entry.bom = decoded.bom
    return Note(
        note_id=path.stem,
        text=decoded.text,
        patient_id=parts[0] if len(parts) > 1 else None,
        source=rel,
    )


def _codec(encoding: str) -> str:
    """The codec's own name (a closed vocabulary), never the config's spelling of it."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "unknown_codec"


def _txt_parts(rel: str, patterns: list[str]) -> tuple[str, ...]:
    """The path of a txt note below the folder its pattern names ("notes/**/*.txt": below notes/)."""
    for pattern in patterns:
        if "/" in pattern and matches(rel, [pattern]):
            return tuple(rel.split("/")[1:])
    return tuple(rel.split("/"))


def read_notes(
    source_dir: Path, config: NotesSourceConfig, quarantine: Quarantine, files: ClinicFiles | None = None
) -> Iterator[Note]:
    """All notes the configured paths match (names without regard to case; see drop_duplicate_notes for id
    uniqueness), as a stream: a Parquet or CSV notes file is read as its notes are used (a CSV is decoded
    and its records counted first, so a wrong encoding or a broken quote fails before any of its notes is
    passed on). Each file's notes and quarantined rows must add up to the records the file holds."""
    files = files or survey(source_dir, SourceConfig(notes=config, ccda_paths=[]))
    for entry in files.of_kind("notes"):
        path, rel = source_dir / entry.rel, entry.rel
        yielded, rejected = 0, [0]
        if path.suffix.lower() == ".txt":
            note = _note_from_txt(path, rel, _txt_parts(rel, config.paths), config.encoding, quarantine, entry)
            if note is None:
                rejected[0] += 1
            else:
                yielded += 1
                yield note
        else:
            columns, rows = _tabular_note_rows(path, config.encoding, entry)
            for note in notes_from_rows(columns, rows, rel, config, quarantine, rejected):
                yielded += 1
                yield note
        if yielded + rejected[0] != entry.records:
            raise SourceError(
                f"{path.name}: {yielded} notes and {rejected[0]} quarantined rows read where the file holds "
                f"{entry.records} records"
            )


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
