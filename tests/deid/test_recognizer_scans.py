"""Shared anchors, line gates and `also` groups (etl/deid/recognizers/base.py) only save scanning: every
pattern of every recognizer must find exactly what `finditer` over the whole text finds."""

import pytest

from etl.deid.recognizers import build_recognizers
from etl.deid.recognizers.base import CaseBlind, GroupRegexRecognizer, gated_lines
from etl.synth.gold_notes import generate_gold

# Text made to trip the scans: cues, heads and credentials at line edges, a head split over two lines,
# overlapping cues ("emergency contact"), cues inside earlier matches, look-arounds at line ends, CRLF.
_EDGES = [
    "Wife Mary\nHusband: John Smith\nemergency contact (Ana Ruiz)\ncontact (Bo Li)",
    "Seen by Dr. Chen; patient name: SMITH, JOHN A.\nPatient: Doe, Jane\r\nPCP\nAlan Poe, MD\n",
    "John Smith, MD\nJane Roe\nRN\nMary Ann Lee, M.D. and Tom Fox PA-C, then Kim Ng,\tNP",
    "St. Jude Medical\nCenter; Mercy Hospital of Springfield\nSaint Luke Health Clinic\nOak Family Practice",
    "Hospital at Hope Valley\nLakeview Cardiology\n\nBrown Dermatology Associates",
    "lives at 5978 Hornichallee, Berlin\naddress: Puruntie 82\nAddress:\n12 Oak Street, Apt 4\n",
    "Boston, MA 02115\nSpringfield,\nIL 62701-1234; Reno, NV 89501\nAustin, Texas 78701",
    "3rd of March 2021, 14 Mar 2020, 1st of May, 21-Jan-99\n2 of\nJune; 03/14/2021 12-25-19 1/2/2003",
    "12/31/1999/5 4/5/06. 10-10-10\n7/7/77",
    "lesión de 5,5 × 2,5 × 2,4 cm; 3 × 4 Apt 5; 12 Ölweg 4, Zürich; 7 Ærøvej 2,",  # × is no capital letter
    # cue words in any case, on an ASCII note (scanned lower-cased) and on one that is not (scanned as is)
    "WIFE Mary; MRN: 12345678; Mrn 7654321X; ADDRESS: 12 Oak Street; Lives At 4 Elm Road, Reno\nPATIENT: ROE, JANE",
    "ESPOSA María; DIRECCIÓN: Calle Mayor 5; NHC 1234567; Médico: Dr. Ruiz; wife Zoë Ng; MRN 99887766",
]


def _corpus() -> list[tuple[str, str]]:
    docs = [(d["text"], d.get("lang", "en")) for d in generate_gold(120, seed=3)]
    return docs + [(text, lang) for text in _EDGES for lang in ("en", "es")]


@pytest.fixture(scope="module")
def recognizers():
    return {lang: [r for r in build_recognizers(lang) if isinstance(r, GroupRegexRecognizer)] for lang in ("en", "es")}


def test_when_scanned_from_anchors_and_gates_then_every_pattern_finds_what_finditer_finds(recognizers):
    shortcuts = 0
    for text, lang in _corpus():
        for recognizer in recognizers[lang]:
            for pattern, found in zip(recognizer._patterns, recognizer.matches(text), strict=True):
                expected = [m.span() for m in pattern.regex.finditer(text)]
                assert [m.span() for m in found] == expected, (lang, recognizer.name, pattern.name)
                shortcuts += pattern.anchor is not None or pattern.line_gate is not None
    assert shortcuts > 0  # the shortcuts were exercised, not skipped


def test_when_city_state_zip_then_one_scan_reports_city_and_zip_as_before(recognizers):
    location = next(r for r in recognizers["en"] if r.name == "LocationRecognizer")
    text = "Moved to Boston, MA 02115 last year."
    results = {r.recognition_metadata["recognizer_name"]: text[r.start : r.end] for r in location.analyze(text, [])}
    assert results["LocationRecognizer:city_state_zip_city"] == "Boston"
    assert results["LocationRecognizer:city_state_zip_zip"] == "02115"


def test_when_gate_matches_then_its_whole_lines_are_the_runs():
    import regex

    gate = regex.compile(r"Medical\s+Center|MD\b")
    text = "a\nSt Medical\nCenter x\nb\nJo Li MD\nJo MD too\nc"
    runs = gated_lines(text, gate)
    assert [text[start:end] for start, end in runs] == ["St Medical\nCenter x", "Jo Li MD", "Jo MD too"]


def test_when_a_case_blind_anchor_holds_an_upper_case_escape_then_it_is_refused():
    with pytest.raises(ValueError, match="upper-case escape"):
        CaseBlind(r"\bname\S")  # lower-cased, \S (not a space) would become \s (a space)
    assert CaseBlind(r"\b(?=MRN|Chart\s+No)").source == r"\b(?=mrn|chart\s+no)"
