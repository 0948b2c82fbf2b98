"""The run's stages as plain functions over paths. flows/ wraps each in one Prefect task.

Stages hand each other files, never note text: staged inputs (PHI) under OUT/restricted/staging/,
de-identified outputs under OUT/, and PHI-free counts under OUT/audit/stages/<stage>.json.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import __version__
from etl.audit.report import build_report, load_evaluations, publish_artifacts, write_report
from etl.audit.stage import GateFailed, audit_stage, pending_datasets
from etl.config import config_hash, write_effective_config
from etl.convert.exporters import dataset_info, export
from etl.convert.quality import assign_splits, check_lengths, distinct_examples
from etl.convert.record_tasks import build_record_examples
from etl.convert.tasks import build_examples
from etl.deid.clinic import ClinicKnowledge, SiteListError, read_site_list, staged_clinic_knowledge
from etl.deid.notes import NoteOutcome, NotesStats, batched, deidentify_notes
from etl.deid.parallel import Item, detect_chunk
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.risk import k_anonymity_report
from etl.deid.surrogates import SurrogateReplacer
from etl.deid.tables import (
    FreeText,
    TableContext,
    check_required,
    deidentify_table,
    known_identifiers,
    load_policy,
    output_schema,
    resolve_columns,
    table_rule,
    to_arrow,
    unlisted_columns,
)
from etl.deid.text import DeidError, TextDeidentifier, make_replacer
from etl.external_sort import ExternalSort
from etl.io import Quarantine, atomic_open, jsonl_line, parquet_rows, restricted_dir, write_json, write_parquet
from etl.lang import detect_lang
from etl.manifest import COLUMNS as MANIFEST_COLUMNS
from etl.manifest import fingerprint, manifest_path, read_manifest, unchanged, write_manifest
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
from schemas.config import DeidConfig, RunConfig
from schemas.contracts import Contract, TableContract, load_contract
from schemas.policy import TablePolicy
from schemas.records import SPLITS, Note, Span, TrainingExample

log = logging.getLogger("clinetl")
STAGES = ("ingest", "tables", "notes", "convert", "audit")
# cleared at the start of a run; notes/ and tables/ are kept for the incremental refresh and rewritten whole
_OUTPUT_DIRS = ("datasets", "audit/stages")
_NOTE_COLUMNS = ["note_id", "text", "patient_id", "encounter_id", "date", "note_type", "lang", "source"]


def _staging(out_dir: Path) -> Path:
    return restricted_dir(out_dir, "staging")


def _pseudonyms(out_dir: Path) -> PseudonymStore:
    return PseudonymStore(restricted_dir(out_dir) / "pseudonyms.sqlite3")


def _contract(config: RunConfig) -> Contract | None:
    return load_contract(config.tables.contract) if config.tables.contract else None


def _table_contract(contract: Contract | None, table: str) -> TableContract | None:
    return contract.tables.get(table) if contract else None


def _write_stage(out_dir: Path, stage: str, stats: dict[str, Any]) -> Path:
    path = out_dir / "audit" / "stages" / f"{stage}.json"
    write_json(path, stats)
    return path


def _read_stage(out_dir: Path, stage: str) -> dict[str, Any]:
    return json.loads((out_dir / "audit" / "stages" / f"{stage}.json").read_text(encoding="utf-8"))


def prepare_output(out_dir: Path, config: RunConfig) -> str:
    """Clear the previous run's derived outputs (the pseudonym map, the manifest and the notes and tables a
    later run may reuse persist) and record the config."""
    for name in _OUTPUT_DIRS:
        shutil.rmtree(out_dir / name, ignore_errors=True)
    for name in ("staging", "ingest", "quarantine", "pending", "withheld", "review", "audit"):
        shutil.rmtree(out_dir / "restricted" / name, ignore_errors=True)
    restricted_dir(out_dir)
    return write_effective_config(config, out_dir / "audit")


def _add_rows(tables: dict[str, tuple[pd.DataFrame, int]], name: str, frame: pd.DataFrame) -> None:
    """Append rows from another source (C-CDA, FHIR) to a table, adding columns as needed."""
    existing, bad = tables.get(name, (pd.DataFrame(dtype=object), 0))
    tables[name] = (pd.concat([existing, frame], ignore_index=True).fillna(""), bad)


def _read_sources(
    source_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles
) -> tuple[dict, Iterator[Note], dict[str, Any]]:
    """Every table (name -> (frame, rows quarantined)) from the folder, the FHIR bundles, the C-CDA
    documents and the database; the notes of all of them as a stream (the folder's notes files are read
    as the stream is used; ids made unique); FHIR resources quarantined and not read. `files` says which
    file is read as what and receives what each file holds."""
    tables: dict[str, tuple[pd.DataFrame, int]] = {}
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
    return tables, drop_duplicate_notes(chain.from_iterable(notes), quarantine), fhir


def _stage_notes(path: Path, notes: Iterator[Note]) -> int:
    """The notes written to staging _PART_NOTES at a time (never all of them in memory); how many."""
    schema = pa.schema([(column, pa.string()) for column in _NOTE_COLUMNS])
    count = 0
    with atomic_open(path, "wb") as handle, pq.ParquetWriter(handle, schema) as writer:
        for batch in batched(notes, _PART_NOTES):
            writer.write_table(
                pa.Table.from_pylist([{c: getattr(n, c) for c in _NOTE_COLUMNS} for n in batch], schema=schema)
            )
            count += len(batch)
        if not count:
            writer.write_table(schema.empty_table())
    return count


def _stage_site_list(source_dir: Path, staging: Path, config: RunConfig) -> None:
    """Check the steward's site list and keep a copy under restricted/ (where later stages read it); a
    list that cannot be read stops the run before any note is done."""
    target = staging / "site_list.yaml"
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


def clinic_knowledge(out_dir: Path, config: RunConfig) -> ClinicKnowledge:
    return staged_clinic_knowledge(_staging(out_dir), config)


def ingest(source_dir: Path, out_dir: Path, config: RunConfig) -> Path:
    """Read every table and note, check the table policy covers them, stage them under restricted/."""
    if not source_dir.is_dir() and config.source.sql is None:
        raise SourceError(f"source folder not found: {source_dir}")
    quarantine = Quarantine(out_dir, "ingest")
    files = survey(source_dir, config.source, config.deid.site_list)
    try:
        return _ingest(source_dir, out_dir, config, quarantine, files)
    finally:  # what was quarantined before a stop is kept, owner-only, for the steward
        quarantine.flush()
        write_json(restricted_dir(out_dir, "ingest") / "inventory.json", files.full_view())


def _ingest(source_dir: Path, out_dir: Path, config: RunConfig, quarantine: Quarantine, files: ClinicFiles) -> Path:
    """ingest's body: `quarantine` and `files` are saved by the caller whether it succeeds or stops."""
    policy = load_policy(config.tables.policy)
    contract = _contract(config)
    staging = _staging(out_dir)
    read, notes, fhir = _read_sources(source_dir, config, quarantine, files)
    tables: dict[str, dict[str, int]] = {}
    for name, (frame, bad) in read.items():
        rule = table_rule(policy, name)
        if rule is not None:  # fail closed before any note is read
            check_required(name, _table_contract(contract, name), list(frame.columns))
            resolve_columns(policy, name, rule, list(frame.columns))
            write_parquet(staging / "tables" / f"{name}.parquet", frame)
        tables[name] = {"in": len(frame) + bad, "quarantined": bad, "dropped_by_policy": 0 if rule else len(frame)}
    tables_quarantined = sum(bad for _, bad in read.values())
    _stage_site_list(source_dir, staging, config)
    staged = _stage_notes(staging / "notes.parquet", notes)
    # what the notes stream quarantined: all but the tables' rows and the FHIR resources
    notes_quarantined = len(quarantine) - tables_quarantined - fhir["quarantined"]
    if not tables and not staged and not notes_quarantined:
        raise SourceError(f"no tables or notes found in {source_dir.name}: see README 'Input: a clinic folder'")
    warnings = files.warnings()
    for warning in warnings:
        log.warning("ingest: %s", warning)
    log.info("ingest: %d tables, %d notes staged", len(tables), staged)
    return _write_stage(
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
        },
    )


