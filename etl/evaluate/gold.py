"""Gold corpora as GoldDoc records: clinetl JSONL, BRAT folders (MEDDOCAN), Presidio's synthetic JSON.

Every source label is mapped onto clinetl's labels. Spans that are not identifiers under our (HIPAA Safe
Harbor) scheme become ignore regions: neither a miss nor a false alarm, for every system scored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from schemas.records import LABELS

IGNORE = "IGNORE"
_YEAR_ONLY = re.compile(r"^\s*(?:(?:en|in|year|año|del?|the)\s+)*\d{4}\s*$", re.IGNORECASE)
_AGE = re.compile(r"\d+")

MEDDOCAN_LABELS = {
    "NOMBRE_SUJETO_ASISTENCIA": "PERSON",
    "NOMBRE_PERSONAL_SANITARIO": "PERSON",
    "FAMILIARES_SUJETO_ASISTENCIA": "PERSON",
    "FECHAS": "DATE",
    "EDAD_SUJETO_ASISTENCIA": "AGE",
    "TERRITORIO": "LOCATION",
    "CALLE": "STREET_ADDRESS",
    "ID_SUJETO_ASISTENCIA": "MRN",
    "ID_TITULACION_PERSONAL_SANITARIO": "ID",
    "ID_ASEGURAMIENTO": "ID",
    "ID_CONTACTO_ASISTENCIAL": "ID",
    "ID_EMPLEO_PERSONAL_SANITARIO": "ID",
    "IDENTIF_VEHICULOS_NRSERIE_PLACAS": "ID",
    "IDENTIF_DISPOSITIVOS_NRSERIE": "ID",
    "IDENTIF_BIOMETRICOS": "ID",
    "OTROS_SUJETO_ASISTENCIA": "ID",
    "NUMERO_IDENTIF": "ID",
    "CORREO_ELECTRONICO": "EMAIL",
    "NUMERO_TELEFONO": "PHONE",
    "NUMERO_FAX": "PHONE",
    "URL_WEB": "URL",
    "DIREC_PROT_INTERNET": "IP_ADDRESS",
    "HOSPITAL": "ORGANIZATION",
    "INSTITUCION": "ORGANIZATION",
    "CENTRO_SALUD": "ORGANIZATION",
    # not identifiers under Safe Harbor: sex, country, profession
    "SEXO_SUJETO_ASISTENCIA": IGNORE,
    "PAIS": IGNORE,
    "PROFESION": IGNORE,
}
PRESIDIO_SYNTH_LABELS = {
    "PERSON": "PERSON",
    "STREET_ADDRESS": "STREET_ADDRESS",
    "GPE": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "US_DRIVER_LICENSE": "ID",
    "US_SSN": "SSN",
    "DATE_TIME": "DATE",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "DOMAIN_NAME": "URL",
    "IP_ADDRESS": "IP_ADDRESS",
    "ZIP_CODE": "ZIP",
    "AGE": "AGE",
    "TITLE": IGNORE,  # "Mr.", "Dr."
    "NRP": IGNORE,  # nationality, religion, politics
}


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str  # one of LABELS or IGNORE


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    spans: list[GoldSpan]
    lang: str = "en"
    keep: list[GoldSpan] = field(default_factory=list)  # clinical terms that must survive


_RELATION_WORDS = frozenset(
    "tía tío tia tio prima primo hermano hermana hermanos hermanas hijo hija hijos hijas madre padre padres abuelo"
    " abuela abuelos nieto nieta sobrino sobrina esposo esposa marido mujer pareja familia familiar familiares"
    " paterna paterno materna materno varón varon mayor menor segundo segunda primer primera grado de del y su sus"
    " dos tres".split()
)


def _hipaa_view(text: str, label: str, start: int, end: int, source_label: str = "") -> str:
    """Our label for a mapped gold span, or IGNORE where our scheme does not treat it as identifying."""
    value = text[start:end]
    if source_label == "FAMILIARES_SUJETO_ASISTENCIA" and (
        all(w in _RELATION_WORDS for w in re.findall(r"[^\W\d_]+", value.lower()))
        or not any(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", value))
    ):
        return IGNORE  # "hijos", "Tía paterna", "madre de 28 años": a relation, not a name
    if source_label == "ID_SUJETO_ASISTENCIA" and not any(c.isdigit() for c in value):
        return IGNORE  # "blanca", "piel rojiza": MEDDOCAN's subject descriptions; a record number has digits
    if label == "AGE":
        numbers = [int(n) for n in _AGE.findall(value)]
        return label if numbers and max(numbers) > 89 else IGNORE
    if label == "DATE" and _YEAR_ONLY.match(value):
        return IGNORE
    return label


def _span(text: str, start: int, end: int, source_label: str, mapping: dict[str, str] | None) -> GoldSpan:
    label = mapping.get(source_label, "ID") if mapping is not None else source_label
    if label != IGNORE and label not in LABELS:
        raise ValueError(f"gold label {source_label!r} is not a clinetl label")
    return GoldSpan(start, end, label if label == IGNORE else _hipaa_view(text, label, start, end, source_label))


def read_jsonl(path: Path, lang: str = "en") -> list[GoldDoc]:
    """clinetl gold: {"id","text","spans":[{"start","end","label"}], "keep"?: [...], "lang"?}."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        spans = [_span(text, s["start"], s["end"], s["label"], None) for s in row.get("spans", [])]
        keep = [GoldSpan(s["start"], s["end"], s.get("label", "KEEP")) for s in row.get("keep", [])]
        docs.append(GoldDoc(str(row["id"]), text, spans, row.get("lang", lang), keep))
    return docs


