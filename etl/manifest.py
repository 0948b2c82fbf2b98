"""The manifest of what a run processed, for incremental nightly refreshes.

One row per source record: its key, a content fingerprint (what was read, and the structured identifiers
used to de-identify it), the hash of the config parts that shape its output, the pseudonymous key of its
output and how it ended. It lives under restricted/ (source keys can be identifiers) and is written
atomically after the outputs, so a run killed before the end leaves the previous manifest: the next run
redoes what was not recorded, and the output it writes is the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from etl.io import restricted_dir, write_parquet
from schemas.layout import RunLayout

COLUMNS = ["record_key", "fingerprint", "config_hash", "output_key", "outcome"]


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def manifest_path(out_dir: Path, kind: str) -> Path:
    path = RunLayout(out_dir).manifest_file(kind)
    restricted_dir(out_dir)
    return path


def read_manifest(out_dir: Path, kind: str) -> dict[str, dict[str, Any]]:
    """record key -> its row in the previous run's manifest (empty on a first run)."""
    path = manifest_path(out_dir, kind)
    if not path.is_file():
        return {}
    return {row["record_key"]: row for row in pd.read_parquet(path).to_dict(orient="records")}


def write_manifest(out_dir: Path, kind: str, rows: list[dict[str, Any]]) -> None:
    write_parquet(manifest_path(out_dir, kind), pd.DataFrame(rows, columns=COLUMNS))


def unchanged(previous: dict[str, Any] | None, print_: str, config_hash: str) -> bool:
    return previous is not None and previous["fingerprint"] == print_ and previous["config_hash"] == config_hash
