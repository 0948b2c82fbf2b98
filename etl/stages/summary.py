"""The summary stage: audit/summary.json with counts that add up (checked: a run whose counts do not balance
fails), warnings, and the steward's run report. Entry point: `run(out_dir, config, started_at)`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from etl import __version__
from etl.audit.report import build_report, load_evaluations, publish_artifacts, write_report
from etl.audit.stage import GateFailed
from etl.config import config_hash
from etl.io import write_json
from etl.stages.common import known_by_patient, read_stage
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.stages import AuditStats, DatasetsStats, IngestStats, NotesStageStats, TablesStats
from schemas.summary import RunSummary


def _balance(
    ingest: IngestStats, tables: TablesStats, notes: NotesStageStats, dropped: dict[str, Any]
) -> dict[str, Any]:
    """Every input record is in exactly one place: output, filtered, quarantined, or (audit.on_residual:
    drop_records) taken out by the residual scan and kept under restricted/residual/."""
    table_rows = {}
    for name, read in ingest.tables.items():
        done = tables.tables.get(name)
        done_out, done_quarantined = (done.out, done.quarantined) if done is not None else (0, 0)
        by_scan = dropped.get("table_rows", {}).get(name, 0)
        out = done_out - by_scan
        total = out + by_scan + read.quarantined + done_quarantined + read.dropped_by_policy
        table_rows[name] = {
            "in": read.in_,
            "out": out,
            "dropped_by_policy": read.dropped_by_policy,
            "dropped_by_residual_scan": by_scan,
            "quarantined": read.quarantined + done_quarantined,
            "balanced": total == read.in_,
        }
    filtered = sum(notes.filtered.values())
    quarantined = ingest.notes.quarantined + sum(notes.quarantined.values())
    by_scan = dropped.get("notes", 0)
    note_rows = {
        "in": ingest.notes.in_,
        "out": notes.out - by_scan,
        "filtered": filtered,
        "quarantined": quarantined,
        "dropped_by_residual_scan": by_scan,
        "balanced": ingest.notes.in_ == notes.out + filtered + quarantined,
    }
    return {"tables": table_rows, "notes": note_rows}


def _linkage_warnings(out_dir: Path, config: RunConfig) -> list[str]:
    """Notes whose patient has no patients row get no record-linked detection (their patient's own name,
    address and numbers are not searched for): say how many, so a steward knows detection alone decided."""
    if not config.deid.record_linked:
        return ["record-linked detection is off (deid.record_linked: false): detection alone decides for every note"]
    staged = RunLayout(out_dir).staged_notes
    patients = pq.read_table(staged, columns=["patient_id"]).column(0).to_pylist() if staged.is_file() else []
    known = known_by_patient(out_dir, config)
    unlinked = sum(1 for patient in patients if not known.get(patient or ""))
    if not unlinked:
        return []
    if known:
        why = "their patient has no row in the patients table"
    else:
        has_table = RunLayout(out_dir).staged_patients.is_file()
        why = "the patients table has no rows" if has_table else "no patients table was read"
    return [
        f"record-linked detection was off for {unlinked} of {len(patients)} notes ({why}): their patient's own "
        "name, address and numbers were not searched for, detection alone decided"
    ]


def run(layout: RunLayout, config: RunConfig, started_at: str) -> RunSummary:
    """OUT/audit/summary.json: counts that add up, reasons, entity counts, config hash. No PHI."""
    out_dir = layout.root
    ingest, tables = read_stage(out_dir, IngestStats), read_stage(out_dir, TablesStats)
    notes, datasets = read_stage(out_dir, NotesStageStats), read_stage(out_dir, DatasetsStats)
    audit = read_stage(out_dir, AuditStats)
    balance = _balance(ingest, tables, notes, (audit.gate.model_extra or {}).get("dropped", {}))
    balanced = balance["notes"]["balanced"] and all(t["balanced"] for t in balance["tables"].values())
    entities = audit.entities
    summary = {
        "clinetl_version": __version__,
        "started_at": started_at,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config_hash": config_hash(config),
        "date_mode": {"notes": config.deid.date_mode, "tables": tables.date_mode},
        "replacement": config.deid.replacement,
        "table_policy": config.tables.policy,
        "records": balance,
        "balanced": balanced,
        "warnings": [*ingest.warnings, *_linkage_warnings(out_dir, config)],
        "incremental": {"tables": tables.incremental.model_dump(), "notes": notes.incremental.model_dump()},
        "quarantine_reasons": {
            "ingest": ingest.quarantine_reasons,
            "tables": tables.quarantine_reasons,
            "notes": notes.quarantined,
        },
        "filtered_reasons": {"notes": notes.filtered},
        "entities": notes.entities,
        "recognizers": notes.recognizers,
        "entities_by_source": entities.by_source if entities is not None else {},
        "entities_by_note_type": entities.by_note_type if entities is not None else {},
        "datasets": datasets.model_dump(mode="json"),
        "gate": audit.gate.model_dump(mode="json"),
        "replacements_logged": audit.replacements_logged,
        "review_sample": audit.review_sample,
        "bypassed_for_testing": notes.bypassed_for_testing,
    }
    typed = RunSummary.model_validate(summary)  # the contract readers rely on (schemas/summary.py)
    write_json(layout.summary_file, summary)
    report = build_report(
        summary,
        json.loads(layout.residual_file.read_text(encoding="utf-8")),
        load_evaluations(config.audit.eval_results, out_dir),
    )
    write_report(out_dir, report)
    publish_artifacts(report)
    if not balanced:
        raise RuntimeError("record counts do not add up; see audit/summary.json")
    if not typed.gate.passed:
        raise GateFailed(
            f"residual-PHI gate failed: {typed.gate.known} known identifiers in shareable outputs; "
            "datasets withheld (see audit/residual.json and audit/report.html)"
        )
    return typed
