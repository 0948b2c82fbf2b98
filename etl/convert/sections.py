"""Split a clinical note into its sections ("# Assessment and Plan", "HPI:", "Juicio clínico:")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.headings import HEADINGS

_LOOKUP = {phrase: name for name, phrases in HEADINGS.items() for phrase in phrases}
# Closing formulas start a "signature" section that no task uses (letters end in names and facilities).
_SIGN_OFF = re.compile(
    r"^\s*(?:sincerely|regards|best regards|kind regards|yours (?:truly|sincerely)|electronically signed|signed"
    r"|dictated by|atentamente|un saludo|saludos|firmado|fdo\.?)\b",
    re.IGNORECASE,
)
_MARKDOWN = re.compile(r"^\s*#{1,6}\s*(?P<head>[^\n#]+?)\s*$")
_COLON = re.compile(r"^\s*(?P<head>[^\W\d_][\w /&().'-]{0,40}?)\s*[:：]\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Section:
    name: str  # canonical name, or "preamble" for text before the first heading
    body: str


def _canonical(heading: str) -> str | None:
    return _LOOKUP.get(re.sub(r"\s+", " ", heading.strip().strip(":.").lower()))


def split_sections(text: str) -> list[Section]:
    """Sections in order; text under an unrecognised heading stays with the section above it."""
    sections: list[tuple[str, list[str]]] = [("preamble", [])]
    for line in text.splitlines():
        if _SIGN_OFF.match(line):
            sections.append(("signature", [line]))
            continue
        match = _MARKDOWN.match(line) or _COLON.match(line)
        name = _canonical(match.group("head")) if match else None
        if name is None:
            sections[-1][1].append(line)
            continue
        rest = (match.groupdict().get("rest") or "") if match else ""
        sections.append((name, [rest] if rest.strip() else []))
    return [Section(name, "\n".join(lines).strip()) for name, lines in sections if "\n".join(lines).strip()]


def section_map(text: str) -> dict[str, str]:
    """Canonical name -> body, repeated sections joined in order."""
    merged: dict[str, list[str]] = {}
    for section in split_sections(text):
        merged.setdefault(section.name, []).append(section.body)
    return {name: "\n\n".join(bodies) for name, bodies in merged.items()}
