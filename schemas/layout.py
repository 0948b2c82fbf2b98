"""Every path of a run folder, named once. Shareable paths hold no PHI; everything under `restricted`
does, and is created owner-only (etl/io.py: `private`). A stage asks the layout where to read and write
instead of joining path literals of its own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RESTRICTED = "restricted"


@dataclass(frozen=True)
class RunLayout:
    root: Path

    # -- shareable (no PHI) ------------------------------------------------------------------------------
    @property
    def notes_file(self) -> Path:
        return self.root / "notes" / "notes.parquet"

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables"

    @property
    def datasets_dir(self) -> Path:
        return self.root / "datasets"

    @property
    def audit_dir(self) -> Path:
        return self.root / "audit"

    @property
    def stages_dir(self) -> Path:
        return self.audit_dir / "stages"

    def stage_file(self, stage: str) -> Path:
        return self.stages_dir / f"{stage}.json"

    @property
    def summary_file(self) -> Path:
        return self.audit_dir / "summary.json"

    @property
    def residual_file(self) -> Path:
        return self.audit_dir / "residual.json"

    @property
    def k_anonymity_file(self) -> Path:
        return self.audit_dir / "k_anonymity.json"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "run.log"

    # -- restricted (PHI) --------------------------------------------------------------------------------
    @property
    def restricted(self) -> Path:
        return self.root / RESTRICTED

    @property
    def staging(self) -> Path:
        return self.restricted / "staging"

    @property
    def staged_notes(self) -> Path:
        return self.staging / "notes.parquet"

    @property
    def staged_tables(self) -> Path:
        return self.staging / "tables"

    @property
    def staged_patients(self) -> Path:
        return self.staged_tables / "patients.parquet"

    @property
    def staged_site_list(self) -> Path:
        return self.staging / "site_list.yaml"

    @property
    def detect_dir(self) -> Path:
        return self.staging / "detect"

    @property
    def parts_dir(self) -> Path:
        return self.staging / "parts"

    @property
    def inventory_file(self) -> Path:
        return self.restricted / "ingest" / "inventory.json"

    def quarantine_file(self, stage: str) -> Path:
        return self.restricted / "quarantine" / f"{stage}.jsonl"

    @property
    def pending_datasets(self) -> Path:
        return self.restricted / "pending" / "datasets"

    @property
    def withheld_datasets(self) -> Path:
        return self.restricted / "withheld" / "datasets"

    @property
    def review_dir(self) -> Path:
        return self.restricted / "review"

    @property
    def residual_dir(self) -> Path:
        return self.restricted / "residual"

    @property
    def pseudonyms_file(self) -> Path:
        return self.restricted / "pseudonyms.sqlite3"

    @property
    def spans_file(self) -> Path:
        return self.restricted / "deid_spans.parquet"

    @property
    def replacements_file(self) -> Path:
        return self.restricted / "audit" / "replacements.jsonl"

    def manifest_file(self, stage: str) -> Path:
        return self.restricted / f"manifest_{stage}.parquet"

    # -- what a run clears at its start (notes/, tables/, the store and the manifests persist) ------------
    @property
    def cleared_each_run(self) -> tuple[Path, ...]:
        restricted = ("staging", "ingest", "quarantine", "pending", "withheld", "review", "audit")
        return (self.datasets_dir, self.stages_dir, *(self.restricted / name for name in restricted))
