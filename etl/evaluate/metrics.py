"""Token-level and entity-level (strict and overlap) precision / recall / F1, per label and overall."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from etl.evaluate.gold import IGNORE, GoldDoc
from etl.evaluate.leak import LeakCounts, score_leaks
from schemas.records import Span

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Scores:
    token: Counts = field(default_factory=Counts)
    token_by_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    strict: Counts = field(default_factory=Counts)
    strict_by_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    overlap: Counts = field(default_factory=Counts)
    keep_total: int = 0
    keep_survived: int = 0
    leak: LeakCounts = field(default_factory=LeakCounts)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "token": self.token.as_dict(),
            "token_by_label": {k: v.as_dict() for k, v in sorted(self.token_by_label.items())},
            "entity_strict": self.strict.as_dict(),
            "entity_strict_by_label": {k: v.as_dict() for k, v in sorted(self.strict_by_label.items())},
            "entity_overlap": self.overlap.as_dict(),
        }
        result["output"] = self.leak.as_dict()
        if self.keep_total:
            result["clinical_terms_surviving"] = round(self.keep_survived / self.keep_total, 4)
            result["clinical_terms"] = self.keep_total
        return result


def _covering(spans: list[Any], start: int, end: int) -> Any | None:
    return next((s for s in spans if s.start < end and start < s.end), None)


def score_doc(doc: GoldDoc, predicted: list[Span], scores: Scores, rendered: list[str] | None = None) -> None:
    """Add one document. `rendered`: what each predicted span was replaced by (a type tag when not given),
    to read what survives in the output text."""
    gold = [s for s in doc.spans if s.label != IGNORE]
    ignore = [s for s in doc.spans if s.label == IGNORE]
    for match in _TOKEN.finditer(doc.text):
        start, end = match.span()
        gold_span = _covering(gold, start, end)
        if gold_span is None and _covering(ignore, start, end) is not None:
            continue  # not an identifier in our scheme: neither a miss nor a false alarm
        pred_span = _covering(predicted, start, end)
        if gold_span and pred_span:
            scores.token.tp += 1
            scores.token_by_label[gold_span.label].tp += 1
        elif gold_span:
            scores.token.fn += 1
            scores.token_by_label[gold_span.label].fn += 1
        elif pred_span:
            scores.token.fp += 1
            scores.token_by_label[pred_span.label].fp += 1
    _score_entities(gold, ignore, predicted, scores)
    replaced = sorted(predicted, key=lambda p: p.start)
    tags = rendered if rendered is not None else [f"[{p.label}]" for p in replaced]
    score_leaks(doc.text, gold, ignore, replaced, tags, scores.leak)
    scores.keep_total += len(doc.keep)
    scores.keep_survived += sum(1 for k in doc.keep if _covering(predicted, k.start, k.end) is None)


def _score_entities(gold: list[Any], ignore: list[Any], predicted: list[Span], scores: Scores) -> None:
    relevant = [p for p in predicted if _covering(gold, p.start, p.end) or not _covering(ignore, p.start, p.end)]
    gold_keys = {(g.start, g.end, g.label) for g in gold}
    pred_keys = {(p.start, p.end, p.label) for p in relevant}
    for key in gold_keys:
        hit = key in pred_keys
        scores.strict.tp += hit
        scores.strict.fn += not hit
        scores.strict_by_label[key[2]].tp += hit
        scores.strict_by_label[key[2]].fn += not hit
    for key in pred_keys - gold_keys:
        scores.strict.fp += 1
        scores.strict_by_label[key[2]].fp += 1
    scores.overlap.tp += sum(1 for g in gold if _covering(relevant, g.start, g.end))
    scores.overlap.fn += sum(1 for g in gold if not _covering(relevant, g.start, g.end))
    scores.overlap.fp += sum(1 for p in relevant if not _covering(gold, p.start, p.end))
