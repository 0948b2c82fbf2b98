"""A clinic folder in Synthea's layout written as OMOP CDM v5.4 tables (person, visit_occurrence,
condition_occurrence, drug_exposure, procedure_occurrence, measurement, note, death, concept), for testing
the OMOP adapter against the same clinic read as CSV. Integer ids as OMOP has them; the Synthea ids kept as
*_source_value, as an OMOP ETL would keep the source system's."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

_GENDER = {"M": "8507", "F": "8532"}
_CLASS = {"inpatient": "9201", "ambulatory": "9202", "outpatient": "9202", "wellness": "9202", "emergency": "9203"}


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


# OMOP event table, the Synthea table it comes from, its columns (id, start, end, concept, source value;
# a start column ending in _date takes the date of Synthea's datetime), the vocabulary of its codes
_EVENTS = (
    ("condition_occurrence", "conditions.csv", ("condition_occurrence_id", "condition_start_date",
     "condition_end_date", "condition_concept_id", "condition_source_value"), "SNOMED"),
    ("drug_exposure", "medications.csv", ("drug_exposure_id", "drug_exposure_start_datetime",
     "drug_exposure_end_datetime", "drug_concept_id", "drug_source_value"), "RxNorm"),
    ("procedure_occurrence", "procedures.csv", ("procedure_occurrence_id", "procedure_datetime",
     "procedure_end_datetime", "procedure_concept_id", "procedure_source_value"), "SNOMED"),
)  # fmt: skip


def _events(
    rows: list[dict[str, str]],
    ids: Callable[[dict[str, str]], dict[str, str]],
    concept: Callable[[str, str, str], str],
    columns: tuple[str, str, str, str, str],
    vocabulary: str,
) -> tuple[list[dict[str, str]], list[str]]:
    """An OMOP event table's rows and header from Synthea's rows (START, STOP, CODE, DESCRIPTION)."""
    id_column, start, end, concept_column, source = columns
    cut = 10 if start.endswith("_date") else None  # the date part of an ISO datetime
    events = [
        {id_column: str(i + 1), **ids(row), start: row["START"][:cut], end: row.get("STOP", "")[:cut],
         concept_column: concept(row["CODE"], row["DESCRIPTION"], vocabulary), source: row["CODE"]}
        for i, row in enumerate(rows)
    ]  # fmt: skip
    return events, [id_column, "person_id", "visit_occurrence_id", start, end, concept_column, source]


def write_omop(clinic: Path, out: Path) -> dict[str, int]:
    """OMOP tables under `out` from the Synthea-layout tables and notes.csv of `clinic`; rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    patients = _read(clinic / "patients.csv")
    person = {p["Id"]: str(i + 1) for i, p in enumerate(patients)}
    encounters = _read(clinic / "encounters.csv")
    visit = {e["Id"]: str(i + 1) for i, e in enumerate(encounters)}
    concepts: dict[str, dict[str, str]] = {}

    def concept(code: str, name: str, vocabulary: str) -> str:
        if not code:
            return "0"
        key = f"{vocabulary}:{code}"
        if key not in concepts:
            concepts[key] = {"concept_id": str(2_000_000_000 + len(concepts)), "concept_code": code,
                             "concept_name": name, "vocabulary_id": vocabulary}  # fmt: skip
        return concepts[key]["concept_id"]

    def ids(row: dict[str, str]) -> dict[str, str]:
        return {
            "person_id": person.get(row["PATIENT"], ""),
            "visit_occurrence_id": visit.get(row.get("ENCOUNTER", ""), ""),
        }

    counts = {
        "person": _write(out / "person.csv", [
            {"person_id": person[p["Id"]], "gender_concept_id": _GENDER.get(p["GENDER"], "0"),
             "year_of_birth": p["BIRTHDATE"][:4], "month_of_birth": p["BIRTHDATE"][5:7],
             "day_of_birth": p["BIRTHDATE"][8:10], "birth_datetime": f"{p['BIRTHDATE']}T00:00:00",
             "person_source_value": p["Id"], "gender_source_value": p["GENDER"], "race_source_value": p["RACE"],
             "ethnicity_source_value": p["ETHNICITY"]} for p in patients],
            ["person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth", "birth_datetime",
             "person_source_value", "gender_source_value", "race_source_value", "ethnicity_source_value"]),
        "death": _write(out / "death.csv", [{"person_id": person[p["Id"]], "death_date": p["DEATHDATE"][:10]}
                                            for p in patients if p.get("DEATHDATE")], ["person_id", "death_date"]),
        "visit_occurrence": _write(out / "visit_occurrence.csv", [
            {"visit_occurrence_id": visit[e["Id"]], "person_id": person.get(e["PATIENT"], ""),
             "visit_concept_id": _CLASS.get(e.get("ENCOUNTERCLASS", ""), "0"),
             "visit_start_datetime": e["START"], "visit_end_datetime": e.get("STOP", ""),
             "visit_source_value": e["Id"]} for e in encounters],
            ["visit_occurrence_id", "person_id", "visit_concept_id", "visit_start_datetime", "visit_end_datetime",
             "visit_source_value"]),
        **{
            table: _write(out / f"{table}.csv", *_events(_read(clinic / source), ids, concept, columns, vocabulary))
            for table, source, columns, vocabulary in _EVENTS
        },
        "measurement": _write(out / "measurement.csv", [
            {"measurement_id": str(i + 1), **ids(o), "measurement_datetime": o["DATE"],
             "measurement_concept_id": concept(o["CODE"], o["DESCRIPTION"], "LOINC"),
             "measurement_source_value": o["CODE"],
             "value_as_number": o["VALUE"] if o.get("TYPE") == "numeric" else "",
             "value_source_value": "" if o.get("TYPE") == "numeric" else o["VALUE"], "unit_source_value": o["UNITS"]}
            for i, o in enumerate(_read(clinic / "observations.csv"))],
            ["measurement_id", "person_id", "visit_occurrence_id", "measurement_datetime", "measurement_concept_id",
             "measurement_source_value", "value_as_number", "value_source_value", "unit_source_value"]),
        "note": _write(out / "note.csv", [
            {"note_id": n["NOTE_ID"], "person_id": person.get(n["PATIENT"], ""),
             "visit_occurrence_id": visit.get(n.get("ENCOUNTER", ""), ""), "note_date": n.get("DATE", ""),
             "note_title": n.get("NOTE_TYPE", ""), "note_text": n["TEXT"],
             "language_concept_id": {"en": "4180186", "es": "4182511"}.get(n.get("LANG", ""), "0")}
            for n in _read(clinic / "notes.csv")],
            ["note_id", "person_id", "visit_occurrence_id", "note_date", "note_title", "note_text",
             "language_concept_id"]),
    }  # fmt: skip
    counts["concept"] = _write(out / "concept.csv", list(concepts.values()),
                               ["concept_id", "concept_code", "concept_name", "vocabulary_id"])  # fmt: skip
    return counts
