"""FHIR R4 bundles -> the Synthea tables and notes: the FHIR and CSV forms of one generated clinic agree."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.config import load_config
from etl.io import Quarantine
from etl.sources import read_fhir
from etl.stages.common import prepare_output
from etl.stages.ingest import run as ingest
from etl.stages.tables import run as deidentify_tables
from etl.synth.fhir import write_fhir_bundles
from schemas.config import RunConfig
from schemas.layout import RunLayout


@pytest.fixture(scope="module")
def fhir_clinic(clinic, tmp_path_factory):
    root = tmp_path_factory.mktemp("fhir_clinic")
    write_fhir_bundles(clinic, root / "fhir")
    return root


def _csv(clinic, table):
    return pd.read_csv(clinic / f"{table}.csv", dtype=str, keep_default_na=False)


def test_when_bundles_read_then_same_patients_and_counts_as_csv(clinic, fhir_clinic, tmp_path):
    quarantine = Quarantine(tmp_path, "t")
    tables, notes, unread = read_fhir(sorted((fhir_clinic / "fhir").glob("*.json")), fhir_clinic, quarantine)
    assert set(tables["patients"]["Id"]) == set(_csv(clinic, "patients")["Id"])
    assert Counter(tables["encounters"]["PATIENT"]) == Counter(_csv(clinic, "encounters")["PATIENT"])
    for table in ("conditions", "medications", "procedures", "observations"):
        assert len(tables[table]) == len(_csv(clinic, table)), table
    assert sorted(n.note_id for n in notes) == sorted(_csv(clinic, "notes")["NOTE_ID"])
    assert len(quarantine) == 0 and unread == {}


def test_when_patient_mapped_then_synthea_columns_filled(clinic, fhir_clinic, tmp_path):
    tables, _, _ = read_fhir(sorted((fhir_clinic / "fhir").glob("*.json")), fhir_clinic, Quarantine(tmp_path, "t"))
    fhir = tables["patients"].set_index("Id").sort_index()
    csv = _csv(clinic, "patients").set_index("Id").sort_index()
    for column in (
        "BIRTHDATE",
        "SSN",
        "DRIVERS",
        "PASSPORT",
        "FIRST",
        "LAST",
        "ADDRESS",
        "CITY",
        "ZIP",
        "GENDER",
        "RACE",
    ):
        assert list(fhir[column]) == list(csv[column]), column


def test_when_bundle_broken_or_resource_unusable_then_quarantined_with_reason(tmp_path):
    folder = tmp_path / "fhir"
    folder.mkdir()
    (folder / "broken.json").write_text('{"resourceType": "Bundle", "entry": [', encoding="utf-8")
    document = {"resourceType": "DocumentReference", "id": "d1", "content": [{"attachment": {"data": "!!"}}]}
    bundle = {"resourceType": "Bundle", "entry": [{"resource": document}, {"resource": {"resourceType": "Claim"}}]}
    (folder / "one.json").write_text(json.dumps(bundle), encoding="utf-8")
    quarantine = Quarantine(tmp_path, "t")
    tables, notes, unread = read_fhir(sorted(folder.glob("*.json")), tmp_path, quarantine)
    assert quarantine.reasons() == {"fhir:not_a_json_bundle": 1, "fhir:DocumentReference:no_text_attachment": 1}
    assert unread == {"Claim": 1} and notes == [] and tables == {}


@pytest.mark.model
def test_when_fhir_clinic_run_then_tables_deidentified_like_csv(clinic, fhir_clinic, tmp_path):
    base = load_config().model_dump()
    config = RunConfig.model_validate({**base, "source": {**base["source"], "fhir_paths": ["fhir/*.json"]}})
    out = tmp_path / "out"
    prepare_output(out, config)
    ingest(fhir_clinic, RunLayout(out), config)
    deidentify_tables(RunLayout(out), config)
    patients = pq.read_table(out / "tables" / "patients.parquet").to_pandas()
    encounters = pq.read_table(out / "tables" / "encounters.parquet").to_pandas()
    assert len(patients) == len(_csv(clinic, "patients")) and len(encounters) == len(_csv(clinic, "encounters"))
    assert set(encounters["PATIENT"]) <= set(patients["Id"])  # joins work through the pseudonymized keys
    identifying = _csv(clinic, "patients")[["FIRST", "LAST", "SSN", "DRIVERS", "PASSPORT", "ADDRESS", "BIRTHDATE"]]
    dumped = "\n".join(pq.read_table(p).to_pandas().to_csv() for p in (out / "tables").glob("*.parquet"))
    assert [v for v in identifying.to_numpy().ravel() if v and v in dumped] == []
