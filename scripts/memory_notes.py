"""Peak memory of the notes stage on many notes: a run's staged notes repeated `--times` times under new
note ids (same patients, so record-linked detection still has work), de-identified into a fresh output
folder. Prints JSON: notes, characters, seconds, peak RSS of this process and of the largest worker.

    python scripts/memory_notes.py build/synthea/ca59 --times 111 --workers 2 --out build/memory200k
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

from scale_source import repeat_notes  # beside this script

from etl.config import load_config
from etl.io import restricted_dir
from etl.stages.notes import run as deidentify_notes_stage
from schemas.layout import RunLayout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="an output folder of an earlier run (its restricted/staging is reused)")
    parser.add_argument("--times", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--config", help="a clinetl config file (default: the defaults)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    staging = restricted_dir(out, "staging")
    shutil.copytree(Path(args.run) / "restricted" / "staging" / "tables", staging / "tables")
    count, chars = repeat_notes(
        Path(args.run) / "restricted" / "staging" / "notes.parquet", staging / "notes.parquet", args.times
    )
    config = load_config(args.config)
    config = config.model_copy(update={"deid": config.deid.model_copy(update={"workers": args.workers})})
    started = time.perf_counter()
    deidentify_notes_stage(RunLayout(out), config)
    figures = {
        "notes": count,
        "chars": chars,
        "workers": args.workers,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb_main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_largest_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
