"""City names of several words (GeoNames, shipped in etl/deid/lexicon: "Oak Park", "San Diego", "Fort
Worth"), whose words are each ordinary ("oak", "park"), so neither the backstop nor case can find them.
Where case means something each word must be capitalized; on a case-blind line any case counts."""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.casing import case_at
from etl.deid.lexicon import multiword_places
from etl.deid.recognizers.base import ScanRecognizer

_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t-]+")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in multiword_places():
        words = tuple(name.split())
        index.setdefault(words[0], []).append(words)
    for names in index.values():
        names.sort(key=len, reverse=True)
    return index


class PlaceNameRecognizer(ScanRecognizer):
    LANGS = ("en", "es")
    ENTITIES = ("LOCATION",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        index = _index()
        words = list(_WORD.finditer(text))
        lowered = [w.group().lower() for w in words]
        results, i = [], 0
        while i < len(words):
            size = self._match(text, words, lowered, i, index)
            if size:
                results.append(self.result("LOCATION", words[i].start(), words[i + size - 1].end(), 0.6))
                i += size
            else:
                i += 1
        return results

    @staticmethod
    def _match(
        text: str, words: list[re.Match[str]], lowered: list[str], i: int, index: dict[str, list[tuple[str, ...]]]
    ) -> int:
        for name in index.get(lowered[i], ()):
            size = len(name)
            if tuple(lowered[i : i + size]) != name:
                continue
            if any(not _GAP.fullmatch(text, words[j].end(), words[j + 1].start()) for j in range(i, i + size - 1)):
                continue
            if case_at(text, words[i].start()) == "mixed" and not all(
                w.group()[0].isupper() for w in words[i : i + size]
            ):
                continue
            return size
        return 0
