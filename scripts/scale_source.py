"""A clinic folder N times the size of an earlier run's: its staged tables as they are, its staged notes
repeated `--times` times under new note ids (same patients), as notes.parquet. For whole-run memory and
time at scale:

    python scripts/scale_source.py build/synthea/ca59 --times 11 --out build/scale/ca59x11
    /usr/bin/time -v clinetl run --source build/scale/ca59x11 --out build/scale/out --config FILE
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# staged column -> the notes file's column (see README "Input: a clinic folder")
_COLUMNS = {
    "note_id": "NOTE_ID",
    "text": "TEXT",
    "patient_id": "PATIENT",
    "encounter_id": "ENCOUNTER",
    "date": "DATE",
    "note_type": "NOTE_TYPE",
    "lang": "LANG",
}


def repeat_notes(source: Path, target: Path, times: int, rename: dict[str, str] | None = None) -> tuple[int, int]:
    """Writes `times` copies of the staged notes at `source` (ids suffixed ~0, ~1, …; columns renamed by
    `rename`, which then also selects them) as one Parquet file, a copy at a time. Returns the notes and
    characters written."""
    notes = pq.read_table(source)
    if rename is not None:
        notes = notes.select(list(rename)).rename_columns(list(rename.values()))
    id_column = (rename or {}).get("note_id", "note_id")
    position = notes.schema.get_field_index(id_column)
    ids = notes.column(id_column).to_pylist()
    with pq.ParquetWriter(target, notes.schema) as writer:
        for copy in range(times):
            column = pa.array([f"{note_id}~{copy}" for note_id in ids], notes.schema.field(id_column).type)
            writer.write_table(notes.set_column(position, id_column, column))
    chars = sum(len(text or "") for text in notes.column((rename or {}).get("text", "text")).to_pylist())
    return len(ids) * times, chars * times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="an output folder of an earlier run (its restricted/staging is read)")
    parser.add_argument("--times", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    staging, out = Path(args.run) / "restricted" / "staging", Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(staging / "tables", out)
    count, _ = repeat_notes(staging / "notes.parquet", out / "notes.parquet", args.times, _COLUMNS)
    print(f"{count} notes, {len(list(out.glob('*.parquet'))) - 1} tables in {out}")


if __name__ == "__main__":
    main()
