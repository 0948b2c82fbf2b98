"""A real `clinetl run` killed part-way, then run again, ends with exactly the output of an uninterrupted
run: nothing duplicated, nothing lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from etl.deid.pseudonyms import PseudonymStore
from tests.test_incremental import _digest

pytestmark = [pytest.mark.flow, pytest.mark.model]


def _cli(source, out):
    return [sys.executable, "-m", "etl.cli", "run", "--source", str(source), "--out", str(out)]


def test_when_run_killed_then_rerun_gives_the_uninterrupted_output(clinic, tmp_path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    # Both folders start from the same, still empty, surrogate store (its secret seeds every new value):
    # the killed run's new surrogates are lost with it, and the rerun must draw exactly the uninterrupted
    # run's. (A store copied from a finished run would hide that: every value would already be in it.)
    fresh = tmp_path / "store" / "pseudonyms.sqlite3"
    PseudonymStore(fresh).close()
    for folder in (whole, killed):
        (folder / "restricted").mkdir(parents=True, mode=0o700)
        shutil.copy2(fresh, folder / "restricted" / "pseudonyms.sqlite3")
    subprocess.run(_cli(clinic, whole), env=env, check=True, capture_output=True, timeout=600)

    # a session of its own, so the kill takes its children too (Prefect's ephemeral API server would
    # otherwise outlive the test, as it would not outlive a crashed machine)
    process = subprocess.Popen(
        _cli(clinic, killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while not (killed / "audit" / "stages" / "tables.json").exists():  # kill while the notes are being done
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert not (killed / "audit" / "summary.json").exists()  # it really died part-way

    subprocess.run(_cli(clinic, killed), env=env, check=True, capture_output=True, timeout=600)
    ignore = {"restricted/pseudonyms.sqlite3"}  # same content, but SQLite's page layout may differ
    expected = {k: v for k, v in _digest(whole).items() if k not in ignore}
    assert {k: v for k, v in _digest(killed).items() if k not in ignore} == expected
    assert not list(killed.rglob("*.tmp")), "no temporary file is left behind"
