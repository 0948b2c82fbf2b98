"""Characters of Chinese medical text written by others left as written by detection (a PHI-light corpus:
every redaction is a false hit or a real identifier), with the counts of what was redacted by label.

    python scripts/zh_words_kept.py \\
        CORPORA/chinese-medical-dialogue-toyhom/sample_internal_medicine_5000-6000.utf8.csv --skip 600 --rows 1200

Rows are shuffled with a fixed seed; `--skip` leaves out the rows already analysed (the first 600)."""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from pathlib import Path

from etl.config import load_config
from etl.deid.text import TextDeidentifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path, help="a Toyhom-style CSV with ask and answer columns")
    parser.add_argument("--skip", type=int, default=600)
    parser.add_argument("--rows", type=int, default=1200)
    parser.add_argument("--config", help="a clinetl config file (default: the defaults)")
    args = parser.parse_args()
    with args.csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(5).shuffle(rows)
    rows = rows[args.skip : args.skip + args.rows]
    detector = TextDeidentifier(load_config(args.config).deid)
    chars = redacted = 0
    labels: Counter[str] = Counter()
    for row in rows:
        for text in (row["ask"], row["answer"]):
            covered: set[int] = set()
            for span in detector.detect(text, "zh"):
                covered.update(range(span.start, span.end))
                labels[span.label] += 1
            chars += len(text)
            redacted += len(covered)
    print(f"texts {2 * len(rows)}, characters {chars}, redacted {redacted}, kept {1 - redacted / chars:.4f}")
    print(dict(sorted(labels.items())))


if __name__ == "__main__":
    main()
