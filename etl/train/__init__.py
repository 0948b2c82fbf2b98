"""Reproducible training of clinetl's own models from data the repository ships."""
