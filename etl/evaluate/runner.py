"""Score clinetl and a baseline on the same gold documents; write JSON and markdown."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from etl.evaluate.gold import GoldDoc
from etl.evaluate.metrics import Scores, score_doc
from etl.io import write_json
from schemas.records import Span

Detector = Callable[[str, str], list[Span]]


def evaluate_system(docs: list[GoldDoc], detect: Detector) -> dict[str, Any]:
    scores = Scores()
    chars, elapsed = 0, 0.0
    for doc in docs:
        started = time.perf_counter()
        predicted = detect(doc.text, doc.lang)
        elapsed += time.perf_counter() - started
        chars += len(doc.text)
        score_doc(doc, predicted, scores)
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
    return (
        f"| {name} | {t['precision']:.4f} | {t['recall']:.4f} | {t['f1']:.4f} | {s['precision']:.4f} | "
        f"{s['recall']:.4f} | {s['f1']:.4f} | {o['recall']:.4f} | {keep} | {result['throughput']['chars_per_s']} |"
    )


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# De-identification evaluation: {report['gold']}",
        "",
        f"{report['documents']} documents, language {report['lang']}, clinetl config {report['config_hash'][:12]}.",
        "",
        "| system | token P | token R | token F1 | strict P | strict R | strict F1 | overlap R | terms kept"
        " | chars/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(_row(name, result) for name, result in report["systems"].items()),
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


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    write_json(out_dir / "eval.json", report)
    (out_dir / "eval.md").write_text(to_markdown(report), encoding="utf-8")
