"""De-identify one note: detect identifiers (Presidio + spaCy + our recognizers + the patient's own
record), resolve overlaps, replace. Any error raises DeidError; callers quarantine, never pass text on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.address_blocks import extend_address_blocks
from etl.deid.analyzer import build_analyzer
from etl.deid.casing import restore_case
from etl.deid.clinic import ClinicKnowledge
from etl.deid.labels import to_label
from etl.deid.lexicon import unknown_word
from etl.deid.model_filters import is_false_model_hit
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.recognizers.gazetteer import KnownValuesRecognizer
from etl.deid.recognizers.known_identifiers import KnownIdentifierRecognizer
from etl.deid.spans import merge_spans, replace_spans, tag, trim_span
from etl.deid.surrogates import SurrogateReplacer
from schemas.config import DeidConfig
from schemas.records import DeidResult, Span

KnownValues = Sequence[tuple[str, str]]


class Replacer(Protocol):
    def surrogate(self, text: str, span: Span, patient: str, lang: str) -> str: ...


def make_replacer(config: DeidConfig, store: PseudonymStore, known: Iterable[KnownValues] = ()) -> Replacer | None:
    """The configured replacement: surrogates backed by `store` that avoid every word of the clinic's
    `known` identifiers (per patient), or None for type tags."""
    if config.replacement == "tag":
        return None
    return SurrogateReplacer(store, config.date_mode, config.max_shift_days, avoid_words(known))


def avoid_words(known: Iterable[KnownValues]) -> frozenset[str]:
    """Lower-cased words (3+ letters) of the known names: no surrogate may contain one. (Only names: a
    surrogate address or number equal to another patient's whole value is vanishingly rare, while avoiding
    every street word or digit group of a large clinic would leave nothing to draw from.) A Chinese name,
    kept as given and family name ("伟 张"), is avoided whole as written, family name first ("张伟")."""
    words = {
        word.lower()
        for values in known
        for label, value in values
        if label == "PERSON"
        for word in re.findall(r"[^\W\d_]{3,}", value)
    }
    for values in known:
        for label, value in values:
            parts = value.split()
            if label == "PERSON" and len(parts) == 2 and all(_HAN_WORD.fullmatch(p) for p in parts):
                words.add(parts[1] + parts[0])
    return frozenset(words)


_HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")


def replace_logged(
    text: str, spans: list[Span], patient: str, lang: str, replacer: Replacer | None
) -> tuple[str, list[str]]:
    """`text` with each span replaced (by `replacer`'s surrogates or, without one, by type tags), and what
    replaced each span, in span order: the audit log's record of every replacement."""
    rendered: list[str] = []

    def render(span: Span) -> str:
        rendered.append(replacer.surrogate(text, span, patient, lang) if replacer else tag(span))
        return rendered[-1]

    return replace_spans(text, spans, render), rendered


def replace(text: str, spans: list[Span], patient: str, lang: str, replacer: Replacer | None) -> str:
    """`text` with each span replaced: by `replacer` (surrogates) or, without one, by type tags."""
    return replace_logged(text, spans, patient, lang, replacer)[0]


# the recognizers that guess from a word's look (the model, the safe-list backstop): their guesses give way
# to the clinic's own coded vocabulary; cues, patterns and known values do not
_GUESSERS = frozenset({"SpacyRecognizer", "UnknownWordRecognizer"})
_VOCABULARY_WORD = re.compile(r"[^\W\d_]+")


class DeidError(RuntimeError):
    """De-identification of a record failed. The message is a reason code from a closed vocabulary
    (`unsupported_language`, `note_too_long`, `deid_failed:<exception type>`): it becomes a quarantine
    reason and a count key in PHI-free files, so it never holds the record's text or any of its values."""


class TextDeidentifier:
    """Holds the loaded analyzer; one per process."""

    def __init__(self, config: DeidConfig, clinic: ClinicKnowledge | None = None) -> None:
        """`clinic`: the clinic's own names and numbers (staff, organizations, the site list), searched for
        in every note, and the words of its coded descriptions, which guesses leave alone."""
        self.config = config
        self.languages = tuple(sorted(config.models))
        self._analyzer = build_analyzer(tuple(sorted(config.models.items())))
        self._clinic = (
            {lang: KnownValuesRecognizer(lang, clinic.values, clinic.site) for lang in self.languages if clinic}
            if clinic is not None
            else {}
        )
        self._vocabulary = frozenset(clinic.vocabulary) if clinic is not None else frozenset()

    def _threshold(self, label: str) -> float:
        return self.config.label_thresholds.get(label, self.config.score_threshold)

    def nlp_batches(self, texts: list[str], lang: str, batch_size: int = 32) -> Iterator[NlpArtifacts | None]:
        """spaCy's analysis of each text through `nlp.pipe` (one pass per batch, much cheaper than one call
        per text), in order; None for a text the batch could not analyse (detect then analyses it alone)."""
        engine = self._analyzer.nlp_engine
        for start in range(0, len(texts), batch_size):
            chunk = [self.model_view(text, lang) for text in texts[start : start + batch_size]]
            try:
                yield from (artifacts for _, artifacts in engine.process_batch(chunk, lang, batch_size=batch_size))
            except Exception:  # one bad text must not sink the batch: fall back to one call per text
                yield from (None for _ in chunk)

    def model_view(self, text: str, lang: str) -> str:
        """What the statistical model reads: English lines written all in capitals or all in lower case
        re-cased (names capitalized, other words lower-cased), so its case cues mean what they mean in the
        text it was trained on. Same length as `text`."""
        return restore_case(text, unknown_word) if lang == "en" else text

    def detect(
        self, text: str, lang: str, known: KnownValues = (), nlp_artifacts: NlpArtifacts | None = None
    ) -> list[Span]:
        """Merged spans of identifiers in `text`, in its own offsets (`nlp_artifacts`: spaCy's analysis of
        `text` when already done in a batch)."""
        if lang not in self.languages:
            raise DeidError("unsupported_language")  # the value itself may be anything a LANG column holds
        if len(text) > self.config.max_note_chars:
            raise DeidError("note_too_long")  # over deid.max_note_chars: quarantined whole, never cut
        ad_hoc: list[EntityRecognizer] = (
            [KnownIdentifierRecognizer(lang, known)] if known and self.config.record_linked else []
        )
        if lang in self._clinic:
            ad_hoc.append(self._clinic[lang])
        if nlp_artifacts is None:
            nlp_artifacts = self._analyzer.nlp_engine.process_text(self.model_view(text, lang), lang)
        results = self._analyzer.analyze(
            text=text,
            language=lang,
            ad_hoc_recognizers=ad_hoc or None,
            score_threshold=0.0,
            nlp_artifacts=nlp_artifacts,
        )
        spans = []
        for result in results:
            label = to_label(result.entity_type)
            if label is None or result.score < self._threshold(label):
                continue
            name = str((result.recognition_metadata or {}).get("recognizer_name", ""))
            if name in _GUESSERS and self._coded_terms(text[result.start : result.end]):
                continue
            pieces = _line_pieces(text, result.start, result.end)
            for start, end in pieces:
                # a one-line span was vetted whole before Presidio dropped what it contains (analyzer.py);
                # the pieces of a span across lines are vetted one by one
                if len(pieces) == 1 or not is_false_model_hit(text, start, end, label, name, lang):
                    spans.append(Span(start, end, label, float(result.score), name))
        return _split_at_line_breaks(text, merge_spans(extend_address_blocks(text, merge_spans(spans))))

    def _coded_terms(self, value: str) -> bool:
        """Every word is in the clinic's coded descriptions (a drug, a condition, a procedure)."""
        words = [w.lower() for w in _VOCABULARY_WORD.findall(value)]
        return bool(self._vocabulary) and bool(words) and all(w in self._vocabulary for w in words)

    def deidentify(
        self,
        text: str,
        lang: str,
        known: KnownValues = (),
        patient: str = "",
        replacer: Replacer | None = None,
    ) -> DeidResult:
        """Detected spans and the text with each replaced: by `replacer` (surrogates) or by type tags."""
        try:
            spans = self.detect(text, lang, known)
            return DeidResult(replace(text, spans, patient, lang, replacer), spans)
        except DeidError:
            raise
        except Exception as exc:  # fail closed: the caller quarantines the record
            raise DeidError(f"deid_failed:{type(exc).__name__}") from None


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank, trimmed pieces of text[start:end] on each line it touches."""
    if text.find("\n", start, end) < 0:  # most spans stay on one line
        piece = trim_span(text, start, end)
        return [piece] if piece[0] < piece[1] else []
    pieces, cursor = [], start
    for line in text[start:end].split("\n"):
        piece = trim_span(text, cursor, cursor + len(line))
        if piece[0] < piece[1]:
            pieces.append(piece)
        cursor += len(line) + 1
    return pieces


def _split_at_line_breaks(text: str, spans: list[Span]) -> list[Span]:
    """A span crossing a line break is redacted line by line, so the note keeps its layout and headings
    stay recognisable; every non-blank piece of the original span is still replaced."""
    return [
        Span(start, end, span.label, span.score, span.recognizer)
        for span in spans
        for start, end in _line_pieces(text, span.start, span.end)
    ]
