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


# What export columns write for a language, beside the code itself (lower-cased).
_LANGUAGE_NAMES = {
    "english": "en",
    "eng": "en",
    "spanish": "es",
    "spa": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "chinese": "zh",
    "zho": "zh",
    "chi": "zh",
    "中文": "zh",
    "汉语": "zh",
}


def language_code(value: str | None) -> str | None:
    """A declared language as its ISO 639-1 code: "EN", "en-US", "en_GB", "English", "Español" -> "en" /
    "es". Anything else is returned lower-cased as it is (a code outside the configured languages then
    quarantines its note as unsupported_language; the value itself is never reported)."""
    if value is None or not value.strip():
        return None
    lowered = value.strip().lower()
    primary = re.split(r"[-_]", lowered, maxsplit=1)[0]
    if lowered in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[lowered]
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else lowered
