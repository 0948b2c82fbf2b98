"""Task builders over a patient's de-identified structured record (OUT/tables/*.parquet):

* `treatment_outcome_v1` — condition + history -> the treatment the clinic gave and the outcome (what a
  clinic retraining on its own treatments wants): treatments are the medications and procedures whose
  reason is the condition; the outcome is the condition's status and the patient's later measurements.
* `timeline_narrative_v1` — the structured timeline by year -> a narrative.

Only years are used (whatever the date mode), ages over 89 are "90+". Task names are versioned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from etl.convert.templates import template
from schemas.config import ConvertConfig
from schemas.records import TrainingExample, Turn

_TABLES = ("patients", "conditions", "medications", "procedures", "encounters", "observations")
_MAX_ITEMS = 8  # per list in a prompt or answer: long lists are cut to the most recent, and say so


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime | date | pd.Timestamp):
        return int(value.year)
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _load(tables_dir: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in _TABLES:
        path = tables_dir / f"{name}.parquet"
        frames[name] = pd.read_parquet(path) if path.is_file() else pd.DataFrame()
    return frames


def _rows(frame: pd.DataFrame, patient: str) -> list[dict[str, Any]]:
    if frame.empty or "PATIENT" not in frame.columns:
        return []
    return frame[frame["PATIENT"] == patient].to_dict(orient="records")


def _listing(items: Iterable[str], words: dict[str, str]) -> str:
    unique = list(dict.fromkeys(i for i in items if i))
    if not unique:
        return words["none_recorded"]
    shown = ", ".join(unique[-_MAX_ITEMS:])
    return shown if len(unique) <= _MAX_ITEMS else f"{shown} ({words['and_more'].format(n=len(unique) - _MAX_ITEMS)})"


def _age(patient: dict[str, Any], year: int | None) -> str | None:
    born = _year(patient.get("BIRTHDATE"))
    if born is None or year is None:
        return None
    age = year - born
    return "90+" if age > 89 else str(age)


def _example(task: str, patient: str, key: str, lang: str, prompt: str, answer: str) -> TrainingExample:
    digest = hashlib.sha256(f"{patient}|{task}|{key}|{lang}".encode()).hexdigest()[:16]
    return TrainingExample(
        example_id=digest,
        kind="instruction",
        task=task,
        lang=lang,
        patient_key=patient,
        source_id=patient,
        source="record",
        turns=[Turn("user", prompt), Turn("assistant", answer)],
    )


def _treatment_outcome(
    patient: dict[str, Any], frames: dict[str, pd.DataFrame], lang: str
) -> tuple[list[TrainingExample], list[str]]:
    words = template(lang)
    key = str(patient["Id"])
    conditions = sorted(_rows(frames["conditions"], key), key=lambda r: _year(r.get("START")) or 0)
    treatments = _rows(frames["medications"], key) + _rows(frames["procedures"], key)
    observations = sorted(_rows(frames["observations"], key), key=lambda r: _year(r.get("DATE")) or 0)
    examples, skipped, done = [], [], set()
    for condition in conditions:
        code = str(condition.get("CODE") or "")
        if not code or code in done:
            continue
        done.add(code)
        onset = _year(condition.get("START"))
        given = [t for t in treatments if str(t.get("REASONCODE") or "") == code]
        if not given:
            skipped.append("no_treatment_recorded")
            continue
        history = [
            str(c["DESCRIPTION"])
            for c in conditions
            if c is not condition and (_year(c.get("START")) or 0) <= (onset or 0)
        ]
        age = _age(patient, onset)
        subject = words["patient_aged"].format(age=age) if age else words["patient"]
        sex = {"M": words["male"], "F": words["female"]}.get(str(patient.get("GENDER") or ""), "")
        prompt = words["treatment_outcome_instruction"].format(
            subject=f"{subject}{(' ' + sex) if sex else ''}",
            condition=condition["DESCRIPTION"],
            year=onset or words["unknown_year"],
            history=_listing(history, words),
        )
        treated = [f"{t['DESCRIPTION']} ({_year(t.get('START')) or words['unknown_year']})" for t in given]
        stop = _year(condition.get("STOP"))
        last = max((y for r in given if (y := _year(r.get("START"))) is not None), default=onset)
        latest = {  # the latest value of each measurement since the last treatment
            str(o["DESCRIPTION"]): f"{o['DESCRIPTION']} {o.get('VALUE', '')} {o.get('UNITS', '') or ''}".strip()
            + f" ({_year(o.get('DATE'))})"
            for o in observations
            if (_year(o.get("DATE")) or 0) >= (last or 0) and o.get("DESCRIPTION")
        }
        after = list(latest.values())
        outcome = words["resolved"].format(year=stop) if stop else words["ongoing"].format(year=last or onset)
        answer = f"{words['treatment']}: {_listing(treated, words)}.\n{words['outcome']}: {outcome}."
        if after:
            answer += f"\n{words['later_measurements']}: {_listing(after, words)}."
        examples.append(_example("treatment_outcome_v1", key, code, lang, prompt, answer))
    return examples, skipped


def _timeline_narrative(patient: dict[str, Any], frames: dict[str, pd.DataFrame], lang: str) -> TrainingExample | str:
    words = template(lang)
    key = str(patient["Id"])
    years: dict[int, dict[str, list[str]]] = {}
    for kind, table, column in (
        ("visit", "encounters", "START"),
        ("diagnosis", "conditions", "START"),
        ("procedure", "procedures", "START"),
        ("medication", "medications", "START"),
    ):
        for row in _rows(frames[table], key):
            year = _year(row.get(column))
            if year is not None and row.get("DESCRIPTION"):
                years.setdefault(year, {}).setdefault(kind, []).append(str(row["DESCRIPTION"]))
    if len(years) < 1 or sum(len(v) for kinds in years.values() for v in kinds.values()) < 3:
        return "timeline_too_short"
    lines, sentences = [], []
    for year in sorted(years)[-_MAX_ITEMS:]:
        kinds = years[year]
        lines.append(
            f"- {year}: " + "; ".join(f"{words[kind]}: {_listing(kinds[kind], words)}" for kind in sorted(kinds))
        )
        parts = [
            words[f"narrative_{kind}"].format(items=_listing(kinds[kind], words).lower()) for kind in sorted(kinds)
        ]
        sentences.append(words["narrative_year"].format(year=year, parts="; ".join(parts)))
    prompt = f"{words['timeline_instruction']}\n\n" + "\n".join(lines)
    return _example("timeline_narrative_v1", key, "timeline", lang, prompt, " ".join(sentences))


def build_record_examples(
    tables_dir: Path, config: ConvertConfig
) -> tuple[list[TrainingExample], dict[str, dict[str, int]]]:
    """Examples from every patient's structured record, and task -> reason -> count for those not built."""
    frames = _load(tables_dir)
    examples: list[TrainingExample] = []
    skipped: dict[str, dict[str, int]] = {}
    if frames["patients"].empty:
        return examples, skipped
    for patient in frames["patients"].to_dict(orient="records"):
        for lang in config.record_languages:
            built, reasons = _treatment_outcome(patient, frames, lang)
            examples.extend(built)
            for reason in reasons:
                skipped.setdefault("treatment_outcome_v1", {}).setdefault(reason, 0)
                skipped["treatment_outcome_v1"][reason] += 1
            narrative = _timeline_narrative(patient, frames, lang)
            if isinstance(narrative, str):
                skipped.setdefault("timeline_narrative_v1", {}).setdefault(narrative, 0)
                skipped["timeline_narrative_v1"][narrative] += 1
            else:
                examples.append(narrative)
    return examples, skipped
