"""Table contracts: the type of every known column of a source schema (schemas/contracts/<name>.yaml).

A contract checks input values (a value of the wrong type sends its row to quarantine, a missing required
column stops the run) and gives the de-identified Parquet tables explicit schemas.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict

ColumnType = Literal["string", "integer", "decimal", "date", "datetime"]
CONTRACTS_DIR = Path(__file__).parent / "contracts"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_INTEGER = re.compile(r"[-+]?\d+")

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.float64(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


class TableContract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    required: list[str] = []
    columns: dict[str, ColumnType]

    def type_of(self, column: str) -> ColumnType:
        """A column's declared type; columns the contract does not know are strings."""
        return self.columns.get(column) or {c.lower(): t for c, t in self.columns.items()}.get(column.lower(), "string")


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    tables: dict[str, TableContract]


def load_contract(name: str) -> Contract:
    path = CONTRACTS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"table contract not found: {name}")
    return Contract.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def parse_datetime(value: str) -> datetime:
    """ISO 8601 date or datetime as an aware UTC datetime (a bare date is midnight UTC)."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def conforms(value: str, column_type: ColumnType) -> bool:
    """Whether a (non-empty) string value is of the column's type."""
    value = value.strip()
    try:
        if column_type == "integer":
            return _INTEGER.fullmatch(value) is not None
        if column_type == "decimal":
            Decimal(value)
            return value.lower() not in {"nan", "inf", "-inf", "infinity", "-infinity"}
        if column_type == "date":
            return _DATE.fullmatch(value) is not None and bool(date.fromisoformat(value))
        if column_type == "datetime":
            return _DATETIME.fullmatch(value) is not None and bool(parse_datetime(value))
    except (InvalidOperation, ValueError):
        return False
    return True


def to_arrow_value(value: str, column_type: ColumnType) -> object:
    """A conforming string as the Python value pyarrow stores for the type ("" is null)."""
    if value == "":
        return None
    if column_type == "integer":
        return int(value)
    if column_type == "decimal":
        return float(value)
    if column_type == "date":
        return date.fromisoformat(value.strip())
    if column_type == "datetime":
        return parse_datetime(value)
    return value
