"""The notes stage: every note ends de-identified, filtered (with a reason) or quarantined (with a reason)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.text import DeidError, TextDeidentifier, make_replacer
from etl.io import Quarantine
from etl.lang import detect_lang
from etl.progress import track
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


@dataclass
class NotesStats:
    notes_in: int = 0
    notes_out: int = 0
    filtered: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    recognizers: Counter[str] = field(default_factory=Counter)

    def as_dict(self, quarantine: Quarantine) -> dict[str, Any]:
        return {
            "in": self.notes_in,
            "out": self.notes_out,
            "filtered": dict(self.filtered),
            "quarantined": quarantine.reasons(),
            "entities": dict(sorted(self.entities.items())),
            "recognizers": dict(sorted(self.recognizers.items())),
        }


def _year(date: str | None) -> str | None:
    return date[:4] if date and date[:4].isdigit() else None


def _with_languages(notes: list[Note], default_lang: str) -> list[tuple[Note, str]]:
    return [(note, note.lang or detect_lang(note.text, default_lang)) for note in notes]


def _analysed(
    notes: list[tuple[Note, str]], deidentifier: TextDeidentifier, batch_size: int
) -> Iterator[tuple[Note, str, NlpArtifacts | None]]:
    """Each (note, language) with spaCy's analysis done in batches of notes of one language, in order."""
    for start in range(0, len(notes), batch_size):
        chunk = notes[start : start + batch_size]
        artifacts: dict[int, NlpArtifacts | None] = {}
        for lang in sorted({lang for _, lang in chunk}):
            indices = [i for i, (note, note_lang) in enumerate(chunk) if note_lang == lang and note.text.strip()]
            texts = [chunk[i][0].text for i in indices]
            if lang in deidentifier.languages and all(len(t) <= deidentifier.config.max_note_chars for t in texts):
                artifacts.update(zip(indices, deidentifier.nlp_batches(texts, lang), strict=True))
        for i, (note, lang) in enumerate(chunk):
            yield note, lang, artifacts.get(i)


def deidentify_notes(
    notes: list[Note],
    deidentifier: TextDeidentifier,
    known_by_patient: dict[str, list[tuple[str, str]]],
    store: PseudonymStore,
    quarantine: Quarantine,
    stats: NotesStats,
    batch_size: int = 64,
) -> Iterator[NoteOutcome]:
    """De-identify notes (spaCy in batches, then recognizers and replacement note by note); a failure
    quarantines that note and the batch goes on."""
    replacer = make_replacer(deidentifier.config, store)
    languages = _with_languages(notes, deidentifier.config.default_lang)
    for note, lang, artifacts in track(
        _analysed(languages, deidentifier, batch_size), len(notes), "de-identifying notes"
    ):
        stats.notes_in += 1
        if not note.text.strip():
            stats.filtered["empty_text"] += 1
            continue
        known = known_by_patient.get(note.patient_id or "", [])
        patient_key = store.get("patient", note.patient_id) if note.patient_id else None
        try:
            result = deidentifier.deidentify(note.text, lang, known, patient_key or "", replacer, artifacts)
        except DeidError as exc:
            quarantine.add(note.source, note.note_id, str(exc), {"note_id": note.note_id, "text": note.text})
            continue
        stats.notes_out += 1
        stats.entities.update(span.label for span in result.spans)
        stats.recognizers.update(span.recognizer.split(":")[0] for span in result.spans)
        yield NoteOutcome(
            note_key=store.get("note", note.note_id),
            patient_key=patient_key,
            encounter_key=store.get("encounter", note.encounter_id) if note.encounter_id else None,
            note_type=note.note_type,
            lang=lang,
            year=_year(note.date),
            text=result.text,
            spans=result.spans,
        )
