import json

import pytest

from etl.evaluate.gold import IGNORE, GoldDoc, GoldSpan, read_brat, read_jsonl, read_presidio_synth
from etl.evaluate.metrics import Scores, score_doc
from schemas.records import Span

TEXT = "Seen by John Smith on 03/14/2023 in Boston, age 45."
#       0123456789012345678901234567890123456789012345678901
GOLD = GoldDoc(
    "d",
    TEXT,
    [GoldSpan(8, 18, "PERSON"), GoldSpan(22, 32, "DATE"), GoldSpan(36, 42, "LOCATION"), GoldSpan(44, 50, IGNORE)],
)


def _scores(predicted):
    scores = Scores()
    score_doc(GOLD, predicted, scores)
    return scores.as_dict()


def test_when_prediction_perfect_then_all_ones():
    result = _scores([Span(8, 18, "PERSON", 1), Span(22, 32, "DATE", 1), Span(36, 42, "LOCATION", 1)])
    assert result["token"]["f1"] == result["entity_strict"]["f1"] == result["entity_overlap"]["f1"] == 1.0


def test_when_partial_then_token_and_entity_metrics_differ():
    result = _scores([Span(8, 12, "PERSON", 1), Span(22, 32, "PHONE", 1), Span(0, 4, "PERSON", 1)])
    # tokens: John tp, Smith fn, 03 14 2023 tp x3, Boston fn, Seen fp
    assert (result["token"]["tp"], result["token"]["fn"], result["token"]["fp"]) == (4, 2, 1)
    assert result["entity_strict"]["tp"] == 0  # wrong boundary, wrong label
    assert result["entity_overlap"]["tp"] == 2 and result["entity_overlap"]["fn"] == 1


def test_when_prediction_in_ignore_region_then_not_a_false_positive():
    result = _scores([Span(44, 50, "AGE", 1)])
    assert result["token"]["fp"] == 0 and result["entity_strict"]["fp"] == 0


def test_when_keep_terms_given_then_survival_reported():
    doc = GoldDoc("d", "BP 120/80 and Parkinson's disease", [], keep=[GoldSpan(0, 9, "VITAL"), GoldSpan(14, 33, "DX")])
    scores = Scores()
    score_doc(doc, [Span(14, 23, "PERSON", 1)], scores)
    assert scores.as_dict()["clinical_terms_surviving"] == 0.5


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("82 años", "EDAD_SUJETO_ASISTENCIA", IGNORE),
        ("93 años", "EDAD_SUJETO_ASISTENCIA", "AGE"),
        ("2015", "FECHAS", IGNORE),
        ("24/07/2015", "FECHAS", "DATE"),
        ("Mujer", "SEXO_SUJETO_ASISTENCIA", IGNORE),
        ("Calle Mayor 5", "CALLE", "STREET_ADDRESS"),
    ],
)
def test_when_brat_read_then_meddocan_labels_mapped_to_hipaa_view(tmp_path, text, label, expected):
    (tmp_path / "doc.txt").write_text(f"x {text} y")
    (tmp_path / "doc.ann").write_text(f"T1\t{label} 2 {2 + len(text)}\t{text}\n")
    [doc] = read_brat(tmp_path)
    assert doc.spans == [GoldSpan(2, 2 + len(text), expected)]


def test_when_jsonl_and_presidio_synth_read_then_spans_kept(tmp_path):
    (tmp_path / "g.jsonl").write_text(
        json.dumps(
            {
                "id": 1,
                "text": "Call 555-0100",
                "spans": [{"start": 5, "end": 13, "label": "PHONE"}],
                "keep": [{"start": 0, "end": 4}],
            }
        )
        + "\n"
    )
    [doc] = read_jsonl(tmp_path / "g.jsonl")
    assert doc.spans == [GoldSpan(5, 13, "PHONE")] and len(doc.keep) == 1
    (tmp_path / "s.json").write_text(
        json.dumps(
            [
                {
                    "full_text": "I am Ann",
                    "spans": [
                        {"entity_type": "PERSON", "start_position": 5, "end_position": 8},
                    ],
                }
            ]
        )
    )
    assert read_presidio_synth(tmp_path / "s.json")[0].spans == [GoldSpan(5, 8, "PERSON")]
