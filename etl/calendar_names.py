"""Month names, shared by date handling, record-linked detection and the synthetic generators."""

from __future__ import annotations

MONTHS_EN = "January February March April May June July August September October November December".split()
MONTHS_ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
