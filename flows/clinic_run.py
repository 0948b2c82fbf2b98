"""`clinetl run`: the stages of etl/stages/ in order, one Prefect task each, named as the stage:
ingest -> tables -> notes -> datasets -> audit -> summary.

Parameters, results and logs carry only paths and counts. Results are not persisted
(`persist_result=False`) so no return value is pickled into Prefect's storage.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.states import State

from etl.config import load_config, load_effective_config
from etl.io import open_shareable, private_umask, run_lock
from etl.stages import audit, datasets, ingest, notes, summary, tables
from etl.stages.common import prepare_output
from schemas.config import RunConfig
from schemas.layout import RunLayout


def _frozen(out: str) -> RunConfig:
    """Tasks use the config the run froze at its start, never the (editable) file."""
    return load_effective_config(Path(out) / "audit")


_PERMANENT_OS_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


def _transient(task: object, task_run: object, state: State) -> bool:
    """Retry only what a second try can change: an I/O error of a source share that blinked. A policy gap,
    a wrong encoding, a broken file or a missing path fails the same way every time: no retry."""
    error = state.data if isinstance(state.data, BaseException) else None
    return isinstance(error, OSError) and not isinstance(error, _PERMANENT_OS_ERRORS)


@task(name="ingest", persist_result=False, retries=2, retry_delay_seconds=30, retry_condition_fn=_transient)
def ingest_task(source: str, out: str) -> str:
    ingest.run(Path(source), RunLayout(Path(out)), _frozen(out))
    return str(RunLayout(Path(out)).stage_file("ingest"))


@task(name="tables", persist_result=False)
def tables_task(out: str) -> str:
    tables.run(RunLayout(Path(out)), _frozen(out))
    return str(RunLayout(Path(out)).stage_file("tables"))


@task(name="plan_notes", persist_result=False)
def plan_notes_task(out: str) -> list[str]:
    return notes.plan_note_batches(Path(out), _frozen(out))


@task(name="detect_notes", persist_result=False)
def detect_notes_task(batch: str, out: str) -> str:
    """Detection for one batch (hundreds of notes: a task costs tens of ms, never map single notes)."""
    return notes.detect_note_batch(batch, _frozen(out))


@task(name="notes", persist_result=False)
def notes_task(out: str, detected: list[str] | None = None) -> str:
    notes.run(RunLayout(Path(out)), _frozen(out), detected)
    return str(RunLayout(Path(out)).stage_file("notes"))


@task(name="datasets", persist_result=False)
def datasets_task(out: str) -> str:
    datasets.run(RunLayout(Path(out)), _frozen(out))
    return str(RunLayout(Path(out)).stage_file("datasets"))


@task(name="audit", persist_result=False)
def audit_task(out: str) -> str:
    """Residual scan and gate: datasets are published only if it passes."""
    audit.run(RunLayout(Path(out)), _frozen(out))
    return str(RunLayout(Path(out)).stage_file("audit"))


@task(name="summary", persist_result=False)
def summary_task(out: str, started_at: str) -> str:
    summary.run(RunLayout(Path(out)), _frozen(out), started_at)
    return str(RunLayout(Path(out)).summary_file)


@flow(name="clinetl-run", persist_result=False, log_prints=False)
def clinic_run(source: str, out: str, config_path: str | None = None, distributed: bool = False) -> str:
    """Run the whole pipeline on one clinic folder; returns the path of audit/summary.json. `distributed`:
    detection is mapped over batches of notes on the flow's task runner (a Dask cluster, which must see
    OUT on a shared filesystem); replacement stays in the flow's process with the surrogate map."""
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    # one refresh per output folder at a time; every file is created owner-only, and the PHI-free outputs
    # opened up to the caller's umask at the end (restricted/ never is)
    with run_lock(Path(out)), private_umask() as umask:
        try:
            return _stages(source, out, config_path, distributed, started_at)
        finally:
            open_shareable(Path(out), umask)


def _stages(source: str, out: str, config_path: str | None, distributed: bool, started_at: str) -> str:
    """The stages in order (etl/stages/), each a task run of the flow under the stage's own name."""
    prepare_output(Path(out), load_config(config_path))
    ingest_task(source, out)
    tables_task(out)
    detected = None
    if distributed:
        batches = plan_notes_task(out)
        detected = [future.result() for future in detect_notes_task.map(batches, out=unmapped(out))]
    notes_task(out, detected)
    datasets_task(out)
    audit_task(out)
    return summary_task(out, started_at)
