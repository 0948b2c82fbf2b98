"""`clinetl run` as a user runs it: a real subprocess, a real local Prefect server, a generated clinic."""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.leaks import find_leaks, planted_values

pytestmark = [pytest.mark.flow, pytest.mark.model]


@pytest.fixture(scope="module")
def run(clinic, tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    source = root / "clinic"
    shutil.copytree(clinic, source)
    with (source / "conditions.csv").open("a", encoding="utf-8") as handle:
        handle.write("2024-01-01,truncated-row")  # a file cut off mid-row
    prefect_home = root / "prefect_home"
    env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
    result = subprocess.run(
        [sys.executable, "-m", "etl.cli", "run", "--source", str(source), "--out", str(root / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    (root / "console.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stderr[-3000:]
    return source, root / "out", prefect_home, root / "console.txt"


def test_when_run_then_no_planted_identifier_outside_restricted(run):
    source, out, prefect_home, console = run
    shared = [p for p in out.rglob("*") if p.is_file() and "restricted" not in p.relative_to(out).parts]
    prefect_files = [p for p in prefect_home.rglob("*") if p.is_file()]
    assert any(p.name == "run.log" for p in shared)
    assert len(shared) > 10 and prefect_files
    assert find_leaks(planted_values(source), [*shared, *prefect_files, console]) == []


def test_when_run_then_restricted_holds_the_phi_owner_only(run):
    source, out, _, _ = run
    restricted = out / "restricted"
    assert stat.S_IMODE(restricted.stat().st_mode) == 0o700
    for path in restricted.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o600 if path.is_file() else 0o700), path.name
    staged = [p for p in restricted.rglob("*") if p.is_file()]
    assert find_leaks(planted_values(source), staged), "staging should hold the raw notes, as a control"


def test_when_run_then_summary_counts_add_up_with_reasons(run):
    _, out, _, _ = run
    summary = json.loads((out / "audit" / "summary.json").read_text())
    assert summary["balanced"] is True
    conditions = summary["records"]["tables"]["conditions"]
    assert conditions["quarantined"] == 1 and conditions["in"] == conditions["out"] + 1
    assert summary["quarantine_reasons"]["ingest"] == {"malformed_row:expected_6_fields_got_2": 1}
    assert summary["filtered_reasons"]["notes"] == {"empty_text": 1}
    assert set(summary["entities"]) >= {"PERSON", "DATE", "MRN", "PHONE", "EMAIL", "STREET_ADDRESS", "SSN"}


def test_when_run_then_every_exported_line_matches_its_schema_and_splits_share_no_patient(run):
    from etl.convert.exporters import EXPORTERS, validator

    _, out, _, _ = run
    datasets = out / "datasets"
    lines = 0
    for fmt in EXPORTERS:
        for path in sorted((datasets / fmt).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                assert not list(validator(fmt).iter_errors(json.loads(line))), (fmt, path.name)
                lines += 1
    assert lines > 0 and (datasets / "dataset_info.json").is_file() and (datasets / "README.md").is_file()
    splits = json.loads((datasets / "splits.json").read_text())
    seen = [key for keys in splits.values() for key in keys]
    assert len(seen) == len(set(seen)) > 0  # no patient in two splits
    records = [json.loads(x) for x in (datasets / "records.jsonl").read_text().splitlines()]
    assert all(r["patient_key"] in splits[r["split"]] for r in records if r["patient_key"])


def test_when_run_then_summary_meets_its_published_json_schema(run):
    from jsonschema import Draft202012Validator

    from schemas.summary import summary_json_schema

    _, out, _, _ = run
    shipped = json.loads((Path(__file__).parents[1] / "schemas" / "json" / "summary.schema.json").read_text())
    assert shipped == summary_json_schema(), "regenerate schemas/json/summary.schema.json from schemas/summary.py"
    summary = json.loads((out / "audit" / "summary.json").read_text())
    assert list(Draft202012Validator(shipped).iter_errors(summary)) == []
    broken = {**summary, "records": {**summary["records"], "notes": {**summary["records"]["notes"], "in": -1}}}
    assert list(Draft202012Validator(shipped).iter_errors(broken))  # the schema does check


def test_when_run_then_every_stage_file_meets_its_contract(run):
    from schemas.stages import STAGE_STATS

    _, out, _, _ = run
    stage_files = sorted((out / "audit" / "stages").glob("*.json"))
    assert {p.stem for p in stage_files} == set(STAGE_STATS)
    for path in stage_files:
        STAGE_STATS[path.stem].model_validate(json.loads(path.read_text()))
    with pytest.raises(ValueError):  # the contract does check: a negative count does not pass
        STAGE_STATS["notes"].model_validate(
            {**json.loads((out / "audit" / "stages" / "notes.json").read_text()), "out": -1}
        )
