"""Detection in worker processes gives exactly the in-process spans, in order, with failures isolated."""

import pytest

from etl.deid.parallel import detect_chunk, detect_in_workers

pytestmark = pytest.mark.model

ITEMS = [
    ("Seen by Dr. Chen on 3/14/2023. MRN: 00482913.", "en", ()),
    ("Paciente: María García López, DNI 12345678Z.", "es", ()),
    ("pt ashley harper called from 617-555-0182", "en", [("PERSON", "Ashley Harper")]),
    ("Notes in an unsupported language.", "fr", ()),
    ("Wife Mary Okafor visited; lives at 12 Oak St, Springfield, OH 45503.", "en", ()),
]


def test_when_detected_in_two_workers_then_same_spans_as_in_process(deidentifier):
    expected = detect_chunk(deidentifier, ITEMS)
    assert isinstance(expected[3], str) and expected[3] == "unsupported_language"  # isolated, not fatal
    chunks = [ITEMS[:2], ITEMS[2:4], ITEMS[4:]]
    found = [spans for chunk in detect_in_workers(iter(chunks), deidentifier.config, workers=2) for spans in chunk]
    assert found == expected
