"""Chinese recognizers for what notes write in characters: people's names, hospitals and clinics, places
below the province and street addresses.

Names: a surname and one or two given characters after a cue ("患者", "家属", "医师", "护士签名：", "其女"),
a surname before a form of address ("张先生", "王女士", "李某"), "小张" / "老张", and, without a cue, the
words jieba's part-of-speech model tags as a person's name that start with a common surname (a check
that keeps eponyms such as 帕金森病 and everyday words out). Places: the PRC's division names
(divisions.tsv), with and without their suffix. Addresses: a road and its number with what follows (小区,
栋, 单元, 室), the divisions before it included."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.recognizers.base import ScanRecognizer
from etl.languages.zh.name_model import NameModel, choose, covering_starts, disjoint, pos_tokens
from etl.languages.zh.text import (
    EVERYDAY_COUNT,
    HAN,
    common_surnames,
    dictionary_count,
    dictionary_tags,
    place_names,
    provinces,
    surnames,
    width_view,
)

_BEFORE_NAME = (
    "患者 病人 患儿 病儿 家属 产妇 孕妇 姓名 病人姓名 患者姓名 联系人 监护人 陪同人 代诉人 陪护 委托人 签字人 "
    "医师 医生 主治医师 住院医师 主任医师 副主任医师 主管医师 经治医师 实习医师 进修医师 会诊医师 报告医师 审核医师 "
    "检查医师 手术医师 麻醉医师 上级医师 护士 责任护士 护士长 主管护师 护师 签名 医师签名 护士签名 记录者 记录人 "
    "报告人 审核人 审核 录入 操作者 技师 药师 其子 其女 其妻 其夫 儿子 女儿 丈夫 妻子 母亲 父亲 之子 之女 其母 其父 "
    "爱人 老伴 孙子 孙女 哥哥 姐姐 弟弟 妹妹 家人 邻居 朋友 同事"
).split()
_CUE_WORDS = frozenset(_BEFORE_NAME)
_AFTER_SURNAME = (
    "先生 女士 小姐 老师 医生 医师 大夫 护士 主任 教授 院长 阿姨 师傅 同志 太太 老人 奶奶 爷爷 大爷 大妈 某某 某 氏"
).split()
_STOP = "，。；：、,.;:（）()\\[\\]【】“”\"'！？!?\\s0-9A-Za-z"
# names that jieba tags as a person but that are clinical words (eponyms, drugs written as names)
_NOT_NAMES = re.compile(r"(?:病|症|综合征|氏|菌|素|酶|胺|醇|片|丸|散|汤|膏|液|剂|科|室|院|部|所|组|中心|区)$")


@lru_cache(maxsize=1)
def _surnames() -> str:
    """The surnames as one alternation, longest first (a compound surname before its first character)."""
    return "|".join(sorted(surnames(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _cued() -> re.Pattern[str]:
    cues = "|".join(sorted(_BEFORE_NAME, key=len, reverse=True))
    names = _surnames()
    # a cue word; any form field whose label names a person ("随访人：", "报告者：", "随访对象：", "操作员："); or,
    # after the name, the sex of the patient ("王淑英，女，92岁")
    field = rf"[{HAN}]{{1,5}}(?:人|者|员|师|生|士|名|对象|家属)(?:[:：]|[ \t]+)"
    sex = r"(?:[，,、]\s?|[ \t]+)(?:性别[:：]?\s*)?[男女](?:[，,、 \t]|$)"  # "王淑英，女，", "张三  男  45岁"
    return re.compile(
        rf"(?:(?:{cues})\s{{0,2}}[:：]?|{field})\s{{0,2}}(?P<phi>(?:{names})[{HAN}]{{1,2}})"
        rf"|(?<![{HAN}])(?P<sexed>(?:{names})[{HAN}]{{1,2}})(?={sex})"
        # any form field whose whole value is a surname and a given name ("家属签字：张三  日期：…")
        rf"|[{HAN}]{{1,6}}[:：]\s{{0,2}}(?P<fielded>(?:{names})[{HAN}]{{1,2}})(?![{HAN}])"
        # a name before a verb whose subject is a person ("李娜签字", "张伟代诉", "王芳陪同")
        rf"|(?<![{HAN}])(?P<verbed>(?:{names})[{HAN}]{{1,2}}?)(?:签字|签名|陪同|代诉|陪护|知情同意|表示理解|您好|你好)"
    )


@lru_cache(maxsize=1)
def _addressed() -> re.Pattern[str]:
    after = "|".join(sorted(_AFTER_SURNAME, key=len, reverse=True))
    names = _surnames()
    return re.compile(rf"(?<![{HAN}])(?P<phi>{names})(?:{after})|(?:小|老)(?P<short>{names})(?![{HAN}])")


# a full name before a title ("李红梅医生", "王建国主任"), and a signature: a name alone after a department
# or hospital and spaces ("骨科  谭建军")
_TITLES = "医生|医师|大夫|护士长|护士|主任|教授|老师|先生|女士|院长|药师|技师"


@lru_cache(maxsize=1)
def _titled() -> re.Pattern[str]:
    names = _surnames()
    return re.compile(
        rf"(?P<phi>(?:{names})[{HAN}]{{1,2}}?)(?:{_TITLES})"
        rf"|(?:科|室|院|中心)[ \t]+(?P<signed>(?:{names})[{HAN}]{{1,2}})(?=[ \t]|$)"
        # a line that starts with a name alone: the signature under a letter ("金海燕  2024年3月14日")
        rf"|^(?P<line>(?:{names})[{HAN}]{{1,2}})(?=[ \t]*$|[ \t]{{2,}})",
        re.MULTILINE,
    )


# what follows a name that makes it an eponym, not a person: 霍奇金淋巴瘤, 马凡综合征, 帕金森病
_EPONYM_HEADS = re.compile(
    r"病|症|综合征|氏|淋巴瘤|瘤|征|反射|试验|手术|骨折|分型|分级|评分|量表|定律|效应|细胞|小体|线|点"
)


class ZhNameRecognizer(ScanRecognizer):
    LANGS = ("zh",)
    ENTITIES = ("PERSON",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        view = width_view(text)
        tokens = pos_tokens(view)
        found = []
        for match in _cued().finditer(view):
            group = next(g for g in ("phi", "sexed", "fielded", "verbed") if match.group(g))
            start, end = match.span(group)
            if group == "phi" and _everyday_words(tokens, start):
                continue  # "患者平素体健": the cue is followed by words of the note, not a name
            # a dictionary word the dictionary tags as a person's name (张旭, 李鹏) is one after a field or before a sex
            named = group in ("sexed", "fielded") and dictionary_tags().get(view[start:end], "")[:2] == "nr"
            if group in ("fielded", "verbed") and dictionary_count(view[start:end]) and not named:
                continue  # a field whose value is a word of the dictionary ("诊断：高血压", "民族：汉族")
            if dictionary_count(view[start : _given_name_end(view, start, end)]) >= EVERYDAY_COUNT and not named:
                continue  # "针对患者来说": an everyday word after the cue
            if end - start == 3 and end not in tokens and end - 1 in tokens:
                end -= 1  # jieba ends a word after two characters, not three ("李娜|神志清")
            found.append(self.result("PERSON", start, _given_name_end(view, start, end), 0.9))
        for match in _addressed().finditer(view):
            group = "phi" if match.group("phi") else "short"
            found.append(self.result("PERSON", *match.span(group), 0.8))
        for match in _titled().finditer(view):
            group = next(g for g in ("phi", "signed", "line") if match.group(g))
            start, end = match.span(group)
            if group == "phi" and view[start : match.end()] in _CUE_WORDS:
                continue  # a role and its title ("麻醉医师", "主治医师") are a cue for a name, not one
            if group == "line" and dictionary_tags().get(view[start:end], "nr")[:2] not in ("nr", "ns"):
                continue  # a line that is a word of the dictionary ("高血压"), not a signature
            if not _EPONYM_HEADS.match(view, end):
                found.append(self.result("PERSON", start, end, 0.8))
        common = common_surnames()
        for start, (word, flag) in tokens.items():
            if flag not in ("nr", "nrfg") or not 2 <= len(word) <= 4 or _NOT_NAMES.search(word):
                continue
            if (
                _EPONYM_HEADS.match(view, start + len(word))
                or view[start + len(word) : start + len(word) + 1] in _DRUG_ENDS
            ):
                continue  # an eponym: the name of a disease, a sign, a test
            if dictionary_count(word):
                continue  # a word of the dictionary ("谢谢", "白蛋白", "蒲公英") is a name only with a cue
            if word[:2] in common or (word[0] in common and len(word) <= 3):
                found.append(self.result("PERSON", start, start + len(word), 0.7))
        return found + self._backstop(view, tokens, found)

    def _backstop(
        self, view: str, tokens: dict[int, tuple[str, str]], found: list[RecognizerResult]
    ) -> list[RecognizerResult]:
        """The trained model's names where the rules found none ("韩淑英家属：", "来电人马静称"), eponyms left
        out; and the names of a list whose first item is a name ("麻醉医师 王洁、邹建军"), read with a lower
        threshold: what follows a name and "、" is likely another."""
        model = NameModel.shipped()
        covering = covering_starts(tokens)
        scored = [
            item
            for item in model.scored(view, tokens, covering)
            if not _eponym(view, item[2], tokens, covering)
            # a word of the dictionary (白蛋白, 蒲公英; but also 李娜) needs the model surer than its threshold
            and (item[0] >= _DICTIONARY_WORD or not dictionary_count(view[item[1] : item[2]]))
            and view[item[2] : item[2] + 1] not in _DRUG_ENDS
        ]
        names = [(r.start, r.end) for r in found]
        for start, stop, _ in choose(scored, model.threshold):
            if disjoint(start, stop, names):
                names.append((start, stop))
        by_start: dict[int, list[tuple[float, int, int]]] = {}
        for item in scored:
            by_start.setdefault(item[1], []).append(item)
        queue = list(names)
        while queue:
            _, end = queue.pop()
            if end < len(view) and view[end] in _LIST_MARKS:
                listed = choose(by_start.get(end + 1, []), _LISTED)
                for start, stop, _ in listed:
                    if disjoint(start, stop, names):
                        names.append((start, stop))
                        queue.append((start, stop))
        return [self.result("PERSON", s, e, 0.6) for s, e in names[len(found) :]]


_LIST_MARKS = "、,，/"
_DRUG_ENDS = set("唑胺醇酮酯霉酸钠钾汀嗪啶")  # a drug's ending after what reads as a name (兰索拉|唑, 阿托伐他|汀)
_DICTIONARY_WORD = 0.9
_LISTED = 0.04  # the model's probability a list's next item needs
# the words after which a name is the name of a disease, a sign or a test (霍奇金|淋巴瘤, 马凡|综合征, 阿尔茨海默|病)
_EPONYM_WORDS = frozenset(
    "病 症 综合征 淋巴瘤 瘤 肉瘤 征 氏 反射 试验 病毒 杆菌 细胞 小体 定律 效应 分型 评分 量表".split()
)


def _eponym(view: str, end: int, tokens: dict[int, tuple[str, str]], covering: dict[int, int]) -> bool:
    """The candidate ending at `end` (or jieba's word it ends inside) is followed by a disease's word."""
    start = covering.get(end - 1, end)
    stop = max(end, start + len(tokens[start][0])) if start in tokens else end
    following = tokens.get(stop)
    if following is None or following[0] not in _EPONYM_WORDS:
        return False
    return view[stop + len(following[0]) : stop + len(following[0]) + 1] != "了"  # "李娜病了" is a name


# characters that start what follows a name rather than end it: a sex, a verb or particle of the note
_AFTER_NAME_CHARS = set("男女说诉称代因于在来去入出住陪同和与及等的了是为被将已诊查之今昨明曾复就自述现既否无经")


def _given_name_end(view: str, start: int, end: int) -> int:
    """A cued name is the surname and one or two given characters: two unless the second would start
    what follows ("患者张伟男" reads 张伟, "江龙之儿子" 江龙)."""
    if end - start >= 3 and view[end - 1] in _AFTER_NAME_CHARS:
        return end - 1
    return end


def _everyday_words(tokens: dict[int, tuple[str, str]], start: int) -> bool:
    """jieba reads two everyday words of two characters or more from `start` on ("平素" + "体健")."""
    first = tokens.get(start)
    if first is None or len(first[0]) < 2 or first[1].startswith(("nr", "nz", "ns", "nt", "x")):
        return False
    second = tokens.get(start + len(first[0]))
    return second is not None and len(second[0]) >= 2 and not second[1].startswith(("nr", "x"))


_HOSPITAL_HEADS = (
    "医院|人民医院|中医院|中医医院|附属医院|妇幼保健院|保健院|卫生院|卫生服务中心|社区卫生服务中心|卫生所|诊所|"
    "门诊部|医疗中心|医学中心|康复中心|体检中心|疗养院|养老院|护理院|急救中心|血站|疾病预防控制中心|疾控中心"
)
_ORG = re.compile(rf"(?P<name>[{HAN}A-Za-z0-9（）()]{{2,16}}?)(?:{_HOSPITAL_HEADS})(?:[{HAN}]{{0,6}}(?:分院|院区))?")
# what cannot be part of an organization's name before its head: prepositions and verbs of the note
_ORG_STOP = set("在于至到往从由经入转就诊收住来去赴及与或的是为了被把将已曾后前时")


class ZhOrganizationRecognizer(ScanRecognizer):
    LANGS = ("zh",)
    ENTITIES = ("ORGANIZATION",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        view = width_view(text)
        found = []
        for match in _ORG.finditer(view):
            start = match.start("name")
            # the name starts after the last preposition or verb before the head
            cut = max((i for i in range(start, match.end("name")) if view[i] in _ORG_STOP), default=None)
            if cut is not None:
                start = cut + 1
            if match.end() - start >= 4 and _names_a_place_or_proper_noun(
                view[start : match.start("name") + len(match["name"])]
            ):
                found.append(self.result("ORGANIZATION", start, match.end(), 0.85))
        return found


def _segments(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.cut(text))


def _names_a_place_or_proper_noun(name: str) -> bool:
    """An organization's name says which one it is: it holds a place name, a proper noun, or a word the
    dictionary lacks ("北京协和", "宁波市第三", "仁和"). One made only of everyday words ("正规", "当地",
    "三甲", "肝病", "一家权威") is a kind of hospital, not a named one."""
    if any(place in name for place in _division_names_in(name)):
        return True
    tags = dictionary_tags()
    for word in _segments(name):
        if not re.fullmatch(f"[{HAN}]+", word):
            continue
        tag = tags.get(word)
        if tag is None or tag.startswith(("nr", "ns", "nt", "nz")):
            return True
    return False


def _division_names_in(text: str) -> list[str]:
    return [m.group() for m in _places().finditer(text)] + [p for p in provinces() if len(p) >= 2 and p in text]


@lru_cache(maxsize=1)
def _places() -> re.Pattern[str]:
    names = sorted(place_names(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


_ROAD = re.compile(
    rf"(?P<road>[{HAN}A-Za-z0-9](?:大街|大道|路|街|巷|弄|胡同|道|里))(?P<no>\d{{1,5}}(?:-\d{{1,4}})?(?:号|弄))"
    rf"(?P<rest>(?:[{HAN}A-Za-z0-9]{{0,10}}?(?:小区|花园|公寓|大厦|新村|家园|苑|广场|大楼|园))?"
    rf"(?:\d{{1,3}}(?:栋|幢|号楼|座|楼))?(?:\d{{1,3}}单元)?(?:\d{{1,5}}(?:室|号|房|户))?)"
)
_ESTATE = re.compile(
    rf"(?P<name>[{HAN}](?:小区|花园|公寓|新村|家园|苑))(?P<rest>\d{{1,3}}(?:栋|幢|号楼|座)(?:\d{{1,3}}单元)?"
    rf"(?:\d{{1,5}}(?:室|号|房))?)"
)
_ADDRESS_STOP = set("住址在于至到往从由经入转就诊收住来去赴及与或的是为了被把将已曾后前时家居现位")


class ZhPlaceRecognizer(ScanRecognizer):
    """Cities, counties and districts by name (LOCATION); street addresses (STREET_ADDRESS), from the
    road and number back over the divisions, towns and villages written before them."""

    LANGS = ("zh",)
    ENTITIES = ("LOCATION", "STREET_ADDRESS")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        view = width_view(text)
        boundaries, position = {0}, 0
        for word in _segments(view):
            position += len(word)
            boundaries.add(position)
        # a place name inside a longer word is not one ("西林" of 阿莫西林): it must start and end a word
        found = [
            self.result("LOCATION", m.start(), m.end(), 0.75)
            for m in _places().finditer(view)
            if m.start() in boundaries and m.end() in boundaries
        ]
        for pattern in (_ROAD, _ESTATE):
            for match in pattern.finditer(view):
                start = _clause_start(view, match.start())
                if match.end() - start >= 4:
                    found.append(self.result("STREET_ADDRESS", start, match.end(), 0.85))
        return found


_ADDRESS_CHARS = re.compile(rf"[{HAN}A-Za-z0-9·-]")


def _clause_start(view: str, start: int, limit: int = 40) -> int:
    """Where the address that ends in the road (or estate) at `start` begins: back over the characters of
    its clause (the divisions, towns and villages before the road), after the last word of the note that
    cannot be part of it ("家住", "居住在", "现位于")."""
    begin = start
    while begin > 0 and start - begin < limit and _ADDRESS_CHARS.match(view[begin - 1]):
        begin -= 1
    cut = max((i for i in range(begin, start) if view[i] in _ADDRESS_STOP or view[i].isdigit()), default=None)
    if cut is None:
        return begin
    start = cut + 1
    # a division whose name holds one of those characters ("无为县", "安居区") is moved back over whole
    known = place_names() | provinces()
    moved = True
    while moved:
        moved = False
        for size in range(min(9, start - begin), 0, -1):
            # the name may end a character or two past `start` ("无为|县": the cut fell inside it)
            if any(view[start - size : start + extra] in known for extra in (0, 1, 2)):
                start -= size
                moved = True
                break
    return start
