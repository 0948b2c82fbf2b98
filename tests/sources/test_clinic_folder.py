import json

import pandas as pd
import pytest

from etl.io import Quarantine
from etl.sources import SourceError, discover_tables, drop_duplicate_notes, read_notes, read_table
from schemas.config import NotesSourceConfig, TablesSourceConfig


@pytest.fixture
def quarantine(tmp_path):
    return Quarantine(tmp_path / "out", "ingest")


def test_when_csv_truncated_then_partial_row_quarantined_and_rest_kept(tmp_path, quarantine):
    path = tmp_path / "conditions.csv"
    path.write_text("START,PATIENT,CODE\n2020-01-01,p1,123\n2020-02-01,p2,456\n2020-03-01,p3")
    frame = read_table(path, "utf-8", quarantine)
    assert list(frame["PATIENT"]) == ["p1", "p2"]
    assert quarantine.reasons() == {"malformed_row:expected_3_fields_got_2": 1}


def test_when_latin1_file_then_clear_error_without_content(tmp_path, quarantine):
    path = tmp_path / "patients.csv"
    path.write_bytes("Id,FIRST\np1,José\n".encode("latin-1"))
    with pytest.raises(SourceError) as err:
        read_table(path, "utf-8", quarantine)
    assert "patients.csv" in str(err.value) and "encoding" in str(err.value)
    assert "Jos" not in str(err.value)


def test_when_latin1_configured_then_read(tmp_path, quarantine):
    path = tmp_path / "patients.csv"
    path.write_bytes("Id,FIRST\np1,José\n".encode("latin-1"))
    assert read_table(path, "latin-1", quarantine)["FIRST"][0] == "José"


def test_when_parquet_table_then_values_are_strings(tmp_path, quarantine):
    pd.DataFrame({"Id": ["a"], "VALUE": [4.1]}).to_parquet(tmp_path / "observations.parquet")
    frame = read_table(tmp_path / "observations.parquet", "utf-8", quarantine)
    assert frame["VALUE"][0] == "4.1"


def test_when_discovering_then_csv_folder_found_and_notes_excluded(tmp_path):
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "patients.csv").write_text("Id\n")
    (tmp_path / "notes.csv").write_text("NOTE_ID,TEXT\n")
    assert list(discover_tables(tmp_path, TablesSourceConfig())) == ["patients"]


def test_when_notes_in_every_format_then_all_read(tmp_path, quarantine):
    (tmp_path / "notes.csv").write_text('NOTE_ID,PATIENT,TEXT,LANG\nc1,p1,"line one\nline two",EN\n')
    (tmp_path / "notes.jsonl").write_text(json.dumps({"NOTE_ID": "j1", "TEXT": "json note"}) + "\n")
    pd.DataFrame({"NOTE_ID": ["q1"], "TEXT": ["parquet note"]}).to_parquet(tmp_path / "notes.parquet")
    (tmp_path / "notes" / "p9").mkdir(parents=True)
    (tmp_path / "notes" / "p9" / "t1.txt").write_text("text file note")
    (tmp_path / "notes" / "t2.txt").write_text("unlinked note")
    notes = {n.note_id: n for n in read_notes(tmp_path, NotesSourceConfig(), quarantine)}
    assert set(notes) == {"c1", "j1", "q1", "t1", "t2"}
    assert notes["c1"].text == "line one\nline two" and notes["c1"].lang == "en"
    assert notes["t1"].patient_id == "p9" and notes["t2"].patient_id is None
    assert len(quarantine) == 0


def test_when_columns_named_differently_then_mapped_by_config(tmp_path, quarantine):
    (tmp_path / "notes.jsonl").write_text(json.dumps({"doc": "d1", "note_text": "hello", "patient_id": "p1"}) + "\n")
    config = NotesSourceConfig(columns={"NOTE_ID": "doc", "TEXT": "note_text", "PATIENT": "patient_id"})
    [note] = list(read_notes(tmp_path, config, quarantine))
    assert (note.note_id, note.text, note.patient_id) == ("d1", "hello", "p1")


def test_when_text_column_missing_then_schema_error_names_file(tmp_path, quarantine):
    (tmp_path / "notes.csv").write_text("NOTE_ID,BODY\nn1,x\n")
    with pytest.raises(SourceError, match=r"notes.csv: no column for TEXT"):
        list(read_notes(tmp_path, NotesSourceConfig(), quarantine))


def test_when_rows_are_bad_then_each_quarantined_with_reason(tmp_path, quarantine):
    (tmp_path / "notes.jsonl").write_text(
        '{"NOTE_ID": "a", "TEXT": "one"}\n{not json\n{"TEXT": "no id"}\n{"NOTE_ID": "a", "TEXT": "dup"}\n'
    )
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "bad.txt").write_bytes("Jos\xe9".encode("latin-1"))
    notes = list(drop_duplicate_notes(read_notes(tmp_path, NotesSourceConfig(), quarantine), quarantine))
    assert [n.text for n in notes] == ["one"]
    assert quarantine.reasons() == {
        "malformed_json_line": 1,
        "missing_note_id": 1,
        "duplicate_note_id": 1,
        "encoding:not_utf-8_at_byte_3": 1,
    }


def test_when_txt_folder_configured_then_subfolder_is_patient(tmp_path, quarantine):
    (tmp_path / "docs" / "p7").mkdir(parents=True)
    (tmp_path / "docs" / "p7" / "n1.txt").write_text("a note")
    [note] = list(read_notes(tmp_path, NotesSourceConfig(paths=["docs/**/*.txt"]), quarantine))
    assert (note.note_id, note.patient_id, note.source) == ("n1", "p7", "docs/p7/n1.txt")
