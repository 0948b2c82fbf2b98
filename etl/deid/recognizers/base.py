"""A regex recognizer that reports only the named group `phi` of each match, not the cue around it.

Presidio's PatternRecognizer scores the whole match, so "MRN: 12345678" would redact the cue too and
lose the label's position. Our patterns keep the cue (what makes the match trustworthy) outside `phi`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from schemas.records import LABELS


def checked_labels(recognizer: str, labels: list[str]) -> list[str]:
    """`labels` if every one is a clinetl label (schemas.records.LABELS); a label outside them would have its
    findings dropped without a word when spans are made, so a recognizer that reports one is refused."""
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise ValueError(f"{recognizer} reports {', '.join(unknown)}: not a label of schemas.records.LABELS")
    return labels


class CaseBlind:
    """A case-insensitive scan. On ASCII text it runs case-sensitively over the text lower-cased, where
    Python's `re` scans a word list 2-3x faster than either engine does case-insensitively (offsets are
    the same: lower-casing ASCII keeps every character in place); on any other text it runs
    case-insensitively with `regex`."""

    def __init__(self, source: str) -> None:
        if re.search(r"\\[A-Z]", source):  # lower-cased, \S, \W or \B would change meaning
            raise ValueError("a CaseBlind scan cannot hold an upper-case escape")
        self.source = source.lower()
        self._ascii = re.compile(self.source)
        self._other = regex.compile(self.source, regex.IGNORECASE | regex.V0)

    def finditer(self, text: str) -> Iterator[re.Match[str] | regex.Match[str]]:
        return self._ascii.finditer(text.lower()) if text.isascii() else self._other.finditer(text)


# A gate: a string, compiled by the `regex` module with its pattern's case and line flags, or a pattern
# compiled already (Python's `re` runs some short scans faster: those that open with a character or a
# character class rather than an assertion). An anchor is one of those or a CaseBlind word list.
Gate = str | re.Pattern[str]
Scan = Gate | CaseBlind
Engine = Literal["re", "regex"]


@dataclass(frozen=True)
class GroupPattern:
    """A pattern and what its `phi` group is reported as.

    Optional, to find the same matches with less scanning (tests/deid/test_recognizer_scans.py checks that
    they do, on every recognizer and on text made to trip them):
    - `anchor`: a zero-width regex that holds at every position where a match of the pattern can start.
      The patterns of a recognizer with the same anchor share one scan for it, then are tried only there.
    - `line_gate`: a regex that matches on every line holding a match of the pattern; the pattern then
      runs on those lines only (all the lines of a gate match that spans several). Only for patterns whose
      matches never cross a line break outside text the gate matches. A pattern with an anchor ignores it.
    - `also`: more named groups of the same match, each reported as a pattern of its own, (group, name,
      label, score): two patterns that differ only in which part they report need one scan.
    """

    name: str
    regex: re.Pattern[str] | regex.Pattern[str]
    label: str
    score: float
    anchor: Scan | None = None
    line_gate: Gate | None = None
    also: tuple[tuple[str, str, str, float], ...] = ()


_QUANTIFIERS = frozenset("?*+{")


def _branches(alternation: str) -> list[str] | None:
    """The top-level branches of `alternation`, or None where a character class holds a bracket."""
    branches, current, depth, i = [], "", 0, 0
    while i < len(alternation):
        char = alternation[i]
        if char == "\\":
            current += alternation[i : i + 2]
            i += 2
            continue
        if char == "[":
            end = alternation.find("]", i + 1)
            if end < 0 or any(c in alternation[i + 1 : end] for c in "()[|"):
                return None
            current += alternation[i : end + 1]
            i = end + 1
            continue
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            branches.append(current)
            current = ""
        else:
            current += char
        i += 1
    return [*branches, current]


def by_first_char(alternation: str, ignore_case: bool = False) -> str:
    """`a|b|…` regrouped by first character, `w(?:ife|…)|h(?:usband|…)|…`, matching exactly the same: two
    branches that start with different characters (different letters, when `ignore_case`, as the pattern
    that uses the result must then be) never match at the same place, and within a group the branches
    keep their order (the first that matches wins, as before). Python's regex engine then tests one
    character per group instead of every branch: 2–3× faster on cue lists of fifty words. Returns
    `alternation` unchanged unless every branch starts with an ASCII letter or digit not followed by a
    quantifier."""
    branches = _branches(alternation)
    if not branches or any(not (b[:1].isascii() and b[:1].isalnum()) or b[1:2] in _QUANTIFIERS for b in branches):
        return alternation
    groups: dict[str, list[str]] = {}
    for branch in branches:
        groups.setdefault(branch[0].lower() if ignore_case else branch[0], []).append(branch[1:])
    return "|".join(
        f"{first}(?:{'|'.join(rests)})" if len(rests) > 1 else first + rests[0] for first, rests in groups.items()
    )


def compile_pattern(
    name: str,
    pattern: str,
    label: str,
    score: float,
    flags: int = 0,
    *,
    anchor: Scan | None = None,
    line_gate: Gate | None = None,
    also: tuple[tuple[str, str, str, float], ...] = (),
    engine: Engine = "re",
) -> GroupPattern:
    """`engine` is the regex engine that runs the pattern, the faster of the two on it (both find the same
    matches): Python's `re` cannot skip ahead to a pattern's first character when the pattern opens with an
    assertion (a `\\b`, a look-behind) and tries it at every position; the `regex` module (Presidio's) skips,
    2-10x faster on dates, phones, SSNs and ages, but is slower on patterns that open with a long
    case-insensitive word list. scripts/regex_engines.py measures both on every pattern and names those
    whose engine is not the faster one."""
    compiled = re.compile(pattern, flags) if engine == "re" else regex.compile(pattern, flags | regex.V0)
    return GroupPattern(name, compiled, label, score, anchor, line_gate, also)


def _scan_regex(scan: Scan, pattern: GroupPattern) -> re.Pattern[str] | regex.Pattern[str] | CaseBlind:
    if isinstance(scan, re.Pattern | CaseBlind):
        return scan
    return regex.compile(scan, (pattern.regex.flags & (re.IGNORECASE | re.MULTILINE)) | regex.V0)


def gated_lines(text: str, gate: re.Pattern[str] | regex.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines of `text` that hold a match of `gate`, in order, each run ending
    at the end of its last line (before the line break); the lines of a match that spans some are one run."""
    runs: list[tuple[int, int]] = []
    position = 0
    while (match := gate.search(text, position)) is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
        position = max(end, match.start() + 1)
    return runs


class GroupRegexRecognizer(LocalRecognizer):
    """Subclasses set LANGS and implement `patterns(lang)`; `validate(text, start, end, pattern)` may veto."""

    LANGS: tuple[str, ...] = ("en", "es")

    def __init__(self, lang: str) -> None:
        self._patterns = self.patterns(lang)
        # how each pattern is scanned: on its own, from a shared anchor, or on the lines its gate finds
        self._plain = [i for i, p in enumerate(self._patterns) if p.anchor is None and p.line_gate is None]
        anchored: dict[Scan, list[int]] = {}
        gated: dict[Gate, list[int]] = {}
        for index, pattern in enumerate(self._patterns):
            if pattern.anchor is not None:
                anchored.setdefault(pattern.anchor, []).append(index)
            elif pattern.line_gate is not None:
                gated.setdefault(pattern.line_gate, []).append(index)
        self._anchored = [(_scan_regex(a, self._patterns[ix[0]]), ix) for a, ix in anchored.items()]
        self._gated = [(_scan_regex(g, self._patterns[ix[0]]), ix) for g, ix in gated.items()]
        # what each pattern reports: its `phi` group (or the whole match), then its `also` groups
        self._reports = [
            [("phi" if "phi" in p.regex.groupindex else 0, p)]
            + [(group, replace(p, name=name, label=label, score=score)) for group, name, label, score in p.also]
            for p in self._patterns
        ]
        labels = sorted({reported.label for reports in self._reports for _, reported in reports})
        super().__init__(
            supported_entities=checked_labels(type(self).__name__, labels),
            name=type(self).__name__,
            supported_language=lang,
        )

    def patterns(self, lang: str) -> list[GroupPattern]:
        raise NotImplementedError

    def load(self) -> None:  # nothing to load: patterns are compiled in __init__
        pass

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return True

    def matches(self, text: str) -> list[list[re.Match[str] | regex.Match[str]]]:
        """Every pattern's matches in `text`, in pattern order: what `finditer` over the whole text finds."""
        found: list[list[Any]] = [[] for _ in self._patterns]
        for index in self._plain:
            found[index] = list(self._patterns[index].regex.finditer(text))
        for anchor, indices in self._anchored:
            resume = dict.fromkeys(indices, 0)  # where finditer would look next, per pattern
            for at in anchor.finditer(text):
                position = at.start()
                for index in indices:
                    if position < resume[index]:
                        continue
                    match = self._patterns[index].regex.match(text, position)
                    if match is not None:
                        found[index].append(match)
                        resume[index] = max(match.end(), position + 1)
        for gate, indices in self._gated:
            for start, end in gated_lines(text, gate):
                stop = min(end + 1, len(text))  # the line break too: a look-ahead at the line's end sees it
                for index in indices:
                    found[index].extend(self._patterns[index].regex.finditer(text, start, stop))
        return found

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for matches, reports in zip(self.matches(text), self._reports, strict=True):
            for group, pattern in reports:
                if entities and pattern.label not in entities:
                    continue
                for match in matches:
                    start, end = match.span(group)
                    if start == end or start < 0 or not self.validate(text, start, end, pattern):
                        continue
                    results.append(
                        RecognizerResult(
                            pattern.label,
                            start,
                            end,
                            pattern.score,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: f"{type(self).__name__}:{pattern.name}",
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        )
                    )
        return results


class ScanRecognizer(LocalRecognizer):
    """A recognizer that scans the note in code of its own rather than from a pattern list. Subclasses set
    LANGS and ENTITIES and implement `analyze`; `result` names each finding after the class."""

    LANGS: tuple[str, ...] = ("en",)
    ENTITIES: tuple[str, ...] = ("PERSON",)

    def __init__(self, lang: str) -> None:
        entities = checked_labels(type(self).__name__, list(self.ENTITIES))
        super().__init__(supported_entities=entities, name=type(self).__name__, supported_language=lang)

    def load(self) -> None:  # nothing to load
        pass

    def result(self, label: str, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            label,
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
