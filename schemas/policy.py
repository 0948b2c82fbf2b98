"""Column policy for structured tables: what happens to every column, decided explicitly."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Action = Literal["keep", "drop", "pseudonymize", "shift_date", "generalize", "free_text"]
# generalize: year (date -> year), birth_year (year; emptied when the age is over 89), age (over 89 -> "90+"),
# zip3 (first 3 digits; the sparse prefixes -> "000"), coordinates (rounded to `decimals` places)
Method = Literal["year", "birth_year", "age", "zip3", "coordinates"]


class ColumnRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    method: Method | None = None  # generalize only
    namespace: str | None = None  # pseudonymize: key space shared across tables (patient, encounter, …)
    phi: str | None = None  # our PHI label when the column holds an identifier (record-linked detection)
    death_column: str | None = None  # birth_year / shift_date with max_age: age is measured at death
    max_age: int | None = None  # shift_date of a birth date: emptied when the age is over max_age
    decimals: int = 1  # coordinates: 1 decimal place is about 11 km

    @model_validator(mode="after")
    def _method_matches_action(self) -> ColumnRule:
        if (self.action == "generalize") != (self.method is not None):
            raise ValueError("generalize needs a method (year, birth_year, age, zip3, coordinates); only it takes one")
        if self.action == "pseudonymize" and not self.namespace:
            raise ValueError("pseudonymize needs a namespace (patient, encounter, …)")
        return self


def _shorthand(value: object) -> object:
    """`keep` is {action: keep}; `generalize:year` is {action: generalize, method: year}."""
    if not isinstance(value, str):
        return value
    action, _, method = value.partition(":")
    return {"action": action, "method": method} if method else {"action": action}


class TableRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    patient_column: str | None = None
    columns: dict[str, ColumnRule]

    @field_validator("columns", mode="before")
    @classmethod
    def _shorthand(cls, value: dict) -> dict:
        return {k: _shorthand(v) for k, v in (value or {}).items()}


class TablePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int = 1
    date_mode: Literal["safe_harbor", "date_shift"] = "safe_harbor"
    unknown_tables: Literal["error", "drop"] = "error"
    default: Literal["error", "drop"] = "error"  # for columns the policy does not list
    restricted_zip3: list[str] = Field(default_factory=list)
    tables: dict[str, TableRule]
