"""The Chinese language pack: recognizers on text without spaces, dates in Chinese layouts, surrogates in
Chinese, and the pack's own gold notes (the generator's text is clinetl's own: these tests prove the
mechanisms)."""

from __future__ import annotations

import pytest

from etl.deid.pseudonyms import PseudonymStore
from etl.deid.surrogates import SurrogateReplacer
from etl.deid.text import TextDeidentifier
from etl.languages import language_pack
from etl.languages.zh.dates import reduce_date, shift_date
from etl.languages.zh.numbers import ZhIdentityCardRecognizer, id_card_valid
from etl.languages.zh.text import numeral_value, to_numeral, width_view
from etl.synth.zh_gold import generate_zh_gold

NOTE = (
    "患者张伟，男，92岁，身份证号110101199003074514，住院号：ZY20230314，于2023年3月14日因胸痛入北京协和医院心内科。"
    "电话１３８１２３４５６７８，家住北京市朝阳区建国路88号阳光小区3栋2单元501室。其女李娜陪同，主治医师王建国。"
    "护士签名：刘芳。既往帕金森病、霍奇金淋巴瘤病史，服用阿司匹林100mg qd。血红蛋白 125 g/L，VAS评分3分。"
    "微信号zw_1990，车牌粤B12345。二〇二三年三月十四日复查。"
)
PLANTED = [
    *("张伟", "92岁", "110101199003074514", "ZY20230314", "2023年3月14日", "北京协和医院", "１３８１２３４５６７８"),
    *("北京市朝阳区建国路88号阳光小区3栋2单元501室", "李娜", "王建国", "刘芳", "zw_1990", "粤B12345"),
    "二〇二三年三月十四日",
]
KEPT = ["帕金森病", "霍奇金淋巴瘤", "阿司匹林", "100mg qd", "血红蛋白 125 g/L", "VAS评分3分", "心内科", "胸痛"]


@pytest.fixture(scope="module")
def zh(run_config):
    return TextDeidentifier(run_config.deid)


def test_when_config_is_the_default_then_chinese_notes_are_read_with_the_packs_pipeline(run_config):
    assert run_config.deid.models["zh"] == language_pack("zh").model == "clinetl/zh_jieba_v1"


def test_when_id_number_has_a_wrong_check_digit_then_it_is_still_found_with_a_lower_score():
    assert id_card_valid("110101199003074514") and not id_card_valid("110101199003074515")
    recognizer = ZhIdentityCardRecognizer("zh")
    good, bad = (recognizer.analyze(f"身份证{n}号", []) for n in ("110101199003074514", "110101199003074515"))
    assert good[0].score > bad[0].score >= 0.5


def test_when_chinese_note_is_scanned_then_every_planted_identifier_is_found_and_clinical_terms_kept(zh):
    spans = zh.detect(NOTE, "zh")
    covered = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    for value in PLANTED:
        start = NOTE.index(value)
        assert set(range(start, start + len(value))) <= covered, value
    for term in KEPT:
        start = NOTE.index(term)
        assert not set(range(start, start + len(term))) & covered, term


def test_when_full_width_digits_are_folded_then_offsets_stay_those_of_the_note():
    assert width_view("电话：１３８") == "电话:138" and len(width_view(NOTE)) == len(NOTE)


def test_when_chinese_dates_are_reduced_or_shifted_then_they_keep_their_layout():
    assert reduce_date("2023年3月14日") == "2023年" and reduce_date("二〇二三年三月十四日") == "二〇二三年"
    assert reduce_date("3月14日") is None  # no year: the replacer writes a tag
    assert shift_date("2023年3月14日", 30) == "2023年4月13日"
    assert shift_date("二〇二三年三月十四日", -14) == "二〇二三年二月二十八日"
    assert shift_date("2023-03-14", -400) == "2022-02-07" and shift_date("2023/3/4", 30) == "2023/4/3"
    assert numeral_value("三十一") == 31 and to_numeral(2023, digit_by_digit=True) == "二〇二三"


def test_when_chinese_note_is_replaced_then_no_planted_value_remains_and_names_keep_their_length(zh, tmp_path):
    # the clinic's known names are never drawn as surrogates (avoid_words): here, the note's own
    names = frozenset({"张伟", "李娜", "王建国", "刘芳"})
    with PseudonymStore(tmp_path / "store.sqlite3") as store:
        result = zh.deidentify(NOTE, "zh", patient="p1", replacer=SurrogateReplacer(store, avoid=names))
    for value in PLANTED:
        assert value not in result.text, value
    assert "2023年" in result.text  # Safe Harbor keeps the year, in its Chinese writing
    for term in KEPT:
        assert term in result.text
    with PseudonymStore(tmp_path / "store.sqlite3") as store:
        again = zh.deidentify("患者张伟复诊。", "zh", patient="p1", replacer=SurrogateReplacer(store))
    surrogate = again.text[2:4]
    assert surrogate != "张伟" and surrogate in result.text  # the same person in every note of the patient


def test_when_chinese_gold_is_generated_then_planted_spans_sit_at_their_offsets():
    docs = generate_zh_gold(8, "heldout")
    assert {d["lang"] for d in docs} == {"zh"}
    for doc in docs:
        assert doc["spans"] and all(doc["text"][s["start"] : s["end"]].strip() for s in doc["spans"])


def test_when_clinic_knows_its_chinese_staff_and_partners_then_they_are_found_inside_running_text():
    from etl.deid.recognizers.gazetteer import KnownValuesRecognizer

    recognizer = KnownValuesRecognizer("zh", [("PERSON", "王建国"), ("ORGANIZATION", "仁和康复诊所"), ("PERSON", "伟")])
    text = "今日王建国主任查房，转仁和康复诊所。伟大的进步。"
    found = [(r.entity_type, text[r.start : r.end]) for r in recognizer.analyze(text, [])]
    assert found == [("PERSON", "王建国"), ("ORGANIZATION", "仁和康复诊所")]  # one character alone is no name


def test_when_clinic_knows_a_chinese_patient_then_no_surrogate_is_that_name_written_family_first():
    from etl.deid.text import avoid_words

    assert avoid_words([[("PERSON", "伟 张"), ("PERSON", "伟")]]) == {"张伟"}
