"""The contract of `OUT/audit/summary.json`: what a run reports, typed. The summary stage validates what it
writes against it, and `schemas/json/summary.schema.json` (generated from it, held equal by a test) lets
readers outside Python check the file. Every value is a count, a code, a hash or a time: no PHI."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Closed(BaseModel):
    """A contract that refuses keys it does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Open(BaseModel):
    """A contract whose named keys are checked and whose further keys (details that may grow) pass."""

    model_config = ConfigDict(extra="allow", frozen=True)


class NoteCounts(Closed):
    in_: int = Field(alias="in", ge=0)
    out: int = Field(ge=0)
    filtered: int = Field(ge=0)
    quarantined: int = Field(ge=0)
    dropped_by_residual_scan: int = Field(ge=0)
    balanced: bool


class TableCounts(Closed):
    in_: int = Field(alias="in", ge=0)
    out: int = Field(ge=0)
    dropped_by_policy: int = Field(ge=0)
    dropped_by_residual_scan: int = Field(ge=0)
    quarantined: int = Field(ge=0)
    balanced: bool


class Records(Closed):
    notes: NoteCounts
    tables: dict[str, TableCounts]


class Incremental(Closed):
    processed: int = Field(ge=0)
    skipped_unchanged: int = Field(ge=0)
    deleted: int = Field(ge=0)


class Gate(Open):  # drop_records adds what it took out
    passed: bool
    datasets: Literal["published", "withheld"]
    known: int = Field(ge=0)
    known_dates_not_gated: int = Field(ge=0)
    patterns: int = Field(ge=0)
    max_known: int = Field(ge=0)
    max_patterns: int | None
    files_scanned: int = Field(ge=0)
    on_residual: Literal["withhold", "drop_records"]


class Datasets(Open):  # per-task detail may grow
    notes_in: int = Field(ge=0)
    examples_built: int = Field(ge=0)
    examples_kept: int = Field(ge=0)
    examples: dict[str, int]
    removed: dict[str, int]
    examples_by_task_lang_split: dict[str, int]
    patients_by_split: dict[str, int]


class RunSummary(Closed):
    clinetl_version: str
    started_at: str
    finished_at: str
    config_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    date_mode: dict[Literal["notes", "tables"], Literal["safe_harbor", "date_shift"]]
    replacement: Literal["surrogate", "tag"]
    table_policy: str
    records: Records
    balanced: bool
    warnings: list[str]
    incremental: dict[Literal["tables", "notes"], Incremental | dict[str, Any]]
    quarantine_reasons: dict[Literal["ingest", "tables", "notes"], dict[str, int]]
    filtered_reasons: dict[Literal["notes"], dict[str, int]]
    entities: dict[str, int]
    recognizers: dict[str, int]
    entities_by_source: dict[str, int]
    entities_by_note_type: dict[str, int]
    datasets: Datasets
    gate: Gate
    replacements_logged: int = Field(ge=0)
    review_sample: int = Field(ge=0)
    bypassed_for_testing: int = Field(ge=0)


def summary_json_schema() -> dict[str, Any]:
    return RunSummary.model_json_schema(by_alias=True)
