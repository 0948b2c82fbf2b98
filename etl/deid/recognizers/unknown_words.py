"""The recall backstop: a word that could be a name and that the safe list does not know is an identifier.

Philter's idea (Norgeot et al., npj Digit. Med. 2020): beside patterns and models, redact what is not on a
list of words known to identify nobody. Here a word is a candidate where its case says nothing against a
name: capitalized in mixed-case text, or any word on a line written all in capitals or all in lower case
(nursing notes, older systems, dictation), where case carries no information. A candidate is kept when
the safe list (English words that are not names or places, clinical vocabulary; etl/deid/lexicon) does not
hold it or the base form of its inflection, and it is not an eponym before its head word ("Crohn's
disease"), a drug before its dose or a drug by its INN stem. Next to a kept word, a known first or last
name ("Katherine White") and an initial ("E. Welsh") join the span, even where they are English words.

A place name is labelled LOCATION, anything else PERSON: the label only picks the kind of surrogate.
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from etl.deid.casing import SENTENCE_MARKS, case_at, opens_sentence
from etl.deid.lexicon import is_known, person_names, place_names, safe_words
from etl.deid.model_filters import is_drug, is_eponym, is_eponym_before
from etl.deid.recognizers.base import ScanRecognizer
from etl.deid.recognizers.vocab import CUE_WORDS, MEDICAL_SUFFIXES_ES, NOT_NAMES, ROMAN_NUMERALS

# a word: letters, inner apostrophes and hyphens; digits only as a Synthea-style suffix ("Aurea194")
_WORD = re.compile(r"(?<![\w@/.])[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*\d{0,4}(?![\w@])")
_CAPITALIZED = re.compile(r"(?<![\w@/.])[^\W\d_a-zß-ÿ](?:[^\W\d_]|['’-](?=[^\W\d_]))*\d{0,4}(?![\w@])")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
_SUFFIX_DIGITS = re.compile(r"\d+$")
_LINE = re.compile(r"[^\n]+")
_JOIN = re.compile(r"[ \t]+")  # what stands between two words of one name
_JOIN_AFTER_INITIAL = re.compile(r"\.?[ \t]*")  # "E. Welsh", "J.Welsh"
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.[ \t]*$")
_SPANISH_OPENERS = SENTENCE_MARKS + "¿¡("  # Spanish opens questions and exclamations with a mark
_PLACE_CUE = re.compile(r"\b(?:from|to|in|at|near|of|lives|living|moved|resides?)\s*$", re.IGNORECASE)
SCORE = 0.5


@lru_cache(maxsize=2)
def _lists(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return safe_words(lang), person_names(lang), place_names(lang)


class UnknownWordRecognizer(ScanRecognizer):
    LANGS = ("en", "es")
    ENTITIES = ("PERSON", "LOCATION")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        safe, names, places = _lists(self.supported_language)
        spanish = self.supported_language == "es"
        results: list[RecognizerResult] = []
        for line in _LINE.finditer(text):
            case = case_at(text, line.start())
            # where case means something only capitalized words can be names (or grow one)
            scan = _CAPITALIZED if case == "mixed" else _WORD
            words = list(scan.finditer(text, line.start(), line.end()))
            flagged = [self._unknown(text, m, case, safe, names, spanish) for m in words]
            for start, end, run in self._runs(text, words, flagged, names, case):
                label = self._label(text, start, run, names, places)
                results.append(self.result(label, start, end, SCORE))
        return results

    @staticmethod
    def _unknown(
        text: str, match: re.Match[str], case: str, safe: frozenset[str], names: frozenset[str], spanish: bool = False
    ) -> bool:
        word = _POSSESSIVE.sub("", match.group())
        letters = _SUFFIX_DIGITS.sub("", word)
        if len(letters) < 2 or (letters != word and len(letters) < 3):
            return False
        if case == "mixed" and not letters[0].isupper():
            return False
        if is_known(letters, safe) or is_known(word, safe) or letters.lower() in ROMAN_NUMERALS:
            return False
        if spanish and letters.lower().endswith(MEDICAL_SUFFIXES_ES):
            return False
        if spanish and letters.lower() not in names and opens_sentence(text, match.start(), _SPANISH_OPENERS):
            return False  # Spanish capitalizes little: a word opening a sentence counts only as a known name
        # short words where case cannot tell (capitals in mixed text, any word on a case-blind line) are
        # abbreviations far more often than names: only a known name counts ("KIM", "ADAMS"; not "MWF")
        short = len(letters) <= 3 if case != "mixed" else letters.isupper() and len(letters) <= 5
        if short and letters.lower() not in names:
            return False
        after = text[match.end() : match.end() + 40]
        if spanish and is_eponym_before(text, match.start()):
            return False
        return not (is_eponym(after) or is_drug(letters, after))

    @staticmethod
    def _runs(
        text: str, words: list[re.Match[str]], flagged: list[bool], names: frozenset[str], case: str
    ) -> list[tuple[int, int, list[str]]]:
        """Spans of flagged words, each grown by adjacent name words and initials, and merged."""
        runs: list[tuple[int, int, list[str]]] = []
        index = 0
        while index < len(words):
            if not flagged[index]:
                index += 1
                continue
            first = last = index
            while (
                first > 0 and _joins(text, words[first - 1], words[first]) and _name_like(words[first - 1], names, case)
            ):
                first -= 1
            while (
                last + 1 < len(words)
                and _joins(text, words[last], words[last + 1])
                and (flagged[last + 1] or _name_like(words[last + 1], names, case))
            ):
                last += 1
            start = words[first].start()
            initial = _INITIAL.search(text, max(0, start - 4), start)
            if initial:
                start = initial.start()
            runs.append((start, words[last].end(), [w.group() for w in words[first : last + 1]]))
            index = last + 1
        return runs

    @staticmethod
    def _label(text: str, start: int, run: list[str], names: frozenset[str], places: frozenset[str]) -> str:
        lowered = [_POSSESSIVE.sub("", w).lower() for w in run]
        if all(w in places and w not in names for w in lowered):
            return "LOCATION"
        if _PLACE_CUE.search(text, max(0, start - 12), start) and not any(w in names for w in lowered):
            return "LOCATION"
        return "PERSON"


def _joins(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """The two words stand together as one name: spaces between them, or a full stop after an initial
    (not after a sentence: "from Siwan. Works part-time")."""
    if len(left.group()) == 1:
        return bool(_JOIN_AFTER_INITIAL.fullmatch(text, left.end(), right.start()))
    return bool(_JOIN.fullmatch(text, left.end(), right.start()))


def _name_like(match: re.Match[str], names: frozenset[str], case: str) -> bool:
    """A known name; in mixed-case text only capitalized ("White", not "white")."""
    word = _POSSESSIVE.sub("", match.group())
    lowered = word.lower()
    return (
        (case != "mixed" or word[:1].isupper())
        and lowered in names
        and lowered not in STOP_WORDS
        and lowered not in CUE_WORDS
        and lowered not in NOT_NAMES
    )
