"""Dataset quality: exact and near-duplicate removal, token-length checks, patient-level splits.

Every example removed is counted with its reason; nothing is truncated.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from schemas.records import SPLITS, TrainingExample

_SPACE = re.compile(r"\s+")
_CHUNK = 512  # rows of the similarity matrix computed at a time (memory stays O(chunk x n))


def _text(example: TrainingExample) -> str:
    return _SPACE.sub(" ", " ".join(t.content for t in example.turns)).strip().lower()


def drop_duplicates(
    examples: list[TrainingExample], threshold: float = 0.9
) -> tuple[list[TrainingExample], Counter[str]]:
    """Exact duplicates (same normalized text), then near duplicates (TF-IDF cosine of word 1-2 grams at or
    above `threshold`) within the same task; the first example of each group is kept."""
    reasons: Counter[str] = Counter()
    seen: set[str] = set()
    unique = []
    for example in examples:
        digest = hashlib.sha256(f"{example.task}|{_text(example)}".encode()).hexdigest()
        if digest in seen:
            reasons["exact_duplicate"] += 1
            continue
        seen.add(digest)
        unique.append(example)
    by_task: dict[str, list[int]] = {}
    for index, example in enumerate(unique):
        by_task.setdefault(example.task, []).append(index)
    dropped: set[int] = set()
    for indices in by_task.values():
        if len(indices) < 2:
            continue
        matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(
            [_text(unique[i]) for i in indices]
        )
        for start in range(0, len(indices), _CHUNK):
            similarity = (matrix[start : start + _CHUNK] @ matrix.T).toarray()
            for row, sims in enumerate(similarity):
                here = start + row
                if indices[here] in dropped:
                    continue
                earlier = np.nonzero(sims[:here] >= threshold)[0]
                if any(indices[j] not in dropped for j in earlier):
                    dropped.add(indices[here])
    reasons["near_duplicate"] += len(dropped)
    return [e for i, e in enumerate(unique) if i not in dropped], reasons


TokenCounter = Callable[[TrainingExample], int]


def check_lengths(
    examples: Iterable[TrainingExample], count_tokens: TokenCounter | None, max_tokens: int
) -> tuple[list[TrainingExample], Counter[str]]:
    """Examples longer than `max_tokens` with the target tokenizer are dropped with a reason (trainers
    would silently truncate them); without a tokenizer nothing is dropped."""
    kept, reasons = [], Counter[str]()
    for example in examples:
        if count_tokens is not None and count_tokens(example) > max_tokens:
            reasons["too_many_tokens"] += 1
            continue
        kept.append(example)
    return kept, reasons


def split_of(group: str, fractions: dict[str, float], salt: str) -> str:
    """A stable split for a patient (or, without one, a source): the same key lands in the same split in
    every nightly run, so no patient ever moves between splits."""
    point = int(hashlib.sha256(f"{salt}|{group}".encode()).hexdigest()[:12], 16) / 16**12
    edge = 0.0
    for split in SPLITS:
        edge += fractions.get(split, 0.0)
        if point < edge:
            return split
    return SPLITS[0]


def assign_splits(
    examples: list[TrainingExample], fractions: dict[str, float], salt: str
) -> tuple[list[TrainingExample], dict[str, list[str]]]:
    """Examples with their split set by patient; split -> sorted pseudonymous patient keys."""
    out: list[TrainingExample] = []
    patients: dict[str, set[str]] = {split: set() for split in SPLITS}
    for example in examples:
        group = example.patient_key or f"source:{example.source_id}"
        split = split_of(group, fractions, salt)
        out.append(replace(example, split=split))
        if example.patient_key:
            patients[split].add(example.patient_key)
    return out, {split: sorted(keys) for split, keys in patients.items()}
