"""Which file of a clinic folder is read as what: one walk over the folder, names and extensions matched
without regard to case, and an inventory that accounts for every file, read or not.

File names can hold identifiers (C-CDA and FHIR exports are named after their patient, txt notes sit in a
folder named by patient id), so the PHI-free view of the inventory names only tables and top-level notes
files; every other file is counted by folder, extension and what it was read as. The full list, with
names, is kept under restricted/.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from etl.sources.errors import SourceError
from schemas.config import SourceConfig

TABLE_SUFFIXES = (".csv", ".parquet")
NOTE_SUFFIXES = (".csv", ".jsonl", ".parquet", ".txt")
# Extensions of files a clinic export uses for records: one of them left unread is worth a warning.
_RECORD_LIKE = {".csv", ".tsv", ".parquet", ".jsonl", ".json", ".ndjson", ".txt", ".xml", ".xlsx", ".xls", ".rtf"}


_PLAIN_NOTES_NAME = re.compile(r"notes?[\d\W_]*", re.IGNORECASE)


@lru_cache(maxsize=64)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob over relative posix paths ('*' within one folder, '**/' any folders, '?' one character),
    matched without regard to case."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE)


def matches(rel: str, patterns: list[str]) -> bool:
    return any(glob_regex(p.removeprefix("./")).match(rel) for p in patterns)


@dataclass
class FileEntry:
    rel: str  # path relative to the source folder (may hold identifiers: restricted/ only)
    read_as: str | None  # "table", "notes", "ccda", "fhir", "site_list" or an adapter's name; None: not read
    table: str | None = None
    why: str | None = None  # why a file was not read
    records: int | None = None  # records the file holds, counted apart from the parser (header excluded)
    bom: bool = False

    @property
    def suffix(self) -> str:
        return Path(self.rel).suffix.lower()

    @property
    def looks_like_records(self) -> bool:
        return self.read_as is None and (self.suffix in _RECORD_LIKE or "note" in Path(self.rel).name.lower())


@dataclass
class ClinicFiles:
    root: Path
    entries: list[FileEntry] = field(default_factory=list)
    config_folders: frozenset[str] = frozenset()

    def of_kind(self, kind: str) -> list[FileEntry]:
        return [e for e in self.entries if e.read_as == kind]

    def tables(self) -> dict[str, Path]:
        return {e.table: self.root / e.rel for e in self.of_kind("table") if e.table is not None}

    def entry(self, path: Path) -> FileEntry | None:
        rel = path.relative_to(self.root).as_posix()
        return next((e for e in self.entries if e.rel == rel), None)

    def _where(self, entry: FileEntry) -> str:
        parts = entry.rel.split("/")
        if len(parts) == 1:
            return "."
        return parts[0] if parts[0].lower() in self.config_folders else "(another folder)"

    def _named(self, entry: FileEntry) -> bool:
        """Files whose name the audit may show: tables (their names are the policy's) and notes files at
        the top level or in a configured folder whose name is "notes" and numbers ("notes_2024.csv"; a
        glob could also match "notes_John_Smith.csv")."""
        if entry.table is not None:  # named after a table of the policy's, or of an adapter's own vocabulary
            return True
        plain = _PLAIN_NOTES_NAME.fullmatch(Path(entry.rel).stem)
        return (
            entry.read_as == "notes"
            and entry.suffix != ".txt"
            and self._where(entry) != "(another folder)"
            and bool(plain)
        )

    def audit_view(self) -> dict[str, Any]:
        """What each file was read as, without any name a file could owe to a patient."""
        named = [
            {"file": e.rel, "read_as": e.read_as, "table": e.table, "records": e.records, "bom": e.bom}
            for e in self.entries
            if self._named(e)
        ]
        groups: Counter[tuple[str, str, str, str]] = Counter()
        records: Counter[tuple[str, str, str, str]] = Counter()
        for e in self.entries:
            if not self._named(e):
                key = (self._where(e), e.suffix or "(none)", e.read_as or "not read", e.why or "")
                groups[key] += 1
                records[key] += e.records or 0
        grouped = [
            {
                "folder": w,
                "extension": x,
                "read_as": r,
                "why": why or None,
                "files": n,
                "records": records[(w, x, r, why)],
            }
            for (w, x, r, why), n in sorted(groups.items())
        ]
        return {"files": len(self.entries), "named": named, "grouped": grouped}

    def warnings(self) -> list[str]:
        """One line per kind of file that looks like records and was not read (names withheld)."""
        unread: Counter[tuple[str, str]] = Counter(
            (self._where(e), e.suffix) for e in self.entries if e.looks_like_records
        )
        return [
            f"{n} {ext or 'extension-less'} file(s) in {'the top level' if where == '.' else where} look like "
            "records and were not read (restricted/ingest/inventory.json names them; source.* paths read them)"
            for (where, ext), n in sorted(unread.items())
        ]

    def full_view(self) -> list[dict[str, Any]]:
        return [e.__dict__ | {"suffix": e.suffix} for e in self.entries]


def _walk(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder).relative_to(root)
        for name in sorted(files):
            if not name.startswith("."):
                found.append((base / name).as_posix())
    return sorted(found)


# An adapter's claim on a file its paths match: the name of the table it reads the file as, or None when
# the file is not one it reads.
Claim = Callable[[str], str | None]


def survey(
    root: Path, config: SourceConfig, site_list: str | None = None, claims: Mapping[str, Claim] | None = None
) -> ClinicFiles:
    """Every file under `root` (hidden files and folders aside), with what it will be read as. `claims`:
    each registered adapter's claim, by name; the adapters `source.adapters` turns on are looked up there
    (an unknown name stops the run)."""
    claims = claims or {}
    if unknown := sorted(set(config.adapters) - set(claims)):
        raise SourceError(f"source.adapters: no source adapter named {', '.join(unknown)} (known: {', '.join(claims)})")
    order: dict[str, int] = {}  # table folder -> its place in source.tables.folders ("" is the top level)
    for index, name in enumerate(config.tables.folders):
        order.setdefault(_config_folder(name), index)
    adapter_paths = [p for adapter in config.adapters.values() for p in adapter.paths]
    every_path = [*config.notes.paths, *config.ccda_paths, *config.fhir_paths, *adapter_paths]
    pattern_roots = {p.split("/")[0].lower() for p in every_path if "/" in p}
    files = ClinicFiles(root, config_folders=frozenset((set(order) | pattern_roots) - {""}))
    tables: list[FileEntry] = []
    for rel in _walk(root) if root.is_dir() else []:
        path = Path(rel)
        folder = _folder(rel)
        entry = FileEntry(rel, None)
        if site_list is not None and rel == Path(site_list).as_posix().removeprefix("./"):
            entry.read_as = "site_list"
        elif adapter := next((a for a, c in config.adapters.items() if matches(rel, c.paths)), None):
            if (table := claims[adapter](rel)) is not None:
                entry.read_as, entry.table = adapter, table
            else:
                entry.why = f"matches source.adapters.{adapter}.paths but is not a file it reads"
        elif matches(rel, config.notes.paths):
            if path.suffix.lower() in NOTE_SUFFIXES:
                entry.read_as = "notes"
            else:
                entry.why = "matches source.notes.paths but is not csv, jsonl, parquet or txt"
        elif matches(rel, config.fhir_paths):
            entry.read_as = "fhir"
        elif matches(rel, config.ccda_paths):
            entry.read_as = "ccda"
        elif path.suffix.lower() in TABLE_SUFFIXES and folder in order:
            tables.append(entry)
        else:
            entry.why = "matches no source path in the config"
        files.entries.append(entry)
    seen: set[str] = set()  # a table's first file in the order of source.tables.folders is read
    for entry in sorted(tables, key=lambda e: (order[_folder(e.rel)], e.rel)):
        name = Path(entry.rel).stem.lower()
        if name in seen:
            entry.why = "another file of the same table is read (source.tables.folders order)"
        else:
            entry.read_as, entry.table = "table", name
            seen.add(name)
    return files


def _config_folder(name: str) -> str:
    """A folder as the config names it, as _folder gives it: "." and "./" are the top level ("")."""
    return name.strip("./").lower()


def _folder(rel: str) -> str:
    parent = Path(rel).parent.as_posix()
    return "" if parent == "." else parent.lower()
