"""Score a `clinetl run` over a clinic written by `clinetl synth-ward --clinic`, from the run's outputs:

* how many gold identifier spans survive in the de-identified notes (each note's redactions and their
  surrogates from restricted/deid_spans.parquet, checked to rebuild notes/notes.parquet exactly), with the
  same scorer as `clinetl eval`;
* how many planted identifiers (planted_identifiers.json, values of 4+ characters) any file outside
  restricted/ holds, as whole words, whatever the case.

A planted value found only where it is also a surrogate this run logged (Faker's name lists are small, and
the generator draws from them too) or that is one ordinary English word ("Brown" in "brown stool") is
reported apart, as the residual gate does.

Usage: python scripts/score_run.py CLINIC OUT [--show]   (--show prints the surviving spans: dev sets only)
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from etl.deid.pseudonyms import PseudonymStore
from etl.evaluate.gold import read_jsonl
from etl.evaluate.leak import LeakCounts, score_leaks
from schemas.records import Span


def span_leaks(clinic: Path, out: Path, show: bool = False) -> dict[str, object]:
    gold = {doc.doc_id: doc for doc in read_jsonl(clinic / "gold.jsonl")}
    with PseudonymStore(out / "restricted" / "pseudonyms.sqlite3") as store:
        note_ids = store.originals("note")
    spans = pd.read_parquet(out / "restricted" / "deid_spans.parquet")
    notes = pd.read_parquet(out / "notes" / "notes.parquet").set_index("note_key")["text"].to_dict()
    by_note: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    for row in spans.itertuples():
        by_note[str(row.note_key)].append((Span(row.start, row.end, row.label, row.score), str(row.surrogate)))
    counts, rebuilt, scored = LeakCounts(), 0, 0
    for key, text in notes.items():
        doc = gold.get(note_ids.get(key, ""))
        if doc is None:
            continue
        replaced = sorted(by_note.get(key, []), key=lambda pair: pair[0].start)
        output, cursor = [], 0
        for span, surrogate in replaced:
            output += [doc.text[cursor : span.start], surrogate]
            cursor = span.end
        rebuilt += "".join([*output, doc.text[cursor:]]) == text
        scored += 1
        before = sum(counts.surviving.values())
        score_leaks(doc.text, doc.spans, [], [s for s, _ in replaced], [r for _, r in replaced], counts)
        if show and sum(counts.surviving.values()) > before:
            for g in doc.spans:
                if not any(s.start <= g.start and g.end <= s.end for s, _ in replaced):
                    print(
                        f"{g.label}: {doc.text[g.start : g.end]!r} in …{doc.text[max(0, g.start - 50) : g.end + 20]!r}…"
                    )
    return {"notes_scored": scored, "notes_rebuilt_exactly": rebuilt, "gold_notes": len(gold), **counts.as_dict()}


def _shareable_text(path: Path) -> str:
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return "\n".join(str(v) for column in table.columns for v in column.to_pylist() if v is not None)
    return path.read_text(encoding="utf-8", errors="replace")


def planted_in_outputs(clinic: Path, out: Path) -> dict[str, object]:
    from etl.deid.lexicon import is_known, safe_words

    # a surrogate keeps the full stop of the word it replaced ("Sandy Kelly."): compare without it
    logged = pd.read_parquet(out / "restricted" / "deid_spans.parquet")["surrogate"]
    surrogates = {str(s).lower().strip(" .,;:") for s in logged}
    values = {p["value"] for p in json.loads((clinic / "planted_identifiers.json").read_text()) if len(p["value"]) >= 4}
    apart = {v for v in values if v.lower() in surrogates or (" " not in v and is_known(v, safe_words("en")))}
    planted = values - apart
    files = [p for p in out.rglob("*") if p.is_file() and "restricted" not in p.relative_to(out).parts]
    found: dict[str, int] = {}
    if planted:
        pattern = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, planted), key=len, reverse=True)) + r")(?![^\W_])",
            re.IGNORECASE,
        )
        for path in files:
            if hits := len(pattern.findall(_shareable_text(path))):
                found[str(path.relative_to(out))] = hits
    return {
        "planted_values": len(planted),
        "set_apart": len(apart),
        "files_scanned": len(files),
        "files_with_planted": found,
    }


def main() -> None:
    clinic, out = Path(sys.argv[1]), Path(sys.argv[2])
    spans = span_leaks(clinic, out, show="--show" in sys.argv)
    print(json.dumps({"spans": spans, "planted": planted_in_outputs(clinic, out)}, indent=1))


if __name__ == "__main__":
    main()