def read_brat(folder: Path, lang: str = "es") -> list[GoldDoc]:
    """A BRAT folder (MEDDOCAN): NAME.txt with NAME.ann entity lines `T1<TAB>LABEL START END<TAB>text`."""
    docs = []
    for txt in sorted(folder.rglob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        spans = []
        ann = txt.with_suffix(".ann")
        for line in ann.read_text(encoding="utf-8").splitlines() if ann.exists() else []:
            if not line.startswith("T"):
                continue
            kind_offsets = line.split("\t")[1]
            label, *offsets = kind_offsets.replace(";", " ").split()
            spans.append(_span(text, int(offsets[0]), int(offsets[-1]), label, MEDDOCAN_LABELS))
        docs.append(GoldDoc(txt.stem, text, spans, lang))
    return docs


def read_presidio_synth(path: Path) -> list[GoldDoc]:
    """presidio-research's synthetic dataset JSON (full_text + spans with start/end_position)."""
    docs = []
    for index, row in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        text = row["full_text"]
        spans = [
            _span(text, s["start_position"], s["end_position"], s["entity_type"], PRESIDIO_SYNTH_LABELS)
            for s in row["spans"]
        ]
        docs.append(GoldDoc(f"synth-{index}", text, spans, "en"))
    return docs


def read_mtsamples(path: Path) -> list[GoldDoc]:
    """The held-out fifth of MTSamples (the part the English lexicons never read), without gold spans: real
    transcriptions in which nearly every word identifies nobody, to measure what de-identification
    removes that it should not (`words_kept`; the few dates and names they hold count against it)."""
    import pandas as pd

    from etl.deid.lexicon.build import mtsamples_part

    reports = pd.read_csv(path)["transcription"].dropna().drop_duplicates().tolist()
    held = [text for text in reports if mtsamples_part(text) == "heldout"]
    return [GoldDoc(f"mtsamples-{index}", text, [], "en") for index, text in enumerate(held)]


def recase(docs: list[GoldDoc], case: str) -> list[GoldDoc]:
    """The documents written all in capitals or all in lower case (character by character where a
    character would change length, so every gold offset still holds)."""
    if case == "as-is":
        return docs
    from etl.deid.casing import same_length

    convert = str.upper if case == "upper" else str.lower
    return [GoldDoc(d.doc_id, same_length(d.text, convert), d.spans, d.lang, d.keep) for d in docs]


def read_gold(path: Path, fmt: str, lang: str) -> list[GoldDoc]:
    if fmt == "review":
        from etl.audit.review import read_review

        return read_review(path)
    if fmt == "brat":
        return read_brat(path, lang)
    if fmt == "presidio-synth":
        return read_presidio_synth(path)
    if fmt == "mtsamples":
        return read_mtsamples(path)
    return read_jsonl(path, lang)
