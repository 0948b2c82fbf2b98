"""De-identified records -> canonical TrainingExamples (tasks.py) -> trainer formats (exporters.py)."""
