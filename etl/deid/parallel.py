"""Detection in worker processes: each worker loads the engine once, then takes chunks of notes (spaCy
over the chunk with nlp.pipe, recognizers note by note) and returns spans. Replacement stays in the
calling process, which owns the persistent surrogate map. Results come back in input order, and chunks
are pulled from the caller's iterable only as workers free up (at most two per worker in flight), so a
stream of any length is held a few chunks at a time.

A note's failure comes back as its error message (never its text), so the caller quarantines that note
and the others go on.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from etl.deid.clinic import ClinicKnowledge
from schemas.config import DeidConfig
from schemas.records import Span

Item = tuple[str, str, Sequence[tuple[str, str]]]  # text, language, the patient's known identifiers
_ENGINE: Any = None


def _start(config: dict[str, Any], clinic_json: str) -> None:
    global _ENGINE
    from etl.deid.clinic import ClinicKnowledge
    from etl.deid.text import TextDeidentifier
    from etl.offline import set_offline_env

    set_offline_env()
    _ENGINE = TextDeidentifier(DeidConfig.model_validate(config), ClinicKnowledge.from_json(clinic_json))


def detect_chunk(engine: Any, items: list[Item]) -> list[list[Span] | str]:
    """Spans (or an error message) per item, spaCy's pass batched per language."""
    from etl.deid.text import DeidError

    artifacts: dict[int, Any] = {}
    for lang in sorted({lang for _, lang, _ in items}):
        indices = [i for i, item in enumerate(items) if item[1] == lang]
        texts = [items[i][0] for i in indices]
        if lang in engine.languages and all(len(t) <= engine.config.max_note_chars for t in texts):
            artifacts.update(zip(indices, engine.nlp_batches(texts, lang), strict=True))
    results: list[list[Span] | str] = []
    for index, (text, lang, known) in enumerate(items):
        try:
            results.append(engine.detect(text, lang, known, artifacts.get(index)))
        except DeidError as exc:
            results.append(str(exc))
        except Exception as exc:  # fail closed: the note is quarantined, its text never leaves
            results.append(f"deid_failed:{type(exc).__name__}")
    return results


def _work(items: list[Item]) -> list[list[Span] | str]:
    return detect_chunk(_ENGINE, items)


def detect_in_workers(
    chunks: Iterable[list[Item]], config: DeidConfig, workers: int, clinic: ClinicKnowledge | None = None
) -> Iterator[list[list[Span] | str]]:
    """Spans (or an error message) for every item of every chunk, a list per chunk in order, computed by
    `workers` processes (`clinic`: handed to each in memory, never written)."""
    context = multiprocessing.get_context("spawn")
    initargs = (config.model_dump(), (clinic or ClinicKnowledge()).to_json())
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=initargs) as pool:
        in_flight: deque[Future[list[list[Span] | str]]] = deque()
        for chunk in chunks:
            in_flight.append(pool.submit(_work, chunk))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