def _free_text_deidentifier(out_dir: Path, config: RunConfig, store: PseudonymStore) -> FreeText:
    """Table cells routed through note de-identification, with the row's patient record; cached by value
    and patient because coded answers repeat thousands of times. The models load at the first cell."""

    @lru_cache(maxsize=1)
    def loaded() -> tuple[TextDeidentifier, dict[str, list[tuple[str, str]]], Any]:
        known = _known_by_patient(out_dir, config)
        clinic = clinic_knowledge(out_dir, config)
        avoid = [*known.values(), list(clinic.identifiers)]
        return TextDeidentifier(config.deid, clinic), known, make_replacer(config.deid, store, avoid)

    @lru_cache(maxsize=100_000)
    def free_text(value: str, patient: str) -> str:
        lang = detect_lang(value, config.deid.default_lang)
        deidentifier, known, replacer = loaded()
        try:
            key = store.get("patient", patient) if patient else ""
            return deidentifier.deidentify(value, lang, known.get(patient, []), key, replacer).text
        except DeidError as exc:
            raise ValueError(str(exc)) from None

    return free_text


def _needs_free_text(policy: TablePolicy, tables: list[str]) -> bool:
    return any(r.action == "free_text" for t in tables if t in policy.tables for r in policy.tables[t].columns.values())


