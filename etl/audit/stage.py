"""The audit stage, after datasets are built and before anything is published:

1. the residual scan over every shareable output, the datasets still held under restricted/pending/;
2. the gate: datasets are published to OUT/datasets only when the scan stays within audit.gate_*, else
   moved to restricted/withheld/ (they may hold PHI) and the run is marked failed;
3. the audit log, restricted/audit/replacements.jsonl: every replacement in the current outputs (record
   ids, offsets, label, recognizer, score, surrogate; never the original value);
4. the review sample under restricted/review/;
5. entity counts by source kind and note type, for the report.
"""

from __future__ import annotations

import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.audit.drop import drop_flagged
from etl.audit.residual import KnownIndex, normalized, scan, shareable_files, write_findings
from etl.audit.review import write_review
from etl.audit.written_forms import dictionary_words
from etl.deid.clinic import staged_clinic_knowledge
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.tables import known_identifiers, load_policy
from etl.io import private, write_jsonl
from schemas.config import RunConfig
from schemas.layout import RunLayout

# the kinds the gate searches for: what identifies a patient on its own. Places (city, county, birthplace)
# and ZIP codes are left out: the clinic's own town appears legitimately in outputs.
GATED_KINDS = frozenset(
    {"PERSON", "ID", "MRN", "PATIENT_ID", "SSN", "PHONE", "EMAIL", "STREET_ADDRESS", "DATE", "URL", "IP_ADDRESS"}
)
_SOURCE_KINDS = {"xml": "C-CDA", "txt": "text files", "csv": "CSV", "jsonl": "JSONL", "parquet": "Parquet"}


class GateFailed(RuntimeError):
    """The residual scan found more than the gate allows; the run's datasets were withheld."""


def pending_datasets(out_dir: Path) -> Path:
    """Where datasets are built: under restricted/ until the gate lets them out."""
    layout = RunLayout(out_dir)
    private(layout, layout.pending_datasets.parent)
    return layout.pending_datasets


def source_kind(source: str | None) -> str:
    """The kind of source a note came from; never its file name (C-CDA and text file names hold names)."""
    text = str(source or "")
    if text.startswith(("sql", "postgresql", "sqlite")):
        return "SQL"
    if "fhir" in text.lower():
        return "FHIR"
    return _SOURCE_KINDS.get(Path(text).suffix.lstrip(".").lower(), "other")


@lru_cache(maxsize=2)
def ordinary_words(model: str | None) -> frozenset[str]:
    """English words (WordNet base forms and irregular forms from the English model's lemmatizer tables):
    a lone name token that is one of these is no evidence of a leak."""
    if model is None:
        return frozenset()
    import spacy

    from etl.deid.analyzer import resolve_model  # where the model is installed, not what detection knows

    return dictionary_words(spacy.load(resolve_model(model)))


def known_index(out_dir: Path, config: RunConfig) -> KnownIndex:
    """Every identifying value of the staged patients table (policy-marked PHI columns, full names, the
    patient id), whatever patient it belongs to, and the clinic's own (staff, organizations, site list)."""
    path = RunLayout(out_dir).staged_patients
    values: list[tuple[str, str]] = []
    if path.is_file():
        patients = pd.read_parquet(path)
        for patient_id, known in known_identifiers(patients, load_policy(config.tables.policy)).items():
            values.append(("PATIENT_ID", patient_id))
            values += [(kind, value) for kind, value in known if kind in GATED_KINDS]
    values += [(kind, value) for kind, value in clinic_values(out_dir, config) if kind in GATED_KINDS]
    return KnownIndex.build(values, ordinary_words(config.deid.models.get("en")))


def clinic_values(out_dir: Path, config: RunConfig) -> tuple[tuple[str, str], ...]:
    """The clinic's own staff names, addresses and numbers (staged tables, site list): the gate looks for
    them in every output too (a staff name left in a sign-off is an identifier like a patient's)."""
    knowledge = staged_clinic_knowledge(RunLayout(out_dir).staging, config)
    return knowledge.identifiers


def _surrogates(spans: pa.Table) -> frozenset[str]:
    return frozenset(normalized(s) for s in spans.column("surrogate").to_pylist() if s)


