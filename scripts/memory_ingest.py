"""Time and peak memory of the ingest stage on a large notes.csv: a clinic folder's notes.csv repeated to
`--notes` rows under new note ids (its tables as they are, its txt notes left out), then ingested into a
fresh output folder. Prints JSON: notes, megabytes, seconds, peak RSS.

    python scripts/memory_ingest.py demo/clinic --notes 200000 --work build/memory/ingest
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import time
from pathlib import Path

from etl.config import load_config
from etl.stages import common, ingest
from schemas.layout import RunLayout


def scaled_clinic(source: Path, target: Path, notes: int) -> int:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("notes", "notes.csv"))
    with (source / "notes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (target / "notes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for n in range(notes):
            writer.writerow({**rows[n % len(rows)], "NOTE_ID": f"S{n:07d}"})
    return (target / "notes.csv").stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clinic", help="a clinic folder with a notes.csv (e.g. from `clinetl synth`)")
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--work", required=True, help="a folder for the scaled clinic and the output")
    args = parser.parse_args()
    work = Path(args.work)
    size = scaled_clinic(Path(args.clinic), work / "clinic", args.notes)
    config = load_config()
    started = time.monotonic()
    common.prepare_output(work / "out", config)
    ingest.run(work / "clinic", RunLayout(work / "out"), config)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB -> GB (Linux)
    print(
        json.dumps(
            {"notes": args.notes, "mb": round(size / 1e6, 1), "seconds": round(seconds, 1), "peak_gb": round(peak, 2)}
        )
    )


if __name__ == "__main__":
    main()
