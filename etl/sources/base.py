"""What a source is: the `Source` protocol every source implements, and `Adapter`, a source that
`source.adapters.<name>` turns on and that claims the files it reads (etl/sources/registry.py lists them).

Every source reads what the config turns on and maps it into the clinic schema (Synthea's tables and
columns, schemas/contracts/synthea.yaml): tables by name with the rows it quarantined, notes as a stream,
and a PHI-free report for audit/stages/ingest.json. A source has a `name`, a `joins` rule for its tables
("own": a table no other source may also give; "append": rows added to the same table from other sources)
and `read(context) -> SourceRead`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

import pandas as pd

from etl.io import Quarantine
from etl.sources.discovery import ClinicFiles
from schemas.config import RunConfig
from schemas.records import Note


@dataclass(frozen=True)
class SourceContext:
    source_dir: Path
    config: RunConfig
    quarantine: Quarantine
    files: ClinicFiles  # which file of the source folder is read as what; receives what each file holds


@dataclass
class SourceRead:
    tables: dict[str, tuple[pd.DataFrame, int]] = field(default_factory=dict)  # name -> (frame, quarantined)
    notes: Iterable[Note] = ()
    report: dict[str, Any] | None = None  # PHI-free counts, under the source's name in ingest.json


Join = Literal["own", "append"]


class Source(Protocol):
    name: ClassVar[str]
    joins: ClassVar[Join]

    def read(self, context: SourceContext) -> SourceRead: ...


@runtime_checkable
class Adapter(Source, Protocol):
    """A source turned on by `source.adapters.<name>: {paths: [...]}`. Of the files its paths match it
    reads those it claims, each as a table of its own vocabulary (`context.files.of_kind(name)`); the
    others are inventoried with why. Nothing else (config, discovery) needs to know of it."""

    def claim(self, rel: str) -> str | None:
        """The table `rel` (a path relative to the source folder) is read as; None: not a file it reads."""
        ...