def _write_audit_log(out_dir: Path, spans: pa.Table, ids: dict[str, str]) -> int:
    rows = (
        {
            "record_id": ids.get(row["note_key"]),
            "note_key": row["note_key"],
            "start": row["start"],
            "end": row["end"],
            "label": row["label"],
            "recognizer": row["recognizer"],
            "score": round(row["score"], 4),
            "surrogate": row["surrogate"],
        }
        for batch in spans.to_batches(10_000)
        for row in batch.to_pylist()
    )
    layout = RunLayout(out_dir)
    private(layout, layout.replacements_file.parent)
    return write_jsonl(layout.replacements_file, rows)


def _entity_breakdown(out_dir: Path, spans: pa.Table, ids: dict[str, str]) -> dict[str, dict[str, int]]:
    notes = pq.read_table(RunLayout(out_dir).notes_file, columns=["note_key", "note_type"]).to_pylist()
    note_type = {n["note_key"]: n["note_type"] or "unknown" for n in notes}
    staged = pq.read_table(RunLayout(out_dir).staged_notes, columns=["note_id", "source"])
    sources = map(source_kind, staged.column("source").to_pylist())
    kind_by_id = dict(zip(staged.column("note_id").to_pylist(), sources, strict=True))
    by_type: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    for key in spans.column("note_key").to_pylist():
        by_type[note_type.get(key, "unknown")] += 1
        by_source[kind_by_id.get(ids.get(key, ""), "other")] += 1
    return {"by_note_type": dict(sorted(by_type.items())), "by_source": dict(sorted(by_source.items()))}


def audit_stage(out_dir: Path, config: RunConfig, table_date_mode: str | None = None) -> dict[str, Any]:
    """Scan, gate, publish or withhold, log, sample (`table_date_mode`: how the tables stage treated
    dates). Returns the stage's counts (no PHI)."""
    layout = RunLayout(out_dir)
    spans_path = layout.spans_file
    spans = pq.read_table(spans_path) if spans_path.is_file() else None
    pending = pending_datasets(out_dir)
    files = shareable_files(out_dir, [(pending, "datasets")] if pending.is_dir() else [])
    shutil.rmtree(layout.residual_dir, ignore_errors=True)  # what an earlier run took out
    index, surrogates = known_index(out_dir, config), _surrogates(spans) if spans is not None else frozenset()
    findings = scan(files, index, surrogates)
    # Under date shifting, a shifted date can equal another patient's birth date, which a value scan cannot
    # tell from a leak: dates are then reported, not gated (names, numbers, addresses still are).
    dates_gated = config.deid.date_mode != "date_shift" and table_date_mode != "date_shift"
    gated_findings = [f for f in findings["known"] if dates_gated or f["kind"] != "DATE"]
    dropped: dict[str, Any] | None = None
    if gated_findings and config.audit.on_residual == "drop_records":
        dropped = drop_flagged(out_dir, pending, gated_findings, list(config.convert.formats))
        dropped["findings_before"] = sum(f["count"] for f in gated_findings)
        findings = scan(files, index, surrogates)  # what is left must pass on its own
        gated_findings = [f for f in findings["known"] if dates_gated or f["kind"] != "DATE"]
    gated = sum(f["count"] for f in gated_findings)
    findings["dates_gated"] = dates_gated
    write_findings(layout.residual_file, findings)
    audit = config.audit
    passed = gated <= audit.gate_max_known and (
        audit.gate_max_patterns is None or findings["patterns_total"] <= audit.gate_max_patterns
    )
    gate = {
        "passed": passed,
        "known": gated,
        "known_dates_not_gated": findings["known_total"] - gated,
        "patterns": findings["patterns_total"],
        "max_known": audit.gate_max_known,
        "max_patterns": audit.gate_max_patterns,
        "files_scanned": findings["files_scanned"],
        "datasets": "published" if passed else "withheld",
        "on_residual": config.audit.on_residual,
    }
    if dropped is not None:
        gate["dropped"] = dropped
    if pending.is_dir():
        target = layout.datasets_dir if passed else private(layout, layout.withheld_datasets.parent) / "datasets"
        shutil.rmtree(target, ignore_errors=True)
        pending.rename(target)
        pending.parent.rmdir()
    stats: dict[str, Any] = {"gate": gate, "replacements_logged": 0, "review_sample": 0}
    if spans is not None:
        with PseudonymStore(layout.pseudonyms_file) as store:
            ids = store.originals("note")  # note key -> source note id
        stats["replacements_logged"] = _write_audit_log(out_dir, spans, ids)
        stats["entities"] = _entity_breakdown(out_dir, spans, ids)
        stats["review_sample"] = write_review(
            out_dir,
            layout.staged_notes,
            spans,
            ids,
            audit.review_sample,
            audit.review_seed,
        )
    return stats
