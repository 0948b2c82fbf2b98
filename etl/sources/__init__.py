"""Source adapters: the only code that opens a clinic's files. Each turns raw input into Notes and tables."""

from etl.sources.ccda import read_ccda
from etl.sources.clinic_folder import SourceError, discover_tables, drop_duplicate_notes, read_notes, read_table

__all__ = ["SourceError", "discover_tables", "drop_duplicate_notes", "read_ccda", "read_notes", "read_table"]
