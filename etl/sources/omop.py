"""OMOP CDM v5.4 tables, mapped into the clinic schema every adapter maps into: Synthea's tables and column
names (schemas/contracts/synthea.yaml), which the table policy then decides about as for any clinic.

person -> patients, visit_occurrence -> encounters, condition_occurrence -> conditions, drug_exposure ->
medications, procedure_occurrence -> procedures, measurement -> observations, note -> notes; death gives
patients' DEATHDATE and concept (when present) the codes and names of concept ids. OMOP columns with no
place in the clinic schema are not read, and counted by name in audit/stages/ingest.json, never dropped
silently. Each file is read with the clinic folder's CSV reader (record counts, quoting, byte-order marks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pandas as pd

from etl.io import Quarantine
from etl.sources.base import Join, SourceContext, SourceRead
from etl.sources.clinic_folder import notes_from_rows, read_counted_table
from etl.sources.discovery import TABLE_SUFFIXES, FileEntry
from etl.sources.errors import SourceError
from schemas.config import NotesSourceConfig
from schemas.records import Note

Row = dict[str, str]
_GENDER = {"8507": "M", "8532": "F"}
_VISIT_CLASS = {"9201": "inpatient", "9202": "ambulatory", "9203": "emergency", "262": "emergency"}
_VISIT_NAME = {"9201": "Inpatient Visit", "9202": "Outpatient Visit", "9203": "Emergency Room Visit"}
_LANGUAGE = {"4180186": "en", "4182511": "es"}  # OMOP's English and Spanish language concepts


def _first(row: Row, *columns: str) -> str:
    return next((row[c] for c in columns if row.get(c)), "")


def _day(value: str) -> str:
    return value[:10]


def _birth(row: Row) -> str:
    if row.get("birth_datetime"):
        return _day(row["birth_datetime"])
    year, month, day = row.get("year_of_birth", ""), row.get("month_of_birth", ""), row.get("day_of_birth", "")
    return f"{year}-{int(month or 1):02d}-{int(day or 1):02d}" if year else ""


class _Concepts:
    """concept_id -> (code, name), from concept.csv when the export has it."""

    def __init__(self, frame: pd.DataFrame | None) -> None:
        self._by_id: dict[str, tuple[str, str]] = {}
        if frame is not None and {"concept_id", "concept_code", "concept_name"} <= set(frame.columns):
            self._by_id = {
                str(r["concept_id"]): (str(r["concept_code"]), str(r["concept_name"])) for r in frame.to_dict("records")
            }

    def code(self, row: Row, concept: str, source: str) -> str:
        return self._by_id.get(row.get(concept, ""), (row.get(source, ""), ""))[0] or row.get(source, "")

    def name(self, row: Row, concept: str, source: str) -> str:
        return self._by_id.get(row.get(concept, ""), ("", ""))[1] or row.get(source, "")


Mapper = Callable[[Row, _Concepts], Row]

# OMOP table -> (clinic table, the row mapping, the OMOP columns it reads)
_MAPS: dict[str, tuple[str, Mapper, tuple[str, ...]]] = {
    "person": (
        "patients",
        lambda r, c: {
            "Id": r["person_id"],
            "BIRTHDATE": _birth(r),
            "GENDER": _GENDER.get(r.get("gender_concept_id", ""), r.get("gender_source_value", "")),
            "RACE": r.get("race_source_value", ""),
            "ETHNICITY": r.get("ethnicity_source_value", ""),
        },
        ("person_id", "birth_datetime", "year_of_birth", "month_of_birth", "day_of_birth", "gender_concept_id",
         "gender_source_value", "race_source_value", "ethnicity_source_value"),
    ),
    "visit_occurrence": (
        "encounters",
        lambda r, c: {
            "Id": r["visit_occurrence_id"],
            "START": _first(r, "visit_start_datetime", "visit_start_date"),
            "STOP": _first(r, "visit_end_datetime", "visit_end_date"),
            "PATIENT": r["person_id"],
            # visit_source_value is often the source system's visit id: never a description
            "ENCOUNTERCLASS": _VISIT_CLASS.get(r.get("visit_concept_id", ""), ""),
            "CODE": r.get("visit_concept_id", ""),
            "DESCRIPTION": c.name(r, "visit_concept_id", "") or _VISIT_NAME.get(r.get("visit_concept_id", ""), ""),
        },
        ("visit_occurrence_id", "visit_start_datetime", "visit_start_date", "visit_end_datetime", "visit_end_date",
         "person_id", "visit_concept_id"),
    ),
    "condition_occurrence": (
        "conditions",
        lambda r, c: {
            "START": _day(r.get("condition_start_date", "")),
            "STOP": _day(r.get("condition_end_date", "")),
            "PATIENT": r["person_id"],
            "ENCOUNTER": r.get("visit_occurrence_id", ""),
            "CODE": c.code(r, "condition_concept_id", "condition_source_value"),
            "DESCRIPTION": c.name(r, "condition_concept_id", "condition_source_value"),
        },
        ("condition_start_date", "condition_end_date", "person_id", "visit_occurrence_id", "condition_concept_id",
         "condition_source_value"),
    ),
    "drug_exposure": (
        "medications",
        lambda r, c: {
            "START": _first(r, "drug_exposure_start_datetime", "drug_exposure_start_date"),
            "STOP": _first(r, "drug_exposure_end_datetime", "drug_exposure_end_date"),
            "PATIENT": r["person_id"],
            "ENCOUNTER": r.get("visit_occurrence_id", ""),
            "CODE": c.code(r, "drug_concept_id", "drug_source_value"),
            "DESCRIPTION": c.name(r, "drug_concept_id", "drug_source_value"),
        },
        ("drug_exposure_start_datetime", "drug_exposure_start_date", "drug_exposure_end_datetime",
         "drug_exposure_end_date", "person_id", "visit_occurrence_id", "drug_concept_id", "drug_source_value"),
    ),
    "procedure_occurrence": (
        "procedures",
        lambda r, c: {
            "START": _first(r, "procedure_datetime", "procedure_date"),
            "STOP": _first(r, "procedure_end_datetime", "procedure_end_date", "procedure_datetime", "procedure_date"),
            "PATIENT": r["person_id"],
            "ENCOUNTER": r.get("visit_occurrence_id", ""),
            "CODE": c.code(r, "procedure_concept_id", "procedure_source_value"),
            "DESCRIPTION": c.name(r, "procedure_concept_id", "procedure_source_value"),
        },
        ("procedure_datetime", "procedure_date", "procedure_end_datetime", "procedure_end_date", "person_id",
         "visit_occurrence_id", "procedure_concept_id", "procedure_source_value"),
    ),
    "measurement": (
        "observations",
        lambda r, c: {
            "DATE": _first(r, "measurement_datetime", "measurement_date"),
            "PATIENT": r["person_id"],
            "ENCOUNTER": r.get("visit_occurrence_id", ""),
            "CODE": c.code(r, "measurement_concept_id", "measurement_source_value"),
            "DESCRIPTION": c.name(r, "measurement_concept_id", "measurement_source_value"),
            "VALUE": _first(r, "value_as_number", "value_source_value"),
            "UNITS": r.get("unit_source_value", ""),
            "TYPE": "numeric" if r.get("value_as_number") else "text",
        },
        ("measurement_datetime", "measurement_date", "person_id", "visit_occurrence_id", "measurement_concept_id",
         "measurement_source_value", "value_as_number", "value_source_value", "unit_source_value"),
    ),
}  # fmt: skip
_NOTE_COLUMNS = ("note_id", "person_id", "visit_occurrence_id", "note_date", "note_datetime", "note_title",
                 "note_source_value", "note_text", "language_concept_id")  # fmt: skip
_AUXILIARY = {"death": ("person_id", "death_date", "death_datetime"), "concept": ("concept_id", "concept_code",
                                                                                  "concept_name")}  # fmt: skip


def read_omop(
    entries: list[FileEntry], source_dir: Path, encoding: str, quarantine: Quarantine
) -> tuple[dict[str, tuple[pd.DataFrame, int]], list[Note], dict[str, dict[str, int]]]:
    """Clinic tables (name -> (frame, rows quarantined)), notes, and what was left unread ({omop table:
    {column: rows}}) from OMOP CSV/Parquet files named after their table (person.csv, visit_occurrence.csv
    …). Each file's rows and quarantined rows must add up to the records it holds."""
    frames: dict[str, pd.DataFrame] = {}
    bad: dict[str, int] = {}
    rels: dict[str, str] = {}  # OMOP table -> its file
    unread: dict[str, dict[str, int]] = {}
    for entry in entries:
        name = Path(entry.rel).stem.lower()
        rels[name] = entry.rel
        frames[name], bad[name] = read_counted_table(source_dir / entry.rel, encoding, quarantine, entry)
    concepts = _Concepts(frames.get("concept"))
    deaths = {str(r["person_id"]): _day(_first(r, "death_date", "death_datetime"))
              for r in frames.get("death", pd.DataFrame()).to_dict("records")}  # fmt: skip
    tables: dict[str, tuple[pd.DataFrame, int]] = {}
    notes: list[Note] = []
    for name, frame in frames.items():
        rows: list[Row] = [{str(k): str(v) for k, v in r.items()} for r in frame.to_dict("records")]
        if name in _MAPS:
            target, mapper, reads = _MAPS[name]
            _require(name, frame, rels[name])
            mapped = [mapper(row, concepts) for row in rows]
            if target == "patients":
                for row in mapped:
                    row["DEATHDATE"] = deaths.get(row["Id"], "")
            tables[target] = (pd.DataFrame(mapped, dtype=object), bad[name])
        elif name == "note":
            reads = _NOTE_COLUMNS
            note_rows = [_note_row(row) for row in rows]
            notes += notes_from_rows(list(_NOTE_FIELDS), note_rows, rels[name], _NOTES, quarantine)
        else:  # death, concept: read for what they give the others
            reads = _AUXILIARY[name]
        left = Counter({c: len(frame) for c in frame.columns if c not in reads})
        if left:
            unread[name] = dict(sorted(left.items()))
    return tables, notes, unread


