"""Cheap language identification for notes that do not declare one (en / es / zh)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-záéíóúñü]+")
_EN = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "with",
        "is",
        "was",
        "for",
        "on",
        "in",
        "patient",
        "he",
        "she",
        "his",
        "her",
        "no",
        "denies",
        "history",
        "has",
        "had",
    ]
)
_ES = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "con",
        "que",
        "por",
        "para",
        "es",
        "fue",
        "paciente",
        "sin",
        "presenta",
        "refiere",
        "se",
        "una",
        "un",
    ]
)


def detect_lang(text: str, default: str = "en") -> str:
    sample = text[:4000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    if cjk > 20 and cjk > len(sample) * 0.2:
        return "zh"
    words = _WORD.findall(sample.lower())
    en = sum(w in _EN for w in words)
    es = sum(w in _ES for w in words)
    if en == es:
        return default
    return "es" if es > en else "en"
