"""The datasets stage: de-identified notes and tables -> canonical training examples -> duplicates and
over-long examples removed -> patient-level splits -> every configured format, with the dataset card.
Built under restricted/ until the audit stage's gate publishes them. Entry point: `run(out_dir, config)`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import Any

from etl import __version__
from etl.audit.stage import pending_datasets
from etl.config import config_hash
from etl.convert.exporters import dataset_info, export
from etl.convert.quality import assign_splits, check_lengths, distinct_examples
from etl.convert.record_tasks import build_record_examples
from etl.convert.tasks import build_examples
from etl.io import atomic_open, jsonl_line, parquet_rows, write_json
from etl.stages.common import log, write_stage
from etl.stages.notes import NOTES_SCHEMA
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.records import SPLITS, DeidentifiedNote, TrainingExample
from schemas.stages import DatasetsStats


def _token_counter(config: RunConfig) -> Any:
    """Counts an example's tokens with the target tokenizer (its chat markup estimated at 4 tokens a turn)."""
    if config.convert.tokenizer is None:
        return None
    from tokenizers import Tokenizer  # installed with the finetune extra

    path = Path(config.convert.tokenizer)
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json" if path.is_dir() else path))

    def count(example: TrainingExample) -> int:
        return sum(len(tokenizer.encode(t.content).ids) + 4 for t in example.turns)

    return count


def _dataset_card(stats: dict[str, Any], config: RunConfig) -> str:
    lines = [
        "# clinetl dataset card",
        "",
        "Training data built from one clinic's de-identified records by clinetl "
        f"{__version__} (config {config_hash(config)[:12]}; notes: {config.deid.date_mode}).",
        "",
        "* Source: the clinic's own notes and records. Licence: clinic-internal; not for redistribution unless the",
        "  clinic's data steward releases it. De-identification evidence: `../audit/`.",
        "* Splits are by patient (pseudonymous keys in `splits.json`); no patient is in two splits.",
        "* Formats: " + ", ".join(f"`{f}/`" for f in config.convert.formats) + "; LLaMA-Factory: `dataset_info.json`.",
        "",
        "| task | language | split | examples |",
        "|---|---|---|---|",
    ]
    for key, count in sorted(stats["examples_by_task_lang_split"].items()):
        task, lang, split = key.split("|")
        lines.append(f"| {task} | {lang} | {split} | {count} |")
    removed = ", ".join(f"{k} {v}" for k, v in sorted(stats["removed"].items()) if v) or "none"
    lines += ["", f"Removed before splitting: {removed}."]
    lines += ["", _split_line(stats["patients_by_split"], config.convert.split_fractions)]
    return "\n".join(lines) + "\n"


def _split_line(patients: dict[str, int], fractions: dict[str, float]) -> str:
    """Patients per split, and why a split is empty when it is: a patient's split comes from a stable hash
    of their key, so a clinic with few patients can leave a small split without any."""
    total = sum(patients.values())
    line = "Patients by split: " + ", ".join(f"{split} {patients.get(split, 0)}" for split in SPLITS) + "."
    empty = [split for split in SPLITS if not patients.get(split) and fractions.get(split, 0) > 0]
    if empty:
        expected = ", ".join(f"{split} {total * fractions[split]:.1f}" for split in empty)
        line += (
            f" Empty: {', '.join(empty)}. With {total} patients the fractions (convert.split_fractions) expect "
            f"{expected} patients there; each patient is placed by a stable hash of their key, so a clinic this "
            "small can leave a split empty. It fills as patients are added, and no patient ever changes split."
        )
    return line


def _note_examples(
    path: Path, config: RunConfig, skipped: dict[str, dict[str, int]], counts: Counter[str]
) -> Iterator[TrainingExample]:
    """Every note's examples, in order, the notes read a batch at a time; what each note could not give
    is counted in `skipped` (task -> reason -> count), notes in `counts`."""
    for row in parquet_rows(path, NOTES_SCHEMA.names):
        built, reasons = build_examples(DeidentifiedNote(**row), config.convert)
        counts["notes_in"] += 1
        counts["notes_with_examples"] += bool(built)
        for task, reason in reasons.items():
            skipped.setdefault(task, {}).setdefault(reason, 0)
            skipped[task][reason] += 1
        yield from built


