"""Names next to a cue, in text of any case: staff ("dr smith", "DR.WELSH", "RN Welsh", "E. Welsh, RN",
"-- J. Welsh"), relatives ("son JOHN", "daughters Ann and Beth", "hcp is niece karen"), letters ("RE: Mary
Rome (DOB …)", "Dear Dr. Glenn", "Sincerely,\\nBrandy Brooks, MD").

Case cannot tell a name from a word here, so each word after (or, before a credential, in front of) the
cue is checked against the lexicons: a known first or last name, or a word the safe list does not know,
is taken; the first word that is an ordinary word ("dr aware", "son at bedside", "paged MD") ends the
name. In mixed-case text a word after a relation must be capitalized, as names there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from etl.deid.casing import case_at
from etl.deid.lexicon import is_known, person_names, safe_words
from etl.deid.recognizers.base import ScanRecognizer, by_first_char

_TITLES = "dr|drs|doctor|dra|mr|mrs|ms|miss|mx|prof|professor|nurse|attending|resident|fellow|intern|pcp|surgeon"
_CREDENTIALS = "rn|np|md|pa-c|rrt|lpn|lvn|cna|lna|msw|licsw|lcsw|crna|aprn|fnp|fnp-bc|bsn|msn|pharmd|dpt|slp|otr"
_RELATIONS = (
    "wife|husband|husb|spouse|partner|son|sons|daughter|daughters|dtr|dtrs|dau|mother|mom|father|dad|brother|bro"
    "|brothers|sister|sis|sisters|niece|nephew|aunt|uncle|grandson|granddaughter|grandchildren|grandmother"
    "|grandfather|cousin|friend|neighbor|neighbour|fiance|fiancee|girlfriend|boyfriend|hcp|poa|proxy|guardian"
    "|caregiver|children|kids|family"
)
_LETTER = r"(?:re|attn|to|from|cc)(?=[ \t]*:)|dear|signed(?:\s+by)?|electronically\s+signed(?:\s+by)?"
_CUE_SOURCE = (
    rf"\b(?P<cue>(?P<title>{by_first_char(_TITLES, True)})|(?P<cred>{by_first_char(_CREDENTIALS, True)})"
    rf"|(?P<rel>{by_first_char(_RELATIONS, True)})|(?P<letter>{_LETTER}))\b"
    r"(?:\.|(?=[ \t:,(-]|$))[ \t]*(?P<sep>[:#,-][ \t]*|\([ \t]*)?(?:(?:is|was|named|called)[ \t]+)?"
)
# the cue scan runs case-sensitively over the lower-cased note when it is ASCII (Python's re is 2-3x faster
# so than case-insensitively: offsets are the same), case-insensitively otherwise
_CUE_ASCII = re.compile(_CUE_SOURCE, re.MULTILINE)
_CUE_ANY = re.compile(_CUE_SOURCE, re.IGNORECASE | re.MULTILINE)


def _cues(text: str) -> Iterator[re.Match[str]]:
    return _CUE_ASCII.finditer(text.lower()) if text.isascii() else _CUE_ANY.finditer(text)


# a sign-off line: "-- J. Welsh", "RN: L.Moody", "Triage RN: …" (not a "- " bullet); "/jw" alone on its
# line is initials
_SIGN_OFF = re.compile(
    rf"^[ \t]*(?:--+|—|–|/|(?:\w+[ \t]+)?(?:{by_first_char(_CREDENTIALS, True)}|pt|ot)[ \t]*:)[ \t]*",
    re.MULTILINE | re.IGNORECASE,
)
_INITIALS_LINE = re.compile(r"^[ \t]*(?:--+|—|–|/)[ \t]*(?P<initials>[A-Za-z]{2,3})[ \t]*$", re.MULTILINE)
_CLOSING = re.compile(
    r"\b(?:sincerely|regards|yours\s+(?:truly|sincerely|faithfully)|best\s+wishes|cordially|respectfully|thank\s+you"
    r"|with\s+thanks)[ \t]*[,.]?[ \t]*\n[ \t]*\n?[ \t]*",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"(?P<initial>[^\W\d_]\.(?=[ \t]*[^\W\d_]))|(?P<word>[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*)")
_BETWEEN = re.compile(r"[ \t]*(?:(?P<join>and(?=[ \t])|&|,)[ \t]*)?", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]*")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)
_CREDENTIAL_AT = re.compile(rf"(?<![\w-])(?:{by_first_char(_CREDENTIALS, True)}|pt|ot)(?![\w-])", re.IGNORECASE)
_BEFORE_CREDENTIAL = re.compile(r"[ \t]*[,(]?[ \t]*$")  # "Welsh, RN", "Una (RN)"
_WORD_BEFORE = re.compile(r"(?:(?<=[\s(])|^)(?P<word>[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*)\.?[ \t]*$")
# who told or was told something, and the naming of a newborn: "spoke w/ Summer", "per Rusty on nights",
# "report from Joy", "d/w Carl", "Baby boy Rice"
_HEARD = re.compile(
    r"(?<![\w/])(?:(?:spoke|talked|discussed|reviewed|conferred)[ \t]+(?:with|w/)|d/w|per|report(?:ed)?[ \t]+"
    r"(?:from|to|given[ \t]+to)|hand-?off[ \t]+(?:from|to)|baby[ \t]+(?:boy|girl)|infant[ \t]+(?:boy|girl))[ \t]+",
    re.IGNORECASE,
)
# a name in the order records print it, last, first and middle initial: "MANNING, CHRISTOPHER G.",
# "Stone, Chad H." at the head of a line (after "Pt:" or "Name:" too)
_LAST_FIRST_INITIAL = re.compile(
    r"^[ \t]*(?:(?:pt|patient|name)[ \t]*:?[ \t]*)?"
    r"(?P<last>[^\W\d_][\w'’-]+),[ \t]*(?P<first>[^\W\d_][\w'’-]+)[ \t]+[^\W\d_]\.(?=[ \t]|$)",
    re.MULTILINE | re.IGNORECASE,
)
# initials with full stops, "(K.F.)", "J.D.R.": a name, unless an abbreviation written so
_DOTTED_INITIALS = re.compile(r"(?<![\w.])[A-Z]\.[A-Z]\.(?:[A-Z]\.)?(?![\w.])")
_DOTTED_ABBREVIATIONS = frozenset(
    """
    a.m. p.m. m.d. d.o. r.n. n.p. p.a. u.s. u.k. b.s. m.s. o.d. o.s. o.u. a.d. a.s. a.u. i.v. i.m. p.o. p.r. s.c.
    s.l. d.c. h.s. e.r. o.r. c.t. u.a. b.p. h.r. r.r. g.i. e.d. q.d. b.i.d. t.i.d. q.i.d. p.r.n. n.p.o. n.k.a.
    i.c.u. e.k.g. m.r.i. d.n.r. d.n.i. c.c. p.t. o.t. s.p. r.t. l.t. a.c. p.c. q.h. q.i. e.g. i.e. n.b. p.s.
    """.split()
)
_MAX_WORDS = 3
_NAME_STOP_WORDS = frozenset({"may", "will"})
_NEVER = (
    frozenset(STOP_WORDS)
    | {"pt", "patient", "pts", "dr", "dr.", "mr", "mrs", "ms", "ot"}
    | frozenset(_CREDENTIALS.split("|"))
)


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    return safe_words("en"), person_names("en")


def name_like(word: str, capital_required: bool, after_title: bool = False, weak: bool = True) -> bool:
    """A word that can be (part of) a person's name here: a word the safe list lacks, or (with `weak`) a
    known name that is also an English word ("Stone", "Hope"). A stop word that is also a name ("May",
    "Will") only capitalized in mixed-case text, or after a title."""
    safe, names = _lists()
    bare = _POSSESSIVE.sub("", word)
    lowered = bare.lower()
    if len(bare) < 2 or (capital_required and not bare[0].isupper()):
        return False
    if lowered in _NEVER:  # "Dr. May", "Will": a stop word that is a given name, title-cased
        return lowered in _NAME_STOP_WORDS and bare.istitle() and (after_title or capital_required)
    if not is_known(bare, safe):
        return True
    if after_title and bare[:1].isupper() and not bare.isupper():
        return True  # "Dr. Gleba", "Dr. Stone": after a title a capitalized word is a surname
    return weak and lowered in names


class AnyCaseNameRecognizer(ScanRecognizer):
    LANGS = ("en",)
    ENTITIES = ("PERSON",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        spans: list[tuple[int, int, float]] = []
        for cue in _cues(text):
            mixed = case_at(text, cue.start()) == "mixed"
            if cue.group("rel"):
                found = self._forward(text, cue.end(), capital_required=mixed, conjunctions=True)
                score = 0.7
            elif cue.group("letter"):
                found = self._forward(text, cue.end(), capital_required=mixed)
                score = 0.8
            elif cue.group("cred") and cue.group("sep") and not cue.group("sep").startswith(":"):
                continue  # "Welsh, RN, BSN", "MD, NPI": a credential after a name, not before one
            else:  # a title or a credential before the name; a mixed-case title takes any case ("dr smith")
                found = self._forward(
                    text,
                    cue.end(),
                    capital_required=mixed and bool(cue.group("cred")),
                    after_title=bool(cue.group("title")),
                )
                score = 0.85
            spans += [(*name, score) for name in found]
        for start in (m.end() for m in (*_SIGN_OFF.finditer(text), *_CLOSING.finditer(text))):
            spans += [(*name, 0.85) for name in self._forward(text, start, capital_required=False)]
        spans += [(*m.span("initials"), 0.6) for m in _INITIALS_LINE.finditer(text)]
        for heard in _HEARD.finditer(text):
            mixed = case_at(text, heard.start()) == "mixed"
            if not mixed and heard.group().lower().startswith("per"):
                continue  # "per night staff": where case says nothing, "per" is followed by words too often
            spans += [(*name, 0.7) for name in self._forward(text, heard.end(), capital_required=mixed)]
        for header in _LAST_FIRST_INITIAL.finditer(text):
            mixed = case_at(text, header.start()) == "mixed"
            if all(name_like(header.group(g), capital_required=mixed) for g in ("last", "first")):
                spans.append((header.start("last"), header.end(), 0.85))
        spans += [
            (m.start(), m.end(), 0.6)
            for m in _DOTTED_INITIALS.finditer(text)
            if m.group().lower() not in _DOTTED_ABBREVIATIONS
        ]
        spans += self._before_credentials(text)
        return [self.result("PERSON", start, end, score) for start, end, score in spans]

    @staticmethod
    def _forward(
        text: str, position: int, capital_required: bool, conjunctions: bool = False, after_title: bool = False
    ) -> list[tuple[int, int]]:
        """The name starting at `position`: up to three name words (initials before and between them), and
        with `conjunctions` more names after "and", "&" or "," ("daughters Ann and Beth"), on one line."""
        names: list[tuple[int, int]] = []
        start = end = None
        words = 0
        while words < _MAX_WORDS * (2 if conjunctions else 1):
            match = _NAME_WORD.match(text, position)
            if match is None:
                break
            if match.group("initial"):
                start = match.start() if start is None else start
                position = _SPACES.match(text, match.end()).end()  # type: ignore[union-attr]
                continue
            if not name_like(match.group("word"), capital_required, after_title and words == 0):
                break
            start = match.start() if start is None else start
            end, words = match.end(), words + 1
            gap = _BETWEEN.match(text, end)
            assert gap is not None
            if gap.end() == end or (gap.group("join") and not conjunctions):
                break
            if gap.group("join"):
                names.append((start, end))
                start = end = None
            position = gap.end()
        if start is not None and end is not None:
            names.append((start, end))
        return names

    @staticmethod
    def _before_credentials(text: str) -> list[tuple[int, int, float]]:
        """Names written in front of a credential: "E. Welsh, RN", "Katherine White RN", "Welsh,RN"."""
        found = []
        for credential in _CREDENTIAL_AT.finditer(text):
            line_start = text.rfind("\n", 0, credential.start()) + 1
            mixed = case_at(text, credential.start()) == "mixed"
            # after "pt", "ot" or "md" (also the patient, therapy, a doctor unnamed) only an unknown word counts
            weak = mixed or credential.group().lower() not in ("pt", "ot", "md")
            cursor, start, words = credential.start(), None, 0
            gap = _BEFORE_CREDENTIAL.search(text, line_start, cursor)
            cursor = gap.start() if gap else cursor
            while words < _MAX_WORDS:
                match = _WORD_BEFORE.search(text, line_start, cursor)
                if match is not None and start is None and _is_initial(match):
                    start = cursor = match.start("word")  # an initial after the name: "joanne l., rn"
                    continue
                if match is None or not name_like(match.group("word"), mixed, weak=weak):
                    break
                start, words = match.start("word"), words + 1
                cursor = match.start("word")
                initial = re.search(r"(?<![\w.])[^\W\d_]\.[ \t]*$", text[line_start:cursor])
                if initial:
                    start = cursor = line_start + initial.start()
            if start is not None:
                end = gap.start() if gap else credential.start()
                found.append((start, end, 0.85))
        return found


def _is_initial(match: re.Match[str]) -> bool:
    """One letter and a full stop ("l." in "joanne l., rn")."""
    return len(match.group("word")) == 1 and match.group().rstrip().endswith(".")
