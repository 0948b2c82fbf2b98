"""Build the Presidio analyzer once per process: spaCy models from installed packages, our recognizers."""

from __future__ import annotations

import copy
import logging
import re
import warnings
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.context_aware_enhancers import lemma_context_aware_enhancer as _enhancer_module
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
)
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from etl.deid.labels import to_label
from etl.deid.model_filters import MODEL_RECOGNIZER, is_false_model_hit, trim_model_span
from etl.deid.recognizers import build_recognizers
from etl.deid.spans import trim_span
from etl.languages import language_pack
from etl.offline import patch_tldextract, set_offline_env
from schemas.records import LABELS

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
BUNDLED_PREFIX = "clinetl/"  # "clinetl/es_phi_ner_v2": a model this repository trains and ships


class ModelNotFoundError(RuntimeError):
    """A configured spaCy model is not installed. Nothing is downloaded at run time."""


def resolve_model(name: str) -> str:
    """What spacy.load should get for a configured model name; refuses anything it would download."""
    if name.startswith(BUNDLED_PREFIX):
        path = MODELS_DIR / name.removeprefix(BUNDLED_PREFIX)
        if not (path / "meta.json").is_file():
            raise ModelNotFoundError(f"bundled model {name} is missing: build it with `clinetl train-ner`")
        return str(path)
    if spacy.util.is_package(name) or Path(name).is_dir():
        return name
    raise ModelNotFoundError(f"spaCy model {name!r} is not installed (models are never downloaded at run time)")


# spaCy labels we take, per language; everything else (NORP, CARDINAL, MISC, DATE …) is ignored:
# dates come from our date recognizer (spaCy's DATE also tags "3 days"). ORG is kept: the small models often
# tag people and places as ORG, and a missed name costs more than a redacted word (model_filters vets them).
_SPACY_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    # clinetl's own PHI models predict our labels with a PHI_ prefix
    **{f"PHI_{label}": label for label in LABELS},
}
_IGNORED = [
    "NORP",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "PERCENT",
    "MONEY",
    "MISC",
    "DATE",
    "TIME",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "PRODUCT",
]


def _ner_configuration() -> NerModelConfiguration:
    return NerModelConfiguration(
        model_to_presidio_entity_mapping=_SPACY_LABELS,
        labels_to_ignore=_IGNORED,
        low_score_entity_names=[],
        default_score=0.85,
    )


# Text each of Presidio's pattern recognizers needs before any of its patterns can match (a superset of
# their matches, checked by one cheap search): most notes have no e-mail, URL, IP, card or IBAN, and
# skipping the recognizer's many patterns there saves a quarter of the recognizers' time.
_NEEDS: dict[type, re.Pattern[str]] = {
    EmailRecognizer: re.compile("@"),
    UrlRecognizer: re.compile(r"[a-z0-9-][.][a-z]{2}", re.IGNORECASE),  # every pattern ends in [.]tld
    # four dotted octets (every IPv4 form, embedded ones too), or IPv6's "::" or two colon groups
    IpRecognizer: re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:"),
    CreditCardRecognizer: re.compile(r"\d{4}[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3}"),  # its groups, 13+ digits
    IbanRecognizer: re.compile(r"[A-Z]{2}[0-9]{2}"),  # its pattern is case-sensitive
}
# Recognizers none of whose patterns can match white space: they run only on the runs of non-space text
# around what they need (their \b, look-arounds and ^/$-free patterns see a space at a run's edge as they
# see the run's start or end), not over the whole note. The URL patterns' 150 TLDs cost most where run
# over every word.
_NO_SPACE = (EmailRecognizer, UrlRecognizer, IpRecognizer)
_SPACE = regex.compile(r"\s")
_LAST_SPACE = regex.compile(r"(?r)\s")


def word_runs(text: str, needs: re.Pattern[str]) -> list[tuple[int, int]]:
    """The white-space-delimited runs of `text` that hold a match of `needs` (which must match no space),
    merged, in order."""
    runs: list[tuple[int, int]] = []
    for match in needs.finditer(text):
        if runs and match.start() < runs[-1][1]:
            continue
        before = _LAST_SPACE.search(text, 0, match.start())
        after = _SPACE.search(text, match.end())
        runs.append((before.end() if before else 0, after.start() if after else len(text)))
    return runs


