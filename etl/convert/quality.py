"""Dataset quality: exact and near-duplicate removal, token-length checks, patient-level splits.

Every example removed is counted with its reason; nothing is truncated.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from etl.io import read_jsonl, write_jsonl
from schemas.records import SPLITS, TrainingExample

_SPACE = re.compile(r"\s+")
# Cells of one block of the similarity matrix (rows x all examples of a task), float32: 16 MB whatever
# the number of examples; at most _CHUNK rows a block.
_BLOCK_CELLS = 4_000_000
_CHUNK = 512
_VECTORIZE_BATCH = 4_096  # texts turned into hashed n-gram counts at a time


def _text(example: TrainingExample) -> str:
    return _SPACE.sub(" ", " ".join(t.content for t in example.turns)).strip().lower()


class NearDuplicates:
    """Near duplicates within a task: TF-IDF cosine of word 1-2 grams at or above `threshold`, the first
    example of each group kept. Fed one example at a time (numbered in the order given); what it keeps is a sparse
    matrix of hashed n-gram counts (2^20 features: no vocabulary held, a collision now and then merges two
    n-grams), never the texts, and it compares in blocks of bounded size."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._vectorizer = HashingVectorizer(
            ngram_range=(1, 2), alternate_sign=False, norm=None, n_features=2**20, dtype=np.float32
        )
        self._pending: dict[str, tuple[list[int], list[str]]] = {}
        self._counts: dict[str, list[sparse.csr_matrix]] = {}
        self._indices: dict[str, list[int]] = {}
        self._added = 0

    def add(self, example: TrainingExample) -> None:
        numbers, texts = self._pending.setdefault(example.task, ([], []))
        numbers.append(self._added)
        texts.append(_text(example))
        self._added += 1
        if len(texts) >= _VECTORIZE_BATCH:
            self._flush(example.task)

    def _flush(self, task: str) -> None:
        numbers, texts = self._pending.pop(task, ([], []))
        if texts:
            self._counts.setdefault(task, []).append(self._vectorizer.transform(texts))
            self._indices.setdefault(task, []).extend(numbers)

    def duplicates(self) -> set[int]:
        """The numbers of the examples that repeat an earlier one of their task."""
        for task in list(self._pending):
            self._flush(task)
        dropped: set[int] = set()
        for task, parts in self._counts.items():
            indices = self._indices[task]
            if len(indices) < 2:
                continue
            matrix = TfidfTransformer(sublinear_tf=True).fit_transform(sparse.vstack(parts).tocsr())
            matrix = matrix.astype(np.float32)
            chunk = max(1, min(_CHUNK, _BLOCK_CELLS // len(indices)))
            for start in range(0, len(indices), chunk):
                similarity = (matrix[start : start + chunk] @ matrix[: start + chunk].T).toarray()
                for row, sims in enumerate(similarity):
                    here = start + row
                    if indices[here] in dropped:
                        continue
                    earlier = np.nonzero(sims[:here] >= self.threshold)[0]
                    if any(indices[j] not in dropped for j in earlier):
                        dropped.add(indices[here])
        return dropped


def distinct_examples(
    examples: Iterable[TrainingExample], threshold: float, removed: Counter[str], spill: Path
) -> Iterator[TrainingExample]:
    """The examples, in order, less exact duplicates (same task and normalized text) and near duplicates
    (see NearDuplicates), the first of each group kept and every other counted in `removed`. Those past
    the exact check wait in `spill` (a JSONL file the caller names and removes) while near duplicates are
    found; what stays in memory is a 16-byte digest of each distinct text and NearDuplicates' counts."""
    seen: set[bytes] = set()
    near = NearDuplicates(threshold)

    def past_exact_check() -> Iterator[dict[str, Any]]:
        for example in examples:
            digest = hashlib.blake2b(f"{example.task}|{_text(example)}".encode(), digest_size=16).digest()
            if digest in seen:
                removed["exact_duplicate"] += 1
                continue
            seen.add(digest)
            near.add(example)
            yield example.to_dict()

    write_jsonl(spill, past_exact_check())
    dropped = near.duplicates()
    removed["near_duplicate"] += len(dropped)
    for index, row in enumerate(read_jsonl(spill)):
        if index not in dropped:
            yield TrainingExample.from_dict(row)


TokenCounter = Callable[[TrainingExample], int]


def check_lengths(
    examples: Iterable[TrainingExample], count_tokens: TokenCounter | None, max_tokens: int, removed: Counter[str]
) -> Iterator[TrainingExample]:
    """The examples, as they come, less those longer than `max_tokens` with the target tokenizer, each
    counted in `removed` (trainers would silently truncate them); without a tokenizer nothing is dropped."""
    for example in examples:
        if count_tokens is not None and count_tokens(example) > max_tokens:
            removed["too_many_tokens"] += 1
            continue
        yield example


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
    examples: Iterable[TrainingExample], fractions: dict[str, float], salt: str, patients: dict[str, set[str]]
) -> Iterator[TrainingExample]:
    """The examples, as they come, with their split set by patient; each patient key is added to
    `patients[split]`."""
    for example in examples:
        group = example.patient_key or f"source:{example.source_id}"
        split = split_of(group, fractions, salt)
        if example.patient_key:
            patients.setdefault(split, set()).add(example.patient_key)
        yield replace(example, split=split)
