"""Chinese recognizers for what notes write with digits: dates, ages over 89, phones, ID card numbers,
record numbers and their cues, e-mail, WeChat and QQ ids, licence plates, device serials.

Chinese runs words and digits together ("电话13812345678"): no pattern here relies on `\\b`; numbers are
bounded by digit look-arounds (`digits`) and cues are matched on the raw text (jieba splits "住院号" into
"住院" + "号"). Every pattern runs on the width-folded view of the note (full-width digits and colons as
ASCII), whose offsets are the note's."""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, ScanRecognizer, compile_pattern
from etl.languages.base import digits
from etl.languages.zh.dates import DATE_PATTERNS
from etl.languages.zh.text import NUMERAL, width_view

_SEP = r"\s{0,2}[:：]?\s{0,2}"  # between a cue and its value (the view folds "：" to ":")
_VALUE = r"[A-Za-z0-9][A-Za-z0-9-]{2,24}"


class WidthFolded(GroupRegexRecognizer):
    """Patterns run on the width-folded view of the note (same offsets)."""

    LANGS = ("zh",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return super().analyze(width_view(text), entities, nlp_artifacts)


class ZhDateRecognizer(WidthFolded):
    def patterns(self, lang: str) -> list[GroupPattern]:
        scores = {"ymd": 0.95, "iso": 0.9, "year_month": 0.7, "md": 0.85, "month_cued": 0.6, "month_fen": 0.6}
        return [compile_pattern(name, p, "DATE", scores.get(name, 0.6)) for name, p in DATE_PATTERNS]


class ZhAgeRecognizer(WidthFolded):
    def patterns(self, lang: str) -> list[GroupPattern]:
        over = r"(?:9\d|1[0-4]\d)|九十[一二三四五六七八九]?|一百[零一二三四五六七八九十]{0,3}"
        return [
            compile_pattern("sui", rf"(?<![\d{NUMERAL}])(?P<phi>(?:{over})\s?(?:周岁|岁))", "AGE", 0.9),
            compile_pattern("cued", rf"年龄{_SEP}(?P<phi>{digits('9[0-9]|1[0-4][0-9]')})", "AGE", 0.9),
        ]


_MOBILE = r"(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}"
_LANDLINE = r"(?:\(0\d{2,3}\)|0\d{2,3}[\s-])\s?\d{7,8}(?:[-转]\d{1,4})?"
_PHONE_CUES = r"电话|手机|手机号|联系电话|联系方式|座机|固话|传真|电话号码|Tel|TEL|tel|Phone|PHONE"


class ZhPhoneRecognizer(WidthFolded):
    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("mobile", rf"(?<![\d+])(?P<phi>{_MOBILE})(?!\d)", "PHONE", 0.85),
            compile_pattern("landline", rf"(?<![\d+])(?P<phi>{_LANDLINE})(?!\d)", "PHONE", 0.8),
            compile_pattern("service", r"(?<!\d)(?P<phi>[48]00[\s-]?\d{3}[\s-]?\d{4})(?!\d)", "PHONE", 0.7),
            compile_pattern(
                "cued", rf"(?:{_PHONE_CUES}){_SEP}(?P<phi>(?:\+?86[\s-]?)?\d[\d\s-]{{5,16}}\d)(?!\d)", "PHONE", 0.9
            ),
        ]


# record numbers whose cue says what they are (matched on the raw text: jieba splits the cue)
_MRN_CUES = r"住院号|门诊号|病案号|病历号|住院病历号|病案编号|住院编号|门诊编号|就诊号|登记号|患者ID|病人ID|ID号|HIS号"
_ID_CUES = (
    r"医保卡号|医保号|社保卡号|社保号|就诊卡号|健康卡号|卡号|检查号|影像号|检验号|标本号|条码号|申请单号|档案号"
    r"|会员号|流水号|护照号|证件号|证件号码|保险单号|保单号|账号|账户|银行卡号|驾驶证号|医师执业证号|执业证号"
)


