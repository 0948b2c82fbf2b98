"""Sorting a table larger than memory into one Parquet file (an external merge sort).

Rows come in as Arrow tables in any order; every `part_rows` of them are sorted and written as a part
file; `write` merges the parts (in rounds of at most `fan_in` when there are many) into the target, in
row groups of a fixed size. The same rows therefore give the same bytes, however they were split into
parts: what a nightly refresh relies on when it mixes reused and new outputs.
"""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from etl.io import atomic_open, parquet_rows

ROW_GROUP = 10_000  # rows per row group of the merged file
_READ_ROWS = 512  # rows per row group of a part, read a group at a time from each part while merging


class ExternalSort:
    """Collects rows in sorted parts under `folder` (which it owns and clears), then writes them merged.
    Rows equal on every key may come out in any order: give keys that order whole rows."""

    def __init__(
        self, folder: Path, schema: pa.Schema, keys: list[str], part_rows: int = 50_000, fan_in: int = 64
    ) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder, self.schema, self.keys = folder, schema, keys
        self.part_rows, self.fan_in = part_rows, fan_in
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._parts: list[Path] = []
        self._named = 0
        self.rows = 0

    def add(self, table: pa.Table) -> None:
        self._buffer.append(table.select(self.schema.names).cast(self.schema))
        self._buffered += len(table)
        self.rows += len(table)
        if self._buffered >= self.part_rows:
            self._flush()

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.add(pa.Table.from_pylist(rows, schema=self.schema))

    def _flush(self) -> None:
        if self._buffered:
            table = pa.concat_tables(self._buffer).sort_by([(key, "ascending") for key in self.keys])
            self._parts.append(self._new_part())
            pq.write_table(table, self._parts[-1], row_group_size=_READ_ROWS)  # read back a group at a time
        self._buffer, self._buffered = [], 0

    def _new_part(self) -> Path:
        self._named += 1
        return self.folder / f"part-{self._named:06d}.parquet"

    def _merged(self, parts: list[Path]) -> Iterator[dict[str, Any]]:
        keys = self.keys

        def order(row: dict[str, Any]) -> tuple[tuple[bool, Any], ...]:  # nulls last, as Arrow sorts them
            return tuple((row[k] is None, row[k]) for k in keys)

        return heapq.merge(*(parquet_rows(p, batch_size=_READ_ROWS) for p in parts), key=order)

    def _write(self, rows: Iterator[dict[str, Any]], writer: pq.ParquetWriter, group_rows: int = ROW_GROUP) -> None:
        group: list[dict[str, Any]] = []
        for row in rows:
            group.append(row)
            if len(group) == group_rows:
                writer.write_table(pa.Table.from_pylist(group, schema=self.schema))
                group.clear()
        if group:
            writer.write_table(pa.Table.from_pylist(group, schema=self.schema))

    def write(self, target: Path) -> int:
        """Writes every row added, sorted by the keys, to `target` (atomically); clears the parts. Returns
        the number of rows."""
        self._flush()
        parts = self._parts
        while len(parts) > self.fan_in:  # merge in rounds, so only fan_in parts are open at a time
            rounds = []
            for start in range(0, len(parts), self.fan_in):
                rounds.append(self._new_part())
                with pq.ParquetWriter(rounds[-1], self.schema) as writer:
                    self._write(self._merged(parts[start : start + self.fan_in]), writer, _READ_ROWS)
                for path in parts[start : start + self.fan_in]:
                    path.unlink()
            parts = rounds
        with atomic_open(target, "wb") as handle, pq.ParquetWriter(handle, self.schema) as writer:
            if parts:
                self._write(self._merged(parts), writer)
            else:
                writer.write_table(self.schema.empty_table())
        shutil.rmtree(self.folder, ignore_errors=True)
        return self.rows
