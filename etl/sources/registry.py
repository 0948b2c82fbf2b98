"""The source registry: one line a source. Every source reads what the config turns on and maps it into
the clinic schema (Synthea's tables and columns, schemas/contracts/synthea.yaml): tables by name with the
rows it quarantined, notes as a stream, and a PHI-free report for audit/stages/ingest.json.

A source is a class with a `name`, a `joins` rule for its tables ("own": a table no other source may also
give; "append": rows added to the same table from other sources) and `read(context) -> SourceRead`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

import pandas as pd

from etl.io import Quarantine
from etl.sources.ccda import read_ccda
from etl.sources.clinic_folder import notes_from_rows, read_counted_table, read_notes
from etl.sources.discovery import ClinicFiles
from etl.sources.fhir import read_fhir
from etl.sources.omop import read_omop
from etl.sources.sql import read_sql_source
from schemas.config import RunConfig
from schemas.records import Note


@dataclass(frozen=True)
class SourceContext:
    source_dir: Path
    config: RunConfig
    quarantine: Quarantine
    files: ClinicFiles  # which file of the source folder is read as what; receives what each file holds


@dataclass
class SourceRead:
    tables: dict[str, tuple[pd.DataFrame, int]] = field(default_factory=dict)  # name -> (frame, quarantined)
    notes: Iterable[Note] = ()
    report: dict[str, Any] | None = None  # PHI-free counts, under the source's name in ingest.json


Join = Literal["own", "append"]


class Source(Protocol):
    name: ClassVar[str]
    joins: ClassVar[Join]

    def read(self, context: SourceContext) -> SourceRead: ...


class ClinicFolder:
    """Tables (CSV/Parquet) and notes (csv, jsonl, parquet, txt) of the clinic folder."""

    name: ClassVar[str] = "folder"
    joins: ClassVar[Join] = "own"

    def read(self, context: SourceContext) -> SourceRead:
        read = SourceRead()
        if not context.source_dir.is_dir():
            return read
        encoding, quarantine = context.config.source.tables.encoding, context.quarantine
        for entry in context.files.of_kind("table"):
            read.tables[str(entry.table)] = read_counted_table(
                context.source_dir / entry.rel, encoding, quarantine, entry
            )
        read.notes = read_notes(context.source_dir, context.config.source.notes, quarantine, context.files)
        return read


class Omop:
    """OMOP CDM v5.4 tables in `source.omop_folder` (etl/sources/omop.py)."""

    name: ClassVar[str] = "omop"
    joins: ClassVar[Join] = "own"

    def read(self, context: SourceContext) -> SourceRead:
        if not (entries := context.files.of_kind("omop")):
            return SourceRead()
        encoding = context.config.source.tables.encoding
        tables, notes, not_read = read_omop(entries, context.source_dir, encoding, context.quarantine)
        return SourceRead(tables, notes, {"columns_not_read": not_read})


class Ccda:
    """HL7 C-CDA documents: a patients row and one note per section each."""

    name: ClassVar[str] = "ccda"
    joins: ClassVar[Join] = "append"

    def read(self, context: SourceContext) -> SourceRead:
        if not (documents := [context.source_dir / e.rel for e in context.files.of_kind("ccda")]):
            return SourceRead()
        patients, notes = read_ccda(documents, context.source_dir, context.quarantine)
        return SourceRead({"patients": (patients, 0)} if len(patients) else {}, notes)


class Fhir:
    """FHIR R4 bundles. Its report is always written: resources of types not read, and what was
    quarantined (bundles and resources, counted apart from notes)."""

    name: ClassVar[str] = "fhir"
    joins: ClassVar[Join] = "append"

    def read(self, context: SourceContext) -> SourceRead:
        report: dict[str, Any] = {"resources_not_read": {}, "quarantined": 0}
        if not (bundles := [context.source_dir / e.rel for e in context.files.of_kind("fhir")]):
            return SourceRead(report=report)
        before = len(context.quarantine)
        tables, notes, report["resources_not_read"] = read_fhir(bundles, context.source_dir, context.quarantine)
        report["quarantined"] = len(context.quarantine) - before
        return SourceRead({name: (frame, 0) for name, frame in tables.items()}, notes, report)


class Sql:
    """Tables and named queries of a database (`source.sql`), one of them possibly the notes."""

    name: ClassVar[str] = "sql"
    joins: ClassVar[Join] = "append"

    def read(self, context: SourceContext) -> SourceRead:
        if (sql := context.config.source.sql) is None:
            return SourceRead()
        frames = read_sql_source(sql)
        notes: Iterable[Note] = ()
        if sql.notes_table is not None:
            frame = frames.pop(sql.notes_table.lower())
            rows = frame.to_dict(orient="records")
            label = f"sql:{sql.notes_table}"
            notes = notes_from_rows(list(frame.columns), rows, label, context.config.source.notes, context.quarantine)
        return SourceRead({name: (frame, 0) for name, frame in frames.items()}, notes)


# In reading order: a later source's tables join the earlier ones' as its `joins` says; notes follow in
# this order (so the first of two notes with one id is the folder's).
SOURCES: tuple[Source, ...] = (ClinicFolder(), Omop(), Ccda(), Fhir(), Sql())
