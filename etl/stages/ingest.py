"""The ingest stage: read every source (the clinic folder's tables and notes, C-CDA, FHIR, SQL), check that
the table policy covers what was read before any work, and stage it all under restricted/staging/.
Entry point: `run(source_dir, out_dir, config)`."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.deid.clinic import SiteListError, read_site_list
from etl.deid.notes import batched
from etl.deid.tables import (
    check_required,
    load_policy,
    resolve_columns,
    table_rule,
)
from etl.io import Quarantine, atomic_open, write_json, write_parquet
from etl.sources import (
    SourceError,
    drop_duplicate_notes,
    notes_from_rows,
    read_ccda,
    read_fhir,
    read_notes,
    read_sql_source,
    read_table,
)
from etl.sources.discovery import ClinicFiles, survey
from etl.sources.omop import read_omop
from etl.stages.common import PART_NOTES, log, run_contract, staging_dir, table_contract, write_stage
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.records import Note

_NOTE_COLUMNS = ["note_id", "text", "patient_id", "encounter_id", "date", "note_type", "lang", "source"]


def _add_rows(tables: dict[str, tuple[pd.DataFrame, int]], name: str, frame: pd.DataFrame) -> None:
    """Append rows from another source (C-CDA, FHIR) to a table, adding columns as needed."""
    existing, bad = tables.get(name, (pd.DataFrame(dtype=object), 0))
    tables[name] = (pd.concat([existing, frame], ignore_index=True).fillna(""), bad)


def _read_sources(
    source_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles
) -> tuple[dict, Iterator[Note], dict[str, Any], dict[str, Any]]:
    """Every table (name -> (frame, rows quarantined)) from the folder, the FHIR bundles, the C-CDA
    documents and the database; the notes of all of them as a stream (the folder's notes files are read
    as the stream is used; ids made unique); FHIR resources quarantined and not read. `files` says which
    file is read as what and receives what each file holds. Last, what OMOP's tables held that the clinic
    schema has no place for (empty without them)."""
    tables: dict[str, tuple[pd.DataFrame, int]] = {}
    omop: dict[str, Any] = {}
    notes: list[Iterable[Note]] = []
    if source_dir.is_dir():
        for entry in files.of_kind("table"):
            table_before = len(quarantine)
            frame = read_table(source_dir / entry.rel, config.source.tables.encoding, quarantine, entry)
            bad = len(quarantine) - table_before
            if entry.records != len(frame) + bad:  # the parser's rows against the file's own count
                raise SourceError(
                    f"{Path(entry.rel).name}: {len(frame) + bad} rows read where the file holds {entry.records}"
                )
            tables[str(entry.table)] = (frame, bad)
        notes.append(read_notes(source_dir, config.source.notes, quarantine, files))
        if omop_files := files.of_kind("omop"):
            omop_tables, omop_notes, omop["columns_not_read"] = read_omop(
                omop_files, source_dir, config.source.tables.encoding, quarantine
            )
            for name, read in omop_tables.items():
                if name in tables:
                    raise SourceError(f"table {name} comes both from a clinic file and from OMOP's tables")
                tables[name] = read
            notes.append(omop_notes)
        if documents := [source_dir / e.rel for e in files.of_kind("ccda")]:
            patients, ccda_notes = read_ccda(documents, source_dir, quarantine)
            if len(patients):
                _add_rows(tables, "patients", patients)
            notes.append(ccda_notes)
    fhir: dict[str, Any] = {"resources_not_read": {}, "quarantined": 0}
    if source_dir.is_dir() and (bundles := [source_dir / e.rel for e in files.of_kind("fhir")]):
        fhir_before = len(quarantine)
        fhir_tables, fhir_notes, fhir["resources_not_read"] = read_fhir(bundles, source_dir, quarantine)
        fhir["quarantined"] = len(quarantine) - fhir_before  # bundles and resources, not notes: counted apart
        for name, frame in fhir_tables.items():
            _add_rows(tables, name, frame)
        notes.append(fhir_notes)
    if (sql := config.source.sql) is not None:
        frames = read_sql_source(sql)
        if sql.notes_table is not None:
            frame = frames.pop(sql.notes_table.lower())
            rows = frame.to_dict(orient="records")
            notes.append(
                notes_from_rows(list(frame.columns), rows, f"sql:{sql.notes_table}", config.source.notes, quarantine)
            )
        for name, frame in frames.items():
            _add_rows(tables, name, frame)
    return tables, drop_duplicate_notes(chain.from_iterable(notes), quarantine), fhir, omop


def _stage_notes(path: Path, notes: Iterator[Note]) -> int:
    """The notes written to staging PART_NOTES at a time (never all of them in memory); how many."""
    schema = pa.schema([(column, pa.string()) for column in _NOTE_COLUMNS])
    count = 0
    with atomic_open(path, "wb") as handle, pq.ParquetWriter(handle, schema) as writer:
        for batch in batched(notes, PART_NOTES):
            writer.write_table(
                pa.Table.from_pylist([{c: getattr(n, c) for c in _NOTE_COLUMNS} for n in batch], schema=schema)
            )
            count += len(batch)
        if not count:
            writer.write_table(schema.empty_table())
    return count


def _stage_site_list(source_dir: Path, layout: RunLayout, config: RunConfig) -> None:
    """Check the steward's site list and keep a copy under restricted/ (where later stages read it); a
    list that cannot be read stops the run before any note is done."""
    target = layout.staged_site_list
    target.unlink(missing_ok=True)
    if config.deid.site_list is None:
        return
    path = Path(config.deid.site_list)
    path = path if path.is_absolute() else source_dir / path
    if not path.is_file():
        raise SourceError(f"deid.site_list: no file {path.name} in the source folder")
    try:
        read_site_list(path)
    except SiteListError as exc:
        raise SourceError(str(exc)) from None
    shutil.copyfile(path, target)
    target.chmod(0o600)


def run(source_dir: Path, out_dir: Path, config: RunConfig) -> Path:
    """Read every table and note, check the table policy covers them, stage them under restricted/."""
    if not source_dir.is_dir() and config.source.sql is None:
        raise SourceError(f"source folder not found: {source_dir}")
    quarantine = Quarantine(out_dir, "ingest")
    files = survey(source_dir, config.source, config.deid.site_list)
    try:
        return _ingest(source_dir, out_dir, config, quarantine, files)
    finally:  # what was quarantined before a stop is kept, owner-only, for the steward
        quarantine.flush()
        write_json(RunLayout(out_dir).inventory_file, files.full_view())


def _ingest(source_dir: Path, out_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles) -> Path:
    """ingest's body: `quarantine` and `files` are saved by the caller whether it succeeds or stops."""
    policy = load_policy(config.tables.policy)
    contract = run_contract(config)
    staging_dir(out_dir)  # created owner-only before anything is staged
    read, notes, fhir, omop = _read_sources(source_dir, config, quarantine, files)
    tables: dict[str, dict[str, int]] = {}
    for name, (frame, bad) in read.items():
        rule = table_rule(policy, name)
        if rule is not None:  # fail closed before any note is read
            check_required(name, table_contract(contract, name), list(frame.columns))
            resolve_columns(policy, name, rule, list(frame.columns))
            write_parquet(RunLayout(out_dir).staged_tables / f"{name}.parquet", frame)
        tables[name] = {"in": len(frame) + bad, "quarantined": bad, "dropped_by_policy": 0 if rule else len(frame)}
    tables_quarantined = sum(bad for _, bad in read.values())
    _stage_site_list(source_dir, RunLayout(out_dir), config)
    staged = _stage_notes(RunLayout(out_dir).staged_notes, notes)
    # what the notes stream quarantined: all but the tables' rows and the FHIR resources
    notes_quarantined = len(quarantine) - tables_quarantined - fhir["quarantined"]
    if not tables and not staged and not notes_quarantined:
        raise SourceError(f"no tables or notes found in {source_dir.name}: see docs/inputs.md")
    warnings = files.warnings()
    for warning in warnings:
        log.warning("ingest: %s", warning)
    log.info("ingest: %d tables, %d notes staged", len(tables), staged)
    return write_stage(
        out_dir,
        "ingest",
        {
            "tables": tables,
            "notes": {
                "in": staged + notes_quarantined,
                "staged": staged,
                "quarantined": notes_quarantined,
                # records the folder's notes files hold, counted apart from the parser (each file's notes and
                # quarantined rows were checked against its count); the rest came from C-CDA, FHIR or SQL
                "in_folder_files": sum(e.records or 0 for e in files.of_kind("notes")),
            },
            "quarantine_reasons": quarantine.reasons(),
            "fhir": fhir,
            "source_files": files.audit_view(),
            "warnings": warnings,
            **({"omop": omop} if omop else {}),
        },
    )
