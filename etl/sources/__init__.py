"""Source adapters: the only code that opens a clinic's files. Each turns raw input into Notes and tables."""

from etl.sources.clinic_folder import SourceError, discover_tables, read_notes, read_table

__all__ = ["SourceError", "discover_tables", "read_notes", "read_table"]
