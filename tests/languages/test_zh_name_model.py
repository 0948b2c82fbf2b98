"""The trained Chinese name backstop: names the rules have no cue for, eponyms and drugs left alone, a
list's next name, and the shipped weights as the training command writes them."""

from __future__ import annotations

import json

import pytest

from etl.deid.text import TextDeidentifier
from etl.languages.zh.name_model import WEIGHTS, NameModel, candidates
from etl.languages.zh.train_names import inject


@pytest.fixture(scope="module")
def zh(run_config):
    return TextDeidentifier(run_config.deid)


def _names(zh: TextDeidentifier, text: str) -> set[str]:
    return {text[s.start : s.end] for s in zh.detect(text, "zh") if s.label == "PERSON"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("病危通知书\n韩淑英家属：\n患者因病情危重，特此告知。", "韩淑英"),  # before a kin word, no cue before it
        ("心内科 杨桂兰敬上\n", "杨桂兰"),  # a letter's signature
        ("尊敬的丁冬梅：\n您的母亲已顺利出院。", "丁冬梅"),  # a letter's salutation
    ],
)
def test_when_name_has_no_cue_then_the_model_finds_it(zh, text, name):
    assert name in _names(zh, text)


def test_when_first_item_of_a_list_is_a_name_then_the_next_ones_are_read_as_names(zh):
    text = "麻醉医师 黎建平、邹建军；手术间：3号"
    assert _names(zh, text) == {"黎建平", "邹建军"}  # and not 麻醉, a word before a title


@pytest.mark.parametrize(
    "text",
    [
        "诊断为霍奇金淋巴瘤，合并马凡综合征。",
        "既往阿尔茨海默病史3年。",
        "口服兰索拉唑30mg qd，白蛋白 35 g/L。",
        "高血压病史10年，常伴头晕，周围神经病变。",
    ],
)
def test_when_text_holds_eponyms_drugs_and_everyday_words_then_no_name_is_read(zh, text):
    assert _names(zh, text) == set()


def test_when_candidates_are_listed_then_each_is_a_surname_and_one_or_two_characters():
    spans = {(s, e) for s, e, _ in candidates("王芳来诊")}
    assert {(0, 2), (0, 3)} <= spans and all(e - s in (2, 3) for s, e in spans)


def test_when_training_text_speaks_of_a_person_then_the_injected_names_sit_at_their_spans():
    import random

    from etl.languages.zh.train_names import _Names

    rng = random.Random(1)
    text, spans = inject("我最近头痛，他说孩子也发热，患者需要复查。" * 3, _Names(rng), rng)
    assert spans and all(2 <= e - s <= 4 for s, e in spans)
    assert all(text[s] not in "我他孩患" for s, _ in spans)


def test_when_weights_ship_then_they_carry_their_threshold_and_dev_curve():
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    model = NameModel.shipped()
    assert 0 < model.threshold < 1 and model.threshold == data["threshold"]
    assert data["dev_curve"] and data["positives"] > 1000 and len(model.weights) > 1000