def deidentify_tables(out_dir: Path, config: RunConfig) -> Path:
    """Apply the column policy to every staged table; write OUT/tables/<table>.parquet with an explicit
    schema, and the k-anonymity report over the configured quasi-identifiers."""
    policy = load_policy(config.tables.policy)
    contract = _contract(config)
    quarantine = Quarantine(out_dir, "tables")
    staged = sorted((_staging(out_dir) / "tables").glob("*.parquet"))
    stats: dict[str, dict[str, Any]] = {}
    with _pseudonyms(out_dir) as store:
        needed = _needs_free_text(policy, [p.stem for p in staged])
        replacer = SurrogateReplacer(store, max_shift_days=config.deid.max_shift_days)
        ctx = TableContext(
            policy=policy,
            store=store,
            today=datetime.now(UTC).date(),
            free_text=_free_text_deidentifier(out_dir, config, store) if needed else None,
            date_offset=lambda patient: replacer.date_offset(store.get("patient", patient) if patient else ""),
        )
        previous = read_manifest(out_dir, "tables")
        config_hash = fingerprint(
            policy.model_dump(),
            contract.model_dump() if contract else None,
            config.deid.model_dump(),
            config.tables.k_anonymity.model_dump(),
            _table_print(_staging(out_dir) / "tables" / "patients.parquet", None),
        )
        manifest, redone = [], 0
        for path in staged:
            frame = pd.read_parquet(path)
            output = out_dir / "tables" / f"{path.stem}.parquet"
            print_ = _table_print(path, frame)
            before_stats = previous.get(path.stem)
            if unchanged(before_stats, print_, config_hash) and output.is_file() and before_stats is not None:
                stats[path.stem] = json.loads(before_stats["outcome"])  # nothing changed: the output stands
                manifest.append(before_stats)
                continue
            before, redone = len(quarantine), redone + 1
            table_contract = _table_contract(contract, path.stem)
            result = deidentify_table(path.stem, frame, ctx, quarantine, table_contract)
            if result is None:
                continue
            table, rules = result
            write_parquet(output, to_arrow(table, output_schema(rules, table_contract)))
            stats[path.stem] = {
                "in": len(frame),
                "out": len(table),
                "quarantined": len(quarantine) - before,
                "columns_dropped_by_default": unlisted_columns(policy.tables[path.stem], list(frame.columns)),
            }
            if not stats[path.stem]["quarantined"]:  # a table with quarantined rows is redone, re-quarantining them
                manifest.append(
                    {
                        "record_key": path.stem,
                        "fingerprint": print_,
                        "config_hash": config_hash,
                        "output_key": path.stem,
                        "outcome": json.dumps(stats[path.stem]),
                    }
                )
    for stale in (out_dir / "tables").glob("*.parquet"):
        if stale.stem not in stats:  # gone from the source, or now dropped by the policy: erased
            stale.unlink()
    write_manifest(out_dir, "tables", sorted(manifest, key=lambda row: row["record_key"]))
    quarantine.flush()
    risk = k_anonymity_report(out_dir / "tables", config.tables.k_anonymity)
    write_json(out_dir / "audit" / "k_anonymity.json", risk)
    redone = len([m for m in manifest if previous.get(m["record_key"]) != m]) + sum(
        1 for name, row in stats.items() if row["quarantined"]
    )
    incremental = {
        "processed": redone,
        "skipped_unchanged": len(stats) - redone,
        "deleted": len(set(previous) - {p.stem for p in staged}),
    }
    log.info("tables: %d tables, %d de-identified now", len(stats), redone)
    return _write_stage(
        out_dir,
        "tables",
        {
            "tables": stats,
            "quarantine_reasons": quarantine.reasons(),
            "date_mode": policy.date_mode,
            "k_anonymity": risk,
            "incremental": incremental,
        },
    )


def _table_print(path: Path, frame: pd.DataFrame | None) -> str:
    """A staged table's content fingerprint (columns and every value); "" when there is no such table.
    `frame`: the table when already read."""
    if frame is None:
        if not path.is_file():
            return ""
        frame = pd.read_parquet(path)
    return fingerprint(list(frame.columns), pd.util.hash_pandas_object(frame, index=False).tolist())


_PART_NOTES = 5_000  # staged notes read, and outcomes held, at a time: the stage's memory bound


def _staged_note_batches(out_dir: Path) -> Iterator[list[Note]]:
    """The staged notes, _PART_NOTES at a time (never all of them in memory)."""
    yield from batched((Note(**row) for row in parquet_rows(_staging(out_dir) / "notes.parquet")), _PART_NOTES)


def _known_by_patient(out_dir: Path, config: RunConfig) -> dict[str, list[tuple[str, str]]]:
    patients = _staging(out_dir) / "tables" / "patients.parquet"
    if not (config.deid.record_linked and patients.is_file()):
        return {}
    return known_identifiers(pd.read_parquet(patients), load_policy(config.tables.policy))


def _notes_config_hash(config: RunConfig, clinic: ClinicKnowledge) -> str:
    """The config parts that shape a de-identified note, and the clinic's own names (tables, site list): a
    change reprocesses every note."""
    return fingerprint(
        config.deid.model_dump(exclude={"workers"}),
        config.tables.policy,
        config.audit.bypass_deid_for_testing,
        clinic.digest,
    )