class ZhRecordNumberRecognizer(WidthFolded):
    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern("mrn", rf"(?:{_MRN_CUES}){_SEP}(?P<phi>{_VALUE})", "MRN", 0.95),
            compile_pattern("id", rf"(?:{_ID_CUES}){_SEP}(?P<phi>{_VALUE})", "ID", 0.9),
            # any other number a label names as one ("体检编号", "标本条码", "预约号"): its value holds a digit
            compile_pattern(
                "numbered",
                r"[\u4e00-\u9fff]{1,6}(?:编号|号码|号|码|ID|No\.?)\s{0,2}[:：]?\s{0,2}(?P<phi>[A-Za-z0-9-]*\d[A-Za-z0-9-]{3,24})",
                "ID",
                0.8,
            ),
            # a bed: 床号：12, 12床, 3号床, 加5床 (a bed names its patient on the ward that day)
            compile_pattern("bed_cued", rf"床号{_SEP}(?P<phi>[A-Za-z]?\d{{1,4}})", "ID", 0.85),
            compile_pattern("bed", r"(?<![\dA-Za-z])(?P<phi>(?:加)?[A-Za-z]?\d{1,4}(?:号)?床)(?!位|旁|边)", "ID", 0.7),
            compile_pattern(
                "serial",
                rf"(?:序列号|设备号|设备编号|仪器编号|S/N|SN|IMEI)\s{{0,2}}[:：#]?\s{{0,2}}(?P<phi>{_VALUE})",
                "ID",
                0.9,
            ),
        ]


_PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = rf"[{_PROVINCE_ABBREVIATIONS}][A-HJ-NP-Z][·•\s]?[A-HJ-NP-Z0-9]{{4,5}}[A-HJ-NP-Z0-9挂学警]?"


class ZhContactRecognizer(WidthFolded):
    """E-mail and web addresses without the word boundary Presidio's need, WeChat and QQ ids, licence
    plates."""

    def patterns(self, lang: str) -> list[GroupPattern]:
        return [
            compile_pattern(
                "email",
                r"(?<![A-Za-z0-9._%+-])(?P<phi>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)",
                "EMAIL",
                0.9,
            ),
            compile_pattern("url", r"(?P<phi>(?:https?://|www\.)[A-Za-z0-9./?=&%_#:~+-]+)", "URL", 0.8),
            compile_pattern(
                "wechat",
                rf"(?:微信号|微信|WeChat|wechat|VX|vx|wx){_SEP}(?P<phi>[A-Za-z][-_A-Za-z0-9]{{3,19}}|\d{{5,11}})",
                "ID",
                0.9,
            ),
            compile_pattern("qq", rf"(?:QQ|qq)(?:号)?{_SEP}(?P<phi>\d{{5,11}})(?!\d)", "ID", 0.9),
            compile_pattern(
                "ip",
                r"(?<![\d.])(?P<phi>(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.])",
                "IP_ADDRESS",
                0.7,
            ),
            compile_pattern("plate", rf"(?<![A-Za-z0-9])(?P<phi>{_PLATE})(?![A-Za-z0-9])", "ID", 0.85),
        ]


_ID_CARD = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                      r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")  # fmt: skip
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_card_valid(number: str) -> bool:
    """The check digit of an 18-character resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


class ZhIdentityCardRecognizer(ScanRecognizer):
    """Resident identity card numbers (身份证号), 18 characters (or the older 15 digits). A valid check
    digit raises the score; an invalid one never blocks (a typo in a real number is still that person's)."""

    LANGS = ("zh",)
    ENTITIES = ("ID",)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = []
        for match in _ID_CARD.finditer(width_view(text)):
            score = 0.98 if id_card_valid(match.group(1)) else 0.75
            found.append(self.result("ID", match.start(1), match.end(1), score))
        return found
