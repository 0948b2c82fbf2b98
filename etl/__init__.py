"""clinetl: de-identify clinic notes and EHR tables into audited training data."""

__version__ = "0.1.0"
