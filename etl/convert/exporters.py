"""Canonical TrainingExample -> trainer formats. Pure functions, one per format."""

from __future__ import annotations

from typing import Any

from schemas.records import TrainingExample

_HUATUO_ROLE = {"user": "human", "assistant": "gpt"}


def to_huatuo2(example: TrainingExample) -> dict[str, Any]:
    """HuatuoGPT-II SFT format: {"id", "conversations": [{"from": "human"|"gpt", "value"}]}."""
    return {
        "id": example.example_id,
        "conversations": [
            {"from": _HUATUO_ROLE[turn.role], "value": turn.content} for turn in example.turns if turn.role != "system"
        ],
    }
