"""The ward-note generator: gold offsets are exact, and its template families share nothing."""

import csv
import json

from etl.synth.ward import blind, dev, final, heldout, write_ward_clinic
from etl.synth.ward.render import generate_ward_gold


def test_when_generated_then_every_span_and_term_is_where_the_gold_says():
    for split in ("dev", "heldout", "blind", "final"):
        docs = generate_ward_gold(60, split, seed=3)
        assert {d["style"] for d in docs} == {"mixed", "upper", "lower"}
        for doc in docs:
            for span in doc["spans"] + doc["keep"]:
                value = doc["text"][span["start"] : span["end"]]
                assert value.strip() == value and value, (doc["id"], span)
        assert sum(len(d["spans"]) for d in docs) > 5 * len(docs)


def test_when_families_compared_then_no_template_phrase_is_shared():
    def phrases(module):
        return {p for name in dir(module) if name.isupper() for p in _strings(getattr(module, name))}

    assert phrases(dev) and phrases(heldout)
    assert not phrases(dev) & phrases(heldout)
    names = [{t.__name__ for t in family.TEMPLATES} for family in (dev, heldout, blind, final)]
    assert sum(len(n) for n in names) == len(set().union(*names))  # no template name in two families


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def test_when_clinic_written_then_tables_notes_and_gold_agree(tmp_path):
    counts = write_ward_clinic(tmp_path, patients=3, notes_per_patient=2, split="dev", seed=5)
    with (tmp_path / "notes.csv").open(encoding="utf-8") as handle:
        notes = list(csv.DictReader(handle))
    gold = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text().splitlines()]
    assert counts["notes"] == len(notes) == len(gold) == 6
    assert [n["TEXT"] for n in notes] == [g["text"] for g in gold]
    providers = (tmp_path / "providers.csv").read_text()
    assert counts["providers"] >= 6 and "NAME" in providers.splitlines()[0]
