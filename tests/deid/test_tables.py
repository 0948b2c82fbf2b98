from datetime import date

import pandas as pd
import pytest

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.surrogates import SurrogateReplacer
from etl.deid.tables import (
    PolicyError,
    TableContext,
    deidentify_table,
    known_identifiers,
    load_policy,
    output_schema,
    to_arrow,
)
from etl.io import Quarantine
from schemas.contracts import load_contract
from schemas.policy import TablePolicy

TODAY = date(2026, 1, 1)
CONTRACT = load_contract("synthea")


def _run(table, frame, policy, store, tmp_path, quarantine=None, offset=None):
    ctx = TableContext(policy=policy, store=store, today=TODAY, date_offset=offset)
    quarantine = Quarantine(tmp_path, "t") if quarantine is None else quarantine
    out, _ = deidentify_table(table, frame, ctx, quarantine, CONTRACT.tables.get(table))
    return out


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
    out = _run("patients", _patients(), policy, store, tmp_path)
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
    out = _run("patients", _patients(BIRTHDATE=birth, DEATHDATE=death), policy, store, tmp_path)
    assert out.iloc[0]["BIRTHDATE"] == expected


def test_when_zip3_is_sparse_then_000(policy, store, tmp_path):
    out = _run("patients", _patients(ZIP="03601"), policy, store, tmp_path)
    assert out.iloc[0]["ZIP"] == "000"


def test_when_column_unknown_then_run_stops_naming_table_and_column(policy, store, tmp_path):
    frame = _patients(NICKNAME="Annie")
    with pytest.raises(PolicyError) as err:
        _run("patients", frame, policy, store, tmp_path)
    assert "'NICKNAME'" in str(err.value) and "'patients'" in str(err.value) and "Annie" not in str(err.value)


def test_when_policy_default_drop_then_unknown_column_dropped(policy, store, tmp_path):
    lenient = TablePolicy.model_validate({**policy.model_dump(), "default": "drop"})
    out = _run("patients", _patients(NICKNAME="Annie"), lenient, store, tmp_path)
    assert "NICKNAME" not in out.columns


def test_when_table_unknown_then_run_stops(policy, store, tmp_path):
    with pytest.raises(PolicyError, match="'visits'"):
        _run("visits", pd.DataFrame({"a": ["1"]}), policy, store, tmp_path)


def test_when_value_malformed_then_row_quarantined_and_others_kept(policy, store, tmp_path):
    frame = pd.DataFrame(
        [
            {"START": "2020-01-01", "PATIENT": "p1", "ENCOUNTER": "e1", "CODE": "1", "DESCRIPTION": "x"},
            {"START": "last spring", "PATIENT": "p2", "ENCOUNTER": "e2", "CODE": "1", "DESCRIPTION": "x"},
        ]
    )
    quarantine = Quarantine(tmp_path, "t")
    out = _run("conditions", frame, policy, store, tmp_path, quarantine)
    assert len(out) == 1 and out.iloc[0]["START"] == "2020"
    assert quarantine.reasons() == {"type_error:START": 1}  # the contract says START is a date


def test_when_value_breaks_no_contract_but_a_rule_then_row_quarantined(policy, store, tmp_path):
    quarantine = Quarantine(tmp_path, "t")
    ctx = TableContext(policy=policy, store=store, today=TODAY)
    frame = pd.DataFrame([{"START": "soon", "PATIENT": "p1"}, {"START": "2020-02-02", "PATIENT": "p2"}])
    out, _ = deidentify_table("conditions", frame, ctx, quarantine, contract=None)
    assert list(out["START"]) == ["2020"] and quarantine.reasons() == {"bad_value:START": 1}


def test_when_required_column_missing_then_schema_drift_named(policy, store, tmp_path):
    with pytest.raises(PolicyError, match=r"'encounters' lacks required column.*PATIENT"):
        _run("encounters", pd.DataFrame([{"Id": "e1", "START": "2020-01-01T00:00:00Z"}]), policy, store, tmp_path)


def test_when_date_shift_policy_then_dates_move_by_the_patients_note_offset(store, tmp_path):
    policy = load_policy("synthea_date_shift")
    replacer = SurrogateReplacer(store)
    offset = lambda patient: replacer.date_offset(store.get("patient", patient))  # noqa: E731
    encounters = pd.DataFrame(
        [{"Id": "e1", "START": "2020-03-01T10:15:00Z", "STOP": "2020-03-03T09:00:00Z", "PATIENT": "p1"}]
    )
    out = _run("encounters", encounters, policy, store, tmp_path, offset=offset)
    days = replacer.date_offset(store.get("patient", "p1"))  # the offset the notes of p1 get
    start, stop = date.fromisoformat(out.iloc[0]["START"][:10]), date.fromisoformat(out.iloc[0]["STOP"][:10])
    assert (start - date(2020, 3, 1)).days == days and (stop - start).days == 2  # intervals kept
    assert out.iloc[0]["START"].endswith("T10:15:00Z")  # time and layout kept


def test_when_date_shift_and_age_over_89_then_birth_date_emptied(store, tmp_path):
    policy = load_policy("synthea_date_shift")
    offset = lambda patient: 10  # noqa: E731
    old = _run("patients", _patients(BIRTHDATE="1930-01-01"), policy, store, tmp_path, offset=offset)
    young = _run("patients", _patients(Id="p2", BIRTHDATE="1980-01-01"), policy, store, tmp_path, offset=offset)
    assert old.iloc[0]["BIRTHDATE"] == "" and young.iloc[0]["BIRTHDATE"] == "1980-01-11"


