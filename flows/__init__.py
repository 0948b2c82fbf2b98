"""Thin Prefect flows: each task calls one etl function and passes paths, never note text."""
