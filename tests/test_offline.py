import pytest

pytestmark = pytest.mark.model


def test_when_email_analyzed_then_no_network_attempt(deidentifier, monkeypatch):
    import requests

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(requests.Session, "request", refuse)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    text = "Write to jane.roe@clinic-example.org or visit https://clinic-example.org/portal."
    labels = {s.label for s in deidentifier.detect(text, "en")}
    assert {"EMAIL", "URL"} <= labels