def _prefiltered(cls: type) -> type:
    """`cls` that returns nothing at once for a text without what its patterns need (and, for _NO_SPACE,
    looks only at the runs that have it). A class of its own name (Presidio finds recognizer classes by
    bare name: a subclass named like the original would be picked up by every other engine in the
    process, presidio-default's included); reports as `cls`."""
    needs = _NEEDS[cls]
    base: Any = cls
    in_runs = cls in _NO_SPACE

    def __init__(self: Any, **kwargs: Any) -> None:
        base.__init__(self, **kwargs)
        self.name = cls.__name__

    def analyze(self: Any, text: str, entities: Any, nlp_artifacts: Any = None, regex_flags: Any = None) -> Any:
        if not in_runs:
            return [] if needs.search(text) is None else base.analyze(self, text, entities, nlp_artifacts, regex_flags)
        results = []
        for start, end in word_runs(text, needs):
            for result in base.analyze(self, text[start:end], entities, nlp_artifacts, regex_flags):
                result.start += start
                result.end += start
                results.append(result)
        return results

    return type(f"Prefiltered{cls.__name__}", (cls,), {"__init__": __init__, "analyze": analyze})


def _predefined(lang: str) -> list:
    pack = language_pack(lang)
    recognizers = [SpacyRecognizer(supported_language=lang, supported_entities=list(LABELS))]
    if pack.presidio_patterns:
        recognizers += [_prefiltered(cls)(supported_language=lang) for cls in _NEEDS]
    return [*recognizers, *pack.recognizers()]


# Components that feed the entity recognizer, whatever the model calls its NER: the recognizer itself,
# rulers, and the shared embedding layers the recognizer listens to.
_NER_COMPONENTS = ("ner", "entity_ruler", "span_ruler")


def ner_inputs(nlp: Language) -> set[str]:
    """Names of the pipeline components entity recognition needs; the rest (tagger, parser, lemmatizer…)
    only costs time here: a tagger and parser take about half of en_core_web_sm's time."""
    needed = {name for name in nlp.pipe_names if name in _NER_COMPONENTS}
    for name, component in nlp.pipeline:
        if needed & set(getattr(component, "listening_components", ())):
            needed.add(name)
    return needed


class NerOnlyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine running only the components entity recognition needs (the others stay
    loaded but disabled, so their tables, e.g. the lemmatizer's word lists, remain readable).

    Without a tagger there are no lemmas: context words are matched against lower-cased tokens instead,
    which Presidio's substring matching makes equivalent for regular inflections ("phone" in "phones")."""

    def load(self) -> None:
        super().load()
        models: dict[str, Language] = self.nlp or {}
        for nlp in models.values():
            needed = ner_inputs(nlp)
            for name in list(nlp.pipe_names):
                if name not in needed:
                    nlp.disable_pipe(name)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Presidio's artifacts, with the token offsets, lemmas and keywords worked out only when a
        recognizer or the context step first asks for them (most notes' results need no context words),
        and in one pass over the tokens instead of three (Presidio looks every lemma up again)."""
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return _Artifacts(entities, doc, self, language, scores)


class _Artifacts(NlpArtifacts):
    """NlpArtifacts whose tokens_indices, lemmas and keywords are computed on first use. Without a
    tagger (see NerOnlyNlpEngine) a token's lemma is its lower-cased form."""

    def __init__(self, entities: list[Any], tokens: Doc, nlp_engine: Any, language: str, scores: list[float]) -> None:
        self.entities, self.tokens, self.nlp_engine, self.language = entities, tokens, nlp_engine, language
        self.scores = scores if scores else [0.85] * len(entities)
        self._indices: list[int] | None = None
        self._lemmas: tuple[list[str], list[str]] | None = None

    @property
    def tokens_indices(self) -> list[int]:  # type: ignore[override]
        if self._indices is None:
            self._indices = self.tokens.to_array(IDX).tolist()
        return self._indices

    @property
    def lemmas(self) -> list[str]:  # type: ignore[override]
        return self._lemmas_and_keywords()[0]

    @property
    def keywords(self) -> list[str]:  # type: ignore[override]
        return self._lemmas_and_keywords()[1]

    def _lemmas_and_keywords(self) -> tuple[list[str], list[str]]:
        if self._lemmas is None:
            doc = self.tokens
            lemmatized = doc.has_annotation("LEMMA")
            lemmas: list[str] = []
            keywords: list[str] = []
            for token in doc:
                lemma = token.lemma_ if lemmatized else token.lower_
                lemmas.append(lemma)
                if lemmatized:
                    lexeme = doc.vocab[lemma]
                    stop, punct = lexeme.is_stop, lexeme.is_punct
                else:  # the lexeme of the lower-cased token: the token's own flags (both are case-blind)
                    stop, punct = token.is_stop, token.is_punct
                if not stop and not punct and lemma != "-PRON-" and lemma != "be":
                    keywords.extend(lemma.lower().split(":"))
            self._lemmas = (lemmas, keywords)
        return self._lemmas


class _NoDeepCopy:
    """Presidio's context enhancer deep-copies every result before changing its score, a fifth of all
    recognizer time; the analyzer discards the originals, so changing them in place is safe."""

    @staticmethod
    def deepcopy(value: object) -> object:
        return value


class InPlaceContextEnhancer(LemmaContextAwareEnhancer):
    def enhance_using_context(self, *args: Any, **kwargs: Any) -> list:
        _enhancer_module.copy = _NoDeepCopy  # type: ignore[assignment]
        try:
            return super().enhance_using_context(*args, **kwargs)
        finally:
            _enhancer_module.copy = copy

    @staticmethod
    def _find_index_of_match_token(word: str, start: int, tokens: Any, tokens_indices: list[int]) -> int:
        """Presidio's answer (the first token that starts at `start` or ends after it) by bisection over
        the token offsets, instead of walking the note's tokens from the first for every result (a third
        of the recognizers' time on short notes). Tokens are in order and do not overlap, so only the token
        starting at or before `start` or the one after it can be that first token."""
        index = bisect_right(tokens_indices, start) - 1
        if index >= 0 and tokens_indices[index] + len(tokens[index]) > start:
            return index
        if index + 1 < len(tokens_indices):
            return index + 1
        raise ValueError("a match is past the last token")  # Presidio's error, without the matched text


class GroupedAnalyzerEngine(AnalyzerEngine):
    """Presidio's analyzer, with its per-recognizer context step grouping results by recognizer once
    (Presidio filters every result list once per recognizer, twice). A recognizer that keeps Presidio's
    default enhance_using_context (which returns its results unchanged) gets them without the call."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_recognizer: dict[str, list[RecognizerResult]] = {}
        for result in raw_results:
            by_recognizer.setdefault(result.recognition_metadata[key], []).append(result)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            identifier = recognizer.id
            own = by_recognizer.get(identifier, [])
            if type(recognizer).enhance_using_context is EntityRecognizer.enhance_using_context:
                results.extend(own)
                continue
            others = [r for r in raw_results if r.recognition_metadata[key] != identifier]
            results.extend(
                recognizer.enhance_using_context(
                    text=text,
                    raw_recognizer_results=own,
                    other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
            )
        enhanced = self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts, recognizers=recognizers, context=context
        )
        # the model's false hits go before Presidio drops the results they contain: a name a recognizer
        # found inside a span the model got wrong ("Dr.BUSH and D. STONE" as one ORG) must survive it
        language = getattr(nlp_artifacts, "language", "en")
        return [r for r in enhanced if not _false_model_hit(text, r, language)]


# A bare host (no scheme, no www.) that is a short word before a dot ("8am.co", "pt.ca"), or that stops
# inside a word ("Dr.To" of "Dr.Torres", "7am.co" of "7am.cont"): a note's punctuation, not a URL.
_BARE_SHORT_HOST = regex.compile(r"(?i)^[a-z0-9]{1,3}\.[a-z]{2,}$")


def _false_url(text: str, start: int, end: int) -> bool:
    value = text[start:end]
    if "://" in value or value.lower().startswith("www."):
        return False
    return bool(_BARE_SHORT_HOST.match(value)) or text[end : end + 1].isalpha()


def _false_model_hit(text: str, result: RecognizerResult, language: str) -> bool:
    """True for a result to drop: a URL that is a note's punctuation, a model span that is clinical
    language. An English model span is trimmed (in place) to the words that could be a name."""
    name = str((result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, ""))
    if name == "UrlRecognizer":
        return _false_url(text, result.start, result.end)
    if name != MODEL_RECOGNIZER:
        return False
    if language == "en":
        trimmed = trim_model_span(text, result.start, result.end)
        if trimmed is None:
            return True
        result.start, result.end = trimmed
    start, end = trim_span(text, result.start, result.end)
    return is_false_model_hit(text, start, end, result.entity_type, name, language)


def _check_mapped(recognizer: EntityRecognizer) -> None:
    """Every entity a recognizer reports maps onto a clinetl label (etl/deid/labels.py): one that did not
    would be dropped silently when spans are made."""
    unmapped = sorted(e for e in recognizer.supported_entities if to_label(e) is None)
    if unmapped:
        name = type(recognizer).__name__
        raise ValueError(f"{name} reports {', '.join(unmapped)}: map it in etl/deid/labels.py")


@lru_cache(maxsize=4)
def build_analyzer(models: tuple[tuple[str, str], ...]) -> AnalyzerEngine:
    """`models` is ((lang, installed spaCy package), …). Cached: the engine loads once per process."""
    set_offline_env()
    patch_tldextract()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*was trained with spaCy.*")
        engine = NerOnlyNlpEngine(
            models=[{"lang_code": lang, "model_name": resolve_model(name)} for lang, name in models],
            ner_model_configuration=_ner_configuration(),
        )
        engine.load()
    languages = [lang for lang, _ in models]
    registry = RecognizerRegistry(supported_languages=languages)
    for lang in languages:
        for recognizer in [*_predefined(lang), *build_recognizers(lang)]:
            _check_mapped(recognizer)
            registry.add_recognizer(recognizer)
    return GroupedAnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=languages,
        default_score_threshold=0.0,
        context_aware_enhancer=InPlaceContextEnhancer(),
    )
