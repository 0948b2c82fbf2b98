"""Residual scan: look for a source's known patient identifiers in every file of a run outside restricted/.

Independent of the de-identification that produced the outputs: it reads the identifying columns of the
source's patients table and searches the written files for each value (whole tokens, case-insensitive,
whatever the punctuation between them; birth dates in their written forms).
Findings name the file and the column the value came from, and how many values were found; never the
value itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from etl.audit.residual import KnownIndex, records, shareable_files

# patients.csv columns that identify a person (Synthea layout); FIRST + LAST is also searched as a pair
IDENTIFYING_COLUMNS = ("FIRST", "LAST", "MAIDEN", "SSN", "DRIVERS", "PASSPORT", "ADDRESS", "BIRTHDATE")
_MIN_CHARS = 4  # shorter values ("Al", "Li") match too much ordinary text to be evidence


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


def scan_outputs(out_dir: Path, patients: pd.DataFrame) -> dict[str, Any]:
    """Counts of distinct known identifier values found per (file, column), over every shareable file of a
    run: the run's own residual scan (etl/audit/residual.py) with the patients table's columns as kinds."""
    searched = known_values(patients)
    index = KnownIndex.build((column, value) for column, values in searched.items() for value in values)
    files = shareable_files(out_dir)
    found: dict[tuple[str, str], set[str]] = {}
    for path, name in files:
        for _, text in records(path):
            for entries in index.matches(text):
                for column, value in entries:
                    found.setdefault((name, column), set()).add(value)
    return {
        "files_scanned": len(files),
        "values_searched": {c: len(v) for c, v in searched.items()},
        "findings": [{"file": f, "column": c, "distinct_values": len(v)} for (f, c), v in sorted(found.items())],
    }
