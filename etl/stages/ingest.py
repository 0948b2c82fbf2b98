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
)
from etl.sources.discovery import ClinicFiles, survey
from etl.sources.registry import SOURCES, SourceContext, adapter_claims
from etl.stages.common import PART_NOTES, log, run_contract, staging_dir, table_contract, write_stage
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.records import Note
from schemas.stages import IngestStats

_NOTE_COLUMNS = ["note_id", "text", "patient_id", "encounter_id", "date", "note_type", "lang", "source"]


def _add_rows(tables: dict[str, tuple[pd.DataFrame, int]], name: str, frame: pd.DataFrame) -> None:
    """Append rows from another source (C-CDA, FHIR) to a table, adding columns as needed."""
    existing, bad = tables.get(name, (pd.DataFrame(dtype=object), 0))
    tables[name] = (pd.concat([existing, frame], ignore_index=True).fillna(""), bad)


def _read_sources(
    source_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles
) -> tuple[dict, Iterator[Note], dict[str, dict[str, Any]]]:
    """Every table (name -> (frame, rows quarantined)) of every source in the registry
    (etl/sources/registry.py), joined as each source says; the notes of all of them as one stream (read as
    it is used; ids made unique); each source's PHI-free report by its name."""
    context = SourceContext(source_dir, config, quarantine, files)
    tables: dict[str, tuple[pd.DataFrame, int]] = {}
    notes: list[Iterable[Note]] = []
    reports: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        read = source.read(context)
        for name, (frame, bad) in read.tables.items():
            if source.joins == "own":
                if name in tables:
                    raise SourceError(f"table {name} comes from two sources ({source.name} and another)")
                tables[name] = (frame, bad)
            else:
                _add_rows(tables, name, frame)
        notes.append(read.notes)
        if read.report is not None:
            reports[source.name] = read.report
    return tables, drop_duplicate_notes(chain.from_iterable(notes), quarantine), reports


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


def run(source_dir: Path, layout: RunLayout, config: RunConfig) -> IngestStats:
    """Read every table and note, check the table policy covers them, stage them under restricted/."""
    out_dir = layout.root
    if not source_dir.is_dir() and config.source.sql is None:
        raise SourceError(f"source folder not found: {source_dir}")
    quarantine = Quarantine(out_dir, "ingest")
    files = survey(source_dir, config.source, config.deid.site_list, adapter_claims())
    try:
        return _ingest(source_dir, out_dir, config, quarantine, files)
    finally:  # what was quarantined before a stop is kept, owner-only, for the steward
        quarantine.flush()
        write_json(RunLayout(out_dir).inventory_file, files.full_view())


def _ingest(
    source_dir: Path, out_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles
) -> IngestStats:
    """ingest's body: `quarantine` and `files` are saved by the caller whether it succeeds or stops."""
    policy = load_policy(config.tables.policy)
    contract = run_contract(config)
    staging_dir(out_dir)  # created owner-only before anything is staged
    read, notes, reports = _read_sources(source_dir, config, quarantine, files)
    fhir = reports.pop("fhir")
    adapters = {name: reports[name] for name in config.source.adapters if name in reports}
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
        IngestStats,
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
            **({"adapters": adapters} if adapters else {}),
        },
    )
