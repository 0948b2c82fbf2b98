import stat

import pytest

from etl.io import Quarantine, atomic_open, read_jsonl, restricted_dir, write_json


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_when_restricted_written_then_owner_only(tmp_path):
    folder = restricted_dir(tmp_path, "quarantine")
    assert _mode(tmp_path / "restricted") == 0o700
    assert _mode(folder) == 0o700
    write_json(folder / "x.json", {"a": 1})
    assert _mode(folder / "x.json") == 0o600
    write_json(tmp_path / "restricted" / "new" / "deeper" / "y.json", {"a": 1})
    assert _mode(tmp_path / "restricted" / "new") == _mode(tmp_path / "restricted" / "new" / "deeper") == 0o700


def test_when_write_fails_then_previous_file_untouched_and_no_temp_left(tmp_path):
    target = tmp_path / "out.json"
    write_json(target, {"v": 1})
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("partial")
        raise RuntimeError("boom")
    assert target.read_text().strip().startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_when_quarantine_flushed_then_payload_restricted_and_reasons_counted(tmp_path):
    quarantine = Quarantine(tmp_path, "ingest")
    quarantine.add("notes.csv", "r1", "missing_note_id", {"text": "secret"})
    quarantine.add("notes.csv", "r2", "missing_note_id")
    path = quarantine.flush()
    assert path.parent == tmp_path / "restricted" / "quarantine"
    assert quarantine.reasons() == {"missing_note_id": 2}
    assert [row["record_key"] for row in read_jsonl(path)] == ["r1", "r2"]
