"""The clinic's known names and numbers (etl/deid/clinic.py), found in any note as whole word sequences,
whatever the case and the punctuation between words ("KATHERINE WHITE", "White, Katherine", "(619) 470-4321"
for 6194704321). Built once per run, so thousands of values cost one dictionary lookup per word.

A staff member is also found by surname alone, and a value of one word ("Ferris", "LMH") as itself: where
that word is an ordinary English word ("White", "Stone") only capitalized mid-sentence on a mixed-case
line, where case says it is a name (elsewhere the cue recognizers find "RN White", "Dr. Stone").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.casing import case_at, opens_sentence
from etl.deid.lexicon import is_known, safe_words
from etl.deid.recognizers.base import ScanRecognizer

# words: runs of letters and digits, each Chinese character a word of its own (Chinese writes no spaces)
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[^\W_\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SUFFIX_DIGITS = re.compile(r"(?<=[^\W\d_])\d+$")  # Synthea's "Gerardo48"
_GAP = re.compile(r"[\W_]{0,3}")  # between two words of a value: spaces, commas, a dash, a full stop
_MIN_CHARS = 3


def _normal(token: str) -> str:
    return _SUFFIX_DIGITS.sub("", token.lower())


def _forms(label: str, value: str) -> list[tuple[str, ...]]:
    """Token sequences a value is written as: itself; a person also surname first and surname alone; a
    ten-digit number also in its 3-3-4 groups."""
    tokens = tuple(_normal(t) for t in _TOKEN.findall(value))
    tokens = tuple(t for t in tokens if t)
    if tokens and all(_HAN.fullmatch(t) for t in tokens):  # a Chinese value: as written, two characters or more
        return [tokens] if len(tokens) >= 2 else []
    forms = [tokens]
    if label == "PERSON" and len(tokens) >= 2:
        forms += [(tokens[-1], *tokens[:-1]), (tokens[-1],), (tokens[0], tokens[-1])]
    digits = "".join(c for c in value if c.isdigit())
    if label == "PHONE" and len(digits) in (10, 11):
        local = digits[-10:]
        forms += [(local,), (local[:3], local[3:6], local[6:])]
    return [f for f in dict.fromkeys(forms) if len("".join(f)) >= _MIN_CHARS]


class KnownValuesRecognizer(ScanRecognizer):
    LANGS = ("en", "es", "zh")

    def __init__(self, lang: str, values: Iterable[tuple[str, str]], site: Iterable[tuple[str, str]] = ()) -> None:
        """`values` from the clinic's tables; `site` from the steward's site list, whose single words count
        in any case."""
        self._index: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        for given, always in ((values, False), (site, True)):
            for label, value in given:
                for form in _forms(label, value):
                    self._index.setdefault(form[0], []).append((form, label, always))
        for forms in self._index.values():
            forms.sort(key=lambda entry: -len(entry[0]))  # the longest form wins at a place
        self.ENTITIES = tuple(sorted({label for forms in self._index.values() for _, label, _ in forms})) or ("PERSON",)
        super().__init__(lang)

    def __bool__(self) -> bool:
        return bool(self._index)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        words = list(_TOKEN.finditer(text))
        normal = [_normal(w.group()) for w in words]
        results = []
        index = 0
        while index < len(words):
            found = self._match(text, words, normal, index)
            if found is None:
                index += 1
                continue
            size, label = found
            results.append(self.result(label, words[index].start(), words[index + size - 1].end(), 0.95))
            index += size
        return results

    def _match(self, text: str, words: list[re.Match[str]], normal: list[str], index: int) -> tuple[int, str] | None:
        for form, label, always in self._index.get(normal[index], ()):
            size = len(form)
            if tuple(normal[index : index + size]) != form:
                continue
            gaps = range(index, index + size - 1)
            if any(not _GAP.fullmatch(text, words[i].end(), words[i + 1].start()) for i in gaps):
                continue
            if size == 1 and not always and not self._lone_word_counts(text, words[index]):
                continue
            return size, label
        return None

    def _lone_word_counts(self, text: str, word: re.Match[str]) -> bool:
        """One word alone: a word the safe list lacks, a number, or a known English word capitalized
        mid-sentence where case means something."""
        value = word.group()
        if any(c.isdigit() for c in value) or not is_known(_SUFFIX_DIGITS.sub("", value), safe_words("en")):
            return True
        if case_at(text, word.start()) != "mixed" or not value[:1].isupper() or value.isupper():
            return False
        return not opens_sentence(text, word.start())
