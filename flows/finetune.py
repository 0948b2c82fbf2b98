"""Hand a finished refresh to the fine-tune step: run the pipeline, then train a LoRA adapter on its
datasets (refused when the run failed its audit). Parameters and results are paths only."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from etl.train.finetune import finetune, load_finetune_config
from flows.clinic_run import clinic_run


@task(persist_result=False)
def finetune_adapter(out: str, base_model: str, adapter_out: str, finetune_config: str | None = None) -> str:
    """Train on OUT/datasets; returns the path of the metrics file."""
    finetune(Path(out) / "datasets", base_model, Path(adapter_out), load_finetune_config(finetune_config))
    return str(Path(adapter_out) / "metrics.json")


@flow(name="clinetl-refresh-and-finetune", persist_result=False, log_prints=False)
def refresh_and_finetune(
    source: str,
    out: str,
    base_model: str,
    adapter_out: str,
    config_path: str | None = None,
    finetune_config: str | None = None,
) -> str:
    """The pipeline on one clinic, then the fine-tune step on what it produced."""
    clinic_run(source, out, config_path)
    return finetune_adapter(out, base_model, adapter_out, finetune_config)
