"""A finished refresh handed to the fine-tune step, as one real Prefect flow run (tiny local model)."""

import json
from pathlib import Path

import pytest

pytest.importorskip("trl")

pytestmark = [pytest.mark.flow, pytest.mark.model]


def test_when_refresh_and_finetune_then_adapter_trained_on_the_runs_datasets(clinic, prefect_harness, tmp_path):
    from etl.train.tiny import build_tiny_model
    from flows.finetune import refresh_and_finetune

    texts = [p.read_text(encoding="utf-8") for p in sorted(clinic.glob("*.csv"))]
    model = build_tiny_model(tmp_path / "tiny", texts)
    config = tmp_path / "finetune.yaml"
    config.write_text(
        "max_steps: 3\nbatch_size: 2\ngradient_accumulation_steps: 1\nlogging_steps: 1\nmax_length: 4096\n"
    )
    out, adapter = tmp_path / "out", tmp_path / "adapter"
    metrics_path = refresh_and_finetune(
        source=str(clinic), out=str(out), base_model=str(model), adapter_out=str(adapter), finetune_config=str(config)
    )
    metrics = json.loads(Path(metrics_path).read_text())
    train_lines = (out / "datasets" / "messages" / "train.jsonl").read_text().splitlines()
    assert metrics["steps"] == 3 and metrics["train_pairs"] >= len(train_lines) > 0
    assert (adapter / "adapter" / "adapter_config.json").is_file()
