"""The clinic's own knowledge as known identifiers, searched for in every note (not only one patient's):
the identifying columns of its staff and organization tables (providers, organizations, payers: the
columns the table policy marks with `phi`) and a steward's site list of what no table holds — facility
names and abbreviations, buildings and wards, staff.

The site list is a YAML file kept with the clinic's records (it names people and places), never in the
run's config, which is written to the shareable audit folder; `deid.site_list` names the file:

    facilities: [Lakeshore Methodist Hospital, LMH]   # ORGANIZATION
    places: [Ferris, Stanhope, Carrow 4]              # LOCATION: buildings, wards, units, neighbourhoods
    staff: [Maria Lopez, J. Welsh]                    # PERSON
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from etl.deid.lexicon import unknown_word
from etl.deid.tables import resolve_columns
from schemas.config import RunConfig
from schemas.policy import TablePolicy

SITE_LIST_KEYS = {"facilities": "ORGANIZATION", "places": "LOCATION", "staff": "PERSON"}


class SiteListError(ValueError):
    """The site list cannot be read. The message names the file or key, never an entry."""


@dataclass(frozen=True)
class ClinicKnowledge:
    """(label, value) pairs found in every note: from the clinic's tables, and from the steward's site list
    (whose single words count in any case: the steward chose them). `digest` stands for them in
    fingerprints and summaries; the values themselves never leave restricted/."""

    values: tuple[tuple[str, str], ...] = ()
    site: tuple[tuple[str, str], ...] = ()
    # words of the clinic's coded descriptions (conditions, medications, procedures…): clinical vocabulary the
    # recall backstop and the model then leave alone ("dextromethorphan", "actuat", "Trinessa")
    vocabulary: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        parts = [sorted(self.values), sorted(self.site), sorted(self.vocabulary)]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.values or self.site)

    @property
    def identifiers(self) -> tuple[tuple[str, str], ...]:
        """Every known (label, value), from the tables and the site list."""
        return self.values + self.site

    def to_json(self) -> str:
        return json.dumps({"values": self.values, "site": self.site, "vocabulary": self.vocabulary})

    @classmethod
    def from_json(cls, text: str) -> ClinicKnowledge:
        data = json.loads(text)
        return cls(
            tuple((str(a), str(b)) for a, b in data["values"]),
            tuple((str(a), str(b)) for a, b in data["site"]),
            tuple(str(w) for w in data.get("vocabulary", ())),
        )


_WORD = re.compile(r"[^\W\d_]{3,}")


def coded_vocabulary(tables: dict[str, pd.DataFrame], policy: TablePolicy) -> tuple[str, ...]:
    """Lower-cased words of the *DESCRIPTION columns the policy keeps (coded terms: SNOMED, RxNorm, LOINC
    descriptions), which name conditions, drugs and procedures, never people."""
    words: set[str] = set()
    for name, frame in tables.items():
        rule = policy.tables.get(name)
        if rule is None or frame.empty:
            continue
        for column, column_rule in resolve_columns(policy, name, rule, list(frame.columns)).items():
            if column_rule.action == "keep" and not column_rule.phi and column.upper().endswith("DESCRIPTION"):
                for value in frame[column].dropna().astype(str).unique():
                    words.update(w.lower() for w in _WORD.findall(value))
    return tuple(sorted(words))


_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_LINKING = frozenset({"of", "the", "and", "at", "for", "&"})


def initialism(name: str) -> str | None:
    """How staff abbreviate an organization: its words' initials ("Greystone Valley University Hospital" ->
    "GVUH", "St. Ignatius Medical Center" -> "SIMC"); None under three letters or where the letters spell a
    word or abbreviation the lexicons know."""
    words = [w for w in _NAME_WORD.findall(name) if w.lower() not in _LINKING]
    letters = "".join(w[0] for w in words).upper()
    return letters if len(letters) >= 3 and unknown_word(letters) else None


def table_knowledge(tables: dict[str, pd.DataFrame], policy: TablePolicy) -> ClinicKnowledge:
    """Distinct values of the policy's `phi` columns in every table not keyed by patient, and the words of
    the coded descriptions of every table."""
    values: set[tuple[str, str]] = set()
    for name, frame in tables.items():
        rule = policy.tables.get(name)
        if rule is None or rule.patient_column is not None or frame.empty:
            continue
        for column, column_rule in resolve_columns(policy, name, rule, list(frame.columns)).items():
            if column_rule.phi:
                values |= {(column_rule.phi, str(v).strip()) for v in frame[column].dropna() if str(v).strip()}
    values |= {("ORGANIZATION", a) for label, v in list(values) if label == "ORGANIZATION" and (a := initialism(v))}
    return ClinicKnowledge(values=tuple(sorted(values)), vocabulary=coded_vocabulary(tables, policy))


def read_site_list(path: Path) -> ClinicKnowledge:
    """The steward's site list; fails closed on anything it cannot read as the documented layout."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SiteListError(f"site list {path.name} cannot be read ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise SiteListError(f"site list {path.name} must map {', '.join(SITE_LIST_KEYS)} to lists of names")
    values: set[tuple[str, str]] = set()
    for key, entries in data.items():
        if key not in SITE_LIST_KEYS:
            raise SiteListError(f"site list {path.name}: unknown key {key!r} (expected {', '.join(SITE_LIST_KEYS)})")
        if not isinstance(entries, list) or not all(isinstance(e, str | int) for e in entries):
            raise SiteListError(f"site list {path.name}: {key} must be a list of names")
        values |= {(SITE_LIST_KEYS[key], str(e).strip()) for e in entries if str(e).strip()}
    return ClinicKnowledge(site=tuple(sorted(values)))


def staged_clinic_knowledge(staging: Path, config: RunConfig) -> ClinicKnowledge:
    """The clinic's own names and numbers as a run staged them under restricted/staging/ (its tables other
    than patients, the site list); nothing when record-linked detection is off."""
    if not config.deid.record_linked:
        return ClinicKnowledge()
    from etl.deid.tables import load_policy

    tables = {
        p.stem: pd.read_parquet(p) for p in sorted((staging / "tables").glob("*.parquet")) if p.stem != "patients"
    }
    knowledge = table_knowledge(tables, load_policy(config.tables.policy))
    site = staging / "site_list.yaml"
    return ClinicKnowledge(knowledge.values, read_site_list(site).site) if site.is_file() else knowledge
