"""`audit.on_residual: drop_records`: instead of withholding every dataset, take out only what the residual
scan flagged — the flagged notes and every training example built from them, flagged examples (in any
format, found through records.jsonl) and flagged table rows — keep them under restricted/residual/, and
publish the rest once a second scan finds nothing. A finding in any other file still withholds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.convert.exporters import export
from etl.io import atomic_open, jsonl_line, private, write_jsonl
from schemas.layout import RunLayout
from schemas.records import SPLITS, TrainingExample


def _flagged(findings: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    by_file: dict[str, set[str]] = {}
    for finding in findings:
        by_file.setdefault(finding["file"], set()).add(finding["record"])
    return by_file


def _examples(datasets: Path) -> list[TrainingExample]:
    path = datasets / "records.jsonl"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [TrainingExample.from_dict(json.loads(line)) for line in handle if line.strip()]


def _line_sources(examples: list[TrainingExample], formats: list[str]) -> dict[str, dict[int, str]]:
    """For each dataset file the datasets stage wrote, line number -> the source id of its example (the
    stage writes each split's lines in records.jsonl's order, skipping examples a format cannot hold)."""
    lines: dict[str, dict[int, str]] = {"datasets/records.jsonl": {}}
    counters: Counter[str] = Counter()
    for number, example in enumerate(examples, 1):
        lines["datasets/records.jsonl"][number] = example.source_id
        for fmt in formats:
            if export(example, fmt) is not None:
                name = f"datasets/{fmt}/{example.split}.jsonl"
                counters[name] += 1
                lines.setdefault(name, {})[counters[name]] = example.source_id
    return lines


def _rewrite_datasets(
    out_dir: Path, datasets: Path, examples: list[TrainingExample], formats: list[str], dropped: set[str]
) -> int:
    kept = [e for e in examples if e.source_id not in dropped]
    residual = private(RunLayout(out_dir), RunLayout(out_dir).residual_dir) / "examples.jsonl"
    write_jsonl(residual, (e.to_dict() for e in examples if e.source_id in dropped))
    with atomic_open(datasets / "records.jsonl") as handle:
        handle.writelines(jsonl_line(e.to_dict()) for e in kept)
    for fmt in formats:
        for split in SPLITS:
            with atomic_open(datasets / fmt / f"{split}.jsonl") as handle:
                for example in kept:
                    record = export(example, fmt) if example.split == split else None
                    if record is not None:
                        handle.write(jsonl_line(record))
    return len(examples) - len(kept)


def _drop_rows(out_dir: Path, path: Path, records: set[str], residual_name: str) -> int:
    """Rewrite a Parquet output without the flagged records ("note_key=…" or "row N"); the dropped rows go to
    restricted/residual/."""
    table = pq.read_table(path)
    keys = [r.split("=", 1) for r in records if "=" in r]
    rows = {int(r.split()[1]) - 1 for r in records if r.startswith("row ")}
    mask = pa.array([i in rows for i in range(table.num_rows)])
    for column, value in keys:
        mask = pc.or_(mask, pc.equal(table.column(column), value))
    dropped = table.filter(mask)
    if not dropped.num_rows:
        return 0
    residual = private(RunLayout(out_dir), RunLayout(out_dir).residual_dir) / residual_name
    residual.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(dropped, residual)
    residual.chmod(0o600)
    pq.write_table(table.filter(pc.invert(mask)), path)
    return dropped.num_rows


def drop_flagged(out_dir: Path, datasets: Path, findings: list[dict[str, Any]], formats: list[str]) -> dict[str, Any]:
    """Take the flagged records out of the shareable outputs (see the module doc); counts only."""
    flagged = _flagged(findings)
    examples = _examples(datasets)
    line_sources = _line_sources(examples, formats)
    sources: set[str] = set()
    for name, records in flagged.items():
        if name in line_sources:
            sources |= {line_sources[name][int(r.split()[1])] for r in records if r.startswith("line ")}
    notes = flagged.get("notes/notes.parquet", set())
    sources |= {r.split("=", 1)[1] for r in notes if r.startswith("note_key=")}
    dropped_notes = 0
    if sources and RunLayout(out_dir).notes_file.is_file():
        dropped_notes = _drop_rows(out_dir, RunLayout(out_dir).notes_file, {f"note_key={s}" for s in sources},
                                   "notes.parquet")  # fmt: skip
    table_rows = {}
    for name, records in flagged.items():
        if name.startswith("tables/") and name.endswith(".parquet"):
            table_rows[Path(name).stem] = _drop_rows(out_dir, out_dir / name, records, name)
    dropped_examples = _rewrite_datasets(out_dir, datasets, examples, formats, sources) if sources and examples else 0
    return {"notes": dropped_notes, "examples": dropped_examples, "table_rows": table_rows}
