"""The shipped English lexicons: words that identify nobody, names, places (etl/deid/lexicon/)."""

import pytest

from etl.deid.lexicon import is_known, person_names, place_names, safe_words


@pytest.mark.parametrize(
    "word",
    [
        "aware",
        "draining",
        "foley",
        "tachycardic",
        "lytes",
        "sats",
        "coumadin",
        "hope",
        "white",
        "dear",
        "paged",
        "reorients",
        "offloaded",
        "bldg",
        "son",
        "dtr",
        "oh",
        "snomed",
    ],
)
def test_when_clinical_or_common_word_then_safe(word):
    assert is_known(word, safe_words("en"))


@pytest.mark.parametrize("word", ["smith", "welsh", "rome", "ellison", "kessler", "garcia", "dorchester", "hans"])
def test_when_name_or_place_then_not_safe(word):
    assert not is_known(word, safe_words("en"))


def test_when_name_lists_loaded_then_names_and_places_are_there():
    names, places = person_names("en"), place_names("en")
    assert {"smith", "hope", "will", "welsh"} <= names and {"boston", "quincy", "siwan"} <= places


def test_when_word_looks_like_a_plural_then_matched_exactly_unless_asked():
    safe = safe_words("en")
    assert not is_known("Hans", safe) and not is_known("Rogers", safe)
    assert is_known("NT/ND", safe) and is_known("jackson-pratt", safe)
