"""The steward audit: the residual gate catches identifiers that escaped de-identification (a test hook
bypasses it for chosen notes), withholds the datasets, and the report, artifacts and logs hold none of
them; the audit log and the review loop work on a real run."""

import csv
import json
import re
import stat
from pathlib import Path

import pandas as pd
import pytest
import yaml

from etl.audit.stage import GateFailed
from etl.cli import main
from tests.leaks import find_leaks, planted_values

pytestmark = [pytest.mark.flow, pytest.mark.model]

_IDENTIFYING = ("SSN", "DRIVERS", "PASSPORT", "ADDRESS", "BIRTHDATE")


def _known(patients: pd.DataFrame) -> dict[str, list[str]]:
    """patient id -> identifying values straight from the source table (independent of etl.audit)."""
    known = {}
    for row in patients.fillna("").to_dict("records"):
        values = [str(row[c]) for c in _IDENTIFYING if str(row[c]).strip()]
        known[row["Id"]] = [*values, f"{row['FIRST']} {row['LAST']}"]
    return known


@pytest.fixture(scope="module")
def runs(clinic, tmp_path_factory, prefect_harness):
    from flows.clinic_run import clinic_run

    root = tmp_path_factory.mktemp("audit")
    clean = root / "clean"
    clinic_run(source=str(clinic), out=str(clean))
    staged = pd.read_parquet(clean / "restricted" / "staging" / "notes.parquet")
    known = _known(pd.read_csv(clinic / "patients.csv", dtype=str))
    planted = {}  # note id -> how many known values its text carries
    for note in staged.to_dict("records"):
        count = sum(value.lower() in (note["text"] or "").lower() for value in known.get(note["patient_id"], []))
        if count:
            planted[note["note_id"]] = count
    chosen = sorted(planted)[:6]
    assert len(chosen) >= 3, "the generated clinic should mention patients' identifiers in notes"
    config = root / "bypass.yaml"
    config.write_text(yaml.safe_dump({"audit": {"bypass_deid_for_testing": chosen}}))
    bypassed = root / "bypassed"
    with pytest.raises(GateFailed):
        clinic_run(source=str(clinic), out=str(bypassed), config_path=str(config))
    return clean, bypassed, {note_id: planted[note_id] for note_id in chosen}


def _note_keys(out: Path) -> dict[str, str]:
    import sqlite3

    with sqlite3.connect(out / "restricted" / "pseudonyms.sqlite3") as db:
        rows = db.execute("SELECT original, surrogate FROM pseudonyms WHERE namespace = 'note'").fetchall()
    return dict(rows)


def test_when_deid_bypassed_then_gate_catches_every_injected_identifier_and_withholds_datasets(runs):
    _, out, planted = runs
    summary = json.loads((out / "audit" / "summary.json").read_text())
    assert summary["gate"]["passed"] is False and summary["gate"]["datasets"] == "withheld"
    assert summary["bypassed_for_testing"] == len(planted)
    assert not (out / "datasets").exists()
    assert (out / "restricted" / "withheld" / "datasets" / "messages" / "train.jsonl").is_file()
    findings = json.loads((out / "audit" / "residual.json").read_text())
    keys = _note_keys(out)
    in_notes = {}
    for finding in findings["known"]:
        if finding["file"] == "notes/notes.parquet":
            in_notes[finding["record"]] = in_notes.get(finding["record"], 0) + finding["count"]
    for note_id, count in planted.items():  # 100%: every bypassed note, at least each value it carries
        assert in_notes.get(f"note_key={keys[note_id]}", 0) >= count, "an injected identifier went unseen"
    assert any(f["file"].startswith("datasets/") for f in findings["known"]), "withheld datasets are scanned too"


