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


def prepare(work_dir: Path, seed: int = 13, full: bool = False) -> tuple[Path, Path]:
    """DocBins for training and monitoring. `full`: train on every document (the monitor slice is then
    part of the training data and only logs progress)."""
    docs = read_brat(MEDDOCAN_TRAIN, "es")
    random.Random(seed).shuffle(docs)
    cut = len(docs) // 10
    nlp = spacy.blank("es")
    paths = []
    for name, part in (("train", docs if full else docs[cut:]), ("dev", docs[:cut])):
        bin_, _ = to_docbin(part, nlp)
        path = work_dir / f"{name}.spacy"
        bin_.to_disk(path)
        paths.append(path)
    return paths[0], paths[1]


# Versioned recipes: a name never changes meaning.
#   v1: 90 % of train, early stopping on the held-back 10 % (best model).
#   v2: 100 % of train for the 2,000 steps v1's early stopping chose (last model): the usual final fit.
RECIPES: dict[str, dict[str, int | bool]] = {
    "es_phi_ner_v1": {"full": False, "max_steps": 4000, "patience": 1000},
    "es_phi_ner_v2": {"full": True, "max_steps": 2000, "patience": 0},
}


def train(output: Path, work_dir: Path, recipe: str = "es_phi_ner_v2") -> Path:
    """Train by a named recipe; return the model folder to ship."""
    from spacy.cli.train import train as spacy_train

    settings = RECIPES[recipe]
    work_dir.mkdir(parents=True, exist_ok=True)
    train_path, dev_path = prepare(work_dir, full=bool(settings["full"]))
    overrides: dict[str, str | int] = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "training.max_steps": int(settings["max_steps"]),
        "training.patience": int(settings["patience"]),
    }
    spacy_train(CONFIG, output, overrides=overrides, use_gpu=-1)
    return output / ("model-last" if settings["full"] else "model-best")
