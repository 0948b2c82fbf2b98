"""Residual scan: look for a source's known patient identifiers in every file of a run outside restricted/.

Independent of the de-identification that produced the outputs: it reads the identifying columns of the
source's patients table and searches the written files for each value (whole words, case-insensitive).
Findings name the file and the column the value came from, and how many values were found; never the
value itself.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

# patients.csv columns that identify a person (Synthea layout); FIRST + LAST is also searched as a pair
IDENTIFYING_COLUMNS = ("FIRST", "LAST", "MAIDEN", "SSN", "DRIVERS", "PASSPORT", "ADDRESS", "BIRTHDATE")
_MIN_CHARS = 4  # shorter values ("Al", "Li") match too much ordinary text to be evidence
_TEXT_SUFFIXES = {".json", ".jsonl", ".md", ".yaml", ".yml", ".csv", ".txt", ".log", ".html"}


def known_values(patients: pd.DataFrame) -> dict[str, set[str]]:
    """Identifying column -> the distinct values worth searching for."""
    values: dict[str, set[str]] = {}
    for column in IDENTIFYING_COLUMNS:
        if column in patients.columns:
            found = {str(v).strip() for v in patients[column] if len(str(v or "").strip()) >= _MIN_CHARS}
            values[column] = {v for v in found if v.lower() != "nan"}
    if {"FIRST", "LAST"} <= set(patients.columns):
        values["FIRST LAST"] = {
            f"{first} {last}".strip() for first, last in zip(patients["FIRST"], patients["LAST"], strict=True)
        }
    return values


def _text(path: Path) -> str:
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    return path.read_bytes().decode("utf-8", errors="replace")


def _pattern(values: set[str]) -> re.Pattern[str] | None:
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def scan_outputs(out_dir: Path, patients: pd.DataFrame) -> dict[str, Any]:
    """Counts of known identifier values found per (file, column), over every shareable file of a run."""
    patterns = {column: _pattern(values) for column, values in known_values(patients).items()}
    files = sorted(
        p
        for p in out_dir.rglob("*")
        if p.is_file()
        and "restricted" not in p.relative_to(out_dir).parts
        and (p.suffix in _TEXT_SUFFIXES or p.suffix == ".parquet")
    )
    findings: Counter[tuple[str, str]] = Counter()
    for path in files:
        text = _text(path)
        for column, pattern in patterns.items():
            if pattern is not None:
                hits = {m.group(0).lower() for m in pattern.finditer(text)}
                if hits:
                    findings[(path.relative_to(out_dir).as_posix(), column)] += len(hits)
    return {
        "files_scanned": len(files),
        "values_searched": {c: len(v) for c, v in known_values(patients).items()},
        "findings": [{"file": f, "column": c, "distinct_values": n} for (f, c), n in sorted(findings.items())],
    }
