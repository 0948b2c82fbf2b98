"""Synthetic clinic generator for demos and tests (`clinetl synth`)."""

from etl.synth.generator import generate_clinic

__all__ = ["generate_clinic"]
