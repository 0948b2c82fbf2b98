"""Train clinetl's Spanish PHI NER on MEDDOCAN train (vendored under data/meddocan/train, CC BY 4.0).

Gold spans are mapped onto clinetl labels with the same mapping the evaluation uses; spans that are not
identifiers under our scheme (sex, country, profession, ages <= 89, year-only dates) are left unlabelled.
A seeded 10% of *train* documents is held back for early stopping: MEDDOCAN dev is never seen.
"""

from __future__ import annotations

import random
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from etl.config import CONF_DIR
from etl.evaluate.gold import IGNORE, GoldDoc, read_brat

REPO = Path(__file__).resolve().parents[2]
MEDDOCAN_TRAIN = REPO / "data" / "meddocan" / "train"
CONFIG = CONF_DIR / "ner_es_v1.cfg"
# The model predicts PHI_PERSON, PHI_DATE…: distinct from general-purpose models' labels (en's DATE is ignored).
LABEL_PREFIX = "PHI_"


def to_docbin(docs: list[GoldDoc], nlp: spacy.language.Language) -> tuple[DocBin, int]:
    """Gold documents as a DocBin of entity-annotated docs; returns it and the number of dropped spans."""
    bin_, dropped = DocBin(), 0
    for gold in docs:
        doc = nlp.make_doc(gold.text)
        entities: list[spacy.tokens.Span] = []
        for span in sorted(gold.spans, key=lambda s: s.start):
            if span.label == IGNORE:
                continue
            ent = doc.char_span(span.start, span.end, label=f"{LABEL_PREFIX}{span.label}", alignment_mode="expand")
            if ent is None or (entities and ent.start < entities[-1].end):
                dropped += 1
                continue
            entities.append(ent)
        doc.ents = entities
        bin_.add(doc)
    return bin_, dropped


def prepare(work_dir: Path, seed: int = 13) -> tuple[Path, Path]:
    docs = read_brat(MEDDOCAN_TRAIN, "es")
    random.Random(seed).shuffle(docs)
    cut = len(docs) // 10
    nlp = spacy.blank("es")
    paths = []
    for name, part in (("train", docs[cut:]), ("dev", docs[:cut])):
        bin_, _ = to_docbin(part, nlp)
        path = work_dir / f"{name}.spacy"
        bin_.to_disk(path)
        paths.append(path)
    return paths[0], paths[1]


def train(output: Path, work_dir: Path, max_steps: int | None = None) -> Path:
    """Train and return the path of the best model (output/model-best)."""
    from spacy.cli.train import train as spacy_train

    work_dir.mkdir(parents=True, exist_ok=True)
    train_path, dev_path = prepare(work_dir)
    overrides: dict[str, str | int] = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
    if max_steps:
        overrides["training.max_steps"] = max_steps
    spacy_train(CONFIG, output, overrides=overrides, use_gpu=-1)
    return output / "model-best"
