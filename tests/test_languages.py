"""The language packs drive the config's language codes, the CLI's choices, the detection models, the
baseline, surrogate locales and date layouts; a new language is a new pack (here one made in the test,
for a script without spaces)."""

from __future__ import annotations

import re

import pytest
import spacy
from pydantic import ValidationError

import etl.languages
from etl.cli import build_parser
from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, compile_pattern
from etl.deid.text import TextDeidentifier
from etl.evaluate.baseline import BASELINE_MODELS
from etl.lang import detect_lang
from etl.languages import CODES, PACKS, language_pack
from etl.languages.base import LanguagePack, digits
from schemas.config import DeidConfig, RunConfig


def test_when_config_built_then_its_models_are_the_packs_models():
    assert DeidConfig().models == {code: pack.model for code, pack in PACKS.items()}
    assert {code: pack.baseline_model for code, pack in PACKS.items()} == BASELINE_MODELS


def test_when_language_has_no_pack_then_config_refuses_it_naming_the_key():
    with pytest.raises(ValidationError, match="default_lang"):
        RunConfig.model_validate({"deid": {"default_lang": "fr"}})
    with pytest.raises(ValidationError, match="not a language clinetl has a pack for"):
        RunConfig.model_validate({"deid": {"models": {"fr": "fr_core_news_sm"}}})


def test_when_cli_parses_lang_then_its_choices_are_the_packs():
    parser = build_parser()
    for code in CODES:
        assert parser.parse_args(["deid-text", "--in", "a", "--out", "b", "--lang", code]).lang == code
    with pytest.raises(SystemExit):
        parser.parse_args(["deid-text", "--in", "a", "--out", "b", "--lang", "fr"])


def test_when_code_has_no_pack_then_lookup_error_does_not_repeat_it():
    with pytest.raises(KeyError) as raised:
        language_pack("Maria Lopez")
    assert "Maria" not in str(raised.value)


def test_when_pack_lists_other_than_twelve_months_then_it_is_refused():
    with pytest.raises(ValueError, match="11 month names"):
        LanguagePack("xx", (), "m", None, "en_US", "dmy", tuple("abcdefghijk"), False)


_UNSPACED = LanguagePack(
    code="xx",
    names=("testish",),
    model="",  # set to a blank pipeline on disk by the test
    baseline_model=None,
    faker_locale="en_US",
    numeric_dates="dmy",
    months=tuple(f"m{i}" for i in range(1, 13)),
    months_lower_case=True,
    spaced=False,
)


class _PhoneCue(GroupRegexRecognizer):
    """A recognizer a pack brings for its own language: a phone after its cue, in a script without spaces."""

    LANGS = ("xx",)

    def patterns(self, lang: str) -> list[GroupPattern]:
        cue, number = _UNSPACED.cue(["电话", "手机"]), digits(r"1\d{10}")
        return [compile_pattern("phone", rf"{cue}[:：]?\s*(?P<phi>{number})", "PHONE", 0.9)]


def test_when_cue_is_for_a_script_without_spaces_then_it_matches_where_word_boundaries_do_not():
    text = "患者电话13812345678，手机：13900001111"
    # CJK characters are word characters: \b finds no edge between 话 and 1
    assert re.findall(r"\b1\d{10}\b", text) == ["13900001111"]
    found = [m.group("phi") for p in _PhoneCue("xx").patterns("xx") for m in p.regex.finditer(text)]
    assert found == ["13812345678", "13900001111"]
    assert not re.search(digits(r"1\d{10}"), "卡号913812345678")  # not inside a longer number
    english = language_pack("en").cue(["tel", "phone"])
    assert re.search(english, "phone 555") and not re.search(english, "telephone 555")


def test_when_a_pack_is_added_then_config_detection_and_language_identification_serve_it(tmp_path, monkeypatch):
    model = tmp_path / "blank_xx"
    spacy.blank("xx").to_disk(model)
    pack = LanguagePack(**{**_UNSPACED.__dict__, "model": str(model), "recognizers": lambda: [_PhoneCue("xx")]})
    monkeypatch.setitem(PACKS, "xx", pack)
    monkeypatch.setattr(etl.languages, "CODES", (*CODES, "xx"))
    config = RunConfig.model_validate({"deid": {"models": {"xx": str(model)}, "default_lang": "xx"}})
    deidentifier = TextDeidentifier(config.deid)
    spans = deidentifier.detect("患者电话13812345678，诉头痛", "xx")
    assert [(s.label, s.start, s.end) for s in spans] == [("PHONE", 4, 15)]
    spaced = LanguagePack(
        **{**_UNSPACED.__dict__, "code": "yy", "spaced": True, "function_words": frozenset({"zorp", "blik"})}
    )
    monkeypatch.setitem(PACKS, "yy", spaced)
    assert detect_lang("zorp the blik zorp", "en") == "yy"  # its function words outnumber English's
