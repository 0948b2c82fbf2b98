from datetime import date

import pandas as pd
import pytest

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.tables import PolicyError, deidentify_table, known_identifiers, load_policy
from etl.io import Quarantine
from schemas.policy import TablePolicy

TODAY = date(2026, 1, 1)


@pytest.fixture
def policy():
    return load_policy("synthea_safe_harbor")


@pytest.fixture
def store(tmp_path):
    with PseudonymStore(tmp_path / "restricted" / "p.sqlite3") as s:
        yield s


def _patients(**overrides):
    row = {
        "Id": "p1",
        "BIRTHDATE": "1960-05-01",
        "DEATHDATE": "",
        "SSN": "999-11-2222",
        "FIRST": "Ann",
        "LAST": "Lee",
        "ADDRESS": "1 Main St",
        "CITY": "Omaha",
        "STATE": "Nebraska",
        "ZIP": "68504",
        "GENDER": "F",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_when_patients_deidentified_then_identifiers_gone(policy, store, tmp_path):
    out = deidentify_table("patients", _patients(), policy, store, Quarantine(tmp_path, "t"), TODAY)
    assert list(out.columns) == ["Id", "BIRTHDATE", "DEATHDATE", "STATE", "ZIP", "GENDER"]
    row = out.iloc[0]
    assert row["BIRTHDATE"] == "1960" and row["ZIP"] == "685" and row["Id"].startswith("pat-")
    assert "p1" not in out.to_csv() and "Lee" not in out.to_csv()


@pytest.mark.parametrize(
    ("birth", "death", "expected"),
    [
        ("1930-01-01", "", ""),  # 96 today: Safe Harbor's 90+
        ("1930-01-01", "2010-01-01", "1930"),  # died at 80
        ("1936-06-01", "", "1936"),  # 89
    ],
)
def test_when_age_over_89_then_birth_year_suppressed(policy, store, tmp_path, birth, death, expected):
    out = deidentify_table(
        "patients", _patients(BIRTHDATE=birth, DEATHDATE=death), policy, store, Quarantine(tmp_path, "t"), TODAY
    )
    assert out.iloc[0]["BIRTHDATE"] == expected


def test_when_zip3_is_sparse_then_000(policy, store, tmp_path):
    out = deidentify_table("patients", _patients(ZIP="03601"), policy, store, Quarantine(tmp_path, "t"), TODAY)
    assert out.iloc[0]["ZIP"] == "000"


def test_when_column_unknown_then_run_stops_naming_table_and_column(policy, store, tmp_path):
    frame = _patients(NICKNAME="Annie")
    with pytest.raises(PolicyError) as err:
        deidentify_table("patients", frame, policy, store, Quarantine(tmp_path, "t"), TODAY)
    assert "'NICKNAME'" in str(err.value) and "'patients'" in str(err.value) and "Annie" not in str(err.value)


def test_when_policy_default_drop_then_unknown_column_dropped(policy, store, tmp_path):
    lenient = TablePolicy.model_validate({**policy.model_dump(), "default": "drop"})
    out = deidentify_table("patients", _patients(NICKNAME="Annie"), lenient, store, Quarantine(tmp_path, "t"), TODAY)
    assert "NICKNAME" not in out.columns


def test_when_table_unknown_then_run_stops(policy, store, tmp_path):
    with pytest.raises(PolicyError, match="'visits'"):
        deidentify_table("visits", pd.DataFrame({"a": ["1"]}), policy, store, Quarantine(tmp_path, "t"), TODAY)


def test_when_value_malformed_then_row_quarantined_and_others_kept(policy, store, tmp_path):
    frame = pd.DataFrame(
        [
            {"START": "2020-01-01", "PATIENT": "p1", "ENCOUNTER": "e1", "CODE": "1", "DESCRIPTION": "x"},
            {"START": "last spring", "PATIENT": "p2", "ENCOUNTER": "e2", "CODE": "1", "DESCRIPTION": "x"},
        ]
    )
    quarantine = Quarantine(tmp_path, "t")
    out = deidentify_table("conditions", frame, policy, store, quarantine, TODAY)
    assert len(out) == 1 and out.iloc[0]["START"] == "2020"
    assert quarantine.reasons() == {"bad_value:START": 1}


def test_when_same_patient_in_two_tables_then_same_key_across_runs(policy, tmp_path):
    path = tmp_path / "restricted" / "p.sqlite3"
    enc = pd.DataFrame([{"Id": "e1", "START": "2020-01-01", "PATIENT": "p1"}])
    with PseudonymStore(path) as first:
        patient_key = deidentify_table("patients", _patients(), policy, first, Quarantine(tmp_path, "t"), TODAY)
    with PseudonymStore(path) as second:  # a later run
        encounters = deidentify_table("encounters", enc, policy, second, Quarantine(tmp_path, "t"), TODAY)
    assert encounters.iloc[0]["PATIENT"] == patient_key.iloc[0]["Id"]


def test_when_patients_read_then_known_identifiers_by_patient(policy):
    known = known_identifiers(_patients(), policy)["p1"]
    assert ("SSN", "999-11-2222") in known and ("PERSON", "Ann Lee") in known and ("DATE", "1960-05-01") in known
