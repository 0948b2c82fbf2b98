"""The steward's review loop. A stratified random sample of de-identified notes is rendered side by side
(original | de-identified, each detected entity highlighted with its label, recognizer and score) under
OUT/restricted/review/, which holds PHI (folder 0700, files 0600). The steward marks verdicts in
verdicts.csv; `clinetl eval --format review --gold OUT/restricted/review` scores any config against them,
so the clinic's own notes become its own benchmark.

verdicts.csv has one row per detected entity, verdict "ok". The steward changes it to "over_redaction"
(not an identifier) or "wrong_label" (and corrects `label`), and adds a row per missed identifier with
verdict "missed": its `start`/`end` in the original text, or its exact `text` (every occurrence counts).
"""

from __future__ import annotations

import csv
import html
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.evaluate.gold import GoldDoc, GoldSpan
from etl.io import atomic_open, private, write_jsonl
from schemas.layout import RunLayout
from schemas.records import LABELS

VERDICTS = ("ok", "over_redaction", "wrong_label", "missed")
_FIELDS = ["note_id", "start", "end", "label", "verdict", "text", "comment"]


def stratified_sample(strata: dict[tuple[str, str], list[str]], size: int, seed: int) -> list[str]:
    """`size` ids drawn at random, spread over the strata in proportion to their sizes, at least one from
    each stratum while `size` allows; the same draw for the same inputs and seed."""
    rng = random.Random(seed)
    total = sum(len(ids) for ids in strata.values())
    if size >= total:
        return sorted(i for ids in strata.values() for i in ids)
    keys = sorted(k for k in strata if strata[k])
    quota = {k: 1 if size >= len(keys) else 0 for k in keys}  # every stratum seen, while size allows
    spare = size - sum(quota.values())
    for k in keys:  # the rest in proportion to the strata's sizes
        quota[k] += min(len(strata[k]) - quota[k], spare * len(strata[k]) // total)
    while sum(quota.values()) < size:  # rounding's remainder, at random
        quota[rng.choice([k for k in keys if quota[k] < len(strata[k])])] += 1
    return sorted(i for k in keys for i in rng.sample(sorted(strata[k]), quota[k]))


def write_review(
    out_dir: Path, staged_notes: Path, spans: pa.Table, key_to_id: dict[str, str], size: int, seed: int
) -> int:
    """Draws the sample and writes restricted/review/{sample.jsonl, review.html, verdicts.csv} (`spans`:
    the run's detected spans). Reads the texts of the sampled notes only. Returns the number sampled."""
    notes = RunLayout(out_dir).notes_file
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in pq.read_table(notes, columns=["note_key", "note_type", "lang"]).to_pylist():
        strata[(row["note_type"] or "", row["lang"] or "")].append(row["note_key"])
    chosen = stratified_sample(strata, size, seed)
    folder = private(RunLayout(out_dir), RunLayout(out_dir).review_dir)
    if not chosen:
        return 0
    picked = pq.read_table(notes, filters=[("note_key", "in", chosen)])
    deidentified = {r["note_key"]: r for r in picked.to_pylist()}
    ids = {key_to_id[k]: k for k in chosen if k in key_to_id}
    staged = pq.read_table(staged_notes, columns=["note_id", "text"], filters=[("note_id", "in", list(ids))])
    originals = {r["note_id"]: r["text"] for r in staged.to_pylist()}
    spans = spans.filter(pc.is_in(spans.column("note_key"), value_set=pa.array(chosen, pa.string())))
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in spans.to_pylist():
        by_key[span["note_key"]].append(span)
    sample = []
    for note_id, key in sorted(ids.items()):
        if note_id not in originals:
            continue
        sample.append(
            {
                "id": note_id,
                "note_key": key,
                "note_type": deidentified[key]["note_type"],
                "lang": deidentified[key]["lang"],
                "text": originals[note_id],
                "deidentified": deidentified[key]["text"],
                "spans": [
                    {k: s[k] for k in ("start", "end", "label", "recognizer", "score")}
                    for s in sorted(by_key[key], key=lambda s: s["start"])
                ],
            }
        )
    write_jsonl(folder / "sample.jsonl", sample)
    with atomic_open(folder / "verdicts.csv") as handle:
        writer = csv.DictWriter(handle, _FIELDS)
        writer.writeheader()
        for note in sample:
            for s in note["spans"]:
                writer.writerow({"note_id": note["id"], "start": s["start"], "end": s["end"], "label": s["label"],
                                 "verdict": "ok", "text": "", "comment": ""})  # fmt: skip
    with atomic_open(folder / "review.html") as handle:
        handle.write(render_review(sample))
    return len(sample)


def _highlight(text: str, spans: list[dict[str, Any]]) -> str:
    pieces, cursor = [], 0
    for s in spans:
        title = f"{s['label']} · {s['recognizer']} · score {s['score']:.2f} · {s['start']}-{s['end']}"
        pieces.append(html.escape(text[cursor : s["start"]]))
        pieces.append(
            f'<mark class="{html.escape(s["label"])}" title="{html.escape(title)}">'
            f"{html.escape(text[s['start'] : s['end']])}<sup>{html.escape(s['label'])}</sup></mark>"
        )
        cursor = s["end"]
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def render_review(sample: list[dict[str, Any]]) -> str:
    rows = []
    for note in sample:
        rows.append(
            f"<h2>{html.escape(note['id'])} <small>{html.escape(note['note_type'] or '')} · "
            f"{html.escape(note['lang'] or '')} · {len(note['spans'])} entities</small></h2>"
            f'<div class="pair"><pre>{_highlight(note["text"], note["spans"])}</pre>'
            f"<pre>{html.escape(note['deidentified'])}</pre></div>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>clinetl review sample: CONTAINS PHI</title>"
        "<style>body{font-family:sans-serif;margin:1em}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}"
        "pre{white-space:pre-wrap;border:1px solid #ccc;padding:.5em}mark{background:#ffe08a}"
        "mark sup{font-size:.6em;color:#805}.warn{background:#b00;color:#fff;padding:.5em}</style></head><body>"
        "<p class='warn'>CONTAINS PHI: original notes. Keep under restricted/. Record verdicts in verdicts.csv "
        "(ok, over_redaction, wrong_label, missed).</p><p>Left: original, detected entities highlighted (hover: "
        "label, recognizer, score, offsets). Right: the de-identified output.</p>" + "".join(rows) + "</body></html>\n"
    )


def read_review(folder: Path) -> list[GoldDoc]:
    """The reviewed sample as gold: detected entities the steward kept (with corrected labels) plus the
    ones marked missed; over-redactions are not identifiers."""
    notes = {}
    for line in (folder / "sample.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            notes[row["id"]] = row
    spans: dict[str, list[GoldSpan]] = defaultdict(list)
    with (folder / "verdicts.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), 2):
            verdict = (row.get("verdict") or "").strip()
            note = notes.get(row.get("note_id") or "")
            if verdict not in VERDICTS or note is None:
                raise ValueError(f"verdicts.csv line {number}: unknown note id or verdict (one of {VERDICTS})")
            if verdict == "over_redaction":
                continue
            label = (row.get("label") or "").strip()
            if label not in LABELS:
                raise ValueError(f"verdicts.csv line {number}: label must be one of {', '.join(LABELS)}")
            if row.get("start") and row.get("end"):
                spans[note["id"]].append(GoldSpan(int(row["start"]), int(row["end"]), label))
            elif verdict == "missed" and row.get("text"):
                needle, start = row["text"], note["text"].find(row["text"])
                while start >= 0:
                    spans[note["id"]].append(GoldSpan(start, start + len(needle), label))
                    start = note["text"].find(needle, start + 1)
            else:
                raise ValueError(f"verdicts.csv line {number}: a missed identifier needs start/end or text")
    return [GoldDoc(i, n["text"], spans[i], n["lang"] or "en") for i, n in sorted(notes.items())]
