"""Peak memory of the stages after the notes stage (tables, convert, audit) on a large output, such as
the one scripts/memory_notes.py leaves: each stage is run in turn in this process, and the peak RSS so
far is printed after each (the peak only grows, so a stage that raises it is the one that set it).

    python scripts/memory_notes.py build/synthea/ca59 --times 111 --workers 2 --out build/memory/run200k
    cp -a build/memory/run200k build/memory/stages200k
    /usr/bin/time -v python scripts/memory_stages.py build/memory/stages200k
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from etl.config import load_config
from etl.offline import set_offline_env
from etl.stages.audit import run as audit_outputs
from etl.stages.datasets import run as build_datasets
from etl.stages.tables import run as deidentify_tables
from schemas.layout import RunLayout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="an output folder whose notes stage has run (it is written to)")
    parser.add_argument("--config", help="a clinetl config file (default: the defaults)")
    args = parser.parse_args()
    set_offline_env()
    out, config = Path(args.out), load_config(args.config)
    figures = {}
    for stage, run in (("tables", deidentify_tables), ("datasets", build_datasets), ("audit", audit_outputs)):
        started = time.perf_counter()
        run(RunLayout(out), config)
        figures[stage] = {
            "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
