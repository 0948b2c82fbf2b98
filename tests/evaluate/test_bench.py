import json

import pytest

from etl.evaluate.bench import load_notes, ratios, run_bench, shard, to_markdown

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


def test_when_benched_then_throughput_and_peak_memory_per_system_and_process_count():
    texts = ["Pt seen by Dr. Chen on 3/14/2023 for knee pain. BP 120/80."] * 20
    systems = run_bench(texts, ("spacy-ner",), processes=2, repeat=2)
    one, two = systems["spacy-ner"], systems["spacy-ner ×2"]
    assert len(one["runs_s"]) == 2 and one["seconds"] == min(one["runs_s"])  # the best of the runs
    assert one["notes"] == two["notes"] == 20 and (one["processes"], two["processes"]) == (1, 2)
    assert one["chars_per_s"] > 0 and one["peak_rss_mb"] > 50 and two["total_rss_mb"] > two["peak_rss_mb"]
    report = {"notes_source": "t", "notes": 20, "chars": sum(map(len, texts)), "systems": systems}
    assert "| spacy-ner ×2 | 2 |" in to_markdown(report)


def test_when_notes_sharded_then_every_note_once_in_order_and_shards_balanced_by_characters():
    texts = ["a" * n for n in (50, 10, 10, 10, 10, 10, 50, 5)]
    shards = shard(texts, 2)
    assert [t for s in shards for t in s] == texts and len(shards) == 2
    assert abs(sum(map(len, shards[0])) - sum(map(len, shards[1]))) <= 50
    assert shard(texts[:1], 4) == [texts[:1]]


def test_when_ratios_then_same_process_counts_are_compared():
    speed = {"clinetl": 30, "clinetl ×2": 60, "presidio-default": 15, "spacy-ner": 40, "spacy-ner ×2": 70}
    got = ratios({k: {"chars_per_s": v} for k, v in speed.items()}, 2)
    assert got == {
        "clinetl / presidio-default": 2.0,
        "clinetl ×2 / presidio-default": 4.0,
        "clinetl / spacy-ner": 0.75,
        "clinetl ×2 / spacy-ner ×2": 0.86,
    }
