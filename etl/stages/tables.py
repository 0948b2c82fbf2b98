"""The tables stage: the column policy applied to every staged table, redoing only the tables that changed
since the last run, and the k-anonymity report. Entry point: `run(out_dir, config)`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.risk import k_anonymity_report
from etl.deid.surrogates import SurrogateReplacer
from etl.deid.tables import (
    FreeText,
    TableContext,
    deidentify_table,
    load_policy,
    output_schema,
    to_arrow,
    unlisted_columns,
)
from etl.deid.text import DeidError, TextDeidentifier, make_replacer
from etl.io import Quarantine, write_json, write_parquet
from etl.lang import detect_lang
from etl.manifest import ReusePlanner, fingerprint, write_manifest
from etl.stages.common import (
    clinic_knowledge,
    known_by_patient,
    log,
    pseudonyms,
    run_contract,
    table_contract,
    write_stage,
)
from schemas.config import RunConfig
from schemas.layout import RunLayout
from schemas.policy import TablePolicy
from schemas.stages import TablesStats


def _free_text_deidentifier(out_dir: Path, config: RunConfig, store: PseudonymStore) -> FreeText:
    """Table cells routed through note de-identification, with the row's patient record; cached by value
    and patient because coded answers repeat thousands of times. The models load at the first cell."""

    @lru_cache(maxsize=1)
    def loaded() -> tuple[TextDeidentifier, dict[str, list[tuple[str, str]]], Any]:
        known = known_by_patient(out_dir, config)
        clinic = clinic_knowledge(out_dir, config)
        avoid = [*known.values(), list(clinic.identifiers)]
        return TextDeidentifier(config.deid, clinic), known, make_replacer(config.deid, store, avoid)

    @lru_cache(maxsize=100_000)
    def free_text(value: str, patient: str) -> str:
        lang = detect_lang(value, config.deid.default_lang)
        deidentifier, known, replacer = loaded()
        try:
            key = store.get("patient", patient) if patient else ""
            return deidentifier.deidentify(value, lang, known.get(patient, []), key, replacer).text
        except DeidError as exc:
            raise ValueError(str(exc)) from None

    return free_text


def _needs_free_text(policy: TablePolicy, tables: list[str]) -> bool:
    return any(r.action == "free_text" for t in tables if t in policy.tables for r in policy.tables[t].columns.values())


def run(layout: RunLayout, config: RunConfig) -> TablesStats:
    """Apply the column policy to every staged table; write OUT/tables/<table>.parquet with an explicit
    schema, and the k-anonymity report over the configured quasi-identifiers."""
    policy = load_policy(config.tables.policy)
    contract = run_contract(config)
    out_dir = layout.root
    quarantine = Quarantine(out_dir, "tables")
    staged = sorted(layout.staged_tables.glob("*.parquet"))
    stats: dict[str, dict[str, Any]] = {}
    with pseudonyms(out_dir) as store:
        needed = _needs_free_text(policy, [p.stem for p in staged])
        replacer = SurrogateReplacer(store, max_shift_days=config.deid.max_shift_days)
        ctx = TableContext(
            policy=policy,
            store=store,
            today=datetime.now(UTC).date(),
            free_text=_free_text_deidentifier(out_dir, config, store) if needed else None,
            date_offset=lambda patient: replacer.date_offset(store.get("patient", patient) if patient else ""),
        )
        planner = ReusePlanner(
            out_dir,
            "tables",
            fingerprint(
                policy.model_dump(),
                contract.model_dump() if contract else None,
                config.deid.model_dump(),
                config.tables.k_anonymity.model_dump(),
                _table_print(layout.staged_patients, None),
            ),
        )
        previous = planner.previous
        manifest, redone = [], 0
        for path in staged:
            frame = pd.read_parquet(path)
            output = layout.tables_dir / f"{path.stem}.parquet"
            print_ = _table_print(path, frame)
            before_stats = planner.reusable(path.stem, print_, lambda _row: output.is_file())  # noqa: B023
            if before_stats is not None:
                stats[path.stem] = json.loads(before_stats["outcome"])  # nothing changed: the output stands
                manifest.append(before_stats)
                continue
            before, redone = len(quarantine), redone + 1
            its_contract = table_contract(contract, path.stem)
            result = deidentify_table(path.stem, frame, ctx, quarantine, its_contract)
            if result is None:
                continue
            table, rules = result
            write_parquet(output, to_arrow(table, output_schema(rules, its_contract)))
            stats[path.stem] = {
                "in": len(frame),
                "out": len(table),
                "quarantined": len(quarantine) - before,
                "columns_dropped_by_default": unlisted_columns(policy.tables[path.stem], list(frame.columns)),
            }
            if not stats[path.stem]["quarantined"]:  # a table with quarantined rows is redone, re-quarantining them
                manifest.append(planner.row(path.stem, print_, path.stem, json.dumps(stats[path.stem])))
    for stale in layout.tables_dir.glob("*.parquet"):
        if stale.stem not in stats:  # gone from the source, or now dropped by the policy: erased
            stale.unlink()
    write_manifest(out_dir, "tables", sorted(manifest, key=lambda row: row["record_key"]))
    quarantine.flush()
    risk = k_anonymity_report(layout.tables_dir, config.tables.k_anonymity)
    write_json(layout.k_anonymity_file, risk)
    redone = len([m for m in manifest if previous.get(m["record_key"]) != m]) + sum(
        1 for name, row in stats.items() if row["quarantined"]
    )
    incremental = {
        "processed": redone,
        "skipped_unchanged": len(stats) - redone,
        "deleted": planner.deleted({p.stem for p in staged}),
    }
    log.info("tables: %d tables, %d de-identified now", len(stats), redone)
    return write_stage(
        out_dir,
        TablesStats,
        {
            "tables": stats,
            "quarantine_reasons": quarantine.reasons(),
            "date_mode": policy.date_mode,
            "k_anonymity": risk,
            "incremental": incremental,
        },
    )


def _table_print(path: Path, frame: pd.DataFrame | None) -> str:
    """A staged table's content fingerprint (columns and every value); "" when there is no such table.
    `frame`: the table when already read."""
    if frame is None:
        if not path.is_file():
            return ""
        frame = pd.read_parquet(path)
    return fingerprint(list(frame.columns), pd.util.hash_pandas_object(frame, index=False).tolist())
