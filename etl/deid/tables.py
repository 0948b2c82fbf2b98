"""Structured tables de-identified by an explicit column policy that fails closed.

A column the policy does not name stops the run (PolicyError naming table and column) unless the policy
says `default: drop`. A value a rule cannot handle (an unparseable date) sends its row to quarantine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from etl.config import CONF_DIR
from etl.deid.pseudonyms import PseudonymStore
from etl.io import Quarantine
from schemas.policy import ColumnRule, TablePolicy, TableRule

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2})|$)")  # ISO date or datetime, or a bare year
_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*$")

# free_text: (value, patient id or "") -> de-identified value; raises to quarantine the row
FreeText = Callable[[str, str], str]


class PolicyError(RuntimeError):
    """The table policy does not decide about a table or column. Names them; never quotes values."""


def load_policy(name_or_path: str) -> TablePolicy:
    path = Path(name_or_path)
    if not path.suffix:
        path = CONF_DIR / f"policy_{name_or_path}.yaml"
    if not path.is_file():
        raise PolicyError(f"table policy not found: {name_or_path}")
    return TablePolicy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def table_rule(policy: TablePolicy, table: str) -> TableRule | None:
    """The rule for `table`, or None when the policy drops unknown tables. Raises when it must decide."""
    rule = policy.tables.get(table)
    if rule is None and policy.unknown_tables == "error":
        raise PolicyError(
            f"table '{table}' is not covered by table policy '{policy.name}': add it, or set unknown_tables: drop"
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
                    f"column '{column}' of table '{table}' is not covered by table policy '{policy.name}': "
                    "add a rule for it (keep, drop, pseudonymize, year, birth_year, zip3) or set default: drop"
                )
            col_rule = ColumnRule(action="drop")
        resolved[column] = col_rule
    return resolved


def _year(value: str) -> str:
    if not value:
        return ""
    match = _DATE.match(value)
    if not match:
        raise ValueError("not an ISO date")
    return match.group(1)


def _age_years(born: date, at: date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _birth_year(value: str, death: str, today: date) -> str:
    """Year of birth, or "" where it would reveal an age over 89 (Safe Harbor's 90+ rule)."""
    if not value:
        return ""
    born = date.fromisoformat(value[:10])
    at = date.fromisoformat(death[:10]) if death else today
    return "" if _age_years(born, at) > 89 else str(born.year)


def _zip3(value: str, restricted: set[str]) -> str:
    digits = value.strip()[:5]
    if not digits:
        return ""
    if not re.fullmatch(r"\d{3,5}", digits):
        raise ValueError("not a ZIP code")
    prefix = digits.zfill(5)[:3]
    return "000" if prefix in restricted else prefix


def _apply(
    rule: ColumnRule,
    value: str,
    row: dict[str, str],
    policy: TablePolicy,
    store: PseudonymStore,
    today: date,
    free_text: FreeText | None,
    patient: str,
) -> str:
    if rule.action == "keep":
        return value
    if rule.action == "pseudonymize":
        return store.get(rule.namespace or "id", value) if value else ""
    if rule.action == "year":
        return _year(value)
    if rule.action == "birth_year":
        return _birth_year(value, row.get(rule.death_column or "", ""), today)
    if rule.action == "zip3":
        return _zip3(value, set(policy.restricted_zip3))
    if rule.action == "free_text":
        if not value or _NUMBER.match(value):
            return value
        if free_text is None:
            raise ValueError("no text de-identifier for a free_text column")
        return free_text(value, patient)
    raise AssertionError(f"unhandled action {rule.action}")


def deidentify_table(
    table: str,
    frame: pd.DataFrame,
    policy: TablePolicy,
    store: PseudonymStore,
    quarantine: Quarantine,
    today: date | None = None,
    free_text: FreeText | None = None,
) -> pd.DataFrame | None:
    """The de-identified table (string columns), or None when the policy drops the whole table."""
    rule = table_rule(policy, table)
    if rule is None:
        return None
    today = today or date.today()
    columns = resolve_columns(policy, table, rule, list(frame.columns))
    kept = [c for c, r in columns.items() if r.action != "drop"]
    out_rows = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        values, bad_column = [], None
        patient = str(row.get(rule.patient_column or "", "") or "")
        for column in kept:
            try:
                values.append(_apply(columns[column], row[column] or "", row, policy, store, today, free_text, patient))
            except ValueError:
                bad_column = column
                break
        if bad_column is None:
            out_rows.append(values)
        else:
            quarantine.add(table, f"{table}:row{index + 1}", f"bad_value:{bad_column}", {"row": row})
    return pd.DataFrame(out_rows, columns=kept, dtype=object)


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
