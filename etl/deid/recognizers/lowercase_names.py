"""Lower-case names after a cue ("pt hiltraud matthai called"): no capital letter marks them, so a word is
taken as a name when the dictionary does not know it. The dictionary is WordNet's base forms, shipped in
the English spaCy model's lemmatizer tables (offline); clinical abbreviations and stop words count as known.

Names that are also English words ("pt john smith") are not found this way: record-linked detection
(the patient's own name from the structured record) covers those in clinic runs.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.lexicon import inflection_bases, person_names, safe_words
from etl.deid.recognizers.base import CaseBlind, ScanRecognizer, by_first_char
from etl.deid.recognizers.vocab import CLINICAL_ABBREVIATIONS, DOSAGE_FORMS, NOT_NAMES

_CUES = frozenset(
    "pt patient pts mr mrs ms miss dr wife husband son daughter mother father brother sister spouse partner"
    " friend caregiver".split()
)
_MAX_RUN = 3
# where a cue token can start: the cue, its full stops, then a space (a name follows as the next token)
_CUE_AT = CaseBlind(r"(?=(?:" + by_first_char("|".join(sorted(_CUES, key=len, reverse=True)), True) + r")\.*\s)")
# verbs that take the patient as subject: in "pt ashley harper called", the words between cue and verb
# are the patient's name even where some of them are dictionary words ("harper")
_SUBJECT_VERBS = frozenset(
    "called calls phoned phones reports reported states stated presents presented came comes returned returns"
    " requests requested left notified declined agreed denies denied".split()
)


def english_words(nlp: object) -> frozenset[str]:
    """WordNet's base forms and the irregular forms ("went", "children") from a spaCy English model's
    lemmatizer tables: known words, whether or not a tagger gave their lemma. Empty without a lemmatizer."""
    if "lemmatizer" not in nlp.component_names:  # type: ignore[attr-defined]
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    wordnet = {word for words in lookups.get_table("lemma_index").values() for word in words}
    irregular = {form for forms in lookups.get_table("lemma_exc").values() for form in forms}
    return frozenset(wordnet | irregular)


@lru_cache(maxsize=2)
def _dictionary(nlp: object) -> frozenset[str]:
    # the safe list's words, less any that is also a name ("anne", "cooper" stay unknown here)
    return (
        english_words(nlp) | CLINICAL_ABBREVIATIONS | DOSAGE_FORMS | NOT_NAMES | (safe_words("en") - person_names("en"))
    )


class LowercaseNameRecognizer(ScanRecognizer):
    LANGS = ("en",)
    ENTITIES = ("PERSON",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None or nlp_artifacts.nlp_engine is None:
            return []
        nlp = nlp_artifacts.nlp_engine.nlp.get(self.supported_language)
        if nlp is None or "lemmatizer" not in nlp.component_names:  # loaded, even where not run
            return []
        known = _dictionary(nlp)
        tokens, starts = nlp_artifacts.tokens, nlp_artifacts.tokens_indices
        results = []
        for match in _CUE_AT.finditer(text):  # only where a cue word starts: no pass over every token
            index = bisect_left(starts, match.start())
            if index >= len(tokens) - 1 or starts[index] != match.start():
                continue
            if tokens[index].text.lower().rstrip(".") not in _CUES:
                continue
            run = []
            for candidate in tokens[index + 1 : index + 1 + _MAX_RUN]:
                # the note's own text: the model may have read a re-cased view of it (text.model_view)
                word = text[candidate.idx : candidate.idx + len(candidate)]
                if not (word.isalpha() and word.islower()) or candidate.is_stop or word in _SUBJECT_VERBS:
                    break
                run.append(candidate)
            unknown = [t for t in run if self._unknown(t, known)]
            follower = tokens[index + 1 + len(run)] if index + 1 + len(run) < len(tokens) else None
            as_subject = len(run) >= 2 and follower is not None and follower.text.lower() in _SUBJECT_VERBS
            while run and not as_subject and not self._unknown(run[-1], known):  # nor end in a dictionary word
                run.pop()
            # two or more known names as the subject of "called", "reports" ("pt brooke cooper called")
            named = as_subject and all(text[t.idx : t.idx + len(t)] in person_names("en") for t in run)
            if run and (unknown or named):
                results.append(self.result("PERSON", run[0].idx, run[-1].idx + len(run[-1].text), 0.6))
        return results

    @staticmethod
    def _unknown(token: object, known: frozenset[str]) -> bool:
        word = token.text.lower()  # type: ignore[attr-defined]
        lemma = token.lemma_.lower()  # type: ignore[attr-defined]
        return not ({word, lemma, *inflection_bases(word)} & known)
