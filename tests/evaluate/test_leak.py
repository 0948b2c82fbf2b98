from etl.evaluate.gold import GoldSpan
from etl.evaluate.leak import LeakCounts, score_leaks
from schemas.records import Span


def _score(text, gold, predicted, rendered):
    counts = LeakCounts()
    score_leaks(text, gold, [], predicted, rendered, counts)
    return counts.as_dict()


def test_when_a_word_of_the_span_is_left_then_the_span_survives_but_not_whole():
    text = "seen by Mary Daniel Rome today"
    gold = [GoldSpan(8, 24, "PERSON")]
    result = _score(text, gold, [Span(8, 19, "PERSON", 1.0)], ["Ann Lee"])
    assert result["surviving"] == 1 and result["surviving_whole"] == 0


def test_when_the_surrogate_repeats_a_word_then_the_span_survives():
    text = "seen by MARY ROME. today"
    gold = [GoldSpan(8, 17, "PERSON")]
    assert _score(text, gold, [Span(8, 17, "PERSON", 1.0)], ["ANN ROME"])["surviving"] == 1
    assert _score(text, gold, [Span(8, 17, "PERSON", 1.0)], ["ANN LEE"])["surviving"] == 0


def test_when_only_the_year_or_generic_words_remain_then_nothing_survives():
    text = "on 03/14/2023 at Harborview Medical Center"
    gold = [GoldSpan(3, 13, "DATE"), GoldSpan(17, 42, "ORGANIZATION")]
    predicted = [Span(3, 13, "DATE", 1.0), Span(17, 27, "ORGANIZATION", 1.0)]
    result = _score(text, gold, predicted, ["2023", "Smith"])
    assert result["surviving"] == 0 and result["spans"] == 2


def test_when_words_outside_identifiers_are_redacted_then_words_kept_drops():
    text = "pt resting comfortably today"
    result = _score(text, [], [Span(3, 10, "PERSON", 1.0)], ["Ann"])
    assert result["words_outside_phi"] == 4 and result["words_kept"] == 0.75
