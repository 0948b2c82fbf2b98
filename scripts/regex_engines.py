"""Which regex engine is faster on each pattern of clinetl's recognizers: Python's `re` or the `regex`
module (Presidio's), over the same notes, best of 3. Prints every pattern's times, checks both engines
find the same matches, and names the patterns whose declared engine (`compile_pattern(..., engine=)` in
etl/deid/recognizers) is 1.2x slower than the other one
(patterns with an anchor or a line gate, tried only where it holds, are left out).

    python scripts/regex_engines.py [--mtsamples ../shared/data/external/mtsamples/mtsamples.csv]
        [--meddocan ../shared/data/external/meddocan]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import regex

from etl.deid.recognizers import build_recognizers
from etl.deid.recognizers.base import GroupRegexRecognizer
from etl.evaluate.bench import load_notes
from etl.synth.gold_notes import generate_gold


def _best(pattern: re.Pattern[str] | regex.Pattern[str], text: str) -> tuple[float, list[tuple[int, int]]]:
    times, spans = [], []
    for _ in range(3):
        started = time.perf_counter()
        spans = [m.span() for m in pattern.finditer(text)]
        times.append(time.perf_counter() - started)
    return min(times), spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mtsamples", type=Path)
    parser.add_argument("--meddocan", type=Path)
    args = parser.parse_args()
    english = [d["text"] for d in generate_gold(300, seed=7)]
    if args.mtsamples:
        english += load_notes(args.mtsamples, 300)[0]
    spanish = []
    if args.meddocan:
        spanish = [p.read_text(encoding="utf-8") for p in sorted(args.meddocan.rglob("dev/**/*.txt"))[:300]]
    misplaced: list[str] = []
    for lang, texts in (("en", english), ("es", spanish)):
        if not texts:
            continue
        corpus = "\n".join(texts)
        for recognizer in build_recognizers(lang):
            if not isinstance(recognizer, GroupRegexRecognizer):
                continue
            for pattern in recognizer._patterns:
                if pattern.anchor is not None or pattern.line_gate is not None:
                    continue  # tried only where its anchor or gate holds, not over the whole text
                key = f"{lang}:{recognizer.name}:{pattern.name}"
                flags = pattern.regex.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE)
                plain = re.compile(pattern.regex.pattern, flags)
                t_re, spans_re = _best(plain, corpus)
                t_regex, spans_regex = _best(regex.compile(plain.pattern, plain.flags | regex.V0), corpus)
                if spans_re != spans_regex:
                    raise SystemExit(f"{key}: the engines disagree")
                declared = "regex" if isinstance(pattern.regex, regex.Pattern) else "re"
                print(f"{key:58s} re {t_re * 1000:7.1f} ms  regex {t_regex * 1000:7.1f} ms  declared {declared}")
                if (declared == "re" and t_regex * 1.2 < t_re) or (declared == "regex" and t_re * 1.2 < t_regex):
                    misplaced.append(key)
    print("patterns on the slower engine:", ", ".join(misplaced) or "none")


if __name__ == "__main__":
    main()
