"""Canonical TrainingExample -> trainer formats. Pure functions, one per format; each output line is
checked against the format's JSON Schema in schemas/json/ before it is written.

A format may not apply to an example (o1 needs a genuine reasoning trace): its exporter returns None.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

import schemas
from schemas.records import SPLITS, TrainingExample

SCHEMA_DIR = Path(schemas.__file__).parent / "json"
_HUATUO_ROLE = {"user": "human", "assistant": "gpt"}
# HuatuoGPT v1 writes "问：…", "答：…"; the prefixes follow the record's language
_V1_PREFIX = {
    "zh": ("问：", "答："),
    "en": ("Question: ", "Answer: "),
    "es": ("Pregunta: ", "Respuesta: "),
}

Record = dict[str, Any]


def _dialogue(example: TrainingExample) -> list[tuple[str, str]]:
    """The non-system turns as (role, content)."""
    return [(t.role, t.content) for t in example.turns if t.role != "system"]


def _system(example: TrainingExample) -> str | None:
    return next((t.content for t in example.turns if t.role == "system"), None)


def to_messages(example: TrainingExample) -> Record:
    """TRL / Hugging Face conversational: {"messages": [{"role", "content"}]}."""
    return {"messages": example.messages}


def to_openai(example: TrainingExample) -> Record:
    """OpenAI chat fine-tuning JSONL: the same messages."""
    return {"messages": example.messages}


def to_huatuo(example: TrainingExample) -> Record:
    """HuatuoGPT v1 SFT: {"data": ["问：…", "答：…", …]}."""
    ask, answer = _V1_PREFIX.get(example.lang, _V1_PREFIX["en"])
    return {"data": [f"{ask if role == 'user' else answer}{text}" for role, text in _dialogue(example)]}


def to_huatuo2(example: TrainingExample) -> Record:
    """HuatuoGPT-II SFT: {"id", "conversations": [{"from": "human"|"gpt", "value"}]}."""
    return {
        "id": example.example_id,
        "conversations": [{"from": _HUATUO_ROLE[role], "value": text} for role, text in _dialogue(example)],
    }


def to_o1(example: TrainingExample) -> Record | None:
    """HuatuoGPT-o1: {"Question", "Complex_CoT", "Response"}, only for single-turn examples with a real trace."""
    dialogue = _dialogue(example)
    if not example.reasoning or len(dialogue) != 2:
        return None
    return {"Question": dialogue[0][1], "Complex_CoT": example.reasoning, "Response": dialogue[1][1]}


def to_alpaca(example: TrainingExample) -> Record:
    """Alpaca (LLaMA-Factory): the last exchange as instruction/output, earlier ones as history."""
    dialogue = _dialogue(example)
    pairs = [[dialogue[i][1], dialogue[i + 1][1]] for i in range(0, len(dialogue) - 1, 2)]
    record: Record = {"instruction": pairs[-1][0], "input": "", "output": pairs[-1][1], "history": pairs[:-1]}
    if system := _system(example):
        record["system"] = system
    return record


def to_sharegpt(example: TrainingExample) -> Record:
    """ShareGPT (LLaMA-Factory): {"conversations": [{"from": "human"|"gpt", "value"}], "system"?}."""
    record: Record = {"conversations": to_huatuo2(example)["conversations"]}
    if system := _system(example):
        record["system"] = system
    return record


EXPORTERS: dict[str, Callable[[TrainingExample], Record | None]] = {
    "messages": to_messages,
    "huatuo": to_huatuo,
    "huatuo2": to_huatuo2,
    "o1": to_o1,
    "alpaca": to_alpaca,
    "sharegpt": to_sharegpt,
    "openai": to_openai,
}


@cache
def validator(fmt: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{fmt}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


class ExportError(ValueError):
    """An exported line does not match its format's schema (a bug: never written). Names format and id."""


def export(example: TrainingExample, fmt: str) -> Record | None:
    record = EXPORTERS[fmt](example)
    if record is not None:
        errors = sorted(validator(fmt).iter_errors(record), key=lambda e: list(e.path))
        if errors:
            message = errors[0].message[:80]
            raise ExportError(f"{fmt} record for example {example.example_id} fails its schema: {message}")
    return record


def dataset_info() -> dict[str, Any]:
    """LLaMA-Factory's dataset_info.json (beside the format folders) for the alpaca and sharegpt exports,
    one dataset per split."""
    info: dict[str, Any] = {}
    alpaca_columns = {"prompt": "instruction", "query": "input", "response": "output", "history": "history"}
    for split in SPLITS:
        info[f"clinetl_alpaca_{split}"] = {
            "file_name": f"alpaca/{split}.jsonl",
            "columns": {**alpaca_columns, "system": "system"},
        }
        info[f"clinetl_sharegpt_{split}"] = {
            "file_name": f"sharegpt/{split}.jsonl",
            "formatting": "sharegpt",
            "columns": {"messages": "conversations", "system": "system"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        }
    return info
