"""The fine-tune step on CPU with a tiny locally built model: real TRL + PEFT, a few steps."""

from __future__ import annotations

import json
import math

import pytest

pytest.importorskip("trl")
pytest.importorskip("peft")

from etl.train.finetune import AuditRefused, FinetuneConfig, chat, finetune, prompt_completion_pairs
from etl.train.tiny import build_tiny_model

CONVERSATION = [
    {"role": "user", "content": "Knee pain after running, worse on stairs. Assessment?"},
    {"role": "assistant", "content": "Patellofemoral pain syndrome."},
    {"role": "user", "content": "Plan?"},
    {"role": "assistant", "content": "Quadriceps strengthening, ice, and relative rest for two weeks."},
]


def _dataset(root, balanced=True, copies=16):
    data = root / "datasets"
    (data / "messages").mkdir(parents=True)
    (root / "audit").mkdir()
    (root / "audit" / "summary.json").write_text(json.dumps({"balanced": balanced, "config_hash": "abc"}))
    line = json.dumps({"messages": CONVERSATION})
    (data / "messages" / "train.jsonl").write_text("\n".join([line] * copies) + "\n", encoding="utf-8")
    (data / "messages" / "validation.jsonl").write_text(line + "\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    texts = [m["content"] for m in CONVERSATION] * 20
    return build_tiny_model(tmp_path_factory.mktemp("tiny"), texts)


def test_when_conversation_split_then_one_pair_per_assistant_turn():
    pairs = prompt_completion_pairs(CONVERSATION)
    assert [len(p["prompt"]) for p in pairs] == [1, 3]
    assert [p["completion"][0]["content"] for p in pairs] == [CONVERSATION[1]["content"], CONVERSATION[3]["content"]]


def test_when_run_failed_its_audit_then_training_refused(tmp_path, tiny_model):
    with pytest.raises(AuditRefused, match="balanced"):
        finetune(_dataset(tmp_path, balanced=False), str(tiny_model), tmp_path / "ft", FinetuneConfig())


def test_when_tiny_model_finetuned_then_loss_falls_and_adapter_reloads(tmp_path, tiny_model):
    config = FinetuneConfig(
        max_steps=40, batch_size=4, gradient_accumulation_steps=1, learning_rate=5e-3, logging_steps=5, lora_r=8
    )
    metrics = finetune(_dataset(tmp_path), str(tiny_model), tmp_path / "ft", config)
    losses = [entry["loss"] for entry in metrics["loss_history"]]
    assert len(losses) >= 4 and all(math.isfinite(x) for x in losses)
    assert losses[-1] < 0.9 * losses[0] and losses[-1] <= min(losses[:2])  # a tiny repeated dataset is learnt
    assert metrics["train_pairs"] == 32 and metrics["precision"] == "fp32" and math.isfinite(metrics["eval_loss"])
    assert (tmp_path / "ft" / "adapter" / "adapter_config.json").is_file()
    assert "LoRA" in (tmp_path / "ft" / "README.md").read_text()
    reply = chat(str(tiny_model), str(tmp_path / "ft" / "adapter"), CONVERSATION[0]["content"], max_new_tokens=12)
    assert "Patellofemoral" in reply  # the adapter, reloaded, answers what it was taught


def test_when_cli_finetune_on_failed_run_then_exit_2(tmp_path, tiny_model, capsys):
    from etl.cli import main

    data = _dataset(tmp_path, balanced=False)
    assert main(["finetune", "--data", str(data), "--base-model", str(tiny_model)]) == 2
    assert "refused" in capsys.readouterr().err


def test_when_target_tokenizer_given_then_long_examples_counted_with_it(tiny_model):
    from etl.config import load_config
    from etl.stages.datasets import _token_counter
    from schemas.records import TrainingExample, Turn

    base = load_config()
    config = base.model_copy(update={"convert": base.convert.model_copy(update={"tokenizer": str(tiny_model)})})
    count = _token_counter(config)
    short = TrainingExample(
        "a", "instruction", "t", "en", None, "s", [Turn("user", "Knee pain"), Turn("assistant", "Rest.")]
    )
    long = TrainingExample(
        "b", "instruction", "t", "en", None, "s", [Turn("user", "Knee pain " * 200), Turn("assistant", "x")]
    )
    assert 0 < count(short) < 20 < 200 < count(long)
