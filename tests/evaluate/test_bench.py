import json

import pytest

from etl.evaluate.bench import load_notes, run_bench, to_markdown

pytestmark = pytest.mark.model


def test_when_sources_given_then_notes_read_from_csv_jsonl_or_folder(tmp_path):
    (tmp_path / "m.csv").write_text('note_id,transcription\n1,"HPI: knee pain."\n2," "\n', encoding="utf-8")
    (tmp_path / "n.jsonl").write_text(json.dumps({"text": "Plan: rest."}) + "\n", encoding="utf-8")
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "a.txt").write_text("Assessment: sprain.", encoding="utf-8")
    assert load_notes(tmp_path / "m.csv", 10) == (["HPI: knee pain."], "m.csv")
    assert load_notes(tmp_path / "n.jsonl", 10)[0] == ["Plan: rest."]
    assert load_notes(tmp_path / "txt", 10)[0] == ["Assessment: sprain."]
    generated, name = load_notes(None, 3)
    assert len(generated) == 3 and name.startswith("generated")


def test_when_benched_then_throughput_and_peak_memory_per_system():
    texts = ["Pt seen by Dr. Chen on 3/14/2023 for knee pain. BP 120/80."] * 20
    result = run_bench(texts, ("spacy-ner",))["spacy-ner"]
    assert result["notes"] == 20 and result["chars_per_s"] > 0 and result["peak_rss_mb"] > 50
    report = {"notes_source": "t", "notes": 20, "chars": sum(map(len, texts)), "systems": {"spacy-ner": result}}
    assert "| spacy-ner |" in to_markdown(report)