def test_when_gate_fails_then_report_artifacts_and_logs_hold_no_injected_identifier(runs, clinic, tmp_path):
    from prefect.client.orchestration import get_client

    _, out, _ = runs
    with get_client(sync_client=True) as client:
        artifacts = [a for a in client.read_artifacts() if (a.key or "").startswith("clinetl-")]
    assert {a.key for a in artifacts} >= {"clinetl-run-report", "clinetl-entities"}
    dumped = tmp_path / "artifacts.txt"
    dumped.write_text("\n".join(json.dumps(a.data, default=str) for a in artifacts))
    assert "FAILED" in dumped.read_text()
    evidence = [*(out / "audit").rglob("*"), *(out / "logs").rglob("*"), dumped]
    assert find_leaks(planted_values(clinic), [p for p in evidence if p.is_file()]) == []
    residual = (out / "audit" / "residual.json").read_text()
    patients = pd.read_csv(clinic / "patients.csv", dtype=str)
    assert not any(v in residual for v in [*patients["SSN"], *patients["LAST"]])  # locations, never values


def test_when_run_clean_then_gate_passes_and_datasets_are_published_readable(runs):
    clean, _, _ = runs
    summary = json.loads((clean / "audit" / "summary.json").read_text())
    assert summary["gate"] == {**summary["gate"], "passed": True, "known": 0, "datasets": "published"}
    assert stat.S_IMODE((clean / "datasets" / "messages" / "train.jsonl").stat().st_mode) == 0o644
    assert not (clean / "restricted" / "pending").exists()
    html = (clean / "audit" / "report.html").read_text()
    assert "Residual-PHI gate passed" in html and "<script" not in html and "http" not in html
    history = (clean / "audit" / "history.jsonl").read_text().splitlines()
    assert json.loads(history[-1])["gate_passed"] is True


def test_when_run_then_audit_log_holds_every_replacement_and_never_the_original(runs):
    clean, _, _ = runs
    log = [json.loads(line) for line in (clean / "restricted" / "audit" / "replacements.jsonl").open()]
    spans = pd.read_parquet(clean / "restricted" / "deid_spans.parquet")
    assert len(log) == len(spans) > 0
    assert set(log[0]) == {"record_id", "note_key", "start", "end", "label", "recognizer", "score", "surrogate"}
    texts = pd.read_parquet(clean / "restricted" / "staging" / "notes.parquet").set_index("note_id")["text"]
    for row in log:
        original = texts[row["record_id"]][row["start"] : row["end"]]
        # Text fields must not carry the original; ids and offsets are checked whole, since a short original such
        # as an age of 92 may turn up inside a hex key or an offset by chance.
        assert row["surrogate"] and all(original not in row[field] for field in ("surrogate", "label", "recognizer"))
        assert original not in {str(value) for value in row.values()}