@dataclass
class _NotesPlan:
    """What this run must do with the staged notes: reuse the unchanged ones' outputs, do the rest. Holds
    keys and fingerprints, never texts (those are streamed from staging again when the work is done)."""

    staged: int
    deleted: int  # notes in the last manifest and no longer in the source
    known: dict[str, list[tuple[str, str]]]
    clinic: ClinicKnowledge
    config_hash: str
    reused: list[dict[str, Any]]  # manifest rows of notes whose previous output stands
    todo: dict[str, str]  # note id -> fingerprint, for the notes to de-identify now

    def todo_batches(self, out_dir: Path) -> Iterator[list[Note]]:
        if not self.todo:  # a no-change refresh reads the staged notes once, to plan, not again
            return
        for batch in _staged_note_batches(out_dir):
            if todo := [note for note in batch if note.note_id in self.todo]:
                yield todo


def _plan_notes(out_dir: Path, config: RunConfig, old_keys: set[str]) -> _NotesPlan:
    known = _known_by_patient(out_dir, config)
    clinic = clinic_knowledge(out_dir, config)
    config_hash = _notes_config_hash(config, clinic)
    previous = read_manifest(out_dir, "notes")
    staged = 0
    reused, todo = [], {}
    for batch in _staged_note_batches(out_dir):
        for n in batch:
            staged += 1
            print_ = fingerprint(
                n.text, n.patient_id, n.encounter_id, n.date, n.note_type, n.lang, known.get(n.patient_id or "", [])
            )
            before = previous.pop(n.note_id, None)
            if (
                before is not None
                and unchanged(before, print_, config_hash)
                and (before["outcome"] == "filtered" or before["output_key"] in old_keys)
            ):
                reused.append(before)
            else:
                todo[n.note_id] = print_
    return _NotesPlan(staged, len(previous), known, clinic, config_hash, reused, todo)


def _output_keys(path: Path) -> set[str]:
    return set(pq.read_table(path, columns=["note_key"]).column(0).to_pylist()) if path.is_file() else set()


def _detect_dir(out_dir: Path) -> Path:
    return restricted_dir(out_dir, "staging", "detect")


def plan_note_batches(out_dir: Path, config: RunConfig) -> list[str]:
    """The notes to de-identify in this run, in batches under restricted/staging/detect/ (PHI stays in
    restricted/), for detection on other processes or machines. Returns the batch files."""
    plan = _plan_notes(out_dir, config, _output_keys(out_dir / "notes" / "notes.parquet"))
    shutil.rmtree(_detect_dir(out_dir), ignore_errors=True)
    items = (
        {
            "text": n.text,
            "lang": n.lang or detect_lang(n.text, config.deid.default_lang),
            "known": json.dumps(plan.known.get(n.patient_id or "", [])),
        }
        for batch in plan.todo_batches(out_dir)
        for n in batch
        if n.text.strip()
    )
    paths = []
    _detect_dir(out_dir).mkdir(parents=True, exist_ok=True)
    clinic_file = _detect_dir(out_dir) / "clinic.json"  # the clinic's names, for detection elsewhere (PHI)
    clinic_file.write_text(plan.clinic.to_json(), encoding="utf-8")
    clinic_file.chmod(0o600)
    for number, batch in enumerate(batched(items, config.batch_size)):
        path = _detect_dir(out_dir) / f"in-{number:05d}.parquet"
        write_parquet(path, pd.DataFrame(batch, columns=["text", "lang", "known"]))
        paths.append(str(path))
    return paths


@lru_cache(maxsize=2)
def _engine(deid_json: str, clinic_json: str) -> TextDeidentifier:
    """One engine per process (a Dask worker keeps it between batches)."""
    return TextDeidentifier(DeidConfig.model_validate_json(deid_json), ClinicKnowledge.from_json(clinic_json))


def detect_note_batch(batch: str, config: RunConfig) -> str:
    """Detection for one batch file (no surrogate map needed): spans or an error message per note, written
    beside it. Returns the result file."""
    frame = pd.read_parquet(batch)
    items: list[Item] = [
        (str(r["text"]), str(r["lang"]), [(str(label), str(value)) for label, value in json.loads(r["known"])])
        for r in frame.to_dict("records")
    ]
    clinic_json = Path(batch).with_name("clinic.json").read_text(encoding="utf-8")
    found = detect_chunk(_engine(config.deid.model_dump_json(), clinic_json), items)
    result = Path(batch).with_name(Path(batch).name.replace("in-", "out-"))
    rows = [
        {
            "spans": json.dumps([] if isinstance(f, str) else [{**s.to_dict(), "recognizer": s.recognizer} for s in f]),
            "error": f if isinstance(f, str) else None,
        }
        for f in found
    ]
    write_parquet(result, pd.DataFrame(rows, columns=["spans", "error"]))
    return str(result)


def _read_detections(results: list[str]) -> Iterator[list[Span] | str]:
    for path in results:
        for row in pd.read_parquet(path).to_dict("records"):
            yield row["error"] if row["error"] is not None else [Span(**s) for s in json.loads(row["spans"])]


