"""The bundled fine-tune step: TRL SFTTrainer + PEFT LoRA on a run's `datasets/messages/` JSONL.

Each conversation becomes one prompt-completion pair per assistant turn (the turns before it as the
prompt), so the loss is on assistant turns only whatever chat template the base model has. bf16 on a GPU
that supports it, fp32 otherwise; QLoRA (4-bit base via bitsandbytes) as an option. A dataset whose run
failed its audit is refused. Writes the adapter, metrics.json and a model card (README.md).

Heavy dependencies (torch, transformers, trl, peft) come with `pip install .[finetune]` and are imported
only here.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from schemas.layout import RunLayout

log = logging.getLogger("clinetl")


class FinetuneConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lora_r: int = Field(16, gt=0)
    lora_alpha: int = Field(32, gt=0)
    lora_dropout: float = Field(0.05, ge=0.0, lt=1.0)
    target_modules: str | list[str] = "all-linear"
    learning_rate: float = Field(2e-4, gt=0)
    epochs: float = Field(2.0, gt=0)
    max_steps: int = -1  # > 0 overrides epochs
    batch_size: int = Field(4, gt=0)
    gradient_accumulation_steps: int = Field(4, gt=0)
    max_length: int = Field(2048, gt=0)  # longer pairs are dropped and counted, never truncated
    precision: Literal["auto", "bf16", "fp32"] = "auto"  # auto: bf16 on a GPU that supports it
    qlora: bool = False  # 4-bit base model through bitsandbytes (GPU only)
    gradient_checkpointing: bool = False
    seed: int = 42
    logging_steps: int = Field(10, gt=0)


class AuditRefused(RuntimeError):
    """The dataset's run did not pass its audit: it must not be trained on."""


def load_finetune_config(path: str | None) -> FinetuneConfig:
    if not path:
        return FinetuneConfig()
    return FinetuneConfig.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})


def check_audit(data_dir: Path) -> dict[str, Any]:
    """The run's audit summary, if it passed: counts balanced (and the residual gate, when present)."""
    summary_path = RunLayout(data_dir.parent).summary_file
    if not summary_path.is_file():
        raise AuditRefused(f"no audit summary beside {data_dir.name}/ (expected {summary_path}); run clinetl first")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if not summary.get("balanced", False):
        raise AuditRefused("the run's record counts do not add up (audit/summary.json: balanced is false)")
    gate = summary.get("gate")
    if gate is not None and not gate.get("passed", False):
        raise AuditRefused("the run failed its residual-PHI gate (audit/summary.json: gate.passed is false)")
    return summary