def test_when_steward_records_verdicts_then_eval_scores_the_clinics_own_notes(runs, tmp_path):
    clean, _, _ = runs
    review = clean / "restricted" / "review"
    assert stat.S_IMODE(review.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in review.iterdir())
    sample = [json.loads(line) for line in (review / "sample.jsonl").open()]
    outputs = pd.read_parquet(clean / "notes" / "notes.parquet")
    assert len(sample) == min(20, len(outputs))
    assert {s["note_type"] for s in sample} == set(outputs["note_type"]) or len(sample) == 20
    assert "CONTAINS PHI" in (review / "review.html").read_text()

    with (review / "verdicts.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["verdict"] for r in rows} == {"ok"}
    rows[0]["verdict"] = "over_redaction"  # the steward disagrees with one detection…
    note = sample[-1]
    redacted = [(s["start"], s["end"]) for s in note["spans"]]
    words = [m for m in re.finditer(r"[A-Za-z]{6,}", note["text"])]
    word = next(m.group() for m in words if not any(a < m.end() and m.start() < b for a, b in redacted))
    rows.append({"note_id": note["id"], "start": "", "end": "", "label": "PERSON", "verdict": "missed",
                 "text": word, "comment": ""})  # …and marks a word as a missed name  # fmt: skip
    with (review / "verdicts.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert (
        main(["eval", "--gold", str(review), "--format", "review", "--baseline", "none", "--out", str(tmp_path)]) == 0
    )
    scores = json.loads((tmp_path / "eval.json").read_text())["systems"]["clinetl"]["token"]
    assert 0.5 < scores["precision"] < 1.0 and 0.5 < scores["recall"] < 1.0
    from etl.audit.report import load_evaluations  # audit.eval_results carries them into the next reports

    assert load_evaluations([str(tmp_path)], clean) == {
        tmp_path.name: {k: scores[k] for k in ("precision", "recall", "f1")}
    }


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium: `make test` installs Debian's chromium where it can")
def test_when_report_opened_in_a_headless_browser_then_it_renders_the_gate_and_charts(runs, tmp_path):
    import subprocess

    from matplotlib.image import imread

    clean, bypassed, _ = runs
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    for out, colour in ((clean, (26, 127, 55)), (bypassed, (187, 0, 0))):  # the gate banner: green, red
        shot = tmp_path / f"{out.name}.png"
        url = (out / "audit" / "report.html").as_uri()
        subprocess.run([_chromium(), *flags, f"--screenshot={shot}", "--window-size=1200,1400", url],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        dom = subprocess.run([_chromium(), *flags, "--dump-dom", url], check=True, capture_output=True, text=True,
                             timeout=120).stdout  # fmt: skip
        assert "Residual-PHI gate" in dom and dom.count("<rect") >= 3
        pixels = (imread(shot)[..., :3] * 255).round().astype(int)
        assert pixels.shape[:2] == (1400, 1200) and pixels.std() > 10  # not a blank page
        assert (abs(pixels - colour).sum(axis=-1) < 30).sum() > 5_000, f"{out.name}: gate banner not drawn"


def test_when_audit_notebook_runs_headless_then_every_cell_executes_with_plots(runs, monkeypatch):
    import nbclient
    import nbformat

    clean, _, _ = runs
    main_notebook = Path(__file__).resolve().parents[1] / "notebooks" / "audit.ipynb"
    notebook = nbformat.read(main_notebook, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit stripped"
    monkeypatch.setenv("CLINETL_AUDIT", str(clean / "audit"))
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # entity and trend plots
    assert any("PASSED" in o.get("text", "") for o in outputs)


def test_when_on_residual_drop_records_then_only_flagged_notes_go_and_the_rest_is_published(runs, clinic, tmp_path):
    from flows.clinic_run import clinic_run

    _, _, planted = runs
    config = tmp_path / "drop.yaml"
    config.write_text(
        yaml.safe_dump({"audit": {"bypass_deid_for_testing": sorted(planted), "on_residual": "drop_records"}})
    )
    out = tmp_path / "out"
    clinic_run(source=str(clinic), out=str(out), config_path=str(config))  # no GateFailed
    summary = json.loads((out / "audit" / "summary.json").read_text())
    gate, notes = summary["gate"], summary["records"]["notes"]
    assert gate["passed"] and gate["datasets"] == "published" and gate["known"] == 0
    assert gate["dropped"]["notes"] == len(planted) == notes["dropped_by_residual_scan"]
    assert gate["dropped"]["examples"] >= 1 and summary["balanced"]
    dropped = pd.read_parquet(out / "restricted" / "residual" / "notes.parquet")
    note_ids = {key: note_id for note_id, key in _note_keys(out).items()}
    assert sorted(note_ids[k] for k in dropped["note_key"]) == sorted(planted)
    published = pd.read_parquet(out / "notes" / "notes.parquet")
    assert not set(dropped["note_key"]) & set(published["note_key"])
    shared = [p for p in out.rglob("*") if p.is_file() and "restricted" not in p.relative_to(out).parts]
    assert find_leaks(planted_values(clinic), shared) == []
    assert "drop_records" in (out / "audit" / "report.md").read_text()
