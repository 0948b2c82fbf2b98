"""Column policy for structured tables: what happens to every column, decided explicitly."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["keep", "drop", "pseudonymize", "year", "birth_year", "zip3", "free_text"]


class ColumnRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    namespace: str | None = None  # pseudonymize: key space shared across tables (patient, encounter, …)
    phi: str | None = None  # our PHI label when the column holds an identifier (record-linked detection)
    death_column: str | None = None  # birth_year: age is measured at death when the patient died


class TableRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    patient_column: str | None = None
    columns: dict[str, ColumnRule]

    @field_validator("columns", mode="before")
    @classmethod
    def _shorthand(cls, value: dict) -> dict:
        # `COLUMN: keep` is shorthand for `COLUMN: {action: keep}`
        return {k: ({"action": v} if isinstance(v, str) else v) for k, v in (value or {}).items()}


class TablePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int = 1
    date_mode: Literal["safe_harbor"] = "safe_harbor"
    unknown_tables: Literal["error", "drop"] = "error"
    default: Literal["error", "drop"] = "error"  # for columns the policy does not list
    restricted_zip3: list[str] = Field(default_factory=list)
    tables: dict[str, TableRule]
