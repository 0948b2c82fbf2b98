"""Word lists that ship with clinetl (built by `clinetl build-lexicon`, see build.py and PROVENANCE.md)."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from etl.languages import PACKS

LEXICON_DIR = Path(__file__).resolve().parent
LEXICONS = {code: pack.lexicons for code, pack in PACKS.items() if pack.lexicons}


def _read(name: str) -> frozenset[str]:
    with gzip.open(LEXICON_DIR / f"{name}.txt.gz", "rt", encoding="utf-8") as handle:
        return frozenset(line.rstrip("\n") for line in handle if line.strip())


@lru_cache(maxsize=4)
def safe_words(lang: str) -> frozenset[str]:
    """Lower-cased words that identify nobody: English words that are not names, clinical vocabulary."""
    return _read(LEXICONS[lang][0])


@lru_cache(maxsize=4)
def person_names(lang: str) -> frozenset[str]:
    """Lower-cased words that are first or last names (many of them also English words)."""
    return _read(LEXICONS[lang][1])


@lru_cache(maxsize=4)
def place_names(lang: str) -> frozenset[str]:
    """Lower-cased single-word city and county names (many of them also English words)."""
    return _read(LEXICONS[lang][2])


def inflection_bases(word: str) -> set[str]:
    """Base forms a regular inflection could come from, in case the tagger mislabels the word
    ("Patient identifies as…" tagged as a plural noun keeps the lemma "identifies")."""
    bases = set()
    for suffix, replacement in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)] + replacement
            bases.update({base, base[:-1]} if len(base) > 3 and base[-1] == base[-2] else {base})
    return bases


def is_known(word: str, safe: frozenset[str], inflections: bool = False) -> bool:
    """`safe` holds the word or every part of a hyphenated word; with `inflections`, also the base form of
    a regular inflection. Off by default: surnames look like plurals of words ("Hans", "Rogers", "Peters")
    and the safe list holds the common inflected forms themselves."""
    lowered = word.lower().replace("’", "'")

    def known(part: str) -> bool:
        return part in safe or (inflections and any(base in safe for base in inflection_bases(part)))

    if known(lowered):
        return True
    parts = [p for p in re.split(r"[-/]", lowered) if p]  # "jackson-pratt", "NT/ND", "vanco/zosyn"
    return len(parts) > 1 and all(known(p) for p in parts)


def unknown_word(word: str) -> bool:
    """An English word the safe list does not know: a name or place is likely ("Ellison", "Quincy"; not
    "aware", "son", "foley")."""
    return not is_known(word, safe_words("en"))


@lru_cache(maxsize=1)
def multiword_places() -> frozenset[str]:
    """Lower-cased city names of two to four words ("oak park", "san diego"), words joined by one space."""
    return _read("en_multiword_places_v1")
