"""Find planted identifiers in output files (test helper)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def planted_values(clinic: Path) -> list[dict[str, str]]:
    return json.loads((clinic / "planted_identifiers.json").read_text(encoding="utf-8"))


def file_text(path: Path) -> str:
    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    return path.read_bytes().decode("utf-8", errors="replace")


def find_leaks(planted: list[dict[str, str]], files: list[Path]) -> list[tuple[str, str]]:
    """(kind, file name) for every planted value found in a file. Values themselves are not returned,
    so an assertion message never prints an identifier."""
    texts = {path: file_text(path).lower() for path in files}
    return [
        (item["kind"], path.name) for item in planted for path, text in texts.items() if item["value"].lower() in text
    ]
