"""Re-identification risk of the de-identified tables: k-anonymity over quasi-identifiers.

Records that share every quasi-identifier value form an equivalence class; a table is k-anonymous when
its smallest class has k records. With `suppress`, the quasi-identifier values of records in classes
smaller than k are emptied (local suppression): no record is removed, joins keep working, and the
suppressed records form one class of their own. The report holds counts and column names only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.io import write_parquet
from schemas.config import KAnonymityConfig

AGE_BAND = "age_band"
_BIRTH_COLUMNS = ("BIRTHDATE", "birthdate", "birth_date")
_SUPPRESSED = "*"


def _birth_year(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime | date):
        return value.year
    return int(value)


def age_bands(frame: pd.DataFrame, width: int, today: date) -> pd.Series:
    """ "30-39"-style bands from the (generalized or shifted) birth date; no birth date: "90+/unknown"."""
    column = next((c for c in _BIRTH_COLUMNS if c in frame.columns), None)
    if column is None:
        return pd.Series(["unknown"] * len(frame), index=frame.index, dtype=object)

    def band(value: Any) -> str:
        year = _birth_year(value)
        if year is None:
            return "90+/unknown"  # Safe Harbor empties the birth year of anyone over 89
        low = (today.year - year) // width * width
        return f"{low}-{low + width - 1}"

    return frame[column].map(band).astype(object)


def equivalence_classes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The size of each record's class, aligned with the frame's rows."""
    keys = frame[columns].astype(str).fillna("")
    return keys.groupby(columns, dropna=False)[columns[0]].transform("size")


def _measure(view: pd.DataFrame, columns: list[str], k: int) -> dict[str, Any]:
    sizes = view[columns].astype(str).fillna("").groupby(columns, dropna=False).size()  # one row per class
    small = sizes[sizes < k]
    return {
        "records": len(view),
        "classes": len(sizes),
        "smallest_class": int(sizes.min()) if len(sizes) else 0,
        "records_below_k": int(small.sum()),
        "classes_below_k": len(small),
        "k_anonymous": bool(small.empty),
    }


def _suppress(path: Path, table: pa.Table, rows: pd.Series, columns: list[str]) -> None:
    """Empty the quasi-identifier columns of `rows` (a boolean mask) and rewrite the table."""
    mask = pa.array(rows.to_numpy())
    arrays = []
    for field in table.schema:
        column = table.column(field.name)
        if field.name in columns:
            column = pc.if_else(mask, pa.scalar(None, type=field.type), column)
        arrays.append(column)
    write_parquet(path, pa.Table.from_arrays(arrays, schema=table.schema))


def k_anonymity_report(tables_dir: Path, config: KAnonymityConfig, today: date | None = None) -> dict[str, Any]:
    """Per configured table: class counts before (and after suppression, when configured)."""
    today = today or datetime.now(UTC).date()
    report: dict[str, Any] = {"k": config.k, "suppress": config.suppress, "tables": {}}
    for name, wanted in config.quasi_identifiers.items():
        path = tables_dir / f"{name}.parquet"
        if not path.is_file():
            continue
        table = pq.read_table(path)
        frame = table.to_pandas()
        view = pd.DataFrame(index=frame.index)
        used, missing = [], []
        for column in wanted:
            if column == AGE_BAND:
                view[column] = age_bands(frame, config.age_band_years, today)
            elif column in frame.columns:
                view[column] = frame[column].astype(object).where(frame[column].notna(), "")
            else:
                missing.append(column)
                continue
            used.append(column)
        entry: dict[str, Any] = {"quasi_identifiers": used, "missing_columns": missing}
        if not used:
            report["tables"][name] = entry
            continue
        entry["before"] = _measure(view, used, config.k)
        if config.suppress and not entry["before"]["k_anonymous"]:
            small = equivalence_classes(view, used) < config.k
            stored = [c for c in used if c != AGE_BAND] + (
                [c for c in _BIRTH_COLUMNS if c in frame.columns] if AGE_BAND in used else []
            )
            _suppress(path, table, small, stored)
            view.loc[small, used] = _SUPPRESSED
            entry["records_suppressed"] = int(small.sum())
            entry["after"] = _measure(view, used, config.k)
        report["tables"][name] = entry
    return report
