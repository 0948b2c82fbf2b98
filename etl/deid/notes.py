"""The notes stage: every note ends de-identified, filtered (with a reason) or quarantined (with a reason)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, TypeVar

from etl.deid.clinic import ClinicKnowledge
from etl.deid.lexicon import person_names, safe_words
from etl.deid.parallel import Item, detect_chunk, detect_in_workers
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.text import DeidError, TextDeidentifier, make_replacer, replace_logged
from etl.io import Quarantine
from etl.lang import detect_lang
from etl.progress import track
from schemas.config import DeidConfig
from schemas.records import DeidentifiedNote, Note, Span

T = TypeVar("T")


@dataclass(slots=True, frozen=True)
class NoteOutcome(DeidentifiedNote):
    """One de-identified note, ready to write: the row of notes.parquet, and what was replaced (for the
    restricted spans file). Holds no PHI: ids are surrogates, text is scrubbed."""

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


_TYPE_TOKEN = re.compile(r"[^\W_]+")


def shareable_note_type(value: str | None) -> str:
    """The note type as it may appear in shareable outputs and count keys: the source's label, lower-cased
    and joined by "_", when every word of it is known vocabulary and not all of them are names
    ("discharge_summary", "ED triage"); "other" otherwise (a NOTE_TYPE column can hold anything, a name
    included). The source's own label stays in the staged notes under restricted/."""
    words = _TYPE_TOKEN.findall((value or "").lower())
    if not words or len(words) > 6:
        return "note" if not words else "other"
    safe, names = _type_vocabulary(), person_names("en")
    known = all(_fold(w) in safe and not any(c.isdigit() for c in w) for w in words)
    return "_".join(words) if known and not all(w in names for w in words) else "other"


def _fold(word: str) -> str:
    """Without accents: exports often drop them ("derivacion" for "derivación")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _type_vocabulary() -> frozenset[str]:
    return frozenset(_fold(w) for w in safe_words("en") | safe_words("es"))


def _year(date: str | None) -> str | None:
    return date[:4] if date and date[:4].isdigit() else None


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last may be shorter), pulled from `items` as needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _detections(
    notes: Iterable[tuple[Note, str]],
    known_by_patient: dict[str, list[tuple[str, str]]],
    deidentifier: TextDeidentifier | None,
    config: DeidConfig,
    workers: int,
    batch_size: int,
    clinic: ClinicKnowledge | None = None,
) -> Iterator[tuple[Note, str, list[Span] | str | None]]:
    """Each note with its language and its spans (or an error message; None for an empty note), in order.
    In this process, or in `workers` processes that each load the engine once. Notes are pulled a batch at
    a time, so only the batches in flight are held."""
    pending: deque[list[tuple[Note, str]]] = deque()  # batches handed to detection, awaiting results

    def chunks() -> Iterator[list[Item]]:
        for batch in batched(notes, batch_size):
            pending.append(batch)
            yield [(n.text, lang, known_by_patient.get(n.patient_id or "", [])) for n, lang in batch if n.text.strip()]

    results: Iterable[list[list[Span] | str]]
    if workers > 1:
        results = detect_in_workers(chunks(), config, workers, clinic)
    elif deidentifier is None:
        raise ValueError("detection in this process needs a TextDeidentifier")
    else:
        results = (detect_chunk(deidentifier, chunk) for chunk in chunks())
    for found in results:
        found_in_batch = iter(found)
        for note, lang in pending.popleft():
            yield note, lang, next(found_in_batch) if note.text.strip() else None


def deidentify_notes(
    notes: Iterable[Note],
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
    total: int | None = None,
    clinic: ClinicKnowledge | None = None,
) -> Iterator[NoteOutcome]:
    """De-identify notes: detection (spaCy in batches, then the recognizers note by note; in worker
    processes when `workers` > 1; or given, one per non-empty note in order, when it ran elsewhere, e.g. on
    a Dask cluster), then replacement here, where the surrogate map lives. A failure quarantines that note
    and the batch goes on. `notes` is consumed as a stream (`total`, if known, sizes the progress bar).
    `bypass`: the test hook of audit.bypass_deid_for_testing (note ids whose text passes unchanged, so a
    test can prove the residual gate catches it). `clinic`: the clinic's own names (for worker processes'
    detection, and so that no surrogate is a staff member's name)."""
    known = [*known_by_patient.values(), list(clinic.identifiers) if clinic else []]
    replacer = make_replacer(config, store, known)
    languages = ((note, note.lang or detect_lang(note.text, config.default_lang)) for note in notes)
    found_all: Iterator[tuple[Note, str, list[Span] | str | None]]
    if detections is None:
        found_all = _detections(languages, known_by_patient, deidentifier, config, workers, batch_size, clinic)
    else:
        given = iter(detections)
        found_all = ((note, lang, next(given) if note.text.strip() else None) for note, lang in languages)
    for note, lang, found in track(found_all, total, "de-identifying notes"):
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
            reason = str(exc) if isinstance(exc, DeidError) else f"deid_failed:{type(exc).__name__}"
            quarantine.add(note.source, note.note_id, reason, {"note_id": note.note_id, "text": note.text})
            continue
        stats.notes_out += 1
        stats.entities.update(span.label for span in found)
        stats.recognizers.update(span.recognizer.split(":")[0] for span in found)
        yield NoteOutcome(
            note_key=store.get("note", note.note_id),
            patient_key=patient_key,
            encounter_key=store.get("encounter", note.encounter_id) if note.encounter_id else None,
            note_type=shareable_note_type(note.note_type),
            lang=lang,
            year=_year(note.date),
            text=text,
            spans=found,
            surrogates=surrogates,
        )
