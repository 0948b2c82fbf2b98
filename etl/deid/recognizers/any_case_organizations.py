"""Hospitals, rehab units and nursing homes named on lines written all in capitals or all in lower case
("ADMITTED FROM MERCY RIDGE HOSPITAL", "discharged to maple crest rehab"), where the capitalized-name
patterns of HealthcareOrganizationRecognizer cannot see where a name starts.

The name is the one to three words before a head word ("hospital", "rehab", "manor", "nursing home"),
after stop words and generic modifiers are set aside ("the outside hospital", "a local rehab" name no
place), and it must keep at least one word that is neither ("Mercy Ridge", "Maple Crest").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from etl.deid.casing import line_case
from etl.deid.recognizers.base import ScanRecognizer

_HEADS = (
    r"hospital|medical\s+cent(?:er|re)|health\s+cent(?:er|re)|clinic|infirmary|hospice|nursing\s+home|rehab"
    r"|rehabilitation(?:\s+(?:center|hospital))?|manor|nursing\s+(?:center|facility)|care\s+center|senior\s+living"
    r"|assisted\s+living|shelter|mission|gardens"
)
_ORG = re.compile(rf"(?P<words>(?:[^\W\d_][\w'’.&-]*[ \t]+){{1,4}})(?P<head>(?:{_HEADS}))(?![\w'’-])", re.IGNORECASE)
_GENERIC = frozenset(
    """
    outside local other another same previous prior nearby new old community county state city public private
    university teaching general regional memorial medical surgical specialty psych psychiatric mental behavioral
    rehab rehabilitation acute subacute long-term skilled nursing assisted living senior adult day children's
    childrens women's womens veterans va osh pain wound cardiology cardiac heart renal kidney dialysis cancer
    oncology eye ear dental urgent primary care family walk-in free methadone detox infusion sleep diabetes
    endocrine gi ob gyn ortho orthopedic sports spine vascular lung pulmonary transplant memory geriatric
    homeless women's men's to at from in of the a an his her their our my your its this that these those
    """.split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")


class AnyCaseOrganizationRecognizer(ScanRecognizer):
    LANGS = ("en",)
    ENTITIES = ("ORGANIZATION",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for line in re.finditer(r"[^\n]+", text):
            if line_case(line.group()) not in ("upper", "lower"):
                continue
            for match in _ORG.finditer(text, line.start(), line.end()):
                start = self._name_start(text, match)
                if start is not None:
                    results.append(self.result("ORGANIZATION", start, match.end(), 0.7))
        return results

    @staticmethod
    def _name_start(text: str, match: re.Match[str]) -> int | None:
        """Where the name before the head starts: after the last stop word, keeping the words that follow
        it; None when only generic words are left."""
        words = list(_WORD.finditer(text, match.start("words"), match.end("words")))
        kept: list[re.Match[str]] = []
        for word in reversed(words):
            lowered = word.group().lower().rstrip(".")
            if lowered in STOP_WORDS and lowered not in ("st", "saint"):
                break
            kept.insert(0, word)
        if not any(w.group().lower().rstrip(".") not in _GENERIC for w in kept):
            return None
        return kept[0].start()
