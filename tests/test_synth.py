import json

from etl.synth import generate_clinic


def test_when_same_seed_then_same_clinic(tmp_path):
    generate_clinic(tmp_path / "a", patients=3, seed=5)
    generate_clinic(tmp_path / "b", patients=3, seed=5)
    for name in ("notes.csv", "patients.csv", "planted_identifiers.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_when_generated_then_planted_identifiers_appear_in_notes(tmp_path):
    counts = generate_clinic(tmp_path, patients=6, seed=3)
    planted = json.loads((tmp_path / "planted_identifiers.json").read_text())
    corpus = (tmp_path / "notes.csv").read_text() + "".join(p.read_text() for p in (tmp_path / "notes").rglob("*.txt"))
    in_notes = [p for p in planted if p["kind"] in {"name", "mrn", "phone", "email"} and p["value"] in corpus]
    assert counts["txt_notes"] > 0 and len(in_notes) >= 6 * 4
    assert {p["kind"] for p in planted} >= {"name", "ssn", "mrn", "phone", "email", "address", "birth_date"}
