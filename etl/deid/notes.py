"""The notes stage: every note ends de-identified, filtered (with a reason) or quarantined (with a reason)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from etl.deid.parallel import Item, detect_chunk, detect_in_workers
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.text import DeidError, TextDeidentifier, make_replacer, replace_logged
from etl.io import Quarantine
from etl.lang import detect_lang
from etl.progress import track
from schemas.config import DeidConfig
from schemas.records import Note, Span


@dataclass
class NoteOutcome:
    """One de-identified note, ready to write. Holds no PHI: ids are surrogates, text is scrubbed."""

    note_key: str
    patient_key: str | None
    encounter_key: str | None
    note_type: str
    lang: str
    year: str | None
    text: str
    spans: list[Span]
    surrogates: list[str] = field(default_factory=list)  # what replaced each span, in order


@dataclass
class NotesStats:
    notes_in: int = 0
    notes_out: int = 0
    filtered: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    recognizers: Counter[str] = field(default_factory=Counter)
    bypassed_for_testing: int = 0

    def as_dict(self, quarantine: Quarantine) -> dict[str, Any]:
        return {
            "in": self.notes_in,
            "out": self.notes_out,
            "filtered": dict(self.filtered),
            "quarantined": quarantine.reasons(),
            "entities": dict(sorted(self.entities.items())),
            "recognizers": dict(sorted(self.recognizers.items())),
            "bypassed_for_testing": self.bypassed_for_testing,
        }


def _year(date: str | None) -> str | None:
    return date[:4] if date and date[:4].isdigit() else None


def _detections(
    notes: list[tuple[Note, str]],
    known_by_patient: dict[str, list[tuple[str, str]]],
    deidentifier: TextDeidentifier | None,
    config: DeidConfig,
    workers: int,
    batch_size: int,
) -> Iterator[list[Span] | str | None]:
    """Spans (or an error message) per note, in order; None for an empty note. In this process, or in
    `workers` processes that each load the engine once."""
    items: list[Item] = [
        (note.text, lang, known_by_patient.get(note.patient_id or "", [])) for note, lang in notes if note.text.strip()
    ]
    found: Iterator[list[Span] | str]
    if workers > 1:
        found = detect_in_workers(items, config, workers, batch_size)
    else:
        if deidentifier is None:
            raise ValueError("detection in this process needs a TextDeidentifier")
        found = (
            result
            for start in range(0, len(items), batch_size)
            for result in detect_chunk(deidentifier, items[start : start + batch_size])
        )
    for note, _ in notes:
        yield next(found) if note.text.strip() else None


def deidentify_notes(
    notes: list[Note],
    deidentifier: TextDeidentifier | None,
    config: DeidConfig,
    known_by_patient: dict[str, list[tuple[str, str]]],
    store: PseudonymStore,
    quarantine: Quarantine,
    stats: NotesStats,
    batch_size: int = 64,
    workers: int = 1,
    detections: Iterable[list[Span] | str] | None = None,
    bypass: frozenset[str] = frozenset(),
) -> Iterator[NoteOutcome]:
    """De-identify notes: detection (spaCy in batches, then the recognizers note by note; in worker
    processes when `workers` > 1; or given, one per non-empty note in order, when it ran elsewhere, e.g. on
    a Dask cluster), then replacement here, where the surrogate map lives. A failure quarantines that note
    and the batch goes on. `bypass`: the test hook of audit.bypass_deid_for_testing (note ids whose text
    passes unchanged, so a test can prove the residual gate catches it)."""
    replacer = make_replacer(config, store, known_by_patient.values())
    languages = [(note, note.lang or detect_lang(note.text, config.default_lang)) for note in notes]
    if detections is None:
        found_all = _detections(languages, known_by_patient, deidentifier, config, workers, batch_size)
    else:
        given = iter(detections)
        found_all = (next(given) if note.text.strip() else None for note, _ in languages)
    for (note, lang), found in track(zip(languages, found_all, strict=True), len(notes), "de-identifying notes"):
        stats.notes_in += 1
        if found is None:
            stats.filtered["empty_text"] += 1
            continue
        patient_key = store.get("patient", note.patient_id) if note.patient_id else None
        try:
            if isinstance(found, str):
                raise DeidError(found)
            if note.note_id in bypass:
                found, text, surrogates = [], note.text, list[str]()
                stats.bypassed_for_testing += 1
            else:
                text, surrogates = replace_logged(note.text, found, patient_key or "", lang, replacer)
        except Exception as exc:  # fail closed: quarantine the note, never pass its text on
            reason = str(exc) if isinstance(exc, DeidError) else f"de-identification failed: {type(exc).__name__}"
            quarantine.add(note.source, note.note_id, reason, {"note_id": note.note_id, "text": note.text})
            continue
        stats.notes_out += 1
        stats.entities.update(span.label for span in found)
        stats.recognizers.update(span.recognizer.split(":")[0] for span in found)
        yield NoteOutcome(
            note_key=store.get("note", note.note_id),
            patient_key=patient_key,
            encounter_key=store.get("encounter", note.encounter_id) if note.encounter_id else None,
            note_type=note.note_type,
            lang=lang,
            year=_year(note.date),
            text=text,
            spans=found,
            surrogates=surrogates,
        )
