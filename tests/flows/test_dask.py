"""The same flow on a 2-worker Dask LocalCluster (prefect-dask): detection mapped over batches of notes on
the workers, the output identical to the local run's."""

from __future__ import annotations

import shutil

import pytest

from tests.test_incremental import _digest

pytest.importorskip("prefect_dask")
pytestmark = [pytest.mark.flow, pytest.mark.model]


def test_when_run_on_dask_then_output_identical_to_local(clinic, prefect_harness, tmp_path):
    from prefect_dask import DaskTaskRunner

    from flows.clinic_run import clinic_run

    local, dask = tmp_path / "local", tmp_path / "dask"
    config = tmp_path / "small_batches.yaml"
    config.write_text("batch_size: 4\n")  # several batches, so both workers get some
    clinic_run(source=str(clinic), out=str(local), config_path=str(config))
    # the clinic's persistent map (surrogates, keys, date offsets) is the same for both folders
    (dask / "restricted").mkdir(parents=True, mode=0o700)
    shutil.copy2(local / "restricted" / "pseudonyms.sqlite3", dask / "restricted" / "pseudonyms.sqlite3")
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
    clinic_run.with_options(task_runner=runner)(
        source=str(clinic), out=str(dask), config_path=str(config), distributed=True
    )
    ignore = {"restricted/pseudonyms.sqlite3"}
    assert {k: v for k, v in _digest(dask).items() if k not in ignore} == {
        k: v for k, v in _digest(local).items() if k not in ignore
    }
    assert not (dask / "restricted" / "staging" / "detect").exists()  # batch files are cleaned up
