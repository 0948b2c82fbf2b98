"""Score clinetl and a baseline on the same gold documents; write JSON and markdown."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from etl.evaluate.gold import GoldDoc
from etl.evaluate.metrics import Scores, score_doc
from etl.io import write_json
from schemas.config import DeidConfig
from schemas.records import Span

Detector = Callable[[str, str], list[Span]]
# what each (sorted, non-overlapping) span of a document is replaced by: (text, spans, lang, doc id) -> strings
Renderer = Callable[[str, list[Span], str, str], list[str]]


def surrogate_renderer(config: DeidConfig) -> Renderer:
    """The configured replacement, with surrogates kept in memory and one patient per document."""
    from etl.deid.pseudonyms import PseudonymStore
    from etl.deid.text import make_replacer, replace_logged

    replacer = make_replacer(config, PseudonymStore(None))

    def render(text: str, spans: list[Span], lang: str, doc_id: str) -> list[str]:
        return replace_logged(text, spans, doc_id, lang, replacer)[1]

    return render


def evaluate_system(docs: list[GoldDoc], detect: Detector, render: Renderer | None = None) -> dict[str, Any]:
    """Scores of `detect` on `docs`; with `render`, what survives is read from the replaced text (surrogates
    that echo their original count as surviving), else from type tags."""
    scores = Scores()
    chars, elapsed = 0, 0.0
    for doc in docs:
        started = time.perf_counter()
        predicted = detect(doc.text, doc.lang)
        elapsed += time.perf_counter() - started
        chars += len(doc.text)
        rendered = render(doc.text, sorted(predicted, key=lambda s: s.start), doc.lang, doc.doc_id) if render else None
        score_doc(doc, predicted, scores, rendered)
    result = scores.as_dict()
    result["throughput"] = {
        "chars_per_s": round(chars / elapsed) if elapsed else None,
        "docs_per_s": round(len(docs) / elapsed, 2) if elapsed else None,
        "chars": chars,
        "seconds": round(elapsed, 2),
    }
    return result


def _row(name: str, result: dict[str, Any]) -> str:
    t, s, o = result["token"], result["entity_strict"], result["entity_overlap"]
    keep = result.get("clinical_terms_surviving", "")
    out = result["output"]
    cells = [
        f"{out['span_leak']:.4f}", f"{out['whole_span_leak']:.4f}", f"{out['words_kept']:.4f}",
        f"{t['precision']:.4f}", f"{t['recall']:.4f}", f"{t['f1']:.4f}",
        f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", f"{o['recall']:.4f}",
        str(keep), str(result["throughput"]["chars_per_s"]),
    ]  # fmt: skip
    return f"| {name} | " + " | ".join(cells) + " |"


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# De-identification evaluation: {report['gold']}",
        "",
        f"{report['documents']} documents, language {report['lang']}, case {report.get('case', 'as-is')}, clinetl"
        f" config {report['config_hash'][:12]}.",
        "",
        "| system | spans surviving | whole spans surviving | words kept | token P | token R | token F1 | strict P"
        " | strict R | strict F1 | overlap R | terms kept | chars/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(_row(name, result) for name, result in report["systems"].items()),
        "",
        "*spans surviving*: gold identifiers with a word still readable in the output at their place (or"
        " repeated by their replacement); *whole spans surviving*: gold identifiers left entirely unchanged;"
        " *words kept*: words outside any identifier left unchanged.",
        "",
        "Spans surviving (whole) / gold spans, by gold label:",
        "",
        "| label | " + " | ".join(report["systems"]) + " |",
        "|---|" + "---|" * len(report["systems"]),
        *_leak_rows(report),
        "",
        "Token recall by gold label (clinetl):",
        "",
        "| label | P | R | F1 | tp | fp | fn |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, c in report["systems"]["clinetl"]["token_by_label"].items():
        lines.append(
            f"| {label} | {c['precision']:.4f} | {c['recall']:.4f} | {c['f1']:.4f} "
            f"| {c['tp']} | {c['fp']} | {c['fn']} |"
        )
    return "\n".join(lines) + "\n"


def _leak_rows(report: dict[str, Any]) -> list[str]:
    systems = list(report["systems"].values())
    labels = sorted({label for system in systems for label in system["output"]["by_label"]})
    rows = []
    for label in labels:
        cells = []
        for system in systems:
            entry = system["output"]["by_label"].get(label)
            cells.append(f"{entry['surviving']} ({entry['surviving_whole']})/{entry['spans']}" if entry else "")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    write_json(out_dir / "eval.json", report)
    (out_dir / "eval.md").write_text(to_markdown(report), encoding="utf-8")
