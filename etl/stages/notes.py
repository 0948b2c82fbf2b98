"""The notes stage: plan what to redo (new or changed notes, or a changed config) and what to reuse, detect
(here, in worker processes, or on a Dask cluster from batch files), replace, and write the sorted outputs.
Entry points: `run(out_dir, config, detected)`; `plan_note_batches` and `detect_note_batch` for detection
elsewhere."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.deid.clinic import ClinicKnowledge
from etl.deid.notes import NotesStats, batched, deidentify_notes
from etl.deid.parallel import Item, detect_chunk
from etl.deid.text import TextDeidentifier
from etl.external_sort import ExternalSort
from etl.io import Quarantine, private, write_parquet
from etl.lang import detect_lang
from etl.manifest import COLUMNS as MANIFEST_COLUMNS
from etl.manifest import ReusePlanner, fingerprint, manifest_path
from etl.stages.common import (
    PART_NOTES,
    clinic_knowledge,
    known_by_patient,
    log,
    pseudonyms,
    staged_note_batches,
    write_stage,
)
from schemas.config import DeidConfig, RunConfig
from schemas.layout import RunLayout
from schemas.records import DEIDENTIFIED_NOTE_COLUMNS, Note, Span
from schemas.stages import NotesStageStats


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
        for batch in staged_note_batches(out_dir):
            if todo := [note for note in batch if note.note_id in self.todo]:
                yield todo


def _plan_notes(out_dir: Path, config: RunConfig, old_keys: set[str]) -> _NotesPlan:
    known = known_by_patient(out_dir, config)
    clinic = clinic_knowledge(out_dir, config)
    config_hash = _notes_config_hash(config, clinic)
    planner = ReusePlanner(out_dir, "notes", config_hash)
    staged, seen = 0, set()
    reused, todo = [], {}
    for batch in staged_note_batches(out_dir):
        for n in batch:
            staged += 1
            print_ = fingerprint(
                n.text, n.patient_id, n.encounter_id, n.date, n.note_type, n.lang, known.get(n.patient_id or "", [])
            )
            seen.add(n.note_id)
            before = planner.reusable(
                n.note_id, print_, lambda row: row["outcome"] == "filtered" or row["output_key"] in old_keys
            )
            if before is not None:
                reused.append(before)
            else:
                todo[n.note_id] = print_
    return _NotesPlan(staged, planner.deleted(seen), known, clinic, config_hash, reused, todo)


def _output_keys(path: Path) -> set[str]:
    return set(pq.read_table(path, columns=["note_key"]).column(0).to_pylist()) if path.is_file() else set()


def _detect_dir(out_dir: Path) -> Path:
    return private(RunLayout(out_dir), RunLayout(out_dir).detect_dir)


def plan_note_batches(out_dir: Path, config: RunConfig) -> list[str]:
    """The notes to de-identify in this run, in batches under restricted/staging/detect/ (PHI stays in
    restricted/), for detection on other processes or machines. Returns the batch files."""
    plan = _plan_notes(out_dir, config, _output_keys(RunLayout(out_dir).notes_file))
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
    notes_path, spans_path = RunLayout(out_dir).notes_file, RunLayout(out_dir).spans_file
    if not kept or not notes_path.is_file():
        return
    value_set = pa.array(sorted(kept), pa.string())
    for batch in pq.ParquetFile(notes_path).iter_batches(batch_size=PART_NOTES, columns=NOTES_SCHEMA.names):
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


def run(layout: RunLayout, config: RunConfig, detected: list[str] | None = None) -> NotesStageStats:
    """De-identify the staged notes that are new or changed since the last run into this output folder (or
    whose config changed); reuse the others' outputs; drop the outputs of notes no longer in the source.
    Detection runs here (or in `deid.workers` processes), unless `detected` gives the result files of
    plan_note_batches' batches run elsewhere (a Dask cluster). Writes OUT/notes/notes.parquet, the spans
    and the manifest under restricted/.

    Memory is bounded whatever the number of notes: notes are streamed from staging, outcomes go to
    sorted parts on disk every PART_NOTES notes and are merged at the end (etl/external_sort.py); what
    grows with the count is per-note bookkeeping (keys and fingerprints), not texts."""
    out_dir = layout.root
    plan = _plan_notes(out_dir, config, _output_keys(layout.notes_file))
    quarantine = Quarantine(out_dir, "notes")
    stats = NotesStats()
    parts = private(layout, layout.parts_dir)
    notes_out = ExternalSort(parts / "notes", NOTES_SCHEMA, ["note_key"], part_rows=PART_NOTES)
    spans_out = ExternalSort(parts / "spans", SPANS_SCHEMA, SPANS_SCHEMA.names, part_rows=_PART_SPANS)
    manifest = ExternalSort(parts / "manifest", MANIFEST_SCHEMA, ["record_key"], part_rows=10 * PART_NOTES)
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
        with pseudonyms(out_dir) as store:
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
                rows.append({column: getattr(outcome, column) for column in DEIDENTIFIED_NOTE_COLUMNS})
                spans.extend(
                    {"note_key": outcome.note_key, **s.to_dict(), "recognizer": s.recognizer, "surrogate": surrogate}
                    for s, surrogate in zip(outcome.spans, outcome.surrogates, strict=True)
                )
                if len(rows) >= PART_NOTES // 10:  # Python objects a few hundred at a time; Arrow from there
                    notes_out.add_rows(rows)
                    spans_out.add_rows(spans)
                    rows.clear()
                    spans.clear()
            notes_out.add_rows(rows)
            spans_out.add_rows(spans)
            for pulled_part in batched(pulled, PART_NOTES):
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
    notes_out.write(layout.notes_file)
    spans_out.write(layout.spans_file)
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
    return write_stage(
        out_dir, NotesStageStats, {**stats.as_dict(quarantine), "incremental": incremental, "clinic_knowledge": clinic}
    )


NOTES_SCHEMA = pa.schema([(name, pa.string()) for name in DEIDENTIFIED_NOTE_COLUMNS])  # schemas/records.py


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
