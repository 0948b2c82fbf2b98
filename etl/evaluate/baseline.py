"""presidio-default: Presidio's default recognizers and NER mapping, with the installed small spaCy models
(the default en_core_web_lg cannot be downloaded offline). Its entity types are mapped onto our labels."""

from __future__ import annotations

import warnings
from functools import lru_cache

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from etl.deid.analyzer import resolve_model
from etl.deid.labels import to_label
from etl.languages import PACKS
from etl.offline import patch_tldextract
from schemas.records import Span


@lru_cache(maxsize=2)
def _engine(models: tuple[tuple[str, str], ...]) -> AnalyzerEngine:
    patch_tldextract()
    configuration = {
        "nlp_engine_name": "spacy",
        # resolved as detection resolves them: a model of ours by its folder, never a download
        "models": [{"lang_code": lang, "model_name": resolve_model(name)} for lang, name in models],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=[lang for lang, _ in models])


# Presidio with the stock small spaCy models it would use (never clinetl's own models), as each language
# pack names them.
BASELINE_MODELS = {code: pack.baseline_model for code, pack in PACKS.items() if pack.baseline_model}


class PresidioDefault:
    name = "presidio-default"

    def __init__(self, models: dict[str, str] | None = None) -> None:
        self._engine = _engine(tuple(sorted((models or BASELINE_MODELS).items())))

    def detect(self, text: str, lang: str) -> list[Span]:
        spans = []
        for result in self._engine.analyze(text=text, language=lang):
            label = to_label(result.entity_type)
            if label is not None:
                spans.append(Span(result.start, result.end, label, float(result.score), "presidio-default"))
        return spans
