import json

import pandas as pd

from etl.cli import main
from etl.evaluate.residual import scan_outputs

PATIENTS = pd.DataFrame(
    [{"Id": "p1", "FIRST": "Hiltraud", "LAST": "Matthai", "SSN": "999-11-2222", "BIRTHDATE": "1950-02-03"}]
)


def _run_folder(tmp_path):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "restricted").mkdir()
    pd.DataFrame({"note": ["seen with Hiltraud today", "year 1950"]}).to_parquet(out / "tables" / "t.parquet")
    (out / "restricted" / "map.json").write_text('{"ssn": "999-11-2222"}', encoding="utf-8")
    (out / "audit.md").write_text("no identifiers; Matthaiosz is another word", encoding="utf-8")
    return out


def test_when_known_value_in_shareable_output_then_found_by_file_and_column(tmp_path):
    report = scan_outputs(_run_folder(tmp_path), PATIENTS)
    assert report["findings"] == [{"file": "tables/t.parquet", "column": "FIRST", "distinct_values": 1}]
    assert report["files_scanned"] == 2  # restricted/ is never scanned: PHI belongs there


def test_when_scan_cli_finds_values_then_exit_1_and_no_value_printed(tmp_path, capsys):
    out = _run_folder(tmp_path)
    PATIENTS.to_csv(tmp_path / "patients.csv", index=False)
    assert main(["scan", "--out", str(out), "--patients", str(tmp_path / "patients.csv")]) == 1
    printed = capsys.readouterr().out
    assert json.loads(printed)["findings"] and "Hiltraud" not in printed
