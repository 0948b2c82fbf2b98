"""OMOP CDM v5.4 tables, generated from a synthetic clinic, read into the clinic schema: the same patients,
encounters, clinical rows and notes as the clinic read as CSV, through the same policy."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from etl.config import ConfigError, load_config
from etl.sources import SourceError
from etl.stages import common, ingest, tables
from etl.synth.omop import write_omop
from schemas.config import AdapterConfig
from schemas.layout import RunLayout


@pytest.fixture(scope="module")
def omop_clinic(tmp_path_factory):
    from etl.synth import generate_clinic

    root = tmp_path_factory.mktemp("omop")
    generate_clinic(root / "synthea", patients=5, seed=21)
    counts = write_omop(root / "synthea", root / "clinic" / "omop")
    return root / "synthea", root / "clinic", counts


def _config():
    config = load_config()
    return config.model_copy(
        update={"source": config.source.model_copy(update={"adapters": {"omop": AdapterConfig(paths=["omop/*"])}})}
    )


def _ingest(clinic, out):
    config = _config()
    common.prepare_output(out, config)
    ingest.run(clinic, RunLayout(out), config)
    return json.loads(RunLayout(out).stage_file("ingest").read_text()), config


def test_when_omop_tables_are_read_then_they_are_the_clinic_read_as_csv(omop_clinic, tmp_path):
    synthea, clinic, counts = omop_clinic
    stage, _ = _ingest(clinic, tmp_path / "out")
    staged = tmp_path / "out" / "restricted" / "staging" / "tables"
    patients = pd.read_parquet(staged / "patients.parquet")
    source = pd.read_csv(synthea / "patients.csv", dtype=str, keep_default_na=False)
    assert list(patients["BIRTHDATE"]) == list(source["BIRTHDATE"])
    assert list(patients["GENDER"]) == list(source["GENDER"])
    person_ids = pd.read_csv(clinic / "omop" / "person.csv", dtype=str)["person_id"]
    person = dict(zip(source["Id"], person_ids, strict=True))
    for table, omop in (("encounters", "visit_occurrence"), ("conditions", "condition_occurrence"),
                        ("medications", "drug_exposure"), ("procedures", "procedure_occurrence"),
                        ("observations", "measurement")):  # fmt: skip
        frame = pd.read_parquet(staged / f"{table}.parquet")
        original = pd.read_csv(synthea / f"{table}.csv", dtype=str, keep_default_na=False)
        assert len(frame) == counts[omop] == len(original) == stage["tables"][table]["in"], table
        if table != "encounters":  # codes and names through concept.csv (one name a code, the first seen)
            names = dict(reversed(list(zip(original["CODE"], original["DESCRIPTION"], strict=True))))
            assert list(frame["CODE"]) == list(original["CODE"]), table
            assert list(frame["DESCRIPTION"]) == [names[code] for code in original["CODE"]], table
        assert list(frame["PATIENT"]) == [person[p] for p in original["PATIENT"]], table
    notes = pd.read_parquet(tmp_path / "out" / "restricted" / "staging" / "notes.parquet")
    csv_notes = pd.read_csv(synthea / "notes.csv", dtype=str, keep_default_na=False)
    assert list(notes["text"]) == list(csv_notes["TEXT"]) and stage["notes"]["in"] == counts["note"]
    # what OMOP holds and the clinic schema has no place for is counted by column, never silently dropped;
    # the source systems' own ids (person_source_value, visit_source_value) are not read at all
    not_read = stage["adapters"]["omop"]["columns_not_read"]
    assert not_read["person"] == {"person_source_value": len(source)}
    assert not_read["visit_occurrence"] == {"visit_source_value": counts["visit_occurrence"]}
    encounters = pd.read_parquet(staged / "encounters.parquet").to_csv()
    assert not any(uuid in encounters for uuid in source["Id"])


def test_when_omop_tables_go_through_the_tables_stage_then_the_policy_covers_them(omop_clinic, tmp_path):
    _, clinic, _ = omop_clinic
    _, config = _ingest(clinic, tmp_path / "out")
    stats = tables.run(RunLayout(tmp_path / "out"), config).model_dump(by_alias=True)  # typed, as written
    assert stats["tables"]["patients"]["out"] == 5 and not stats["tables"]["patients"]["quarantined"]
    out = pd.read_parquet(tmp_path / "out" / "tables" / "patients.parquet")
    assert all(len(str(value)) == 4 for value in out["BIRTHDATE"])  # Safe Harbor: the year


def test_when_an_omop_table_lacks_person_id_then_the_stop_names_file_and_column(omop_clinic, tmp_path):
    _, clinic, _ = omop_clinic
    broken = tmp_path / "clinic"
    shutil.copytree(clinic, broken)
    frame = pd.read_csv(broken / "omop" / "measurement.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["person_id"]).to_csv(broken / "omop" / "measurement.csv", index=False)
    with pytest.raises(SourceError, match=r"^measurement\.csv: no column person_id"):
        _ingest(broken, tmp_path / "out")


def test_when_two_sources_give_the_same_table_of_their_own_then_the_stop_names_it(omop_clinic, tmp_path):
    synthea, clinic, _ = omop_clinic
    both = tmp_path / "clinic"
    shutil.copytree(clinic, both)
    shutil.copy(synthea / "patients.csv", both / "patients.csv")  # patients from the folder and from OMOP
    with pytest.raises(SourceError, match=r"^table patients comes from two sources"):
        _ingest(both, tmp_path / "out")


def test_when_omop_folder_holds_a_file_not_of_omop_then_it_is_not_read_nor_named(omop_clinic, tmp_path):
    _, clinic, _ = omop_clinic
    extra = tmp_path / "clinic"
    shutil.copytree(clinic, extra)
    (extra / "omop" / "maria_lopez_export.csv").write_text("person_id,note\n1,x\n", encoding="utf-8")
    stage, _ = _ingest(extra, tmp_path / "out")
    view = json.dumps(stage["source_files"])
    assert "maria" not in view.lower() and "maria" not in json.dumps(stage["adapters"]).lower()
    inventory = json.loads((tmp_path / "out" / "restricted" / "ingest" / "inventory.json").read_text())
    entry = next(e for e in inventory if e["rel"].endswith("maria_lopez_export.csv"))
    assert entry["read_as"] is None and "source.adapters.omop.paths" in entry["why"]


def test_when_config_turns_on_an_adapter_that_is_not_registered_then_it_is_refused(tmp_path):
    (tmp_path / "c.yaml").write_text("source:\n  adapters:\n    omopp:\n      paths: ['omop/*']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no source adapter named omopp"):
        load_config(tmp_path / "c.yaml")
