"""A trained backstop for Chinese names written without a cue ("韩淑英家属：", "麻醉医师 王洁、邹建军",
"—— 李建华"): every surname followed by one or two characters is a candidate, scored by a logistic
regression over what the candidate is made of and what stands around it.

What a candidate is made of: how much more often each given character is written in people's names than
in text (both counted from jieba's dictionary, shipped with the package: its words tagged as a person's
name against all its words, weighted by their counts), whether the candidate, its given part or the
surname with the next character is a word of the dictionary, how common the surname is. What stands
around it: the characters and jieba's part-of-speech tags on either side, and whether jieba's words start
and end where the candidate does.

The weights (`name_model.json`) are trained by `python -m etl.languages.zh.train_names` on Chinese medical
text written by others (consumer Q&A, GPT-4 answers) into which real names taken from jieba's dictionary
are written where the text speaks of a person ("我", "他", "孩子"); every other candidate in that text is a
negative. No name of clinetl's own generators is seen in training."""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from etl.languages.zh.text import HAN, _dictionary, common_surnames, surnames

WEIGHTS = Path(__file__).with_name("name_model.json")
_HAN_CHAR = re.compile(f"[{HAN}]")
Tokens = Mapping[int, tuple[str, str]]  # start -> (word, part of speech), jieba's


@lru_cache(maxsize=1)
def _given_ratio() -> dict[str, float]:
    """Per character: log of (share among the given characters of the dictionary's names) over (share
    among the characters of all its words, count-weighted). Positive: written in names more than in text."""
    single = {s for s in surnames() if len(s) == 1}
    given: Counter[str] = Counter()
    text: Counter[str] = Counter()
    for word, (count, tag) in _dictionary().items():
        for ch in word:
            text[ch] += count
        if tag == "nr" and len(word) in (2, 3) and word[0] in single and _HAN_CHAR.fullmatch(word[1:2]):
            given.update(word[1:])
    g_total, t_total = sum(given.values()), sum(text.values())
    return {
        ch: math.log((given[ch] + 0.5) / g_total) - math.log((text[ch] + 50) / t_total) for ch in set(given) | set(text)
    }


def given_score(ch: str) -> float:
    return _given_ratio().get(ch, math.log(0.5 / 50))


@lru_cache(maxsize=1)
def _surname_rank() -> dict[str, int]:
    return {name: rank for rank, name in enumerate(surnames())}


def candidates(view: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, surname length) of every surname followed by one or two Han characters."""
    rank = _surname_rank()
    for start in range(len(view)):
        for size in (2, 1):
            surname = view[start : start + size]
            if len(surname) == size and surname in rank:
                for given in (1, 2):
                    end = start + size + given
                    if end <= len(view) and all(_HAN_CHAR.match(ch) for ch in view[start + size : end]):
                        yield start, end, size
                break


def _char_class(ch: str) -> str:
    if not ch:
        return "edge"
    if ch == "\n":
        return "newline"
    if ch.isspace():
        return "space"
    if _HAN_CHAR.match(ch):
        return "han"
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "punct"


def _count_bin(count: int) -> str:
    return "0" if count <= 0 else str(min(int(math.log10(count)) + 1, 5))


def features(
    view: str, start: int, end: int, surname: int, tokens: Tokens, covering: Mapping[int, int]
) -> dict[str, float]:
    """The candidate view[start:end] (a surname of `surname` characters and its given part) as sparse
    features. `covering[i]` is the start of jieba's word holding character i."""
    entries = _dictionary()
    text, given = view[start:end], view[start + surname : end]
    scores = [given_score(ch) for ch in given]
    before, after = view[start - 1 : start] if start else "", view[end : end + 1]
    f: dict[str, float] = {
        f"given={len(given)}": 1.0,
        "given_min": min(scores),
        "given_mean": sum(scores) / len(scores),
        f"given_min_bin={len(given)}:{max(-3, min(4, math.floor(min(scores))))}": 1.0,
        f"surname={text[:surname]}": 1.0,
        f"surname_common={text[:surname] in common_surnames()}": 1.0,
        f"surname_rank={min(_surname_rank()[text[:surname]] // 50, 6)}": 1.0,
        f"whole_dict={_count_bin(entries.get(text, (0, ''))[0])}": 1.0,
        f"whole_tag={entries.get(text, (0, 'none'))[1][:2]}": 1.0,
        f"given_dict={_count_bin(entries.get(given, (0, ''))[0])}": 1.0,
        f"head_dict={_count_bin(entries.get(view[start : start + surname + 1], (0, ''))[0])}": 1.0,
        f"tail_dict={_count_bin(entries.get(view[end - 1 : end + 1], (0, ''))[0]) if after else 'edge'}": 1.0,
        f"before_class={_char_class(before)}": 1.0,
        f"after_class={_char_class(after)}": 1.0,
        f"starts_word={start in tokens}": 1.0,
        f"ends_word={end in tokens or end == len(view)}": 1.0,
        f"one_word={start in tokens and len(tokens[start][0]) == end - start}": 1.0,
    }
    for i, ch in enumerate(given):
        f[f"given{i + 1}={ch}"] = 1.0
    if _HAN_CHAR.match(before):
        f[f"before={before}"] = 1.0
        word_start = covering.get(start - 1)
        if word_start is not None:
            f[f"before_tag={tokens[word_start][1][:2]}"] = 1.0
            f[f"before_word={tokens[word_start][0]}"] = 1.0
    if _HAN_CHAR.match(after):
        f[f"after={after}"] = 1.0
        if end in tokens:
            f[f"after_tag={tokens[end][1][:2]}"] = 1.0
            f[f"after_word={tokens[end][0]}"] = 1.0
    word_start = covering.get(start)
    if word_start is not None and word_start < start:
        f["inside_word"] = 1.0  # jieba's word began before the surname ("阿|莫西林" is not cut there)
    if start in tokens:
        f[f"first_tag={tokens[start][1][:2]}"] = 1.0
    return f


def pos_tokens(view: str) -> dict[int, tuple[str, str]]:
    """jieba's words of `view` with their part of speech, by start."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokens, position = {}, 0
    for word, flag in jieba.posseg.cut(view):
        tokens[position] = (word, flag)
        position += len(word)
    return tokens


def disjoint(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def covering_starts(tokens: Tokens) -> dict[int, int]:
    covering = {}
    for start, (word, _) in tokens.items():
        for i in range(start, start + len(word)):
            covering[i] = start
    return covering


class NameModel:
    def __init__(self, weights: dict[str, float], bias: float, threshold: float) -> None:
        self.weights, self.bias, self.threshold = weights, bias, threshold

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> NameModel:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"], data["threshold"])

    def probability(self, feats: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def scored(self, view: str, tokens: Tokens, covering: Mapping[int, int]) -> list[tuple[float, int, int]]:
        """(probability, start, end) of every candidate; `covering` is `covering_starts(tokens)`."""
        return [
            (self.probability(features(view, start, end, surname, tokens, covering)), start, end)
            for start, end, surname in candidates(view)
        ]


def choose(scored: list[tuple[float, int, int]], threshold: float) -> list[tuple[int, int, float]]:
    """The candidates at `threshold` or above, the likelier of two overlapping ones kept."""
    chosen: list[tuple[int, int, float]] = []
    for probability, start, end in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        if probability < threshold:
            break
        if disjoint(start, end, ((s, e) for s, e, _ in chosen)):
            chosen.append((start, end, probability))
    return sorted(chosen)
