"""Exporters, quality filters and patient-level splits."""

from collections import Counter

import pytest

from etl.convert.exporters import EXPORTERS, ExportError, dataset_info, export, validator
from etl.convert.quality import assign_splits, check_lengths, distinct_examples, split_of
from schemas.records import TrainingExample, Turn

FRACTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}


def _distinct(examples, spill, threshold=0.9):
    reasons: Counter[str] = Counter()
    return list(distinct_examples(examples, threshold, reasons, spill)), reasons


def _example(i, text="Chronic low back pain for two years, worse when sitting.", lang="en", patient="pat-1", **kw):
    turns = kw.pop("turns", None) or [
        Turn("user", f"Assess: {text}"),
        Turn("assistant", "Likely discogenic pain; start physiotherapy and review in six weeks."),
    ]
    return TrainingExample(
        example_id=f"ex{i}",
        kind="conversation" if len(turns) > 2 else "instruction",
        task=kw.pop("task", "assessment_plan_v1"),
        lang=lang,
        patient_key=patient,
        source_id=f"note-{i}",
        turns=turns,
        **kw,
    )


CONVERSATION = [
    Turn("system", "You are a clinician."),
    Turn("user", "Knee pain after running. Assessment?"),
    Turn("assistant", "Patellofemoral pain syndrome."),
    Turn("user", "Plan?"),
    Turn("assistant", "Quadriceps strengthening and relative rest."),
]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_when_exported_then_every_format_matches_its_schema(fmt, lang):
    for example in (
        _example(1, lang=lang),
        _example(2, lang=lang, turns=CONVERSATION, reasoning="Runner; anterior pain."),
    ):
        record = export(example, fmt)
        if record is not None:
            assert not list(validator(fmt).iter_errors(record))


def test_when_formats_written_then_roles_and_prefixes_follow_the_record():
    conversation = _example(2, turns=CONVERSATION)
    assert export(_example(1, lang="zh"), "huatuo")["data"][0].startswith("问：")
    assert export(_example(1, lang="es"), "huatuo")["data"][1].startswith("Respuesta: ")
    alpaca = export(conversation, "alpaca")
    assert alpaca["instruction"] == "Plan?" and alpaca["history"] == [
        [CONVERSATION[1].content, CONVERSATION[2].content]
    ]
    assert alpaca["system"] == "You are a clinician."
    assert [t["from"] for t in export(conversation, "sharegpt")["conversations"]] == ["human", "gpt", "human", "gpt"]
    assert export(conversation, "messages")["messages"][0]["role"] == "system"


def test_when_no_reasoning_trace_then_no_o1_record():
    assert export(_example(1), "o1") is None  # never invent a chain of thought
    record = export(_example(1, reasoning="Mechanical pain, no red flags."), "o1")
    assert record["Complex_CoT"] == "Mechanical pain, no red flags."


def test_when_record_breaks_its_schema_then_export_refuses():
    empty_answer = _example(1, turns=[Turn("user", "Assess: x"), Turn("assistant", "")])
    with pytest.raises(ExportError, match="ex1"):
        export(empty_answer, "messages")


def test_when_duplicates_then_exact_and_near_removed_distinct_kept(tmp_path):
    original = _example(1)
    exact = _example(2)
    near = _example(3, text="Chronic low back pain for two years, worse when sitting down.")
    other = _example(4, text="New onset chest pain radiating to the left arm with diaphoresis.")
    kept, reasons = _distinct([original, exact, near, other], tmp_path / "spill.jsonl", threshold=0.9)
    assert [e.example_id for e in kept] == ["ex1", "ex4"]
    assert reasons == {"exact_duplicate": 1, "near_duplicate": 1}


def test_when_same_text_in_another_task_then_not_a_duplicate(tmp_path):
    kept, _ = _distinct([_example(1), _example(2, task="consultation_v1")], tmp_path / "spill.jsonl")
    assert len(kept) == 2


def test_when_too_many_tokens_then_dropped_with_reason_never_truncated():
    short, long = _example(1), _example(2, text="pain " * 500)
    reasons: Counter[str] = Counter()
    kept = list(check_lengths([short, long], lambda e: sum(len(t.content.split()) for t in e.turns), 100, reasons))
    assert kept == [short] and reasons == {"too_many_tokens": 1}


def test_when_split_then_by_patient_stable_and_disjoint():
    examples = [_example(i, patient=f"pat-{i % 40}") for i in range(200)]
    patients: dict[str, set[str]] = {split: set() for split in ("train", "validation", "test")}
    split = list(assign_splits(examples, FRACTIONS, "salt", patients))
    by_patient = {}
    for example in split:
        by_patient.setdefault(example.patient_key, set()).add(example.split)
    assert all(len(s) == 1 for s in by_patient.values())  # a patient's examples stay together
    groups = [set(patients[s]) for s in ("train", "validation", "test")]
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    assert sum(len(g) for g in groups) == 40 and len(groups[0]) > len(groups[1])
    assert split_of("pat-7", FRACTIONS, "salt") == split_of("pat-7", FRACTIONS, "salt")  # the same every run


def test_when_llama_factory_info_written_then_it_names_each_split_file():
    info = dataset_info()
    assert info["clinetl_sharegpt_train"]["file_name"] == "sharegpt/train.jsonl"
    assert info["clinetl_alpaca_test"]["columns"]["response"] == "output"


def test_when_compared_in_small_blocks_then_the_same_near_duplicates_are_found(monkeypatch, tmp_path):
    from etl.convert import quality

    texts = [
        "Chronic low back pain for two years, worse when sitting.",
        "New onset chest pain radiating to the left arm with diaphoresis.",
        "Chronic low back pain for two years, worse when sitting down.",
        "Knee effusion after a fall; aspirated 30 mL of clear fluid.",
        "New onset chest pain radiating to the left arm with diaphoresis today.",
        "Knee effusion after a fall; aspirated 30 mL of clear yellow fluid.",
    ]
    examples = [_example(i, text=text) for i, text in enumerate(texts)]
    whole, reasons = _distinct(examples, tmp_path / "whole.jsonl", threshold=0.8)
    assert [e.example_id for e in whole] == ["ex0", "ex1", "ex3"] and reasons["near_duplicate"] == 3
    monkeypatch.setattr(quality, "_BLOCK_CELLS", 1)  # one row a block
    monkeypatch.setattr(quality, "_VECTORIZE_BATCH", 2)  # counts built two texts at a time
    assert _distinct(examples, tmp_path / "blocks.jsonl", threshold=0.8) == (whole, reasons)
