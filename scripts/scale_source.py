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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="an output folder of an earlier run (its restricted/staging is read)")
    parser.add_argument("--times", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    staging, out = Path(args.run) / "restricted" / "staging", Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(staging / "tables", out)
    notes = pq.read_table(staging / "notes.parquet").select(list(_COLUMNS)).rename_columns(list(_COLUMNS.values()))
    ids = notes.column("NOTE_ID").to_pylist()
    with pq.ParquetWriter(out / "notes.parquet", notes.schema) as writer:
        for copy in range(args.times):
            column = pa.array([f"{note_id}~{copy}" for note_id in ids], notes.schema.field("NOTE_ID").type)
            writer.write_table(notes.set_column(0, "NOTE_ID", column))
    print(f"{len(ids) * args.times} notes, {len(list(out.glob('*.parquet'))) - 1} tables in {out}")


if __name__ == "__main__":
    main()
