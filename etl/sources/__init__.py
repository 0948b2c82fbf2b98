"""Source adapters: the only code that opens a clinic's files. Each turns raw input into Notes and tables."""

from etl.sources.ccda import read_ccda
from etl.sources.clinic_folder import (
    SourceError,
    discover_tables,
    drop_duplicate_notes,
    notes_from_rows,
    read_notes,
    read_table,
)
from etl.sources.fhir import read_fhir
from etl.sources.sql import read_sql_source

__all__ = [
    "SourceError",
    "discover_tables",
    "drop_duplicate_notes",
    "notes_from_rows",
    "read_ccda",
    "read_fhir",
    "read_notes",
    "read_sql_source",
    "read_table",
]
