"""The source registry: one line a source (etl/sources/base.py says what a source is). A source that the
config turns on through `source.adapters` (an `Adapter`, such as OMOP's) needs nothing else: its claim
on files is passed to discovery from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from etl.sources.base import Adapter, Join, Source, SourceContext, SourceRead
from etl.sources.ccda import read_ccda
from etl.sources.clinic_folder import notes_from_rows, read_counted_table, read_notes
from etl.sources.discovery import Claim
from etl.sources.fhir import read_fhir
from etl.sources.omop import Omop
from etl.sources.sql import read_sql_source
from schemas.records import Note


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


def adapter_claims() -> dict[str, Claim]:
    """Each adapter's claim on files, by its name, for discovery."""
    return {source.name: source.claim for source in SOURCES if isinstance(source, Adapter)}
