"""Train the Chinese name backstop (`name_model.json`) from Chinese medical text written by others.

    python -m etl.languages.zh.train_names --corpora ../shared/data/external

Text: the Toyhom consumer Q&A (rows from 1,800 on of the seeded shuffle `scripts/zh_words_kept.py` reads:
its rows 0–1,800 stay the words-kept check), the HuatuoGPT-II GPT-4 answers and the MedicalGPT samples.
HuatuoGPT-v1's Med-dialog set is never read here: it is a second check of what is kept. Names: the
dictionary's own (jieba's words tagged as a person's name that start with a surname) and their given parts
under other surnames, written where the text speaks of a person ("我", "他/她", "孩子", "患者", "医生"),
on a line of their own, or two in a list. Every other candidate of the text is a negative. Deterministic:
the same corpora give the same weights."""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from etl.languages.zh.name_model import WEIGHTS, candidates, covering_starts, features, pos_tokens
from etl.languages.zh.text import HAN, _dictionary, common_surnames, surnames, width_view

_NOT_NAMES = re.compile(
    r"(?:病|症|征|氏|菌|素|酶|胺|醇|片|丸|散|汤|膏|液|剂|科|室|院|部|所|组|区|村|寺|殿|派|茶|府|山|河|湖)$"
)
# where a text speaks of a person, and how a name is written there: in place of the word, or next to it
_PERSON = re.compile(r"我(?!们)|(?<!其)[他她](?!们|人)|孩子|宝宝|小孩|患者|病人|医生|大夫|家属|妈妈|爸爸")
_BESIDE = {"患者": "after", "病人": "after", "医生": "before", "大夫": "before", "家属": "before",
           "妈妈": "after", "爸爸": "after"}  # fmt: skip


def _texts(corpora: Path) -> Iterator[str]:
    with (corpora / "chinese-medical-dialogue-toyhom/sample_internal_medicine_5000-6000.utf8.csv").open(
        encoding="utf-8"
    ) as handle:
        rows = list(csv.DictReader(handle))
    random.Random(5).shuffle(rows)
    for row in rows[1800:]:
        yield row["ask"]
        yield row["answer"]
    for path in sorted((corpora / "huatuogpt-ii-eval-zh").glob("*.json")):
        yield from _strings(json.loads(path.read_text(encoding="utf-8")))
    sft = corpora / "medicalgpt-sft-zh"
    for line in (sft / "medical_sft_1K_format.jsonl").read_text(encoding="utf-8").splitlines():
        yield from _strings(json.loads(line))
    for line in (sft / "medical_corpus.txt").read_text(encoding="utf-8").splitlines():
        yield from _strings(json.loads(line))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if len(value) >= 10 and re.search(f"[{HAN}]", value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _dictionary_names() -> list[str]:
    single = {s for s in surnames() if len(s) == 1}
    return sorted(
        word
        for word, (count, tag) in _dictionary().items()
        if tag == "nr"
        and len(word) in (2, 3)
        and word[0] in single
        and re.fullmatch(f"[{HAN}]+", word)
        and not _NOT_NAMES.search(word)
        and count < 1000
    )


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.names = rng, _dictionary_names()
        self.common = sorted(common_surnames())

    def draw(self) -> str:
        name = self.rng.choice(self.names)
        if self.rng.random() < 0.5:  # the given part under another surname
            name = self.rng.choice(self.common) + name[1:]
        return name


def inject(text: str, names: _Names, rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """`text` with names written where it speaks of a person; the names' spans."""
    name = names.draw()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0

    def put(value: str) -> None:
        spans.append((sum(map(len, out)), sum(map(len, out)) + len(value)))
        out.append(value)

    for match in _PERSON.finditer(text):
        if rng.random() < 0.5:
            continue
        out.append(text[position : match.start()])
        word = match.group()
        where = _BESIDE.get(word, "instead")
        if where == "after":
            out.append(word)
        if where == "instead" and rng.random() < 0.15:
            put(name)
            out.append("、")
            put(names.draw())
        else:
            put(name)
        if where == "before":
            out.append(word)
        position = match.end()
    out.append(text[position:])
    if rng.random() < 0.2:  # a signature on a line of its own
        out.append("\n")
        put(names.draw())
        out.append(rng.choice(["\n", "  ", ""]))
    return "".join(out), spans


def examples(texts: list[str], seed: int) -> Iterator[tuple[int, bool, dict[str, float], int]]:
    """(text index, features, label) of every candidate, a name injected into about two texts in three."""
    rng = random.Random(seed)
    names = _Names(rng)
    for index, text in enumerate(texts):
        spans: list[tuple[int, int]] = []
        if rng.random() < 0.67:
            text, spans = inject(text, names, rng)
        view = width_view(text)
        tokens = pos_tokens(view)
        covering = covering_starts(tokens)
        gold = set(spans)
        for start, end, surname in candidates(view):
            yield index, bool(spans), features(view, start, end, surname, tokens, covering), int((start, end) in gold)


def main() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, required=True, help="the folder holding the external corpora")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument(
        "--false-per-10k", type=float, default=2.0,
        help="false names the threshold allows per 10,000 characters of the dev texts without a name written in",
    )  # fmt: skip
    args = parser.parse_args()
    texts = list(dict.fromkeys(_texts(args.corpora)))
    rows = list(examples(texts, seed=16))
    dev = {i for i in range(len(texts)) if i % 7 == 0}
    vectorizer = DictVectorizer()
    train = [(f, y) for i, _, f, y in rows if i not in dev]
    held = [(injected, f, y) for i, injected, f, y in rows if i in dev]
    x = vectorizer.fit_transform([f for f, _ in train])
    model = LogisticRegression(C=0.5, max_iter=3000)
    model.fit(x, [y for _, y in train])
    scores = model.predict_proba(vectorizer.transform([f for _, f, _ in held]))[:, 1]
    injected_texts = {i for i, injected, _, _ in rows if injected}
    clean_chars = sum(len(texts[i]) for i in dev if i not in injected_texts)  # dev texts with no name written in
    positives = sum(y for _, _, y in held)
    curve = []
    for threshold in [t / 100 for t in range(5, 100, 5)]:
        false = sum(
            1 for (injected, _, y), p in zip(held, scores, strict=True) if p >= threshold and not y and not injected
        )
        found = sum(1 for (_, _, y), p in zip(held, scores, strict=True) if p >= threshold and y)
        per_10k = false / max(1, clean_chars) * 10_000
        curve.append(
            {"threshold": threshold, "dev_recall": round(found / positives, 4), "false_per_10k": round(per_10k, 3)}
        )
    chosen = next((c for c in curve if c["false_per_10k"] <= args.false_per_10k), curve[-1])
    weights = {
        name: round(float(w), 5) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
    }
    kept = {k: v for k, v in sorted(weights.items()) if abs(v) >= 1e-4}
    data: dict[str, Any] = {
        "about": "Chinese name backstop: logistic regression, trained by python -m etl.languages.zh.train_names",
        "texts": len(texts),
        "candidates": len(rows),
        "positives": sum(y for _, _, _, y in rows),
        "dev_curve": curve,
        "threshold": chosen["threshold"],
        "bias": round(float(model.intercept_[0]), 5),
        "weights": kept,
    }
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    for point in curve:
        print(point)
    print("threshold", chosen, "features", len(kept))


if __name__ == "__main__":
    main()
