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
from etl.stages.common import STAGE_FILES, known_by_patient, read_stage
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.summary import RunSummary


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


def run(out_dir: Path, config: RunConfig, started_at: str) -> Path:
    """OUT/audit/summary.json: counts that add up, reasons, entity counts, config hash. No PHI."""
    stages = {stage: read_stage(out_dir, stage) for stage in STAGE_FILES}
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
        "datasets": stages["datasets"],
        "gate": stages["audit"]["gate"],
        "replacements_logged": stages["audit"]["replacements_logged"],
        "review_sample": stages["audit"]["review_sample"],
        "bypassed_for_testing": stages["notes"].get("bypassed_for_testing", 0),
    }
    path = RunLayout(out_dir).summary_file
    RunSummary.model_validate(summary)  # the contract readers rely on (schemas/summary.py); a mismatch is a bug
    write_json(path, summary)
    report = build_report(
        summary,
        json.loads(RunLayout(out_dir).residual_file.read_text(encoding="utf-8")),
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
