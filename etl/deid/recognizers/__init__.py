"""clinetl's own recognizers, one per file. `build_recognizers(lang)` lists those for a language.

The registry is imported only when recognizers are built, so a recognizer module (or a filter) can use
another's word lists without importing every recognizer first."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer


def build_recognizers(lang: str) -> list[EntityRecognizer]:
    from etl.deid.recognizers.registry import RECOGNIZERS

    return [cls(lang) for cls in RECOGNIZERS if lang in cls.LANGS]
