from etl.synth.gold_notes import generate_gold


def test_when_gold_generated_then_spans_point_at_their_values_and_keep_terms_recorded():
    docs = generate_gold(12, seed=3)
    assert len({d["text"] for d in docs}) == 12
    for doc in docs:
        assert doc["spans"] and doc["keep"]
        for span in doc["spans"] + doc["keep"]:
            value = doc["text"][span["start"] : span["end"]]
            assert value and value == value.strip()
    labels = {s["label"] for d in docs for s in d["spans"]}
    assert labels >= {"PERSON", "DATE", "MRN", "PHONE", "EMAIL", "URL", "IP_ADDRESS", "SSN", "STREET_ADDRESS", "AGE"}


def test_when_same_seed_then_same_gold():
    assert generate_gold(5, seed=9) == generate_gold(5, seed=9)


def test_when_generated_in_separate_processes_then_byte_identical(tmp_path):
    """Hash randomisation must not leak into generated data (Faker's it_IT city list is built from a set)."""
    import os
    import subprocess
    import sys

    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"gold_{hash_seed}.jsonl"
        clinic = tmp_path / f"clinic_{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        for args in (
            ["synth-gold", "--notes", "40", "--out", str(out)],
            ["synth", "--patients", "4", "--out", str(clinic)],
        ):
            subprocess.run([sys.executable, "-m", "etl.cli", *args], check=True, env=env, capture_output=True)
        outputs.append((out.read_bytes(), (clinic / "notes.csv").read_bytes(), (clinic / "patients.csv").read_bytes()))
    assert outputs[0] == outputs[1]
