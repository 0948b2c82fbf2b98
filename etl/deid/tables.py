"""Structured tables de-identified by an explicit column policy that fails closed.

A column the policy does not name stops the run (PolicyError naming table and column) unless the policy
says `default: drop`. A value of the wrong type for the table contract, or one a rule cannot handle,
sends its row to quarantine. Output tables get an explicit Arrow schema from the contract and the rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import yaml

from etl.config import CONF_DIR
from etl.deid.pseudonyms import PseudonymStore
from etl.io import Quarantine
from schemas.contracts import ARROW_TYPES, ColumnType, TableContract, conforms, to_arrow_value
from schemas.policy import ColumnRule, TablePolicy, TableRule

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2})|$)")  # ISO date or datetime, or a bare year
_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*$")

# free_text: (value, patient id or "") -> de-identified value; raises to quarantine the row
FreeText = Callable[[str, str], str]
# shift_date: patient id ("" for none) -> that patient's date offset in days, the one the notes use
DateOffset = Callable[[str], int]
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$", re.DOTALL)


@dataclass(frozen=True)
class TableContext:
    """What the rules of one run need besides the row: the policy and the run's helpers."""

    policy: TablePolicy
    store: PseudonymStore
    today: date
    free_text: FreeText | None = None
    date_offset: DateOffset | None = None


class PolicyError(RuntimeError):
    """The table policy does not decide about a table or column. Names them; never quotes values."""


