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
from collections.abc import Callable
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


class ReusePlanner:
    """One rule for incremental work, tables and notes alike: a record's last output is reused when its
    content fingerprint and the config hash are those the last manifest recorded and that output still
    stands; anything else is redone. Records in the last manifest and no longer in the source are deleted."""

    def __init__(self, out_dir: Path, kind: str, config_hash: str) -> None:
        self.previous = read_manifest(out_dir, kind)
        self.config_hash = config_hash

    def reusable(self, key: str, print_: str, stands: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        """The last manifest's row for `key` when its output can be reused, else None."""
        before = self.previous.get(key)
        if before is not None and unchanged(before, print_, self.config_hash) and stands(before):
            return before
        return None

    def row(self, key: str, print_: str, output_key: str, outcome: str) -> dict[str, Any]:
        """This run's manifest row for a record done now."""
        return {
            "record_key": key,
            "fingerprint": print_,
            "config_hash": self.config_hash,
            "output_key": output_key,
            "outcome": outcome,
        }

    def deleted(self, keys: set[str]) -> int:
        """Records of the last manifest not among `keys` (this run's records)."""
        return len(set(self.previous) - keys)
