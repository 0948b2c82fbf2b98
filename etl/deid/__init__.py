"""De-identification of free text (text.py) and structured tables (tables.py)."""