def load_policy(name_or_path: str, _seen: tuple[str, ...] = ()) -> TablePolicy:
    """A policy by name (etl/conf/policy_<name>.yaml) or path. A policy that `extends` another is an
    overlay: the base's decisions, with `replace_actions` applied to every column and its own `tables`
    rules put in place of the base's."""
    path = Path(name_or_path)
    if not path.suffix:
        path = CONF_DIR / f"policy_{name_or_path}.yaml"
    if not path.is_file():
        raise PolicyError(f"table policy not found: {name_or_path}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "extends" in data:
        base = str(data.pop("extends"))
        if base in _seen:
            raise PolicyError(f"table policy {name_or_path} extends itself through {base}")
        return overlay_policy(load_policy(base, (*_seen, name_or_path)), data)
    return TablePolicy.model_validate(data)


# what a replaced rule keeps of the base's: its PHI label and the column its age is measured at
_CARRIED = ("phi", "death_column")


def overlay_policy(base: TablePolicy, overlay: dict[str, Any]) -> TablePolicy:
    """`base` with an overlay's top-level keys, `replace_actions` ({"generalize:year": "shift_date"}: every
    rule written so becomes the other, keeping what _CARRIED names) and `tables` (column rules that replace
    the base's, or tables of its own)."""
    replace_actions = dict(overlay.pop("replace_actions", None) or {})
    own_tables = overlay.pop("tables", None) or {}
    tables: dict[str, Any] = {}
    for name, rule in base.tables.items():
        columns: dict[str, Any] = {}
        for column, col_rule in rule.columns.items():
            key = f"{col_rule.action}:{col_rule.method}" if col_rule.method else col_rule.action
            if key in replace_actions:
                carried = {k: getattr(col_rule, k) for k in _CARRIED if getattr(col_rule, k) is not None}
                columns[column] = {**_rule_dict(replace_actions[key]), **carried}
            else:
                columns[column] = col_rule.model_dump(exclude_defaults=True)
        own = own_tables.pop(name, {})
        columns.update(own.get("columns", {}))
        tables[name] = {"patient_column": own.get("patient_column", rule.patient_column), "columns": columns}
    tables.update(own_tables)
    merged = {**base.model_dump(exclude={"tables"}), **overlay, "tables": tables}
    return TablePolicy.model_validate(merged)


def _rule_dict(value: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    action, _, method = value.partition(":")
    return {"action": action, "method": method} if method else {"action": action}


def table_rule(policy: TablePolicy, table: str) -> TableRule | None:
    """The rule for `table`, or None when the policy drops unknown tables. Raises when it must decide."""
    rule = policy.tables.get(table)
    if rule is None and policy.unknown_tables == "error":
        raise PolicyError(
            f"table '{table}' is not covered by table policy '{policy.name}': add a rule for it, or set "
            "unknown_tables: drop, in a copy of the policy file named by tables.policy in the run config"
        )
    return rule


def resolve_columns(policy: TablePolicy, table: str, rule: TableRule, columns: list[str]) -> dict[str, ColumnRule]:
    """Column -> rule for every column present; fails closed on columns the policy does not list."""
    by_lower = {name.lower(): col_rule for name, col_rule in rule.columns.items()}
    resolved: dict[str, ColumnRule] = {}
    for column in columns:
        col_rule = rule.columns.get(column) or by_lower.get(column.lower())
        if col_rule is None:
            if policy.default == "error":
                raise PolicyError(
                    f"column '{column}' of table '{table}' is not covered by table policy '{policy.name}': add a "
                    "rule for it (keep, drop, pseudonymize, shift_date, generalize, free_text) or set default: "
                    "drop, in a copy of the policy file named by tables.policy in the run config"
                )
            col_rule = ColumnRule(action="drop")
        resolved[column] = col_rule
    return resolved


def unlisted_columns(rule: TableRule, columns: list[str]) -> list[str]:
    """Columns the policy does not name (dropped under `default: drop`, reported by name)."""
    listed = {name.lower() for name in rule.columns}
    return [c for c in columns if c.lower() not in listed]


def _year(value: str) -> str:
    if not value:
        return ""
    match = _DATE.match(value)
    if not match:
        raise ValueError("not an ISO date")
    return match.group(1)


def _age_years(born: date, at: date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _age_over(value: str, death: str, today: date, limit: int) -> bool:
    born = date.fromisoformat(value[:10])
    at = date.fromisoformat(death[:10]) if death else today
    return _age_years(born, at) > limit


def _birth_year(value: str, death: str, today: date) -> str:
    """Year of birth, or "" where it would reveal an age over 89 (Safe Harbor's 90+ rule)."""
    if not value:
        return ""
    return "" if _age_over(value, death, today, 89) else str(date.fromisoformat(value[:10]).year)


def _age(value: str) -> str:
    if not value:
        return ""
    if not _NUMBER.match(value):
        raise ValueError("not an age")
    return "90+" if float(value) > 89 else value.strip()


def _zip3(value: str, restricted: set[str]) -> str:
    digits = value.strip()[:5]
    if not digits:
        return ""
    if not re.fullmatch(r"\d{3,5}", digits):
        raise ValueError("not a ZIP code")
    prefix = digits.zfill(5)[:3]
    return "000" if prefix in restricted else prefix


def _coordinates(value: str, decimals: int) -> str:
    return "" if not value else str(round(float(value), decimals))


def _shift(value: str, days: int) -> str:
    """An ISO date or datetime moved by whole days; the time of day and the layout are kept."""
    if not value:
        return ""
    match = _ISO_DAY.match(value.strip())
    if not match:
        raise ValueError("not an ISO date")
    return (date.fromisoformat(match.group(1)) + timedelta(days=days)).isoformat() + match.group(2)


def _generalize(rule: ColumnRule, value: str, row: dict[str, str], ctx: TableContext) -> str:
    if rule.method == "year":
        return _year(value)
    if rule.method == "birth_year":
        return _birth_year(value, row.get(rule.death_column or "", ""), ctx.today)
    if rule.method == "age":
        return _age(value)
    if rule.method == "zip3":
        return _zip3(value, set(ctx.policy.restricted_zip3))
    if rule.method == "coordinates":
        return _coordinates(value, rule.decimals)
    raise AssertionError(f"unhandled method {rule.method}")


def _apply(rule: ColumnRule, value: str, row: dict[str, str], ctx: TableContext, patient: str) -> str:
    if rule.action == "keep":
        return value
    if rule.action == "pseudonymize":
        return ctx.store.get(rule.namespace or "id", value) if value else ""
    if rule.action == "generalize":
        return _generalize(rule, value, row, ctx)
    if rule.action == "shift_date":
        if ctx.date_offset is None:
            raise ValueError("no date offset for a shift_date column")
        if (
            value
            and rule.max_age is not None
            and _age_over(value, row.get(rule.death_column or "", ""), ctx.today, rule.max_age)
        ):
            return ""  # an age over the limit would show through the shifted birth date
        return _shift(value, ctx.date_offset(patient))
    if rule.action == "free_text":
        if not value or _NUMBER.match(value):
            return value
        if ctx.free_text is None:
            raise ValueError("no text de-identifier for a free_text column")
        return ctx.free_text(value, patient)
    raise AssertionError(f"unhandled action {rule.action}")


def output_type(rule: ColumnRule, input_type: ColumnType) -> ColumnType:
    """The type a column has after its rule: years are integers, keys and generalized codes strings."""
    if rule.action in ("keep", "shift_date"):
        return input_type
    if rule.action == "generalize" and rule.method in ("year", "birth_year"):
        return "integer"
    if rule.action == "generalize" and rule.method == "coordinates":
        return "decimal"
    return "string"


def output_schema(columns: dict[str, ColumnRule], contract: TableContract | None) -> pa.Schema:
    kept = {c: r for c, r in columns.items() if r.action != "drop"}
    return pa.schema(
        [
            pa.field(c, ARROW_TYPES[output_type(r, contract.type_of(c) if contract else "string")])
            for c, r in kept.items()
        ]
    )


def to_arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """The de-identified (string) frame with each column converted to its schema type."""
    kinds: dict[pa.DataType, ColumnType] = {v: k for k, v in ARROW_TYPES.items()}  # type: ignore[misc]
    arrays = [
        pa.array([to_arrow_value(v, kinds[field.type]) for v in frame[field.name]], type=field.type) for field in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def check_required(table: str, contract: TableContract | None, columns: list[str]) -> None:
    """Schema drift: a column the contract requires is missing. Names table and column."""
    present = {c.lower() for c in columns}
    missing = [c for c in (contract.required if contract else []) if c.lower() not in present]
    if missing:
        raise PolicyError(f"table '{table}' lacks required column(s) {', '.join(missing)} (schema drift?)")


def _type_error(row: dict[str, str], contract: TableContract | None, columns: list[str]) -> str | None:
    if contract is None:
        return None
    for column in columns:
        value = row[column] or ""
        if value.strip() and not conforms(value, contract.type_of(column)):
            return column
    return None


def deidentify_table(
    table: str,
    frame: pd.DataFrame,
    ctx: TableContext,
    quarantine: Quarantine,
    contract: TableContract | None = None,
) -> tuple[pd.DataFrame, dict[str, ColumnRule]] | None:
    """The de-identified table (string columns) and the rule of every input column, or None when the
    policy drops the whole table."""
    rule = table_rule(ctx.policy, table)
    if rule is None:
        return None
    check_required(table, contract, list(frame.columns))
    columns = resolve_columns(ctx.policy, table, rule, list(frame.columns))
    kept = [c for c, r in columns.items() if r.action != "drop"]
    out_rows = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        values, bad = [], None
        if (wrong := _type_error(row, contract, kept)) is not None:
            quarantine.add(table, f"{table}:row{index + 1}", f"type_error:{wrong}", {"row": row})
            continue
        patient = str(row.get(rule.patient_column or "", "") or "")
        for column in kept:
            try:
                values.append(_apply(columns[column], row[column] or "", row, ctx, patient))
            except ValueError:
                bad = column
                break
        if bad is None:
            out_rows.append(values)
        else:
            quarantine.add(table, f"{table}:row{index + 1}", f"bad_value:{bad}", {"row": row})
    return pd.DataFrame(out_rows, columns=kept, dtype=object), columns


def known_identifiers(patients: pd.DataFrame, policy: TablePolicy) -> dict[str, list[tuple[str, str]]]:
    """patient id -> [(PHI label, value)] from the columns the policy marks with `phi`."""
    rule = policy.tables.get("patients")
    if rule is None or patients.empty:
        return {}
    id_column = rule.patient_column or "Id"
    columns = resolve_columns(policy, "patients", rule, list(patients.columns))
    phi_columns = [(c, r.phi) for c, r in columns.items() if r.phi]
    known: dict[str, list[tuple[str, str]]] = {}
    for row in patients.to_dict(orient="records"):
        values = [(label, str(row[c]).strip()) for c, label in phi_columns if str(row[c] or "").strip()]
        first = str(row.get("FIRST") or "").strip()
        last = str(row.get("LAST") or "").strip()
        if first and last:
            values.append(("PERSON", f"{first} {last}"))
        known[str(row[id_column])] = values
    return known