def test_when_presets_compared_then_same_columns_and_only_dates_differ():
    harbor, shift = load_policy("synthea_safe_harbor"), load_policy("synthea_date_shift")
    assert harbor.tables.keys() == shift.tables.keys()
    for name, table in harbor.tables.items():
        assert table.columns.keys() == shift.tables[name].columns.keys()
        for column, rule in table.columns.items():
            other = shift.tables[name].columns[column]
            if rule != other:
                assert (rule.action, rule.method) in {("generalize", "year"), ("generalize", "birth_year")}
                assert other.action == "shift_date", (name, column)


def test_when_generalize_age_then_over_89_is_90_plus(store, tmp_path):
    policy = TablePolicy.model_validate(
        {"name": "t", "tables": {"visits": {"columns": {"AGE": "generalize:age", "LAT": "generalize:coordinates"}}}}
    )
    ctx = TableContext(policy=policy, store=store, today=TODAY)
    frame = pd.DataFrame([{"AGE": "93", "LAT": "41.25861"}, {"AGE": "45", "LAT": "-95.9"}])
    out, _ = deidentify_table("visits", frame, ctx, Quarantine(tmp_path, "t"))
    assert list(out["AGE"]) == ["90+", "45"] and list(out["LAT"]) == ["41.3", "-95.9"]


def test_when_output_typed_then_parquet_schema_is_explicit(policy, store, tmp_path):
    ctx = TableContext(policy=policy, store=store, today=TODAY)
    frame = pd.DataFrame(
        [{"Id": "e1", "START": "2020-03-01T10:15:00Z", "PATIENT": "p1", "CODE": "0042", "BASE_ENCOUNTER_COST": "12.50"}]
    )
    out, rules = deidentify_table("encounters", frame, ctx, Quarantine(tmp_path, "t"), CONTRACT.tables["encounters"])
    table = to_arrow(out, output_schema(rules, CONTRACT.tables["encounters"]))
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {
        "Id": "string",
        "START": "int64",
        "PATIENT": "string",
        "CODE": "string",
        "BASE_ENCOUNTER_COST": "double",
    }
    assert table.column("CODE")[0].as_py() == "0042" and table.column("START")[0].as_py() == 2020


def test_when_same_patient_in_two_tables_then_same_key_across_runs(policy, tmp_path):
    path = tmp_path / "restricted" / "p.sqlite3"
    enc = pd.DataFrame([{"Id": "e1", "START": "2020-01-01", "PATIENT": "p1"}])
    with PseudonymStore(path) as first:
        patient_key = _run("patients", _patients(), policy, first, tmp_path)
    with PseudonymStore(path) as second:  # a later run
        encounters = _run("encounters", enc, policy, second, tmp_path)
    assert encounters.iloc[0]["PATIENT"] == patient_key.iloc[0]["Id"]


def test_when_patients_read_then_known_identifiers_by_patient(policy):
    known = known_identifiers(_patients(), policy)["p1"]
    assert ("SSN", "999-11-2222") in known and ("PERSON", "Ann Lee") in known and ("DATE", "1960-05-01") in known


def test_when_the_date_shift_preset_is_loaded_then_it_is_the_safe_harbor_policy_with_dates_shifted():
    from etl.deid.tables import load_policy

    base, shifted = load_policy("synthea_safe_harbor"), load_policy("synthea_date_shift")
    assert (shifted.name, shifted.date_mode, base.date_mode) == ("synthea_date_shift", "date_shift", "safe_harbor")
    assert set(shifted.tables) == set(base.tables) and shifted.restricted_zip3 == base.restricted_zip3
    changed = 0
    for table, rule in base.tables.items():
        for column, col_rule in rule.columns.items():
            new = shifted.tables[table].columns[column]
            if (col_rule.action, col_rule.method) == ("generalize", "year"):
                assert (new.action, new.method, new.phi) == ("shift_date", None, col_rule.phi), (table, column)
                changed += 1
            elif (table, column) == ("patients", "BIRTHDATE"):
                assert (new.action, new.max_age, new.death_column) == ("shift_date", 89, "DEATHDATE")
            else:
                assert new == col_rule, (table, column)
    assert changed > 30


def test_when_an_overlay_adds_or_replaces_rules_then_the_rest_is_the_base(tmp_path):
    from etl.deid.tables import PolicyError, load_policy

    (tmp_path / "clinic.yaml").write_text(
        "name: clinic\nextends: synthea_safe_harbor\ntables:\n"
        "  patients: {columns: {SSN: keep}}\n  wound_photos: {patient_column: PATIENT, columns: {PATIENT: drop}}\n"
    )
    policy, base = load_policy(str(tmp_path / "clinic.yaml")), load_policy("synthea_safe_harbor")
    assert policy.tables["patients"].columns["SSN"].action == "keep"
    assert policy.tables["patients"].columns["FIRST"] == base.tables["patients"].columns["FIRST"]
    assert policy.tables["wound_photos"].patient_column == "PATIENT" and policy.date_mode == "safe_harbor"
    (tmp_path / "loop.yaml").write_text(f"name: loop\nextends: {tmp_path / 'loop.yaml'}\n")
    with pytest.raises(PolicyError, match="extends itself"):
        load_policy(str(tmp_path / "loop.yaml"))
