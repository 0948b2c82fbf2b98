"""Print what de-identification misses and over-redacts on a gold file (for dev sets only: looking at a
held-out set's errors makes it a dev set). Usage: python scripts/deid_errors.py GOLD [--format F] [--lang L]"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from etl.config import load_config
from etl.deid.text import TextDeidentifier
from etl.evaluate.gold import IGNORE, read_gold


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold")
    parser.add_argument("--format", default="jsonl")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--config")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    deid = TextDeidentifier(load_config(args.config).deid)
    missed: Counter[str] = Counter()
    over: Counter[str] = Counter()
    keep_lost: Counter[str] = Counter()
    for doc in read_gold(Path(args.gold), args.format, args.lang):
        spans = deid.detect(doc.text, doc.lang)
        gold = [g for g in doc.spans if g.label != IGNORE]
        for g in gold:
            for w in re.finditer(r"[^\W_]{2,}", doc.text[g.start : g.end]):
                s, e = g.start + w.start(), g.start + w.end()
                if not any(p.start < e and s < p.end for p in spans):
                    line = doc.text[max(0, s - 30) : e + 20].replace("\n", " | ")
                    missed[f"{g.label}: {doc.text[g.start : g.end]!r}  in …{line}…"] += 1
                    break
        for p in spans:
            for w in re.finditer(r"[^\W_]{2,}", doc.text[p.start : p.end]):
                s, e = p.start + w.start(), p.start + w.end()
                if not any(g.start < e and s < g.end for g in doc.spans):
                    over[f"{p.recognizer} {p.label}: {w.group()}"] += 1
        for k in doc.keep:
            if any(p.start < k.end and k.start < p.end for p in spans):
                keep_lost[doc.text[k.start : k.end]] += 1
    print(f"== missed ({sum(missed.values())})")
    for key, n in missed.most_common(args.top):
        print(n, key)
    print(f"== over-redacted words ({sum(over.values())})")
    for key, n in over.most_common(args.top):
        print(n, key)
    print(f"== clinical terms lost ({sum(keep_lost.values())})")
    for key, n in keep_lost.most_common(args.top):
        print(n, key)


if __name__ == "__main__":
    main()