def _reuse_outputs(
    out_dir: Path, kept: set[str], notes_out: ExternalSort, spans_out: ExternalSort, stats: NotesStats
) -> None:
    """The last run's outputs of the notes in `kept`, streamed into this run's sorted outputs."""
    notes_path, spans_path = out_dir / "notes" / "notes.parquet", restricted_dir(out_dir) / "deid_spans.parquet"
    if not kept or not notes_path.is_file():
        return
    value_set = pa.array(sorted(kept), pa.string())
    for batch in pq.ParquetFile(notes_path).iter_batches(batch_size=_PART_NOTES, columns=NOTES_SCHEMA.names):
        table = pa.Table.from_batches([batch])
        notes_out.add(table.filter(pc.is_in(table.column("note_key"), value_set=value_set)))
    if not spans_path.is_file():
        return
    for batch in pq.ParquetFile(spans_path).iter_batches(batch_size=_PART_SPANS):
        table = pa.Table.from_batches([batch])
        if "surrogate" not in table.column_names:  # written before the audit log existed
            table = table.append_column("surrogate", pa.nulls(len(table), pa.string()))
        table = table.filter(pc.is_in(table.column("note_key"), value_set=value_set))
        stats.entities.update(table.column("label").to_pylist())
        stats.recognizers.update(str(r).split(":")[0] for r in table.column("recognizer").to_pylist())
        spans_out.add(table)


def deidentify_notes_stage(out_dir: Path, config: RunConfig, detected: list[str] | None = None) -> Path:
    """De-identify the staged notes that are new or changed since the last run into this output folder (or
    whose config changed); reuse the others' outputs; drop the outputs of notes no longer in the source.
    Detection runs here (or in `deid.workers` processes), unless `detected` gives the result files of
    plan_note_batches' batches run elsewhere (a Dask cluster). Writes OUT/notes/notes.parquet, the spans
    and the manifest under restricted/.

    Memory is bounded whatever the number of notes: notes are streamed from staging, outcomes go to
    sorted parts on disk every _PART_NOTES notes and are merged at the end (etl/external_sort.py); what
    grows with the count is per-note bookkeeping (keys and fingerprints), not texts."""
    plan = _plan_notes(out_dir, config, _output_keys(out_dir / "notes" / "notes.parquet"))
    quarantine = Quarantine(out_dir, "notes")
    stats = NotesStats()
    parts = restricted_dir(out_dir, "staging", "parts")
    notes_out = ExternalSort(parts / "notes", NOTES_SCHEMA, ["note_key"], part_rows=_PART_NOTES)
    spans_out = ExternalSort(parts / "spans", SPANS_SCHEMA, SPANS_SCHEMA.names, part_rows=_PART_SPANS)
    manifest = ExternalSort(parts / "manifest", MANIFEST_SCHEMA, ["record_key"], part_rows=10 * _PART_NOTES)
    manifest.add_rows(plan.reused)
    kept = {before["output_key"] for before in plan.reused if before["outcome"] == "out"}
    stats.notes_in += len(plan.reused)
    stats.notes_out += len(kept)
    stats.filtered["empty_text"] += len(plan.reused) - len(kept)
    _reuse_outputs(out_dir, kept, notes_out, spans_out, stats)
    if plan.todo:
        workers = config.deid.workers
        local = detected is None and workers == 1
        deidentifier = TextDeidentifier(config.deid, plan.clinic) if local else None  # workers load their own
        rows: list[dict[str, Any]] = []
        spans: list[dict[str, Any]] = []
        with _pseudonyms(out_dir) as store:
            done: set[str] = set()
            pulled: list[tuple[str, bool]] = []  # note id, empty: for the manifest, without a second read

            def todo_notes() -> Iterator[Note]:
                for batch in plan.todo_batches(out_dir):
                    for note in batch:
                        pulled.append((note.note_id, not note.text.strip()))
                        yield note

            for outcome in deidentify_notes(
                todo_notes(),
                deidentifier,
                config.deid,
                plan.known,
                store,
                quarantine,
                stats,
                config.batch_size,
                workers,
                None if detected is None else _read_detections(detected),
                frozenset(config.audit.bypass_deid_for_testing),
                total=len(plan.todo),
                clinic=plan.clinic,
            ):
                done.add(outcome.note_key)
                rows.append({k: v for k, v in vars(outcome).items() if k not in ("spans", "surrogates")})
                spans.extend(
                    {"note_key": outcome.note_key, **s.to_dict(), "recognizer": s.recognizer, "surrogate": surrogate}
                    for s, surrogate in zip(outcome.spans, outcome.surrogates, strict=True)
                )
                if len(rows) >= _PART_NOTES // 10:  # Python objects a few hundred at a time; Arrow from there
                    notes_out.add_rows(rows)
                    spans_out.add_rows(spans)
                    rows.clear()
                    spans.clear()
            notes_out.add_rows(rows)
            spans_out.add_rows(spans)
            for pulled_part in batched(pulled, _PART_NOTES):
                manifest.add_rows(
                    [
                        {
                            "record_key": note_id,
                            "fingerprint": plan.todo[note_id],
                            "config_hash": plan.config_hash,
                            "output_key": (key := store.get("note", note_id)),
                            "outcome": "out" if key in done else "filtered" if empty else "quarantined",
                        }
                        for note_id, empty in pulled_part
                    ]
                )
    # sorted, so the same notes give the same bytes whatever was reused or redone
    notes_out.write(out_dir / "notes" / "notes.parquet")
    spans_out.write(restricted_dir(out_dir) / "deid_spans.parquet")
    manifest.write(manifest_path(out_dir, "notes"))
    shutil.rmtree(_detect_dir(out_dir), ignore_errors=True)
    quarantine.flush()
    incremental = {
        "processed": len(plan.todo),
        "skipped_unchanged": plan.staged - len(plan.todo),
        "deleted": plan.deleted,
    }
    log.info(
        "notes: %d in, %d de-identified now, %d unchanged, %d deleted at the source, %d quarantined",
        stats.notes_in,
        len(plan.todo),
        incremental["skipped_unchanged"],
        incremental["deleted"],
        len(quarantine),
    )
    known_by_kind = Counter(label for label, _ in plan.clinic.identifiers)
    clinic = {
        "values": len(plan.clinic.values),
        "site_list_entries": len(plan.clinic.site),
        "by_label": known_by_kind,
        "coded_vocabulary_words": len(plan.clinic.vocabulary),
    }
    return _write_stage(
        out_dir, "notes", {**stats.as_dict(quarantine), "incremental": incremental, "clinic_knowledge": clinic}
    )