_NOTE_FIELDS = ("NOTE_ID", "PATIENT", "ENCOUNTER", "DATE", "NOTE_TYPE", "TEXT", "LANG")
_NOTES = NotesSourceConfig()


def _note_row(row: Row) -> Row:
    return {
        "NOTE_ID": row.get("note_id", ""),
        "PATIENT": row.get("person_id", ""),
        "ENCOUNTER": row.get("visit_occurrence_id", ""),
        "DATE": _day(_first(row, "note_date", "note_datetime")),
        "NOTE_TYPE": _first(row, "note_title", "note_source_value"),
        "TEXT": row.get("note_text", ""),
        "LANG": _LANGUAGE.get(row.get("language_concept_id", ""), ""),
    }


def _require(name: str, frame: pd.DataFrame, rel: str) -> None:
    """The columns an OMOP table cannot be mapped without; their absence stops the run naming the file."""
    needed = ["person_id"] + (["visit_occurrence_id"] if name == "visit_occurrence" else [])
    if missing := [c for c in needed if c not in frame.columns]:
        raise SourceError(f"{Path(rel).name}: no column {', '.join(missing)} (an OMOP CDM v5.4 {name} table needs it)")


class Omop:
    """OMOP CDM v5.4 tables, turned on by `source.adapters.omop: {paths: ["omop/*"]}`: the files named after
    a table it reads (person.csv, visit_occurrence.parquet …)."""

    name: ClassVar[str] = "omop"
    joins: ClassVar[Join] = "own"
    TABLES: ClassVar[frozenset[str]] = frozenset([*_MAPS, "note", *_AUXILIARY])

    def claim(self, rel: str) -> str | None:
        path = Path(rel)
        table = path.stem.lower()
        return table if path.suffix.lower() in TABLE_SUFFIXES and table in self.TABLES else None

    def read(self, context: SourceContext) -> SourceRead:
        if not (entries := context.files.of_kind(self.name)):
            return SourceRead()
        encoding = context.config.source.tables.encoding
        tables, notes, not_read = read_omop(entries, context.source_dir, encoding, context.quarantine)
        return SourceRead(tables, notes, {"columns_not_read": not_read})
