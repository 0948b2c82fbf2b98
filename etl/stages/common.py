"""What the stages share: the run folder's stage files (PHI-free counts under audit/stages/), the staging
area and surrogate store under restricted/, the run's table contract, the clinic's own knowledge, the
staged notes read a part at a time, and preparing an output folder for a run.

Stages hand each other files, never note text: staged inputs (PHI) under OUT/restricted/staging/,
de-identified outputs under OUT/, and PHI-free counts under OUT/audit/stages/<stage>.json.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from pydantic import BaseModel

from etl.config import write_effective_config
from etl.deid.clinic import ClinicKnowledge, staged_clinic_knowledge
from etl.deid.notes import batched
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.tables import (
    known_identifiers,
    load_policy,
)
from etl.io import parquet_rows, private, write_json
from schemas.config import RunConfig
from schemas.contracts import Contract, TableContract, load_contract
from schemas.layout import RunLayout
from schemas.records import Note
from schemas.stages import STAGE_NAMES

S = TypeVar("S", bound=BaseModel)

log = logging.getLogger("clinetl")


def staging_dir(out_dir: Path) -> Path:
    return private(RunLayout(out_dir), RunLayout(out_dir).staging)


def pseudonyms(out_dir: Path) -> PseudonymStore:
    layout = RunLayout(out_dir)
    private(layout, layout.restricted)
    return PseudonymStore(layout.pseudonyms_file)


def run_contract(config: RunConfig) -> Contract | None:
    return load_contract(config.tables.contract) if config.tables.contract else None


def table_contract(contract: Contract | None, table: str) -> TableContract | None:
    return contract.tables.get(table) if contract else None


def write_stage(out_dir: Path, model: type[S], stats: dict[str, Any]) -> S:
    """A stage's counts, checked against its contract (schemas/stages.py) before they are written: a
    mismatch is a bug in the stage, caught before a later stage or the summary reads the file. Returns
    them typed."""
    typed = model.model_validate(stats)
    write_json(RunLayout(out_dir).stage_file(STAGE_NAMES[model]), stats)
    return typed


def read_stage(out_dir: Path, model: type[S]) -> S:
    """A stage's counts as the stage wrote them, typed (validated again: a file edited since is refused)."""
    return model.model_validate_json(RunLayout(out_dir).stage_file(STAGE_NAMES[model]).read_text(encoding="utf-8"))


def prepare_output(out_dir: Path, config: RunConfig) -> str:
    """Clear the previous run's derived outputs (the pseudonym map, the manifest and the notes and tables a
    later run may reuse persist) and record the config."""
    layout = RunLayout(out_dir)
    for folder in layout.cleared_each_run:
        shutil.rmtree(folder, ignore_errors=True)
    private(layout, layout.restricted)
    return write_effective_config(config, layout.audit_dir)


def clinic_knowledge(out_dir: Path, config: RunConfig) -> ClinicKnowledge:
    return staged_clinic_knowledge(staging_dir(out_dir), config)


PART_NOTES = 5_000  # staged notes read, and outcomes held, at a time: the stage's memory bound


def staged_note_batches(out_dir: Path) -> Iterator[list[Note]]:
    """The staged notes, PART_NOTES at a time (never all of them in memory)."""
    yield from batched((Note(**row) for row in parquet_rows(RunLayout(out_dir).staged_notes)), PART_NOTES)


def known_by_patient(out_dir: Path, config: RunConfig) -> dict[str, list[tuple[str, str]]]:
    patients = RunLayout(out_dir).staged_patients
    if not (config.deid.record_linked and patients.is_file()):
        return {}
    return known_identifiers(pd.read_parquet(patients), load_policy(config.tables.policy))
