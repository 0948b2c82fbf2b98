"""Records that flow between stages. Plain dataclasses: cheap to build by the hundred thousand."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Our PHI label set (HIPAA Safe Harbor kinds grouped the way replacement treats them).
# Presidio's and MEDDOCAN's labels are mapped onto these in etl/deid/labels.py.
LABELS: tuple[str, ...] = (
    "PERSON",  # patient, relatives, clinicians
    "DATE",  # any date element more specific than the year
    "AGE",  # ages over 89
    "PHONE",  # telephone and fax
    "EMAIL",
    "URL",
    "IP_ADDRESS",
    "SSN",
    "MRN",  # medical record numbers
    "ID",  # account, health plan, licence, device, vehicle, passport and other unique numbers
    "STREET_ADDRESS",
    "LOCATION",  # city, county, other geographic subdivisions smaller than a state
    "ZIP",
    "ORGANIZATION",  # hospitals, clinics, employers
)


@dataclass(slots=True)
class Note:
    """One free-text clinical note as read from a source (contains PHI)."""

    note_id: str
    text: str
    patient_id: str | None = None
    encounter_id: str | None = None
    date: str | None = None
    note_type: str = "note"
    lang: str | None = None
    source: str = ""  # file the note came from, relative to the source folder


@dataclass(slots=True, frozen=True)
class Span:
    """A detected identifier, in offsets of the original text. Never carries the text itself."""

    start: int
    end: int
    label: str
    score: float
    recognizer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label, "score": round(self.score, 4)}


@dataclass(slots=True)
class DeidResult:
    """De-identified text plus the spans removed from the original."""

    text: str
    spans: list[Span]


@dataclass(slots=True, frozen=True)
class DeidentifiedNote:
    """One row of OUT/notes/notes.parquet: what the notes stage hands the datasets stage (and a clinic).
    No PHI: the keys are surrogates, the text de-identified, the note type a closed vocabulary word."""

    note_key: str
    patient_key: str | None
    encounter_key: str | None
    note_type: str
    lang: str
    year: str | None
    text: str


# notes.parquet's columns, in order (all strings); etl/stages/notes.py writes them as an Arrow schema
DEIDENTIFIED_NOTE_COLUMNS = ("note_key", "patient_key", "encounter_key", "note_type", "lang", "year", "text")


@dataclass(slots=True)
class Turn:
    role: Literal["system", "user", "assistant"]
    content: str


SPLITS = ("train", "validation", "test")


@dataclass(slots=True)
class TrainingExample:
    """The canonical training record: chat messages plus metadata (where they came from, which task,
    language, pseudonymous patient key, split). Exporters in etl/convert/exporters.py format it."""

    example_id: str
    kind: Literal["instruction", "conversation"]
    task: str
    lang: str
    patient_key: str | None
    source_id: str  # pseudonymous key of what it was built from (a note key, or the patient key for tables)
    turns: list[Turn]
    source: str = "note"  # "note" (a de-identified note) or "record" (the patient's structured history)
    split: str = "train"
    reasoning: str | None = None  # a genuine reasoning trace, when the source has one (HuatuoGPT-o1 format)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> TrainingExample:
        """The example `to_dict` gave."""
        return cls(**{**row, "turns": [Turn(**turn) for turn in row["turns"]]})

    @property
    def messages(self) -> list[dict[str, str]]:
        return [{"role": t.role, "content": t.content} for t in self.turns]


@dataclass(slots=True)
class QuarantineEntry:
    """A record that could not be processed. `payload` may hold PHI: it is written under restricted/ only."""

    stage: str
    source: str
    record_key: str
    reason: str
    payload: dict[str, Any] = field(default_factory=dict)
