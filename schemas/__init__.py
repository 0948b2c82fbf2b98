"""Record contracts shared by every clinetl stage. Defined once here, passed everywhere."""

from schemas.config import RunConfig
from schemas.records import (
    LABELS,
    DeidResult,
    Note,
    QuarantineEntry,
    Span,
    TrainingExample,
    Turn,
)

__all__ = [
    "LABELS",
    "DeidResult",
    "Note",
    "QuarantineEntry",
    "RunConfig",
    "Span",
    "TrainingExample",
    "Turn",
]
