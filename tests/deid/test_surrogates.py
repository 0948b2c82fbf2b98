import re

import pytest

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.surrogates import SurrogateReplacer
from schemas.records import Span


def _replace(replacer, text, label, patient="p1", lang="en"):
    return replacer.replace(text, [Span(0, len(text), label, 1.0)], patient, lang)


@pytest.fixture
def store(tmp_path):
    with PseudonymStore(tmp_path / "restricted" / "p.sqlite3") as s:
        yield s


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Aurea194", "PERSON"),
        ("SMITH, JOHN", "PERSON"),
        ("Jorge Luis88 Vela532", "PERSON"),
        ("999-12-3456", "SSN"),
        ("00482913", "MRN"),
        ("(617) 555-0182", "PHONE"),
        ("jsmith@example.com", "EMAIL"),
        ("12 Oak St", "STREET_ADDRESS"),
        ("Boston", "LOCATION"),
        ("192.168.1.20", "IP_ADDRESS"),
        ("http://snomed.info/sct", "URL"),
        ("St. Mary's Hospital", "ORGANIZATION"),
    ],
)
def test_when_replaced_then_no_part_of_the_original_remains(store, text, label):
    replacer = SurrogateReplacer(store)
    words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}\d*|\d{3,}", text)]
    for patient in range(200):  # many independent draws: a rare echo (1 in 10,000 for 4 digits) shows here
        out = _replace(replacer, text, label, patient=f"p{patient}").lower()
        assert not [w for w in words if w in out and w not in {"hospital", "example", "com", "http", "https", "www"}], (
            out
        )


def test_when_same_patient_then_same_surrogate_across_forms_notes_and_runs(tmp_path):
    path = tmp_path / "restricted" / "p.sqlite3"
    with PseudonymStore(path) as store:
        replacer = SurrogateReplacer(store)
        formal = _replace(replacer, "SMITH, JOHN", "PERSON")
        informal = _replace(replacer, "John Smith", "PERSON")
        mrn = _replace(replacer, "00482913", "MRN")
        other_patient = _replace(replacer, "John Smith", "PERSON", patient="p2")
    assert [part.lower() for part in formal.split(", ")] == informal.lower().split()[::-1]
    with PseudonymStore(path) as store:  # the next nightly run
        again = SurrogateReplacer(store)
        assert _replace(again, "John Smith", "PERSON") == informal
        assert _replace(again, "00482913", "MRN") == mrn
    assert re.fullmatch(r"\d{8}", mrn) and other_patient  # same shape; p2 has a map of their own


def test_when_safe_harbor_then_dates_to_year_and_ages_grouped(store):
    replacer = SurrogateReplacer(store, "safe_harbor")
    assert _replace(replacer, "03/14/2023", "DATE") == "2023"
    assert _replace(replacer, "3/14", "DATE") == "[DATE]"
    assert _replace(replacer, "94", "AGE") == "90+"


def test_when_date_shift_then_one_offset_per_patient_keeps_intervals(store):
    replacer = SurrogateReplacer(store, "date_shift", max_shift_days=30)
    admitted = _replace(replacer, "2023-03-01", "DATE")
    discharged = _replace(replacer, "2023-03-11", "DATE")
    from datetime import date

    assert (date.fromisoformat(discharged) - date.fromisoformat(admitted)).days == 10
    offset = replacer.date_offset("p1")
    assert offset != 0 and abs(offset) <= 30 and replacer.date_offset("p1") == offset


def test_when_generator_returns_the_original_name_then_another_is_minted(store):
    replacer = SurrogateReplacer(store)
    fake = replacer._faker("en")
    surnames, firsts = iter(["Smith", "Smith", "Jones"]), iter(["John", "Ann"])
    fake.last_name = lambda: next(surnames)
    fake.first_name = lambda: next(firsts)
    assert _replace(replacer, "John Smith", "PERSON") == "Ann Jones"


def test_when_original_shares_every_draw_then_a_surrogate_is_still_minted(store):
    replacer = SurrogateReplacer(store)
    for text, label in [("10.0.0.113", "IP_ADDRESS"), ("am.co", "URL"), ("8am.co", "URL")]:
        out = _replace(replacer, text, label)
        assert out and out.lower() != text.lower()


def test_when_mint_never_differs_then_a_type_tag_not_an_error(store):
    from etl.deid.surrogates import _fresh

    assert _fresh(lambda: "SMITH", "Smith", fallback="[PERSON]")() != "SMITH"
    assert _fresh(lambda: "x", "", fallback="[PERSON]")() == "x"


def test_when_a_name_word_ends_a_sentence_then_it_is_replaced_too(store):
    replacer = SurrogateReplacer(store)
    out = _replace(replacer, "MARY DANIEL ROME.", "PERSON")
    assert "ROME" not in out and out.endswith(".")


def test_when_new_values_are_lost_with_a_killed_run_then_the_rerun_draws_the_same(tmp_path):
    """Surrogates are random but reproducible from the store: a run that dies before saving its new values
    and is run again gives what an uninterrupted run from the same store gives."""
    import shutil

    from etl.deid.pseudonyms import PseudonymStore
    from etl.deid.surrogates import SurrogateReplacer
    from schemas.records import Span

    text = "Seen by Dr. Okafor at Lakeview Clinic, 12 Main St; call 555-201-7788 or ann@mail.com."
    found = [(12, 18, "PERSON"), (22, 37, "ORGANIZATION"), (39, 49, "STREET_ADDRESS"), (56, 68, "PHONE"),
             (72, 84, "EMAIL")]  # fmt: skip
    spans = [Span(start, end, label, 1.0) for start, end, label in found]
    start = tmp_path / "start.sqlite3"
    PseudonymStore(start).close()

    def run(path, patients):
        with PseudonymStore(path) as store:
            replacer = SurrogateReplacer(store)
            return [replacer.replace(text, spans, store.get("patient", p), "en") for p in patients]

    shutil.copy(start, tmp_path / "whole.sqlite3")
    shutil.copy(start, tmp_path / "killed.sqlite3")
    whole = run(tmp_path / "whole.sqlite3", ["p1", "p2", "p3"])
    killed = PseudonymStore(tmp_path / "killed.sqlite3")
    SurrogateReplacer(killed).replace(text, spans, killed.get("patient", "p1"), "en")
    killed._db.close()  # dies before committing what it minted
    assert run(tmp_path / "killed.sqlite3", ["p1", "p2", "p3"]) == whole
    other = tmp_path / "other.sqlite3"  # another output folder: another secret, other surrogates
    assert run(other, ["p1", "p2", "p3"]) != whole
    assert all("Okafor" not in out and "555-201-7788" not in out for out in whole)