NOTES_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("note_key", "patient_key", "encounter_key", "note_type", "lang", "year", "text")]
)
SPANS_SCHEMA = pa.schema(
    [
        ("note_key", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("label", pa.string()),
        ("score", pa.float64()),
        ("recognizer", pa.string()),
        ("surrogate", pa.string()),  # what replaced the span in the output text (never the original)
    ]
)
_PART_SPANS = 50_000
MANIFEST_SCHEMA = pa.schema([(name, pa.string()) for name in MANIFEST_COLUMNS])


def _token_counter(config: RunConfig) -> Any:
    """Counts an example's tokens with the target tokenizer (its chat markup estimated at 4 tokens a turn)."""
    if config.convert.tokenizer is None:
        return None
    from tokenizers import Tokenizer  # installed with the finetune extra

    path = Path(config.convert.tokenizer)
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json" if path.is_dir() else path))

    def count(example: TrainingExample) -> int:
        return sum(len(tokenizer.encode(t.content).ids) + 4 for t in example.turns)

    return count


def _dataset_card(stats: dict[str, Any], config: RunConfig) -> str:
    lines = [
        "# clinetl dataset card",
        "",
        "Training data built from one clinic's de-identified records by clinetl "
        f"{__version__} (config {config_hash(config)[:12]}; notes: {config.deid.date_mode}).",
        "",
        "* Source: the clinic's own notes and records. Licence: clinic-internal; not for redistribution unless the",
        "  clinic's data steward releases it. De-identification evidence: `../audit/`.",
        "* Splits are by patient (pseudonymous keys in `splits.json`); no patient is in two splits.",
        "* Formats: " + ", ".join(f"`{f}/`" for f in config.convert.formats) + "; LLaMA-Factory: `dataset_info.json`.",
        "",
        "| task | language | split | examples |",
        "|---|---|---|---|",
    ]
    for key, count in sorted(stats["examples_by_task_lang_split"].items()):
        task, lang, split = key.split("|")
        lines.append(f"| {task} | {lang} | {split} | {count} |")
    removed = ", ".join(f"{k} {v}" for k, v in sorted(stats["removed"].items()) if v) or "none"
    lines += ["", f"Removed before splitting: {removed}."]
    lines += ["", _split_line(stats["patients_by_split"], config.convert.split_fractions)]
    return "\n".join(lines) + "\n"


def _split_line(patients: dict[str, int], fractions: dict[str, float]) -> str:
    """Patients per split, and why a split is empty when it is: a patient's split comes from a stable hash
    of their key, so a clinic with few patients can leave a small split without any."""
    total = sum(patients.values())
    line = "Patients by split: " + ", ".join(f"{split} {patients.get(split, 0)}" for split in SPLITS) + "."
    empty = [split for split in SPLITS if not patients.get(split) and fractions.get(split, 0) > 0]
    if empty:
        expected = ", ".join(f"{split} {total * fractions[split]:.1f}" for split in empty)
        line += (
            f" Empty: {', '.join(empty)}. With {total} patients the fractions (convert.split_fractions) expect "
            f"{expected} patients there; each patient is placed by a stable hash of their key, so a clinic this "
            "small can leave a split empty. It fills as patients are added, and no patient ever changes split."
        )
    return line


def _note_examples(
    path: Path, config: RunConfig, skipped: dict[str, dict[str, int]], counts: Counter[str]
) -> Iterator[TrainingExample]:
    """Every note's examples, in order, the notes read a batch at a time; what each note could not give
    is counted in `skipped` (task -> reason -> count), notes in `counts`."""
    for row in parquet_rows(path, NOTES_SCHEMA.names):
        built, reasons = build_examples(NoteOutcome(spans=[], **row), config.convert)
        counts["notes_in"] += 1
        counts["notes_with_examples"] += bool(built)
        for task, reason in reasons.items():
            skipped.setdefault(task, {}).setdefault(reason, 0)
            skipped[task][reason] += 1
        yield from built


def build_datasets(out_dir: Path, config: RunConfig) -> Path:
    """De-identified notes and tables -> canonical records -> duplicates and over-long examples removed ->
    patient-level splits -> OUT/datasets/<format>/<split>.jsonl for every configured format, splits.json,
    LLaMA-Factory's dataset_info.json, a dataset card.

    Streamed: notes are read a batch at a time; each example past the exact-duplicate check waits in a
    spill file under restricted/pending/ while near duplicates are found (see distinct_examples); the
    spill is then read once to write every format and split. Every example built is kept or counted in
    `removed` with its reason."""
    datasets = pending_datasets(out_dir)  # published by the audit stage, if its gate passes
    spill = datasets.parent / "examples.spill.jsonl"
    skipped: dict[str, dict[str, int]] = {}
    counts: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    examples: Iterable[TrainingExample] = _note_examples(out_dir / "notes" / "notes.parquet", config, skipped, counts)
    if (out_dir / "tables").is_dir():
        from_records, record_skips = build_record_examples(out_dir / "tables", config.convert)
        examples = chain(examples, from_records)
        for task, task_counts in record_skips.items():
            skipped.setdefault(task, {}).update(task_counts)
    try:
        distinct = distinct_examples(examples, config.convert.near_duplicate_threshold, removed, spill)
        kept = check_lengths(distinct, _token_counter(config), config.convert.max_tokens, removed)
        patients: dict[str, set[str]] = {split: set() for split in SPLITS}
        by_key, kinds, written = _write_datasets(
            datasets, assign_splits(kept, config.convert.split_fractions, config.convert.split_salt, patients), config
        )
    finally:
        spill.unlink(missing_ok=True)
    write_json(datasets / "splits.json", {split: sorted(keys) for split, keys in patients.items()})
    write_json(datasets / "dataset_info.json", dataset_info())
    stats = {
        "notes_in": counts["notes_in"],
        "notes_with_examples": counts["notes_with_examples"],
        "notes_without_examples": counts["notes_in"] - counts["notes_with_examples"],
        "examples_built": sum(by_key.values()) + sum(removed.values()),
        "examples_kept": sum(by_key.values()),
        "removed": dict(removed),
        "examples": {"instruction": kinds["instruction"], "conversation": kinds["conversation"]},
        "examples_by_task_lang_split": dict(sorted(by_key.items())),
        "patients_by_split": {split: len(keys) for split, keys in patients.items()},
        "lines_by_format_split": written,
        "skipped_by_task": {task: dict(sorted(reasons.items())) for task, reasons in sorted(skipped.items())},
    }
    with atomic_open(datasets / "README.md") as handle:  # under restricted/ until published: owner-only
        handle.write(_dataset_card(stats, config))
    log.info(
        "convert: %d examples kept of %d built from %d notes",
        stats["examples_kept"],
        stats["examples_built"],
        stats["notes_with_examples"],
    )
    return _write_stage(out_dir, "convert", stats)


def _write_datasets(
    datasets: Path, examples: Iterable[TrainingExample], config: RunConfig
) -> tuple[Counter[str], Counter[str], dict[str, dict[str, int]]]:
    """records.jsonl and <format>/<split>.jsonl for every configured format, all written in one pass over
    `examples` (each file atomically); returns examples by "task|lang|split", by kind, and lines written
    by format and split."""
    by_key: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    written: dict[str, dict[str, int]] = {fmt: dict.fromkeys(SPLITS, 0) for fmt in config.convert.formats}
    with ExitStack() as stack:
        records = stack.enter_context(atomic_open(datasets / "records.jsonl"))
        handles = {
            (fmt, split): stack.enter_context(atomic_open(datasets / fmt / f"{split}.jsonl"))
            for fmt in config.convert.formats
            for split in SPLITS
        }
        for example in examples:
            by_key[f"{example.task}|{example.lang}|{example.split}"] += 1
            kinds[example.kind] += 1
            records.write(jsonl_line(example.to_dict()))
            for fmt in config.convert.formats:
                record = export(example, fmt)
                if record is not None:
                    handles[fmt, example.split].write(jsonl_line(record))
                    written[fmt][example.split] += 1
    return by_key, kinds, written


def audit_outputs(out_dir: Path, config: RunConfig) -> Path:
    """The residual scan and gate (publishing the datasets or withholding them), the audit log of
    replacements and the review sample; see etl/audit/stage.py."""
    stats = audit_stage(out_dir, config, _read_stage(out_dir, "tables").get("date_mode"))
    if stats["gate"]["datasets"] == "published":
        for path in (out_dir / "datasets").rglob("*"):  # built owner-only under restricted/; now shareable
            path.chmod(0o755 if path.is_dir() else 0o644)
        (out_dir / "datasets").chmod(0o755)
    else:
        log.error(
            "residual-PHI gate FAILED: %d known identifiers in shareable outputs (allowed %d); datasets withheld",
            stats["gate"]["known"],
            stats["gate"]["max_known"],
        )
    return _write_stage(out_dir, "audit", stats)


def _balance(
    ingest: dict[str, Any], tables: dict[str, Any], notes: dict[str, Any], dropped: dict[str, Any]
) -> dict[str, Any]:
    """Every input record is in exactly one place: output, filtered, quarantined, or (audit.on_residual:
    drop_records) taken out by the residual scan and kept under restricted/residual/."""
    table_rows = {}
    for name, read in ingest["tables"].items():
        done = tables["tables"].get(name, {"out": 0, "quarantined": 0})
        by_scan = dropped.get("table_rows", {}).get(name, 0)
        out = done["out"] - by_scan
        total = out + by_scan + read["quarantined"] + done["quarantined"] + read["dropped_by_policy"]
        table_rows[name] = {
            "in": read["in"],
            "out": out,
            "dropped_by_policy": read["dropped_by_policy"],
            "dropped_by_residual_scan": by_scan,
            "quarantined": read["quarantined"] + done["quarantined"],
            "balanced": total == read["in"],
        }
    filtered = sum(notes["filtered"].values())
    quarantined = ingest["notes"]["quarantined"] + sum(notes["quarantined"].values())
    by_scan = dropped.get("notes", 0)
    note_rows = {
        "in": ingest["notes"]["in"],
        "out": notes["out"] - by_scan,
        "filtered": filtered,
        "quarantined": quarantined,
        "dropped_by_residual_scan": by_scan,
        "balanced": ingest["notes"]["in"] == notes["out"] + filtered + quarantined,
    }
    return {"tables": table_rows, "notes": note_rows}


def _linkage_warnings(out_dir: Path, config: RunConfig) -> list[str]:
    """Notes whose patient has no patients row get no record-linked detection (their patient's own name,
    address and numbers are not searched for): say how many, so a steward knows detection alone decided."""
    if not config.deid.record_linked:
        return ["record-linked detection is off (deid.record_linked: false): detection alone decides for every note"]
    staged = _staging(out_dir) / "notes.parquet"
    patients = pq.read_table(staged, columns=["patient_id"]).column(0).to_pylist() if staged.is_file() else []
    known = _known_by_patient(out_dir, config)
    unlinked = sum(1 for patient in patients if not known.get(patient or ""))
    if not unlinked:
        return []
    if known:
        why = "their patient has no row in the patients table"
    else:
        has_table = (_staging(out_dir) / "tables" / "patients.parquet").is_file()
        why = "the patients table has no rows" if has_table else "no patients table was read"
    return [
        f"record-linked detection was off for {unlinked} of {len(patients)} notes ({why}): their patient's own "
        "name, address and numbers were not searched for, detection alone decided"
    ]


def write_summary(out_dir: Path, config: RunConfig, started_at: str) -> Path:
    """OUT/audit/summary.json: counts that add up, reasons, entity counts, config hash. No PHI."""
    stages = {stage: _read_stage(out_dir, stage) for stage in STAGES}
    balance = _balance(stages["ingest"], stages["tables"], stages["notes"], stages["audit"]["gate"].get("dropped", {}))
    balanced = balance["notes"]["balanced"] and all(t["balanced"] for t in balance["tables"].values())
    summary = {
        "clinetl_version": __version__,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_hash": config_hash(config),
        "date_mode": {"notes": config.deid.date_mode, "tables": stages["tables"].get("date_mode", "safe_harbor")},
        "replacement": config.deid.replacement,
        "table_policy": config.tables.policy,
        "records": balance,
        "balanced": balanced,
        "warnings": [*stages["ingest"].get("warnings", []), *_linkage_warnings(out_dir, config)],
        "incremental": {stage: stages[stage].get("incremental", {}) for stage in ("tables", "notes")},
        "quarantine_reasons": {
            s: stages[s].get("quarantine_reasons", stages[s].get("quarantined", {}))
            for s in ("ingest", "tables", "notes")
        },
        "filtered_reasons": {"notes": stages["notes"]["filtered"]},
        "entities": stages["notes"]["entities"],
        "recognizers": stages["notes"]["recognizers"],
        "entities_by_source": stages["audit"].get("entities", {}).get("by_source", {}),
        "entities_by_note_type": stages["audit"].get("entities", {}).get("by_note_type", {}),
        "datasets": stages["convert"],
        "gate": stages["audit"]["gate"],
        "replacements_logged": stages["audit"]["replacements_logged"],
        "review_sample": stages["audit"]["review_sample"],
        "bypassed_for_testing": stages["notes"].get("bypassed_for_testing", 0),
    }
    path = out_dir / "audit" / "summary.json"
    write_json(path, summary)
    report = build_report(
        summary,
        json.loads((out_dir / "audit" / "residual.json").read_text(encoding="utf-8")),
        load_evaluations(config.audit.eval_results, out_dir),
    )
    write_report(out_dir, report)
    publish_artifacts(report)
    if not balanced:
        raise RuntimeError("record counts do not add up; see audit/summary.json")
    if not summary["gate"]["passed"]:
        raise GateFailed(
            f"residual-PHI gate failed: {summary['gate']['known']} known identifiers in shareable outputs; "
            "datasets withheld (see audit/residual.json and audit/report.html)"
        )
    return path
