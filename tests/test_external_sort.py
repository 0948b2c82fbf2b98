"""The external sort gives one sorted file whose bytes depend only on the rows, not on how they came in."""

import random

import pyarrow as pa
import pyarrow.parquet as pq

from etl.external_sort import ROW_GROUP, ExternalSort

SCHEMA = pa.schema([("key", pa.string()), ("start", pa.int64()), ("label", pa.string())])


def _rows(count: int) -> list[dict]:
    rows = [{"key": f"k{i % 997:04d}", "start": i, "label": "NAME" if i % 3 else None} for i in range(count)]
    random.Random(7).shuffle(rows)
    return rows


def _sorted(tmp_path, rows, name, part_rows, fan_in, chunk):
    sorter = ExternalSort(tmp_path / f"parts-{name}", SCHEMA, SCHEMA.names, part_rows=part_rows, fan_in=fan_in)
    for start in range(0, len(rows), chunk):
        sorter.add_rows(rows[start : start + chunk])
    target = tmp_path / f"{name}.parquet"
    assert sorter.write(target) == len(rows)
    assert not (tmp_path / f"parts-{name}").exists()  # the parts are cleared
    return target


def test_when_rows_are_split_differently_then_same_sorted_bytes(tmp_path):
    rows = _rows(25_000)
    in_memory = _sorted(tmp_path, rows, "one-part", part_rows=10**6, fan_in=64, chunk=25_000)
    # many small parts, merged in rounds of 3 (more parts than the fan-in), fed in uneven chunks
    rounds = _sorted(tmp_path, list(reversed(rows)), "rounds", part_rows=1_000, fan_in=3, chunk=333)
    assert in_memory.read_bytes() == rounds.read_bytes()
    table = pq.read_table(rounds)
    assert table.equals(pa.Table.from_pylist(rows, schema=SCHEMA).sort_by([(k, "ascending") for k in SCHEMA.names]))
    assert pq.ParquetFile(rounds).metadata.row_group(0).num_rows == ROW_GROUP


def test_when_nothing_added_then_an_empty_file_with_the_schema(tmp_path):
    target = _sorted(tmp_path, [], "empty", part_rows=10, fan_in=2, chunk=1)
    assert pq.read_table(target).schema == SCHEMA and pq.read_metadata(target).num_rows == 0