def run(layout: RunLayout, config: RunConfig) -> DatasetsStats:
    """De-identified notes and tables -> canonical records -> duplicates and over-long examples removed ->
    patient-level splits -> OUT/datasets/<format>/<split>.jsonl for every configured format, splits.json,
    LLaMA-Factory's dataset_info.json, a dataset card.

    Streamed: notes are read a batch at a time; each example past the exact-duplicate check waits in a
    spill file under restricted/pending/ while near duplicates are found (see distinct_examples); the
    spill is then read once to write every format and split. Every example built is kept or counted in
    `removed` with its reason."""
    out_dir = layout.root
    datasets = pending_datasets(out_dir)  # published by the audit stage, if its gate passes
    spill = datasets.parent / "examples.spill.jsonl"
    skipped: dict[str, dict[str, int]] = {}
    counts: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    examples: Iterable[TrainingExample] = _note_examples(layout.notes_file, config, skipped, counts)
    if (tables_dir := layout.tables_dir).is_dir():
        from_records, record_skips = build_record_examples(tables_dir, config.convert)
        examples = chain(examples, from_records)
        for task, task_counts in record_skips.items():
            skipped.setdefault(task, {}).update(task_counts)
    try:
        distinct = distinct_examples(examples, config.convert.near_duplicate_threshold, removed, spill)
        kept = check_lengths(distinct, _token_counter(config), config.convert.max_tokens, removed)
        patients: dict[str, set[str]] = {split: set() for split in SPLITS}
        by_key, kinds, written = _write_datasets(
            datasets, assign_splits(kept, config.convert.split_fractions, config.convert.split_salt, patients), config
        )
    finally:
        spill.unlink(missing_ok=True)
    write_json(datasets / "splits.json", {split: sorted(keys) for split, keys in patients.items()})
    write_json(datasets / "dataset_info.json", dataset_info())
    stats = {
        "notes_in": counts["notes_in"],
        "notes_with_examples": counts["notes_with_examples"],
        "notes_without_examples": counts["notes_in"] - counts["notes_with_examples"],
        "examples_built": sum(by_key.values()) + sum(removed.values()),
        "examples_kept": sum(by_key.values()),
        "removed": dict(removed),
        "examples": {"instruction": kinds["instruction"], "conversation": kinds["conversation"]},
        "examples_by_task_lang_split": dict(sorted(by_key.items())),
        "patients_by_split": {split: len(keys) for split, keys in patients.items()},
        "lines_by_format_split": written,
        "skipped_by_task": {task: dict(sorted(reasons.items())) for task, reasons in sorted(skipped.items())},
    }
    with atomic_open(datasets / "README.md") as handle:  # under restricted/ until published: owner-only
        handle.write(_dataset_card(stats, config))
    log.info(
        "convert: %d examples kept of %d built from %d notes",
        stats["examples_kept"],
        stats["examples_built"],
        stats["notes_with_examples"],
    )
    return write_stage(out_dir, DatasetsStats, stats)


def _write_datasets(
    datasets: Path, examples: Iterable[TrainingExample], config: RunConfig
) -> tuple[Counter[str], Counter[str], dict[str, dict[str, int]]]:
    """records.jsonl and <format>/<split>.jsonl for every configured format, all written in one pass over
    `examples` (each file atomically); returns examples by "task|lang|split", by kind, and lines written
    by format and split."""
    by_key: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    written: dict[str, dict[str, int]] = {fmt: dict.fromkeys(SPLITS, 0) for fmt in config.convert.formats}
    with ExitStack() as stack:
        records = stack.enter_context(atomic_open(datasets / "records.jsonl"))
        handles = {
            (fmt, split): stack.enter_context(atomic_open(datasets / fmt / f"{split}.jsonl"))
            for fmt in config.convert.formats
            for split in SPLITS
        }
        for example in examples:
            by_key[f"{example.task}|{example.lang}|{example.split}"] += 1
            kinds[example.kind] += 1
            records.write(jsonl_line(example.to_dict()))
            for fmt in config.convert.formats:
                record = export(example, fmt)
                if record is not None:
                    handles[fmt, example.split].write(jsonl_line(record))
                    written[fmt][example.split] += 1
    return by_key, kinds, written
