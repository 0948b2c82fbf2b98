import pytest

from etl.deid.spans import merge_spans, replace_spans
from etl.deid.text import DeidError
from schemas.records import Span


def test_when_spans_overlap_then_union_is_redacted_and_best_label_kept():
    merged = merge_spans([Span(0, 5, "LOCATION", 0.85), Span(3, 10, "STREET_ADDRESS", 0.9), Span(12, 14, "ZIP", 0.9)])
    assert [(s.start, s.end, s.label) for s in merged] == [(0, 10, "STREET_ADDRESS"), (12, 14, "ZIP")]


def test_when_replaced_then_tags_in_place_and_rest_verbatim():
    assert replace_spans("Call 555-0100 now", [Span(5, 13, "PHONE", 0.9)]) == "Call [PHONE] now"


@pytest.mark.model
def test_when_deidentified_then_entities_point_into_original_text(deidentifier):
    text = "Pt Jane Roe seen 03/02/2024, phone 617-555-0101."
    result = deidentifier.deidentify(text, "en")
    found = {text[s.start : s.end]: s.label for s in result.spans}
    assert found["03/02/2024"] == "DATE" and found["617-555-0101"] == "PHONE"
    assert "617-555-0101" not in result.text and "[PHONE]" in result.text


@pytest.mark.model
def test_when_span_crosses_lines_then_layout_kept(deidentifier):
    text = "Seen at Regional Medical Center\nPlan: rest."
    result = deidentifier.deidentify(text, "en")
    assert result.text.endswith("\nPlan: rest.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "known", "leaked"),
    [
        ("Aurea194 is a 9 year-old.", [("PERSON", "Aurea194")], "Aurea194"),
        ("pt aurea mcglynn came in", [("PERSON", "Aurea194 McGlynn426")], "aurea mcglynn"),
        ("SSN on file 999 75 6624.", [("SSN", "999-75-6624")], "999 75 6624"),
        ("Born 8/22/2021 at home.", [("DATE", "2021-08-22")], "8/22/2021"),
        ("Moved to Visalia last year.", [("LOCATION", "Visalia")], "Visalia"),
    ],
)
def test_when_patient_record_known_then_its_values_found(deidentifier, text, known, leaked):
    assert leaked not in deidentifier.deidentify(text, "en", known).text


@pytest.mark.model
def test_when_known_single_name_is_common_word_in_lower_case_then_kept(deidentifier):
    result = deidentifier.deidentify("Brown stool noted; brown discharge.", "en", [("PERSON", "Brown")])
    assert "brown discharge" in result.text


@pytest.mark.model
def test_when_language_unsupported_then_fails_closed_without_text(deidentifier):
    with pytest.raises(DeidError) as err:
        deidentifier.deidentify("患者张伟，男，45岁", "Mary Jones")  # a LANG column holding a name
    assert str(err.value) == "unsupported_language"  # a closed code: neither the text nor the value


@pytest.mark.model
def test_when_note_too_long_then_refused_not_truncated(run_config):
    from etl.deid.text import TextDeidentifier

    small = TextDeidentifier(run_config.deid.model_copy(update={"max_note_chars": 10}))
    with pytest.raises(DeidError, match=r"^note_too_long$"):
        small.deidentify("John Smith was seen today.", "en")


@pytest.mark.model
def test_when_model_hits_heading_then_heading_survives_and_name_still_found(deidentifier):
    text = "# Social History\nPatient is married.\n\nSeen by Dr. Social History today."
    result = deidentifier.deidentify(text, "en")
    assert result.text.startswith("# Social History\nPatient is married.")
    assert "Dr. [PERSON]" in result.text  # the cue-based recognizer is not vetoed
