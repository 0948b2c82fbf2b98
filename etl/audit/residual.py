"""Residual-PHI scan: a second pass, independent of detection, over every shareable output of a run.

(a) Known identifiers: every identifying value of the structured source (the patients table's columns the
    policy marks as PHI, its patient ids, first + last names), matched as whole token sequences,
    case-insensitively, whatever the punctuation between tokens ("123-45-6789" and "123 45 6789" alike).
    Birth dates are searched in every written form the scan knows (etl/audit/written_forms.py, its own
    code: at least every form record-linked detection looks for, which a test holds). A lone name token that
    is an ordinary English word ("Hope", "Mark") is not evidence and is searched only as part of the
    full name.
(b) High-recall patterns: SSN-, phone- and e-mail-shaped text, unless it is a surrogate this run logged.

Findings give the file, the record (a surrogate key or a line number), the kind and the count; never the
value.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from etl.audit.written_forms import written_dates, written_names

# words: runs of letters and digits, except that each Chinese character is a word of its own (Chinese runs
# its words together: "患者张伟" holds the name 张伟 as two of its four tokens)
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[^\W_\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MIN_CHARS = 4  # shorter values ("Al", "Li", "12") match too much ordinary text to be evidence
_TEXT_SUFFIXES = {".json", ".jsonl", ".md", ".yaml", ".yml", ".csv", ".txt", ".log", ".html"}
PATTERNS = {
    "SSN": re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)"),
    "PHONE": re.compile(r"(?<!\d)(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)"),
    "EMAIL": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
}
# what each pattern cannot match without: searched first, since it starts with a plain character class and
# the regex engine skips ahead on it (the patterns themselves are tried at every position)
_NEEDS = {
    "SSN": re.compile(r"\d{2}-\d{4}"),
    "PHONE": re.compile(r"\d{3}[ .-]\d{4}"),
    "EMAIL": re.compile("@"),
}


CELL = "\x1f"  # joins a Parquet row's cells in records(): a boundary no known value crosses


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text.lower()))


@dataclass
class KnownIndex:
    """Token sequences of known identifier values -> (kind, value) pairs; searched from each word that
    starts one."""

    grams: dict[tuple[str, ...], set[tuple[str, str]]] = field(default_factory=dict)
    longest: int = 0
    sizes: dict[str, set[int]] = field(default_factory=dict)  # first token -> lengths of grams it starts

    @classmethod
    def build(cls, values: Iterable[tuple[str, str]], ordinary_words: frozenset[str] = frozenset()) -> KnownIndex:
        index = cls()
        for kind, value in values:
            if kind in ("DATE", "BIRTHDATE"):
                forms = written_dates(value)
            else:
                forms = written_names(value) if kind == "PERSON" else [value]
            for form in forms:
                gram = tokens(form)
                # two Chinese characters are a name ("张伟"); elsewhere fewer than four characters match too much
                han_name = len(gram) >= 2 and all(_HAN.fullmatch(t) for t in gram)
                if not gram or (len("".join(gram)) < _MIN_CHARS and not han_name):
                    continue
                if len(gram) == 1 and gram[0] in ordinary_words:
                    continue
                index.grams.setdefault(gram, set()).add((kind, value))
                index.sizes.setdefault(gram[0], set()).add(len(gram))
                index.longest = max(index.longest, len(gram))
        return index

    def matches(self, text: str) -> Iterator[set[tuple[str, str]]]:
        """For each place in `text` where a known value's tokens occur: the (kind, value) pairs it is. A
        value never runs across a CELL break (a table's cells: "4 | 10.12" in two numeric columns is not
        the date 4/10/12)."""
        for piece in text.split(CELL):
            words = tokens(piece)
            for start, word in enumerate(words):
                for size in self.sizes.get(word, ()):  # most words start no known value: one lookup each
                    if start + size > len(words):  # a slice past the end would be a shorter gram, counted twice
                        continue
                    entries = self.grams.get(words[start : start + size])
                    if entries:
                        yield entries

    def find(self, text: str) -> Counter[str]:
        """Kinds of known values in `text`, counted once per place."""
        found: Counter[str] = Counter()
        for entries in self.matches(text):
            found.update({kind for kind, _ in entries})
        return found


def normalized(value: str) -> str:
    """Letters and digits only, lower-cased: "(583) 392-2870" and "583-392-2870" compare equal."""
    return "".join(_TOKEN.findall(value)).lower()


def _pattern_hits(text: str, surrogates: frozenset[str]) -> Counter[str]:
    """Pattern hits that are not logged surrogates (`surrogates`: normalized)."""
    found: Counter[str] = Counter()
    for kind, pattern in PATTERNS.items():
        if _NEEDS[kind].search(text) is None:
            continue
        found[kind] += sum(1 for m in pattern.finditer(text) if normalized(m.group(0)) not in surrogates)
    return +found


def records(path: Path) -> Iterator[tuple[str, str]]:
    """(record location, text) for each record of an output file: a Parquet row (its cells joined by CELL;
    named by its first *_key column, else its row number), a JSONL line, or a line of any other text file."""
    if path.suffix == ".parquet":
        parquet = pq.ParquetFile(path)
        row = 0
        for batch in parquet.iter_batches(batch_size=2_000):
            columns = batch.to_pydict()
            key = next((c for c in columns if c.endswith("_key")), None)
            for i in range(batch.num_rows):
                text = CELL.join(str(columns[c][i]) for c in columns if columns[c][i] is not None)
                yield (f"{key}={columns[key][i]}" if key else f"row {row + 1}"), text
                row += 1
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            yield f"line {number}", line


def shareable_files(out_dir: Path, extra: Iterable[tuple[Path, str]] = ()) -> list[tuple[Path, str]]:
    """(path, name in the report) of every file a run may share: all of OUT outside restricted/, plus
    `extra` (datasets still held back under restricted/ until the gate passes, named as published)."""
    files = [
        (p, p.relative_to(out_dir).as_posix())
        for p in sorted(out_dir.rglob("*"))
        if p.is_file()
        and "restricted" not in p.relative_to(out_dir).parts
        and p.name != ".clinetl.lock"
        and (p.suffix in _TEXT_SUFFIXES or p.suffix == ".parquet")
    ]
    for folder, name in extra:
        files += [(p, f"{name}/{p.relative_to(folder).as_posix()}") for p in sorted(folder.rglob("*")) if p.is_file()]
    return files


def scan(files: list[tuple[Path, str]], index: KnownIndex, surrogates: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Findings per (file, record, kind): known identifiers and pattern hits (`surrogates`: this run's
    logged surrogates, normalized, which patterns do not count), counts only."""
    known: list[dict[str, Any]] = []
    patterns: Counter[tuple[str, str]] = Counter()
    for path, name in files:
        for record, text in records(path):
            for kind, count in sorted(index.find(text).items()):
                known.append({"file": name, "record": record, "kind": kind, "count": count})
            for kind, count in _pattern_hits(text, surrogates).items():
                patterns[(name, kind)] += count
    return {
        "files_scanned": len(files),
        "values_searched": len(index.grams),
        "known": known,
        "known_total": sum(f["count"] for f in known),
        "patterns": [{"file": f, "kind": k, "count": n} for (f, k), n in sorted(patterns.items())],
        "patterns_total": sum(patterns.values()),
    }


def write_findings(path: Path, findings: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(findings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
