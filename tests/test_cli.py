import json

import pytest

from etl.cli import main

pytestmark = pytest.mark.model


def test_when_deid_text_then_same_ids_and_offsets_in_original(tmp_path, capsys):
    rows = [
        {"id": "a", "text": "Seen by Dr. Chen on 03/14/2023, call 617-555-0100."},
        {"id": "b", "text": "Paciente María López, NHC 4567890.", "lang": "es"},
        {"id": "c", "text": ""},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert main(["deid-text", "--in", str(source), "--out", str(tmp_path / "out.jsonl")]) == 0
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    original = rows[0]["text"]
    assert {original[e["start"] : e["end"]] for e in out[0]["entities"]} >= {"Chen", "03/14/2023", "617-555-0100"}
    assert "617-555-0100" not in out[0]["text"] and "4567890" not in out[1]["text"]


def test_when_deid_text_fails_then_text_withheld_and_exit_nonzero(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "z", "text": "患者张伟"}, ensure_ascii=False) + "\n")
    assert main(["deid-text", "--in", str(source), "--out", str(tmp_path / "o.jsonl"), "--lang", "es"]) == 0
    # a language without a pack (French) fails closed: the text is withheld, never echoed
    source.write_text(json.dumps({"id": "z", "text": "Patiente Marie Dupont", "lang": "fr"}) + "\n")
    assert main(["deid-text", "--in", str(source), "--out", str(tmp_path / "o.jsonl")]) == 1
    [row] = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert row["text"] is None and "Dupont" not in json.dumps(row, ensure_ascii=False)


def test_when_source_missing_then_clear_error_exit_2(tmp_path, capsys):
    assert main(["run", "--source", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "source folder not found" in capsys.readouterr().err


def test_when_serve_without_prefect_server_then_explains_and_exits_2(tmp_path, capsys, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from etl.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):  # even inside the session's test harness
        assert main(["serve", "--source", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "prefect server start" in capsys.readouterr().err


def test_when_run_help_is_asked_then_every_option_is_explained():
    from etl.cli import build_parser

    run = build_parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    options = {a.option_strings[0]: a.help for a in run._actions if a.option_strings and a.dest != "help"}
    assert {"--source", "--out", "--config", "--debug"} <= set(options)
    assert all(options.values()), [name for name, text in options.items() if not text]
