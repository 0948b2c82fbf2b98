"""What real exports contain, generated here from one small clinic: every variant ends with the source's own
record count accounted for, or stops with one line that names the file and the line, never content."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from etl.config import load_config
from etl.sources import SourceError
from etl.sources.files import csv_record_count
from etl.stages import common, datasets, ingest
from schemas.layout import RunLayout


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    from etl.synth import generate_clinic

    path = tmp_path_factory.mktemp("variants") / "clinic"
    generate_clinic(path, patients=4, seed=5)
    return path


@pytest.fixture
def clinic(base, tmp_path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(base, target)
    return target


def _ingest(clinic: Path, out: Path, **source: object) -> dict:
    config = load_config()
    if source:
        config = config.model_copy(update={"source": config.source.model_copy(update=source)})
    common.prepare_output(out, config)
    ingest.run(clinic, RunLayout(out), config)
    return json.loads(RunLayout(out).stage_file("ingest").read_text(encoding="utf-8"))


def _notes_rows(clinic: Path) -> list[dict[str, str]]:
    with (clinic / "notes.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _source_notes(clinic: Path, encoding: str = "utf-8-sig") -> int:
    """Notes the clinic folder holds, counted without any clinetl code."""
    csv_notes = sum(
        len(list(csv.DictReader(p.open(encoding=encoding, newline=""))))
        for p in clinic.iterdir()
        if p.name.lower().startswith("notes") and p.suffix.lower() == ".csv"
    )
    return csv_notes + sum(1 for p in (clinic / "notes").rglob("*") if p.suffix.lower() == ".txt")


def _staged_ids(out: Path) -> list[str]:
    return list(pd.read_parquet(out / "restricted" / "staging" / "notes.parquet")["note_id"])


def test_when_a_field_is_over_the_csv_modules_limit_then_it_is_read_whole(clinic, tmp_path):
    rows = _notes_rows(clinic)
    rows[0]["TEXT"] = "Long course. " * 160_000  # 2 MB: staged whole; the notes stage quarantines it as too long
    rows[1]["TEXT"] = "x" * 200_000 + "\nend"
    _write_rows(clinic / "notes.csv", rows)
    patients = pd.read_csv(clinic / "patients.csv", dtype=str, keep_default_na=False)
    patients.loc[0, "ADDRESS"] = "1 Long Road " * 20_000
    patients.to_csv(clinic / "patients.csv", index=False)
    stage = _ingest(clinic, tmp_path / "out")
    staged = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet").set_index("note_id")
    assert len(staged.loc[rows[1]["NOTE_ID"], "text"]) == 200_004  # never cut
    n = _source_notes(clinic)
    assert stage["notes"] == {"in": n, "staged": n, "quarantined": 0, "in_folder_files": n}
    assert stage["tables"]["patients"]["in"] == len(patients)


def test_when_a_quote_is_unbalanced_then_the_run_stops_naming_file_and_line(clinic, tmp_path):
    text = (clinic / "notes.csv").read_text(encoding="utf-8")
    first_quote = text.index(',"') + 1
    broken = text[: first_quote + 1] + 'He said "stop' + text[first_quote + 1 :]  # a stray quote inside
    (clinic / "notes.csv").write_text(broken, encoding="utf-8")
    line = text[:first_quote].count("\n") + 1
    with pytest.raises(SourceError) as err:
        _ingest(clinic, tmp_path / "out")
    message = str(err.value)
    assert message.startswith(f"notes.csv: line {line}:") and "\n" not in message
    assert "stop" not in message and "He said" not in message


def test_when_a_closing_quote_is_missing_then_no_record_is_invented_or_merged(clinic, tmp_path):
    text = (clinic / "notes.csv").read_text(encoding="utf-8")
    end = text.index('",', text.index(',"') + 2)  # the end of the first quoted note
    (clinic / "notes.csv").write_text(text[:end] + text[end + 1 :], encoding="utf-8")
    with pytest.raises(SourceError, match=r"^notes\.csv: line \d+: "):
        _ingest(clinic, tmp_path / "out")
    assert not (tmp_path / "out" / "restricted" / "staging" / "notes.parquet").exists()


@pytest.mark.parametrize(("written", "configured"), [("utf-8-sig", "utf-8"), ("utf-16", "utf-16")])
def test_when_files_start_with_a_byte_order_mark_then_it_is_stripped_and_recorded(
    clinic, tmp_path, written, configured
):
    for path in [*clinic.glob("*.csv"), *clinic.rglob("*.txt")]:  # Excel's UTF-8 with a BOM; UTF-16 with one
        path.write_bytes(path.read_text(encoding="utf-8").encode(written))
    defaults = load_config().source
    stage = _ingest(
        clinic,
        tmp_path / "out",
        notes=defaults.notes.model_copy(update={"encoding": configured}),
        tables=defaults.tables.model_copy(update={"encoding": configured}),
    )
    named = {entry["file"]: entry for entry in stage["source_files"]["named"]}
    assert named["notes.csv"]["bom"] and named["patients.csv"]["bom"]
    n = _source_notes(clinic, written)
    assert stage["notes"] == {"in": n, "staged": n, "quarantined": 0, "in_folder_files": n}
    staged = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "tables" / "patients.parquet")
    assert staged.columns[0] == "Id"
    texts = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet")["text"]
    assert not any(text.startswith("\ufeff") for text in texts)


def test_when_a_bom_disagrees_with_the_configured_encoding_then_the_hint_names_the_key(clinic, tmp_path):
    text = (clinic / "notes.csv").read_text(encoding="utf-8")
    (clinic / "notes.csv").write_bytes(text.encode("utf-16"))
    with pytest.raises(SourceError, match=r"^notes\.csv: .*set source\.notes\.encoding: utf-16$"):
        _ingest(clinic, tmp_path / "out")


def test_when_names_are_capitalised_or_notes_split_over_files_then_every_note_is_read(clinic, tmp_path):
    rows = _notes_rows(clinic)
    (clinic / "notes.csv").unlink()
    _write_rows(clinic / "Notes.csv", rows[:2])
    _write_rows(clinic / "notes_2024.csv", rows[2:])
    txt = sorted((clinic / "notes").rglob("*.txt"))[0]
    txt.rename(txt.with_name("NOTE.TXT"))
    stage = _ingest(clinic, tmp_path / "out")
    assert len(_staged_ids(tmp_path / "out")) == stage["notes"]["in"] == _source_notes(clinic) > len(rows)
    assert "notes_2024" not in stage["tables"]
    named = {entry["file"]: entry["records"] for entry in stage["source_files"]["named"]}
    assert named == named | {"Notes.csv": 2, "notes_2024.csv": len(rows) - 2}


def test_when_a_file_looks_like_records_and_is_not_read_then_it_is_a_warning_without_its_name(clinic, tmp_path):
    (clinic / "csv_export").mkdir()
    (clinic / "csv_export" / "Mary_Jones_letters.txt").write_text("Dear Mary", encoding="utf-8")
    (clinic / "Jones_notes.xlsx").write_bytes(b"PK")
    stage = _ingest(clinic, tmp_path / "out")
    audit = json.dumps(stage)
    assert "Mary" not in audit and "Jones" not in audit
    assert any(".xlsx" in w and "top level" in w for w in stage["warnings"])
    assert any(".txt" in w and "another folder" in w for w in stage["warnings"])
    inventory = json.loads((tmp_path / "out" / "restricted" / "ingest" / "inventory.json").read_text())
    assert {"Jones_notes.xlsx", "csv_export/Mary_Jones_letters.txt"} <= {e["rel"] for e in inventory}
    assert stage["source_files"]["files"] == len(inventory) == sum(1 for p in clinic.rglob("*") if p.is_file())


def test_when_jsonl_strings_hold_line_separators_then_only_newline_ends_a_record(clinic, tmp_path):
    records = [{"NOTE_ID": f"j{i}", "PATIENT": "", "TEXT": f"first\u2028second\u0085third\x0c{i}"} for i in range(3)]
    (clinic / "notes.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    stage = _ingest(clinic, tmp_path / "out")
    staged = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet").set_index("note_id")
    assert staged.loc["j1", "text"] == "first\u2028second\u0085third\x0c1"
    assert stage["notes"]["quarantined"] == 0 and stage["notes"]["in"] == _source_notes(clinic) + 3


def test_when_rows_have_too_few_or_too_many_fields_then_each_is_quarantined_and_counted(clinic, tmp_path):
    text = (clinic / "notes.csv").read_text(encoding="utf-8")
    (clinic / "notes.csv").write_text(text + "short-row,only\nlong,a,b,c,d,e,f,g,h\n", encoding="utf-8")
    stage = _ingest(clinic, tmp_path / "out")
    assert stage["quarantine_reasons"] == {
        "malformed_row:expected_7_fields_got_2": 1,
        "malformed_row:expected_7_fields_got_9": 1,
    }
    assert stage["notes"]["in"] == stage["notes"]["staged"] + 2 == _source_notes(clinic)
    assert (
        csv_record_count((clinic / "notes.csv").read_text(encoding="utf-8"), "notes.csv")
        == len(_notes_rows(clinic)) + 1
    )


def test_when_a_reader_stops_under_a_permissive_umask_then_restricted_stays_owner_only(clinic, tmp_path):
    (clinic / "conditions.csv").write_text(
        (clinic / "conditions.csv").read_text(encoding="utf-8") + "2024-01-01,cut-off\n", encoding="utf-8"
    )
    text = (clinic / "notes.csv").read_text(encoding="utf-8")
    (clinic / "notes.csv").write_text(text.replace(',"', ',"a "quoted" word ', 1), encoding="utf-8")
    previous = os.umask(0)
    try:
        with pytest.raises(SourceError):
            _ingest(clinic, tmp_path / "out")
    finally:
        os.umask(previous)
    restricted = tmp_path / "out" / "restricted"
    quarantined = restricted / "quarantine" / "ingest.jsonl"
    assert quarantined.is_file()  # the row quarantined before the stop is kept for the steward
    for path in [restricted, *restricted.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o600 if path.is_file() else 0o700), path.name


def test_when_exports_carry_nul_bytes_crlf_blank_and_duplicate_notes_then_each_is_accounted_for(clinic, tmp_path):
    rows = _notes_rows(clinic)
    rows[0]["TEXT"] = "Seen today.\x00 Stable."  # a NUL byte inside a note
    rows[1]["TEXT"] = "   \n\t "  # whitespace only: staged, then filtered as empty by the notes stage
    rows[2]["TEXT"] = ""
    rows.append(dict(rows[3]))  # a duplicate note id
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")  # CRLF
    writer.writeheader()
    writer.writerows(rows)
    (clinic / "notes.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
    stage = _ingest(clinic, tmp_path / "out")
    assert stage["quarantine_reasons"] == {"duplicate_note_id": 1}
    n = _source_notes(clinic)
    assert stage["notes"] == {"in": n, "staged": n - 1, "quarantined": 1, "in_folder_files": n}
    staged = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet").set_index("note_id")
    assert staged.loc[rows[0]["NOTE_ID"], "text"] == "Seen today.\x00 Stable."


def test_when_an_encoding_is_wrong_or_a_column_unknown_then_the_stop_names_file_key_or_column(clinic, tmp_path):
    (clinic / "encounters.csv").write_bytes("Id,NOTE\n1,Jos\xe9\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"^encounters\.csv: not valid utf-8 .*source\.tables\.encoding") as err:
        _ingest(clinic, tmp_path / "out")
    assert "Jos" not in str(err.value)
    (clinic / "encounters.csv").unlink()
    text = (clinic / "conditions.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",SURGEON_NAME", *(line + ",Dr Quimby" for line in text[1:])]
    (clinic / "conditions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    from etl.deid.tables import PolicyError

    with pytest.raises(PolicyError) as err:
        _ingest(clinic, tmp_path / "out2")
    assert "SURGEON_NAME" in str(err.value) and "Quimby" not in str(err.value)
    assert "tables.policy" in str(err.value)


def test_when_the_policy_hint_is_followed_then_the_key_it_names_is_accepted(clinic, tmp_path):
    (clinic / "weird_export.csv").write_text("Id,VALUE\n1,2\n", encoding="utf-8")
    from etl.deid.tables import PolicyError

    with pytest.raises(PolicyError, match=r"tables\.policy") as err:
        _ingest(clinic, tmp_path / "out")
    assert "unknown_tables: drop" in str(err.value)
    from etl.config import CONF_DIR

    policy = tmp_path / "policy.yaml"  # a copy of the policy, as the hint says, with that key set
    policy.write_text(
        (CONF_DIR / "policy_synthea_safe_harbor.yaml")
        .read_text()
        .replace("unknown_tables: error", "unknown_tables: drop")
    )
    config = load_config()
    config = config.model_copy(update={"tables": config.tables.model_copy(update={"policy": str(policy)})})
    common.prepare_output(tmp_path / "out2", config)
    ingest.run(clinic, RunLayout(tmp_path / "out2"), config)
    stage = json.loads(RunLayout(tmp_path / "out2").stage_file("ingest").read_text())
    assert stage["tables"]["weird_export"] == {"in": 1, "quarantined": 0, "dropped_by_policy": 1}


def test_when_a_clinic_is_small_then_the_card_says_why_a_split_is_empty():
    line = datasets._split_line(
        {"train": 6, "validation": 0, "test": 0}, {"train": 0.8, "validation": 0.1, "test": 0.1}
    )
    assert line.startswith("Patients by split: train 6, validation 0, test 0. Empty: validation, test.")
    assert "validation 0.6" in line and "convert.split_fractions" in line
    assert "Empty" not in datasets._split_line({"train": 8, "validation": 1, "test": 1}, {"train": 0.8, "test": 0.2})


def test_when_a_notes_file_name_holds_more_than_notes_and_numbers_then_the_audit_does_not_name_it(clinic, tmp_path):
    rows = _notes_rows(clinic)
    _write_rows(clinic / "notes_Quimby_Harold.csv", [{**row, "NOTE_ID": f"Q{i}"} for i, row in enumerate(rows)])
    _write_rows(clinic / "NOTES-2024-01.csv", [{**row, "NOTE_ID": f"R{i}"} for i, row in enumerate(rows)])
    stage = _ingest(clinic, tmp_path / "out")
    assert "Quimby" not in json.dumps(stage)
    assert "NOTES-2024-01.csv" in {entry["file"] for entry in stage["source_files"]["named"]}
    assert stage["notes"]["in"] == _source_notes(clinic)  # both are read all the same


@pytest.mark.parametrize(
    ("declared", "code"), [("EN", "en"), ("en-US", "en"), ("English", "en"), ("Español", "es"), ("es_MX", "es")]
)
def test_when_a_language_is_declared_as_exports_write_it_then_its_code_is_used(clinic, tmp_path, declared, code):
    rows = _notes_rows(clinic)
    _write_rows(clinic / "notes.csv", [{**row, "LANG": declared} for row in rows])
    _ingest(clinic, tmp_path / "out")
    staged = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet")
    assert set(staged.loc[staged["source"] == "notes.csv", "lang"]) == {code}
