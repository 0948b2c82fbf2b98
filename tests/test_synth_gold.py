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
