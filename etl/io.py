"""Output side of I/O: the run folder layout, atomic writes, the restricted (PHI) area and quarantine.

Layout of a run folder OUT (documented in docs/outputs.md):
  OUT/notes/            de-identified notes (Parquet)
  OUT/tables/           de-identified EHR tables (Parquet)
  OUT/datasets/         training data (JSONL)
  OUT/audit/            PHI-free evidence: summary.json, effective config
  OUT/logs/             run log (PHI-free)
  OUT/restricted/       everything that holds PHI; folders 0700, files 0600
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.layout import RESTRICTED, RunLayout
from schemas.records import QuarantineEntry


def private(layout: RunLayout, folder: Path) -> Path:
    """`folder` (a folder under the run's restricted/), created owner-only (0700) at every level."""
    return restricted_dir(layout.root, *folder.relative_to(layout.restricted).parts)


def restricted_dir(out_dir: Path, *parts: str) -> Path:
    """A folder under OUT/restricted/, created owner-only (0700) at every level."""
    path = out_dir / RESTRICTED
    for part in ("", *parts):
        path = path / part if part else path
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
    return path


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path` and rename it into place only on success.
    Under OUT/restricted/ the file is 0600 and every folder created for it 0700."""
    run_root = _restricted_run_root(path)
    if run_root is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        restricted_dir(run_root, *path.parent.relative_to(run_root / RESTRICTED).parts)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    encoding = None if "b" in mode else "utf-8"
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
        if run_root is not None:
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def private_umask() -> Iterator[int]:
    """Everything created inside is owner-only (umask 077), whatever the caller's umask (which it yields):
    a file written under restricted/ is never readable by others, not even between its creation and its
    chmod. Outputs meant to be shared are opened up afterwards by `open_shareable`."""
    previous = os.umask(0o077)
    try:
        yield previous
    finally:
        os.umask(previous)


def open_shareable(out_dir: Path, umask: int) -> None:
    """Give the run's PHI-free outputs (everything outside restricted/; datasets are there only once the
    gate published them) the permissions the caller's umask asks for; restricted/ stays owner-only."""
    for path in [out_dir, *out_dir.rglob("*")]:
        parts = path.relative_to(out_dir).parts
        if (parts and parts[0] == RESTRICTED) or path.is_symlink():
            continue
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


class RunLocked(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def run_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUT/.clinetl.lock for the whole run (an OS lock: released even when the process is killed),
    so two refreshes never write the same output folder."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / ".clinetl.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLocked(
                f"another clinetl run is writing {out_dir.name}/ (lock: {out_dir.name}/.clinetl.lock)"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _restricted_run_root(path: Path) -> Path | None:
    """The run folder OUT when `path` lies under OUT/restricted/, else None."""
    for parent in path.parents:
        if parent.name == RESTRICTED:
            return parent.parent
    return None


def write_json(path: Path, payload: Any) -> None:
    with atomic_open(path) as handle:
        json.dump(payload, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")


def jsonl_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with atomic_open(path) as handle:
        for row in rows:
            handle.write(jsonl_line(row))
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


ROWS_AT_A_TIME = 5_000  # rows of a Parquet file read at a time where a stage streams its input


def parquet_rows(
    path: Path, columns: list[str] | None = None, batch_size: int = ROWS_AT_A_TIME
) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file as dicts, read `batch_size` at a time (never the whole file)."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=columns):
        yield from batch.to_pylist()


def write_parquet(path: Path, frame: pd.DataFrame | pa.Table) -> None:
    with atomic_open(path, "wb") as handle:
        if isinstance(frame, pa.Table):
            pq.write_table(frame, handle)
        else:
            frame.to_parquet(handle, index=False)


class Quarantine:
    """Collects records that could not be processed.

    Entries (with their payload, which may hold PHI) go to OUT/restricted/quarantine/<stage>.jsonl;
    only the counts by reason leave the restricted area.
    """

    def __init__(self, out_dir: Path, stage: str) -> None:
        self.out_dir = out_dir
        self.stage = stage
        self.entries: list[QuarantineEntry] = []

    def add(self, source: str, record_key: str, reason: str, payload: dict[str, Any] | None = None) -> None:
        self.entries.append(QuarantineEntry(self.stage, source, record_key, reason, payload or {}))

    def reasons(self) -> dict[str, int]:
        return dict(Counter(entry.reason for entry in self.entries))

    def __len__(self) -> int:
        return len(self.entries)

    def flush(self) -> Path:
        path = RunLayout(self.out_dir).quarantine_file(self.stage)
        private(RunLayout(self.out_dir), path.parent)
        write_jsonl(path, (asdict(entry) for entry in self.entries))
        return path
