"""The run's stages, one module each, in the order a run does them. Each module's `run` is the stage's one
entry point; flows/clinic_run.py wraps each in a Prefect task of the same name."""

STAGES = ("ingest", "tables", "notes", "datasets", "audit", "summary")
