"""The contracts of the stage files (`OUT/audit/stages/<stage>.json`), typed: what each stage reports to
the ones after it and to the summary. A stage's file is validated against its model when written
(etl/stages/common.py); a key the model does not name is refused where the model is closed, so a count
cannot be renamed or dropped without the contract saying so. Every value is a count, a code or a name of
a table or file the policy or config names: no PHI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from schemas.summary import Closed, Datasets, Gate, Incremental


class IngestTable(Closed):
    in_: int = Field(alias="in", ge=0)
    quarantined: int = Field(ge=0)
    dropped_by_policy: int = Field(ge=0)


class IngestNotes(Closed):
    in_: int = Field(alias="in", ge=0)
    staged: int = Field(ge=0)
    quarantined: int = Field(ge=0)
    in_folder_files: int = Field(ge=0)


class IngestStats(Closed):
    tables: dict[str, IngestTable]
    notes: IngestNotes
    quarantine_reasons: dict[str, int]
    fhir: dict[str, Any]
    source_files: dict[str, Any]
    warnings: list[str]
    adapters: dict[str, dict[str, Any]] | None = None  # each adapter's report by its name, when one gave any


class TableOutcome(Closed):
    in_: int = Field(alias="in", ge=0)
    out: int = Field(ge=0)
    quarantined: int = Field(ge=0)
    columns_dropped_by_default: list[str]  # column names the policy does not list (schema, not values)


class TablesStats(Closed):
    tables: dict[str, TableOutcome]
    quarantine_reasons: dict[str, int]
    k_anonymity: dict[str, Any]
    date_mode: str
    incremental: Incremental


class NotesStageStats(Closed):
    in_: int = Field(alias="in", ge=0)
    out: int = Field(ge=0)
    filtered: dict[str, int]
    quarantined: dict[str, int]
    entities: dict[str, int]
    recognizers: dict[str, int]
    bypassed_for_testing: int = Field(ge=0)
    incremental: Incremental
    clinic_knowledge: dict[str, Any]


class DatasetsStats(Datasets):
    """The datasets stage's file, which the summary carries whole as its `datasets`."""


class EntityBreakdown(Closed):
    by_note_type: dict[str, int]
    by_source: dict[str, int]


class AuditStats(Closed):
    gate: Gate
    replacements_logged: int = Field(ge=0)
    review_sample: int = Field(ge=0)
    entities: EntityBreakdown | None = None  # absent when no note was de-identified


# audit/stages/<name>.json, in the order the stages run
STAGE_STATS: dict[str, type[BaseModel]] = {
    "ingest": IngestStats,
    "tables": TablesStats,
    "notes": NotesStageStats,
    "datasets": DatasetsStats,
    "audit": AuditStats,
}
STAGE_NAMES: dict[type[BaseModel], str] = {model: name for name, model in STAGE_STATS.items()}
