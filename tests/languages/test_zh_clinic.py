"""A clinic with Chinese patients beside English and Spanish ones (`clinetl synth --langs en,es,zh`), run
through every stage: counts balance, the gate passes, no planted identifier is in a shareable output, and
the datasets hold Chinese examples in each conversation format."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from etl.audit.residual import KnownIndex
from etl.config import load_config
from etl.deid.recognizers.known_identifiers import KnownIdentifierRecognizer
from etl.stages.audit import run as audit_outputs
from etl.stages.common import prepare_output
from etl.stages.datasets import run as build_datasets
from etl.stages.ingest import run as ingest
from etl.stages.notes import run as deidentify_notes
from etl.stages.summary import run as write_summary
from etl.stages.tables import run as deidentify_tables
from etl.synth import generate_clinic
from schemas.layout import RunLayout

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def chinese_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("zh")
    generate_clinic(root / "clinic", patients=10, seed=19, langs=("en", "es", "zh"))
    config, layout = load_config(), RunLayout(root / "out")
    prepare_output(layout.root, config)
    ingest(root / "clinic", layout, config)
    deidentify_tables(layout, config)
    deidentify_notes(layout, config)
    build_datasets(layout, config)
    audit_outputs(layout, config)
    summary = write_summary(layout, config, "2026-01-01T00:00:00+00:00")
    return root, layout, summary


def _shareable_text(layout: RunLayout) -> str:
    parts = []
    for path in sorted(layout.root.rglob("*")):
        if not path.is_file() or "restricted" in path.relative_to(layout.root).parts:
            continue
        if path.suffix == ".parquet":
            parts.append(json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str))
        elif path.suffix in {".json", ".jsonl", ".md", ".html", ".yaml", ".csv", ".txt"}:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def test_when_chinese_clinic_runs_then_counts_balance_and_gate_passes_with_nothing_planted_left(chinese_run):
    root, layout, summary = chinese_run
    notes = pq.read_table(layout.notes_file).to_pylist()
    assert sum(1 for n in notes if n["lang"] == "zh") >= 6  # Chinese notes were de-identified, not quarantined
    assert summary.balanced and summary.gate.passed and summary.gate.known == 0
    planted = json.loads((root / "clinic" / "planted_identifiers.json").read_text(encoding="utf-8"))
    chinese = [p["value"] for p in planted if any("\u4e00" <= c <= "\u9fff" for c in p["value"])]
    assert chinese  # the planted Chinese names and addresses are checked, not only the digits
    text = _shareable_text(layout)
    assert [p["value"] for p in planted if p["value"] and p["value"] in text] == []


def test_when_chinese_clinic_runs_then_each_conversation_format_holds_chinese_examples(chinese_run):
    _, layout, summary = chinese_run
    assert any("|zh|" in key for key in summary.datasets.examples_by_task_lang_split)
    for fmt in ("messages", "huatuo", "huatuo2", "alpaca", "sharegpt", "openai"):
        lines = [line for f in (layout.datasets_dir / fmt).glob("*.jsonl") for line in f.read_text().splitlines()]
        assert any(any("\u4e00" <= c <= "\u9fff" for c in line) for line in lines), fmt
    huatuo = "".join(f.read_text() for f in (layout.datasets_dir / "huatuo").glob("*.jsonl"))
    assert '"问：' in huatuo and "答：" in huatuo


def test_when_patient_has_a_chinese_name_then_record_linked_detection_finds_its_written_forms():
    recognizer = KnownIdentifierRecognizer("zh", [("PERSON", "伟 张"), ("DATE", "1990-03-07")])
    text = "患者张伟，张先生诉头痛，生于1990年3月7日。"
    assert [text[r.start : r.end] for r in recognizer.analyze(text, [])] == ["张伟", "张", "1990年3月7日"]


def test_when_residual_scan_reads_chinese_text_then_a_known_name_written_without_spaces_is_found():
    index = KnownIndex.build([("PERSON", "伟 张"), ("PERSON", "伟"), ("BIRTHDATE", "1990-03-07")])
    assert index.find("随访：患者张伟情况稳定，1990年3月7日生") == {"PERSON": 1, "BIRTHDATE": 1}
    assert index.find("伟大的进步") == {}  # a one-character given name alone is no evidence
