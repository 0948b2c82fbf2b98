"""The residual scan's matching rules, on hand-made text (no run needed)."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.audit.residual import KnownIndex, normalized, scan, shareable_files
from etl.audit.review import stratified_sample


def test_when_value_written_with_other_separators_or_case_then_still_found():
    index = KnownIndex.build([("SSN", "999-12-3456"), ("PERSON", "Aurea McGlynn"), ("STREET_ADDRESS", "12 Oak St")])
    found = index.find("ssn 999 12 3456; AUREA MCGLYNN lives at 12 Oak St.")
    assert found == {"SSN": 1, "PERSON": 1, "STREET_ADDRESS": 1}
    assert index.find("ssn 999-12-34567, aureal") == {}  # whole tokens only


def test_when_birth_date_known_then_its_usual_written_forms_are_found():
    index = KnownIndex.build([("DATE", "1970-11-02")])
    for text in ("born 1970-11-02", "DOB 11/2/1970", "DOB 11/02/1970", "born November 2, 1970", "2 November 1970"):
        assert index.find(text) == {"DATE": 1}, text
    assert index.find("seen 11/03/1970") == {}


def test_when_numbers_in_neighbouring_table_cells_then_not_read_as_one_date(tmp_path):
    """Synthea NE: DISPENSES 4 and TOTALCOST 10.12 in one row are not the birth date 4/10/12."""
    (tmp_path / "tables").mkdir()
    table = pa.table({"DISPENSES": ["4", "2"], "TOTALCOST": ["10.12", "7.5"], "NOTE": [None, "dob 4/10/12"]})
    pq.write_table(table, tmp_path / "tables" / "medications.parquet")
    findings = scan(shareable_files(tmp_path), KnownIndex.build([("DATE", "2012-04-10")]))
    assert [(f["record"], f["kind"]) for f in findings["known"]] == [("row 2", "DATE")]  # within a cell: found


def test_when_lone_name_is_an_ordinary_word_then_only_the_full_name_counts():
    index = KnownIndex.build(
        [("PERSON", "Hope"), ("PERSON", "Hope Zhuravlev"), ("PERSON", "Zhuravlev")], frozenset({"hope"})
    )
    assert index.find("we hope she improves") == {}
    assert index.find("Hope Zhuravlev called") == {"PERSON": 2}  # the full name and the rare surname


def test_when_outputs_scanned_then_findings_name_file_and_record_never_the_value(tmp_path):
    (tmp_path / "notes").mkdir()
    table = pa.table({"note_key": ["not-1", "not-2"], "text": ["Pt Aurea McGlynn, SSN 999-12-3456", "clean"]})
    pq.write_table(table, tmp_path / "notes" / "notes.parquet")
    (tmp_path / "restricted").mkdir()
    (tmp_path / "restricted" / "raw.txt").write_text("Aurea McGlynn")  # restricted/ is never scanned
    (tmp_path / "out.jsonl").write_text('{"a": "call 617-555-0101 or (583) 392-2870"}\n')
    index = KnownIndex.build([("PERSON", "Aurea McGlynn"), ("SSN", "999-12-3456")])
    findings = scan(shareable_files(tmp_path), index, frozenset({normalized("583-392-2870")}))
    assert findings["known"] == [
        {"file": "notes/notes.parquet", "record": "note_key=not-1", "kind": "PERSON", "count": 1},
        {"file": "notes/notes.parquet", "record": "note_key=not-1", "kind": "SSN", "count": 1},
    ]
    assert findings["patterns"] == [
        {"file": "notes/notes.parquet", "kind": "SSN", "count": 1},
        {"file": "out.jsonl", "kind": "PHONE", "count": 1},  # the logged surrogate is not counted
    ]
    assert "McGlynn" not in str(findings) and "3456" not in str(findings)


def test_when_sampling_then_strata_are_all_represented_and_the_draw_is_repeatable():
    strata = {
        ("discharge", "en"): [f"d{i}" for i in range(50)],
        ("nursing", "es"): ["n1", "n2"],
        ("letter", "en"): ["l1"],
    }
    sample = stratified_sample(strata, 10, seed=3)
    assert len(sample) == 10 and len(set(sample)) == 10
    assert {"l1"} <= set(sample) and {"n1", "n2"} & set(sample)
    assert stratified_sample(strata, 10, seed=3) == sample
    assert stratified_sample(strata, 100, seed=3) == sorted(i for ids in strata.values() for i in ids)


@pytest.mark.parametrize("value", ["1970-11-02", "2003-01-09", "1999-12-31T08:30:00"])
def test_when_detection_looks_for_a_date_form_then_the_scan_knows_it_too(value):
    """The scan's date forms are its own code; they must cover every form record-linked detection uses,
    so a date detection was told to find and missed is still caught by the gate."""
    from etl.audit.residual import tokens
    from etl.audit.written_forms import written_dates
    from etl.deid.recognizers.known_identifiers import date_forms

    scan = {tokens(form) for form in written_dates(value)}
    assert {tokens(form) for form in date_forms(value)} <= scan


@pytest.mark.model
def test_when_the_scan_reads_the_dictionary_then_it_has_detections_words(run_config):
    import spacy

    from etl.audit.written_forms import dictionary_words
    from etl.deid.analyzer import resolve_model
    from etl.deid.recognizers.lowercase_names import english_words

    nlp = spacy.load(resolve_model(run_config.deid.models["en"]))
    words = dictionary_words(nlp)
    assert len(words) > 50_000 and words == english_words(nlp)
