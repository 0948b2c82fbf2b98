"""HL7 C-CDA documents (Synthea's C-CDA export): one patients row per document from recordTarget, and one
note per section narrative (tables flattened to "cell | cell" lines).

A document that does not parse is quarantined; the others go on.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from etl.io import Quarantine
from schemas.records import Note

NS = {"h": "urn:hl7-org:v3"}
PATIENT_COLUMNS = ["Id", "BIRTHDATE", "FIRST", "LAST", "GENDER", "RACE", "ETHNICITY", "ADDRESS", "CITY", "STATE", "ZIP"]


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _hl7_date(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) >= 8 and value[:8].isdigit() else ""


def _patient_row(root: ET.Element) -> dict[str, str]:
    role = root.find("h:recordTarget/h:patientRole", NS)
    if role is None:
        raise ValueError("no recordTarget/patientRole")
    person = role.find("h:patient", NS)
    id_element = role.find("h:id", NS)
    addr = role.find("h:addr", NS)

    def attr(path: str, name: str) -> str:
        found = person.find(path, NS) if person is not None else None
        return found.get(name, "") if found is not None else ""

    return {
        "Id": id_element.get("extension", "") if id_element is not None else "",
        "BIRTHDATE": _hl7_date(attr("h:birthTime", "value")),
        "FIRST": " ".join(_text(g) for g in person.findall("h:name/h:given", NS)) if person is not None else "",
        "LAST": _text(person.find("h:name/h:family", NS)) if person is not None else "",
        "GENDER": attr("h:administrativeGenderCode", "code"),
        "RACE": attr("h:raceCode", "displayName"),
        "ETHNICITY": attr("h:ethnicGroupCode", "displayName"),
        "ADDRESS": " ".join(_text(s) for s in addr.findall("h:streetAddressLine", NS)) if addr is not None else "",
        "CITY": _text(addr.find("h:city", NS)) if addr is not None else "",
        "STATE": _text(addr.find("h:state", NS)) if addr is not None else "",
        "ZIP": _text(addr.find("h:postalCode", NS)) if addr is not None else "",
    }


def _narrative(text: ET.Element) -> str:
    """Section narrative as plain lines: one line per table row or paragraph."""
    lines = []
    for element in text.iter():
        tag = element.tag.split("}")[-1]
        if tag == "tr":
            lines.append(" | ".join(_text(cell) for cell in element if cell.tag.split("}")[-1] in {"td", "th"}))
        elif tag in {"paragraph", "item"}:
            lines.append(_text(element))
    if not lines:
        lines.append(_text(text))
    return "\n".join(line for line in lines if line.strip())


def _section_notes(root: ET.Element, patient_id: str, rel: str) -> list[Note]:
    notes = []
    for index, section in enumerate(root.iterfind(".//h:component/h:section", NS)):
        text = section.find("h:text", NS)
        title = _text(section.find("h:title", NS)) or f"section {index + 1}"
        if text is None:
            continue
        notes.append(
            Note(
                note_id=f"{Path(rel).stem}#{index + 1}",
                text=f"{title}\n{_narrative(text)}",
                patient_id=patient_id,
                note_type=title.lower(),
                lang="en",
                source=rel,
            )
        )
    return notes


def read_ccda(paths: list[Path], source_dir: Path, quarantine: Quarantine) -> tuple[pd.DataFrame, list[Note]]:
    """(patients rows, section notes) from the C-CDA documents at `paths`."""
    rows, notes = [], []
    for path in paths:
        rel = path.relative_to(source_dir).as_posix()
        try:
            root = ET.parse(path).getroot()
            if root.tag != "{urn:hl7-org:v3}ClinicalDocument":
                continue  # some other XML file: not ours to read
            row = _patient_row(root)
        except (ET.ParseError, ValueError) as exc:
            quarantine.add(rel, rel, f"malformed_ccda:{type(exc).__name__}", {"path": str(path)})
            continue
        rows.append(row)
        notes.extend(_section_notes(root, row["Id"], rel))
    return pd.DataFrame(rows, columns=PATIENT_COLUMNS, dtype=object), notes
