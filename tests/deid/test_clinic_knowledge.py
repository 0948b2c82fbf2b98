"""The clinic's own names and numbers (staff and organization tables, the steward's site list) are found in
every note, whatever the case; their values never reach an error message."""

import pandas as pd
import pytest

from etl.deid.clinic import ClinicKnowledge, SiteListError, read_site_list, table_knowledge
from etl.deid.recognizers.gazetteer import KnownValuesRecognizer
from etl.deid.tables import load_policy

VALUES = (
    ("PERSON", "Katherine White"),
    ("PERSON", "Gerardo48 Rentería94"),
    ("PERSON", "Toby Kessler"),
    ("ORGANIZATION", "PARADISE VALLEY HOSPITAL"),
    ("PHONE", "6194704321"),
)
SITE = (("LOCATION", "Ferris"), ("ORGANIZATION", "LMH"))


def _found(text):
    recognizer = KnownValuesRecognizer("en", VALUES, SITE)
    return [text[r.start : r.end] for r in recognizer.analyze(text, [])]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("SIGNED: KATHERINE WHITE RN", "KATHERINE WHITE"),
        ("white, katherine called back", "white, katherine"),
        ("Seen by Gerardo Rentería in clinic.", "Gerardo Rentería"),
        ("pt transferred from paradise valley hospital", "paradise valley hospital"),
        ("call (619) 470-4321 with results", "619) 470-4321"),
        ("KESSLER AWARE OF LABS", "KESSLER"),  # a surname no dictionary holds, alone
        ("RETURNED FROM FERRIS 7 AT 1400", "FERRIS"),  # the site list's words count in any case
        ("f/u in lmh clinic", "lmh"),
    ],
)
def test_when_clinic_value_in_any_case_then_found(text, value):
    assert any(value.lower() in found.lower() for found in _found(text)), _found(text)


def test_when_surname_is_an_english_word_then_alone_only_capitalized_mid_sentence():
    assert _found("wbc 14.2, white count rising") == []
    assert _found("WHITE COUNT RISING") == []
    assert _found("Report given to White at 1900.") == ["White"]


def test_when_tables_marked_phi_then_their_values_are_known_and_patients_are_not():
    policy = load_policy("synthea_safe_harbor")
    tables = {
        "providers": pd.DataFrame({"Id": ["p1"], "NAME": ["Katherine White"], "ADDRESS": ["1 Main St"]}),
        "patients": pd.DataFrame({"Id": ["x"], "FIRST": ["Ann"], "LAST": ["Lee"]}),
    }
    known = table_knowledge(tables, policy)
    assert ("PERSON", "Katherine White") in known.values and ("STREET_ADDRESS", "1 Main St") in known.values
    assert not any(value == "Ann" for _, value in known.values)  # patients are known per patient, elsewhere


def test_when_site_list_read_then_labels_by_key_and_errors_never_echo_entries(tmp_path):
    good = tmp_path / "site.yaml"
    good.write_text("facilities: [Lakeshore Methodist Hospital, LMH]\nplaces: [Ferris]\nstaff: [Maria Lopez]\n")
    site = read_site_list(good).site
    assert ("ORGANIZATION", "LMH") in site and ("LOCATION", "Ferris") in site and ("PERSON", "Maria Lopez") in site
    bad = tmp_path / "bad.yaml"
    bad.write_text("wards: [Secret Ward Name]\n")
    with pytest.raises(SiteListError) as error:
        read_site_list(bad)
    assert "wards" in str(error.value) and "Secret" not in str(error.value)


def test_when_knowledge_round_trips_then_digest_is_stable_and_holds_no_value():
    knowledge = ClinicKnowledge(VALUES, SITE)
    again = ClinicKnowledge.from_json(knowledge.to_json())
    assert again == knowledge and again.digest == knowledge.digest and "White" not in knowledge.digest


def test_when_organization_named_in_table_then_its_initials_are_known_too():
    from etl.deid.clinic import initialism

    assert initialism("Greystone Valley University Hospital") == "GVUH"
    assert initialism("St. Ignatius Medical Center") == "SIMC"
    assert initialism("Mercy Hospital") is None  # two letters abbreviate too many things
