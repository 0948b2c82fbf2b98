"""A regex recognizer that reports only the named group `phi` of each match, not the cue around it.

Presidio's PatternRecognizer scores the whole match, so "MRN: 12345678" would redact the cue too and
lose the label's position. Our patterns keep the cue (what makes the match trustworthy) outside `phi`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


@dataclass(frozen=True)
class GroupPattern:
    name: str
    regex: re.Pattern[str]
    label: str
    score: float


def compile_pattern(name: str, pattern: str, label: str, score: float, flags: int = 0) -> GroupPattern:
    return GroupPattern(name, re.compile(pattern, flags), label, score)


class GroupRegexRecognizer(LocalRecognizer):
    """Subclasses set LANGS and implement `patterns(lang)`; `validate(text, start, end, pattern)` may veto."""

    LANGS: tuple[str, ...] = ("en", "es")

    def __init__(self, lang: str) -> None:
        self._patterns = self.patterns(lang)
        labels = sorted({p.label for p in self._patterns})
        super().__init__(supported_entities=labels, name=type(self).__name__, supported_language=lang)

    def patterns(self, lang: str) -> list[GroupPattern]:
        raise NotImplementedError

    def load(self) -> None:  # nothing to load: patterns are compiled in __init__
        pass

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        return True

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for pattern in self._patterns:
            if entities and pattern.label not in entities:
                continue
            for match in pattern.regex.finditer(text):
                start, end = match.span("phi") if "phi" in pattern.regex.groupindex else match.span()
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
