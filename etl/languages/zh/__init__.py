"""Chinese (简体). Detection runs a blank spaCy `zh` pipeline segmented by jieba (no Chinese NER model is
installable offline) and the recognizers of this package; surrogates are drawn in zh_CN and composed
from the PRC's division list; dates are written back in their own Chinese layout."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from etl.languages.base import LanguagePack
from etl.languages.zh.dates import reduce_date, shift_date
from etl.languages.zh.surrogates import mint

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer


def _quiet_jieba() -> None:
    """jieba reports loading its dictionary at DEBUG on a handler of its own: silenced before spaCy's
    tokenizer first loads it (no progress lines on the console or in the run's log)."""
    try:
        import jieba
    except ImportError:  # a missing jieba is reported when the pipeline is loaded
        return
    jieba.setLogLevel(logging.WARNING)


_quiet_jieba()


def _recognizers() -> list[EntityRecognizer]:
    from etl.languages.zh.names import ZhNameRecognizer, ZhOrganizationRecognizer, ZhPlaceRecognizer
    from etl.languages.zh.numbers import (
        ZhAgeRecognizer,
        ZhContactRecognizer,
        ZhDateRecognizer,
        ZhIdentityCardRecognizer,
        ZhPhoneRecognizer,
        ZhRecordNumberRecognizer,
    )

    classes = (ZhDateRecognizer, ZhAgeRecognizer, ZhPhoneRecognizer, ZhRecordNumberRecognizer, ZhContactRecognizer,
               ZhIdentityCardRecognizer, ZhNameRecognizer, ZhOrganizationRecognizer, ZhPlaceRecognizer)  # fmt: skip
    return [cls("zh") for cls in classes]


PACK = LanguagePack(
    code="zh",
    names=("chinese", "zho", "chi", "中文", "汉语", "简体中文", "普通话"),
    model="clinetl/zh_jieba_v1",
    baseline_model="clinetl/zh_jieba_v1",  # Presidio's own recognizers serve no Chinese: it finds almost nothing
    faker_locale="zh_CN",
    numeric_dates="mdy",  # "3/14": Chinese writes the month first; a year comes first when written
    months=("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"),
    months_lower_case=False,
    spaced=False,
    presidio_patterns=False,
    recognizers=_recognizers,
    reduce_date=reduce_date,
    shift_date=shift_date,
    mint=mint,
)
