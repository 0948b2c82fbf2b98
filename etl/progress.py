"""Progress for long CLI work: a bar with records/s on an interactive terminal, nothing otherwise (CI
logs and Prefect workers stay clean). Labels and counts only, never record content."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

T = TypeVar("T")


def track(items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
    if not sys.stderr.isatty():
        yield from items
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} records/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total, rate="-")
        for item in items:
            yield item
            speed = progress.tasks[0].speed
            progress.update(task, advance=1, rate=f"{speed:.1f}" if speed else "-")


def summary_table(summary: dict[str, Any]) -> Table:
    """Records in / out / filtered / quarantined per table and for notes, from audit/summary.json."""
    table = Table(title="clinetl run")
    for column in ("records", "in", "out", "filtered / dropped", "quarantined", "balanced"):
        table.add_column(column, justify="left" if column == "records" else "right")
    records = summary["records"]
    for name, row in sorted(records["tables"].items()):
        table.add_row(
            name,
            str(row["in"]),
            str(row["out"]),
            str(row["dropped_by_policy"]),
            str(row["quarantined"]),
            str(row["balanced"]),
        )
    notes = records["notes"]
    table.add_row(
        "notes",
        str(notes["in"]),
        str(notes["out"]),
        str(notes["filtered"]),
        str(notes["quarantined"]),
        str(notes["balanced"]),
    )
    return table
