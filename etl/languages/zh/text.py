"""What the Chinese recognizers and surrogates share: a width-normalised view of a note with the same
offsets, Chinese numerals, surnames and the administrative divisions."""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

HAN = r"\u4e00-\u9fff"  # the CJK Unified Ideographs a note's words are written in
DIVISIONS = Path(__file__).with_name("divisions.tsv")


def width_view(text: str) -> str:
    """`text` with every character NFKC folds to one character folded (full-width digits, letters and
    punctuation to ASCII: "１３８" -> "138", "：" -> ":"), the others left as they are: the same length, so
    a match in the view is a span of the original."""
    return "".join(_fold(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}  # fmt: skip
NUMERAL = "〇零○一二两三四五六七八九十"  # the characters of a Chinese numeral up to 99


def numeral_value(text: str) -> int | None:
    """A Chinese numeral up to 99 ("十四" 14, "二十" 20, "三十一" 31, "九十二" 92) or a digit-by-digit one
    ("二〇二三" 2023); None for anything else."""
    if not text or any(ch not in NUMERAL for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def to_numeral(value: int, digit_by_digit: bool = False) -> str:
    """`value` written in Chinese numerals: digit by digit for a year ("二〇二三"), else with 十 (1-99)."""
    names = "〇一二三四五六七八九"
    if digit_by_digit or value >= 100:
        return "".join(names[int(d)] for d in str(value))
    tens, ones = divmod(value, 10)
    if not tens:
        return names[ones]
    return f"{names[tens] if tens > 1 else ''}十{names[ones] if ones else ''}"


# The common surnames (Faker zh_CN's list, MIT, most frequent first) and the compound ones.
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "夏侯", "令狐", "端木", "西门", "南宫", "独孤", "呼延", "轩辕")  # fmt: skip


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    from faker.providers.person.zh_CN import Provider

    return tuple(dict.fromkeys([*COMPOUND_SURNAMES, *Provider.last_names]))


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """The 200 most frequent single-character surnames and the compound ones: a name found without a cue
    must start with one (the rarer surnames are also everyday characters: 但, 由, 信, 元)."""
    from faker.providers.person.zh_CN import Provider

    return frozenset([*COMPOUND_SURNAMES, *list(Provider.last_names)[:200]])


@lru_cache(maxsize=1)
def divisions() -> tuple[tuple[str, str, str], ...]:
    """(province, city, district) rows of the PRC's administrative divisions (divisions.tsv, GB/T 2260 as
    cpca ships it; a province row has no city, a city row no district)."""
    with DIVISIONS.open(encoding="utf-8") as handle:
        return tuple((r["province"], r["city"], r["district"]) for r in csv.DictReader(handle, delimiter="\t"))


# Division names that are also ordinary words or too short to be told apart from them.
_GENERIC_PLACES = frozenset(
    """城区 新区 郊区 矿区 市中区 东区 西区 南区 北区 中区 开发区 高新区 市辖区 和平 新华 城关 红旗 长安 人民 解放 胜利
    中山 朝阳 向阳 永安 太平 文化 建设 友谊 光明 新城 东方 白云 青山 金山 铁西 铁东 河东 河西 江北 江南 城中 城东
    城西""".split()
)
_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治旗", "地区", "林区", "盟", "市", "县", "区", "旗")


# jieba's part-of-speech tags of everyday words (adjectives, verbs, common nouns, idioms …): a division's
# name without its suffix that jieba's dictionary knows as one of these ("平安", "清新", "开化") is not
# looked for without the suffix
_EVERYDAY_TAGS = frozenset("a ad an d v vn vd i l n m q r t c p u z b f s y e o h k".split())


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[int, str]]:
    import jieba

    entries = {}
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, count, tag = line.split()
            entries[word] = (int(count), tag)
    return entries


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """jieba's dictionary (shipped with the package): word -> its part-of-speech tag. The tags are rough
    (谢谢 and 康复 are tagged as names): a word's presence and frequency say more."""
    return {word: tag for word, (_, tag) in _dictionary().items()}


def dictionary_count(word: str) -> int:
    """How often jieba's dictionary counted `word` (0: not a word of it)."""
    return _dictionary().get(word, (0, ""))[0]


# a word the dictionary counted this often is an everyday word, whatever its tag (来说, 康复, 谢谢)
EVERYDAY_COUNT = 500


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Names of cities, counties and districts below the province, with their suffix ("广州市", "天河区")
    and, where what is left is two characters or more and not an everyday word, without it ("广州")."""
    everyday = {w for w, tag in dictionary_tags().items() if tag in _EVERYDAY_TAGS}
    names: set[str] = set()
    for _, city, district in divisions():
        for name, is_city in ((city, not district), (district, False)):
            if not name or name in _GENERIC_PLACES:
                continue
            names.add(name)
            for suffix in _SUFFIXES:
                stem = name.removesuffix(suffix)
                if stem != name:
                    # a city is written without 市 more often than not ("广州", "合肥"): kept unless generic
                    if len(stem) >= 2 and stem not in _GENERIC_PLACES and (is_city or stem not in everyday):
                        names.add(stem)
                    break
    return frozenset(names)


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    names = {p for p, _, _ in divisions()}
    return frozenset(names | {p.removesuffix("省").removesuffix("市") for p in names})
