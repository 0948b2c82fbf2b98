"""The audit stage: the residual scan and the gate that publishes or withholds the datasets, the audit log
of replacements and the review sample (etl/audit/). Entry point: `run(out_dir, config)`."""

from __future__ import annotations

from etl.audit.stage import audit_stage
from etl.stages.common import log, read_stage, write_stage
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.stages import AuditStats, TablesStats


def run(layout: RunLayout, config: RunConfig) -> AuditStats:
    """The residual scan and gate (publishing the datasets or withholding them), the audit log of
    replacements and the review sample; see etl/audit/stage.py."""
    out_dir = layout.root
    stats = audit_stage(out_dir, config, read_stage(out_dir, TablesStats).date_mode)
    if stats["gate"]["datasets"] == "published":
        datasets = layout.datasets_dir
        for path in datasets.rglob("*"):  # built owner-only under restricted/; now shareable
            path.chmod(0o755 if path.is_dir() else 0o644)
        datasets.chmod(0o755)
    else:
        log.error(
            "residual-PHI gate FAILED: %d known identifiers in shareable outputs (allowed %d); datasets withheld",
            stats["gate"]["known"],
            stats["gate"]["max_known"],
        )
    return write_stage(out_dir, AuditStats, stats)
