"""What clinetl needs to know of a language, in one place: `LanguagePack`.

A pack names the NLP pipeline that detection runs and the stock model the presidio-default baseline
runs, the Faker locale surrogates are drawn in, how dates are written (numeric order, month names), the
function words that identify the language, the word lists the vocabulary backstops read, whether words
are separated by spaces, and the recognizers that serve this language alone. The shared recognizers of
etl/deid/recognizers list the languages they serve (`LANGS`); a new language's own recognizers come
with its pack.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer

NumericOrder = Literal["mdy", "dmy"]  # year first ("2023-03-14") is read in every language


@dataclass(frozen=True)
class LanguagePack:
    code: str  # ISO 639-1, what notes and the config call the language
    names: tuple[str, ...]  # how exports spell it besides the code, lower-cased ("english", "eng")
    model: str  # the NLP pipeline detection runs (deid.models' default): an installed package or clinetl/<name>
    baseline_model: str | None  # the stock spaCy model the presidio-default baseline runs; None: it has none
    faker_locale: str  # surrogate names, streets, towns
    numeric_dates: NumericOrder  # how "03/04/2023" is read
    months: tuple[str, ...]  # the twelve month names, lower-cased, January first
    months_lower_case: bool  # the language writes month names in lower case ("14 de marzo")
    function_words: frozenset[str] = frozenset()  # words that tell the language apart in a note
    lexicons: tuple[str, str, str] | None = None  # etl/deid/lexicon: (safe words, person names, place names)
    spaced: bool = True  # words are separated by spaces (False: Chinese, Japanese, Thai)
    # the recognizers this language alone uses (built for it with its code)
    recognizers: Callable[[], list[EntityRecognizer]] = field(default=lambda: [])
    # Presidio's own pattern recognizers (e-mail, URL, IP, credit card …) serve this language; they need
    # word boundaries, which a script without spaces does not give (its pack brings its own)
    presidio_patterns: bool = True
    # dates written in a layout of the language's own (None: the shared layouts of etl/deid/dates.py):
    # Safe Harbor's year, and the date moved by a number of days, each in the date's own writing
    reduce_date: Callable[[str], str | None] | None = None
    shift_date: Callable[[str, int], str | None] | None = None
    # surrogates of the language's own (label, original, Faker, random) -> a value, or None for the shared
    # minters of etl/deid/surrogates.py
    mint: Callable[[str, str, Any, random.Random], str | None] | None = None

    def __post_init__(self) -> None:
        if len(self.months) != 12:
            raise ValueError(f"the {self.code} pack lists {len(self.months)} month names, not 12")

    def cue(self, words: Iterable[str]) -> str:
        """A regex matching any of `words` (regexes themselves) as a word of this language: between word
        boundaries where words are spaced; where they are not (a cue runs into the next character, as in
        电话13812345678, and \\b finds no boundary between two CJK characters or a character and a digit),
        only not inside a run of Latin letters or digits."""
        alternation = "|".join(words)
        if self.spaced:
            return rf"\b(?:{alternation})\b"
        return rf"(?<![A-Za-z0-9])(?:{alternation})(?![A-Za-z])"


def digits(pattern: str) -> str:
    """`pattern` (a number) not inside a longer run of digits: `\\b` cannot say so where a script without
    spaces runs letters into digits."""
    return rf"(?<!\d)(?:{pattern})(?!\d)"
