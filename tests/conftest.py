"""Shared fixtures. Tests use only what the project generates or ships (never ../shared)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Isolate Prefect's database and storage from the user's ~/.prefect, before prefect is imported anywhere.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="clinetl-prefect-"))
from etl.offline import set_offline_env

set_offline_env()


@pytest.fixture(scope="session")
def run_config():
    from etl.config import load_config

    return load_config()


@pytest.fixture(scope="session")
def deidentifier(run_config):
    from etl.deid.text import TextDeidentifier

    return TextDeidentifier(run_config.deid)


@pytest.fixture(scope="session")
def clinic(tmp_path_factory) -> Path:
    """A small generated clinic (8 patients, English and Spanish, tables + csv and txt notes)."""
    from etl.synth import generate_clinic

    path = tmp_path_factory.mktemp("clinic")
    generate_clinic(path, patients=8, seed=11)
    return path


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test harness for the whole session: entering it costs ~13 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
