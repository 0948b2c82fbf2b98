"""Cheap language identification for notes that do not declare one, from the language packs' function
words; and a declared language as its code."""

from __future__ import annotations

import re

from etl.languages import PACKS

_WORD = re.compile(r"[a-záéíóúñü]+")
# Scripts that name their language outright; a language here without a pack is quarantined as
# unsupported_language, never read as another.
_SCRIPTS = {"zh": re.compile(r"[\u4e00-\u9fff]")}
_LANGUAGE_NAMES = {name: pack.code for pack in PACKS.values() for name in pack.names}


def detect_lang(text: str, default: str = "en") -> str:
    """The language of `text`: a script's own (more than 20 of its characters, and a fifth of the
    sample), else the pack whose function words it holds most of; `default` when none leads."""
    sample = text[:4000]
    for code, script in _SCRIPTS.items():
        count = len(script.findall(sample))
        if count > 20 and count > len(sample) * 0.2:
            return code
    words = _WORD.findall(sample.lower())
    counts = {code: sum(w in pack.function_words for w in words) for code, pack in PACKS.items() if pack.spaced}
    best = max(counts.values(), default=0)
    leaders = [code for code, count in counts.items() if count == best]
    return leaders[0] if len(leaders) == 1 else default


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
