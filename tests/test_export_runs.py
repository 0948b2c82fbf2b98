"""`clinetl run` on what real exports contain, as a user runs it (a real subprocess and Prefect server): an
identifier planted in every free-form field of the notes, export artifacts, a permissive umask; then the
clean stops."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys

import pandas as pd
import pytest

from tests.leaks import find_leaks, planted_values

pytestmark = [pytest.mark.flow, pytest.mark.model]

# identifiers in fields that are meant to hold codes: they must never be echoed into a shareable file
_IN_CODES = [
    {"kind": "name_in_lang", "value": "Wilhelmina Stroud"},
    {"kind": "name_in_type", "value": "Bartholomew"},
    {"kind": "name_in_date", "value": "Cornelius Vandergriff"},
    {"kind": "name_in_encounter", "value": "Philippa Ashdown"},
    {"kind": "name_in_note_id", "value": "Ottoline Marchbanks"},
    {"kind": "name_in_patient", "value": "Leopold Fairweather"},
]


def _cli(source, out, env, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl.cli", "run", "--source", str(source), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def _shared(out):
    return [p for p in out.rglob("*") if p.is_file() and "restricted" not in p.relative_to(out).parts]


@pytest.fixture(scope="module")
def export_run(clinic, tmp_path_factory):
    root = tmp_path_factory.mktemp("exports")
    source = root / "clinic"
    shutil.copytree(clinic, source)
    with (source / "notes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["LANG"] = _IN_CODES[0]["value"]  # a code column holding a name
    rows[1]["NOTE_TYPE"] = _IN_CODES[1]["value"]
    rows[3]["DATE"], rows[4]["ENCOUNTER"] = _IN_CODES[2]["value"], _IN_CODES[3]["value"]
    rows[5]["NOTE_ID"], rows[6]["PATIENT"] = _IN_CODES[4]["value"], _IN_CODES[5]["value"]
    rows[2]["TEXT"] = "Long course. " * 60_000  # 720 KB: over the csv module's limit and over max_note_chars
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows[:-3])
    (source / "notes.csv").unlink()
    (source / "Notes.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))  # Excel: BOM, CRLF, capitalised
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[-3:])
    (source / "notes_2024.csv").write_text(buffer.getvalue(), encoding="utf-8")  # notes split over files
    with (source / "notes.jsonl").open("w", encoding="utf-8") as handle:
        for i, row in enumerate(rows[-3:]):
            record = {**row, "NOTE_ID": f"J{i}", "TEXT": row["TEXT"].replace("\n", "\u2028", 1)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    env = {**os.environ, "PREFECT_HOME": str(root / "prefect")}
    result = _cli(source, root / "out", env, umask=0)
    assert result.returncode == 0, result.stderr[-3000:]
    return source, root / "out", len(rows) + 3, result


def test_when_exports_vary_then_every_source_note_is_counted_once(export_run, clinic):
    source, out, csv_notes, _ = export_run
    txt_notes = sum(1 for _ in (source / "notes").rglob("*.txt"))
    summary = json.loads((out / "audit" / "summary.json").read_text())
    notes = summary["records"]["notes"]
    assert summary["balanced"] and notes["in"] == csv_notes + txt_notes
    assert notes["out"] + notes["filtered"] + notes["quarantined"] == notes["in"]
    assert summary["quarantine_reasons"]["notes"] == {"note_too_long": 1, "unsupported_language": 1}


def test_when_code_fields_hold_names_then_no_shareable_file_holds_them(export_run):
    source, out, _, result = export_run
    planted = planted_values(source) + _IN_CODES
    assert find_leaks(planted, _shared(out)) == []
    assert all(value["value"] not in result.stdout + result.stderr for value in planted)
    assert "other" in set(pd.read_parquet(out / "notes" / "notes.parquet")["note_type"])  # the name's note


def test_when_umask_is_permissive_then_restricted_is_owner_only_and_outputs_follow_the_umask(export_run):
    _, out, _, _ = export_run
    restricted = out / "restricted"
    for path in [restricted, *restricted.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o600 if path.is_file() else 0o700), path.name
    assert stat.S_IMODE((out / "audit" / "summary.json").stat().st_mode) == 0o666  # the caller's umask 000


def test_when_no_patient_rows_then_the_run_warns_and_no_planted_identifier_leaves(clinic, tmp_path):
    source = tmp_path / "clinic"
    shutil.copytree(clinic, source)
    header = (source / "patients.csv").read_text(encoding="utf-8").splitlines()[0]
    (source / "patients.csv").write_text(header + "\n", encoding="utf-8")
    result = _cli(source, tmp_path / "out", {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")})
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "out" / "audit" / "summary.json").read_text())
    assert any("record-linked detection was off" in w and "no rows" in w for w in summary["warnings"])
    assert "record-linked detection was off" in (tmp_path / "out" / "audit" / "report.md").read_text()
    assert find_leaks(planted_values(source), _shared(tmp_path / "out")) == []


def test_when_the_run_stops_then_one_line_names_file_and_line_at_once(clinic, tmp_path):
    source = tmp_path / "clinic"
    shutil.copytree(clinic, source)
    text = (source / "notes.csv").read_text(encoding="utf-8")
    (source / "notes.csv").write_text(text.replace(',"', ',"Mrs "Featherstonehaugh" said ', 1), encoding="utf-8")
    result = _cli(source, tmp_path / "out", {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    log = (tmp_path / "out" / "logs" / "run.log").read_text()
    assert "Traceback" in log and "Retry 1/2" not in log  # kept in the log; not retried: it cannot change
    [line] = [line for line in result.stderr.splitlines() if line.startswith("clinetl:")]
    assert line.startswith("clinetl: error: notes.csv: line ") and "run.log" in line
    assert "Featherstonehaugh" not in result.stderr + log
