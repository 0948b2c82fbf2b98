"""Nightly refresh into the same output folder: unchanged records are not redone, changed ones are,
deleted ones disappear from every output, a config change redoes what it affects, one run at a time."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil

import pandas as pd
import pytest

from etl.config import load_config
from etl.io import RunLocked, run_lock
from etl.stages.audit import run as audit_outputs
from etl.stages.common import prepare_output
from etl.stages.datasets import run as build_datasets
from etl.stages.ingest import run as ingest
from etl.stages.notes import run as deidentify_notes_stage
from etl.stages.summary import run as write_summary
from etl.stages.tables import run as deidentify_tables
from schemas.layout import RunLayout

pytestmark = pytest.mark.model


def _run(source, out, config):
    prepare_output(out, config)
    layout = RunLayout(out)
    ingest(source, layout, config)
    deidentify_tables(layout, config)
    deidentify_notes_stage(layout, config)
    build_datasets(layout, config)
    audit_outputs(layout, config)
    write_summary(layout, config, "2026-01-01T00:00:00+00:00")
    return {
        s: json.loads((out / "audit" / "stages" / f"{s}.json").read_text())["incremental"] for s in ("notes", "tables")
    }


def _digest(out):
    """Hashes of every output outside audit/ and logs/ (which carry times)."""
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and p.relative_to(out).parts[0] not in ("audit", "logs")]
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files
        if p.name != ".clinetl.lock"
    }


def _rewrite_notes(source, change):
    path = source / "notes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.fixture
def refresh(clinic, tmp_path):
    source = tmp_path / "clinic"
    shutil.copytree(clinic, source)
    return source, tmp_path / "out", load_config()


def test_when_nothing_changed_then_nothing_redone_and_outputs_identical(refresh):
    source, out, config = refresh
    first = _run(source, out, config)
    assert first["notes"]["processed"] > 0 and first["notes"]["skipped_unchanged"] == 0
    before = _digest(out)
    second = _run(source, out, config)
    assert second["notes"] == {"processed": 0, "skipped_unchanged": first["notes"]["processed"], "deleted": 0}
    assert second["tables"]["processed"] == 0
    assert _digest(out) == before


def test_when_note_changed_or_deleted_then_only_it_redone_and_erasure_propagates(refresh):
    source, out, config = refresh
    _run(source, out, config)
    first_manifest = pd.read_parquet(out / "restricted" / "manifest_notes.parquet")
    output_key = dict(zip(first_manifest["record_key"], first_manifest["output_key"], strict=True))
    removed = {}

    def change(rows):
        rows[0]["TEXT"] += "\nAddendum: tolerated the injection well."
        removed.update(rows.pop(1))
        return rows

    _rewrite_notes(source, change)
    counts = _run(source, out, config)
    assert counts["notes"]["processed"] == 1 and counts["notes"]["deleted"] == 1
    manifest = pd.read_parquet(out / "restricted" / "manifest_notes.parquet")
    assert removed["NOTE_ID"] not in set(manifest["record_key"])
    notes = pd.read_parquet(out / "notes" / "notes.parquet")
    assert notes["text"].str.contains("Addendum").sum() == 1
    gone = output_key[removed["NOTE_ID"]]  # the deleted note's pseudonymous key: in no output any more
    assert gone not in set(notes["note_key"]) and gone not in (out / "datasets" / "records.jsonl").read_text()
    summary = json.loads((out / "audit" / "summary.json").read_text())
    assert summary["balanced"] and summary["incremental"]["notes"]["deleted"] == 1


def test_when_deid_config_changed_then_every_note_redone(refresh):
    source, out, config = refresh
    first = _run(source, out, config)
    tagged = config.model_copy(update={"deid": config.deid.model_copy(update={"replacement": "tag"})})
    again = _run(source, out, tagged)
    assert again["notes"]["processed"] == first["notes"]["processed"] and again["notes"]["skipped_unchanged"] == 0


def test_when_streamed_in_tiny_parts_then_same_bytes(refresh, monkeypatch):
    """The notes stage holds a part of the notes at a time (reused and redone outputs mixed in parts on
    disk, merged at the end): parts of 3 notes and 7 spans give the bytes of one part."""
    source, out, config = refresh
    _run(source, out, config)
    streamed = out.with_name("streamed")
    shutil.copytree(out, streamed)
    _rewrite_notes(source, lambda rows: [{**rows[0], "TEXT": rows[0]["TEXT"] + "\nSeen again."}, *rows[1:]])
    _run(source, out, config)
    for where in ("etl.stages.common.PART_NOTES", "etl.stages.notes.PART_NOTES"):
        monkeypatch.setattr(where, 3)
    monkeypatch.setattr("etl.stages.notes._PART_SPANS", 7)
    counts = _run(source, streamed, config)
    assert counts["notes"]["processed"] == 1 and counts["notes"]["skipped_unchanged"] > 6
    for path in ("notes/notes.parquet", "restricted/deid_spans.parquet", "restricted/manifest_notes.parquet"):
        assert (streamed / path).read_bytes() == (out / path).read_bytes(), path


def test_when_a_run_holds_the_folder_then_a_second_is_refused(tmp_path):
    with run_lock(tmp_path), pytest.raises(RunLocked, match="another clinetl run"), run_lock(tmp_path):
        pass
    with run_lock(tmp_path):  # released
        pass