def prompt_completion_pairs(messages: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One pair per assistant turn: the conversation so far as the prompt, that turn as the completion."""
    return [
        {"prompt": messages[:index], "completion": [message]}
        for index, message in enumerate(messages)
        if message["role"] == "assistant" and index > 0
    ]


def read_pairs(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    pairs: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            pairs.extend(prompt_completion_pairs(json.loads(line)["messages"]))
    return pairs


def _precision(config: FinetuneConfig, torch: Any) -> bool:
    """Whether to train in bf16."""
    if config.precision == "fp32":
        return False
    supported = bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if config.precision == "bf16" and not supported:
        raise RuntimeError("precision bf16 asked for, but no GPU with bf16 support is available")
    return supported


def _fits(tokenizer: Any, pair: dict[str, Any], max_length: int) -> bool:
    text = tokenizer.apply_chat_template(pair["prompt"] + pair["completion"], tokenize=False)
    return len(tokenizer(text)["input_ids"]) <= max_length


def finetune(data_dir: Path, base_model: str, out_dir: Path, config: FinetuneConfig) -> dict[str, Any]:
    """Train a LoRA adapter; return the metrics written to out_dir/metrics.json."""
    summary = check_audit(data_dir)
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    tokenizer = AutoTokenizer.from_pretrained(base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    train_all = read_pairs(data_dir / "messages" / "train.jsonl")
    train = [p for p in train_all if _fits(tokenizer, p, config.max_length)]
    validation = [
        p for p in read_pairs(data_dir / "messages" / "validation.jsonl") if _fits(tokenizer, p, config.max_length)
    ]
    if not train:
        raise ValueError(f"no training pairs in {data_dir / 'messages' / 'train.jsonl'} within max_length")
    bf16 = _precision(config, torch)
    model_kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if bf16 else torch.float32}
    if config.qlora:
        from transformers import BitsAndBytesConfig

        model_kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16
        )
    model = AutoModelForCausalLM.from_pretrained(base_model, **model_kwargs)
    losses: list[dict[str, float]] = []

    class _Record(TrainerCallback):
        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None, **kw: Any) -> None:
            if logs and "loss" in logs:
                losses.append({"step": state.global_step, "loss": float(logs["loss"])})

    args = SFTConfig(
        output_dir=str(out_dir / "checkpoints"),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        learning_rate=config.learning_rate,
        max_length=config.max_length,
        completion_only_loss=True,  # loss on the assistant turn only
        bf16=bf16,
        gradient_checkpointing=config.gradient_checkpointing,
        logging_steps=config.logging_steps,
        save_strategy="no",
        eval_strategy="no",
        report_to="none",
        seed=config.seed,
        use_cpu=not torch.cuda.is_available(),
    )
    peft_config = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=config.target_modules,
        task_type="CAUSAL_LM",
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(train),
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[_Record()],
    )
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - started
    eval_loss = trainer.evaluate(Dataset.from_list(validation))["eval_loss"] if validation else None
    adapter_dir = out_dir / "adapter"
    trained: Any = trainer.model
    trained.save_pretrained(adapter_dir)
    tokenizer.save_pretrained(adapter_dir)
    tokens = int(getattr(trainer.state, "num_input_tokens_seen", 0) or 0)
    metrics = {
        "base_model": str(base_model),
        "dataset_config_hash": summary.get("config_hash"),
        "train_pairs": len(train),
        "train_pairs_dropped_too_long": len(train_all) - len(train),
        "validation_pairs": len(validation),
        "steps": int(result.global_step),
        "train_loss": float(result.training_loss),
        "eval_loss": float(eval_loss) if eval_loss is not None else None,
        "loss_history": losses,
        "seconds": round(seconds, 2),
        "tokens_seen": tokens,
        "tokens_per_s": round(tokens / seconds, 1) if tokens and seconds else None,
        "peak_gpu_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2)
        if torch.cuda.is_available()
        else None,
        "precision": "bf16" if bf16 else "fp32",
        "qlora": config.qlora,
        "config": config.model_dump(),
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    (out_dir / "README.md").write_text(_model_card(metrics), encoding="utf-8")
    log.info("finetune: %d steps, train loss %.4f, adapter in %s", metrics["steps"], metrics["train_loss"], adapter_dir)
    return metrics


def _model_card(metrics: dict[str, Any]) -> str:
    config = metrics["config"]
    data_hash = str(metrics["dataset_config_hash"])[:12]
    quantized = ", QLoRA 4-bit" if metrics["qlora"] else ""
    return "\n".join(
        [
            "# LoRA adapter trained by clinetl",
            "",
            f"* Base model: `{metrics['base_model']}`",
            f"* Data: a clinetl run's `datasets/messages/` (de-identification config {data_hash});"
            " the run passed its audit before training started.",
            f"* LoRA r={config['lora_r']}, alpha={config['lora_alpha']}, dropout={config['lora_dropout']},"
            f" target modules {config['target_modules']}; {metrics['precision']}{quantized}.",
            f"* {metrics['train_pairs']} training pairs (one per assistant turn; loss on assistant turns only),"
            f" {metrics['steps']} steps, train loss {metrics['train_loss']:.4f}, eval loss {metrics['eval_loss']}.",
            "",
            "Intended use: research and evaluation inside the clinic. The training data were de-identified, but a model"
            " can memorise rare strings: have the clinic's data steward review before sharing the adapter outside it.",
            "",
        ]
    )


def chat(base_model: str, adapter: str, prompt: str, max_new_tokens: int = 128) -> str:
    """One reply from the base model with the adapter loaded (greedy decoding)."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(adapter)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_model), adapter)
    model.eval()
    inputs: Any = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt}], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        output = model.generate(
            **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
        )
    return str(tokenizer.decode(output[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True))
