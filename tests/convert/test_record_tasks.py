"""Examples from a patient's de-identified structured record."""

import pandas as pd
import pytest

from etl.config import load_config
from etl.convert.record_tasks import build_record_examples

KNEE, BACK, DIABETES = "239873007", "279039007", "44054006"


@pytest.fixture
def tables(tmp_path):
    frames = {
        "patients": [
            {"Id": "pat-a", "BIRTHDATE": 1960, "GENDER": "F"},
            {"Id": "pat-b", "BIRTHDATE": None, "GENDER": "M"},  # birth year suppressed (over 89)
        ],
        "conditions": [
            {"START": 2015, "STOP": None, "PATIENT": "pat-a", "CODE": DIABETES, "DESCRIPTION": "Diabetes"},
            {"START": 2021, "STOP": 2023, "PATIENT": "pat-a", "CODE": KNEE, "DESCRIPTION": "Osteoarthritis of knee"},
            {"START": 2022, "STOP": None, "PATIENT": "pat-b", "CODE": BACK, "DESCRIPTION": "Chronic low back pain"},
        ],
        "procedures": [
            {"START": 2021, "PATIENT": "pat-a", "DESCRIPTION": "Platelet-rich plasma injection", "REASONCODE": KNEE},
            {"START": 2022, "PATIENT": "pat-a", "DESCRIPTION": "Knee arthroscopy", "REASONCODE": ""},
        ],
        "medications": [
            {"START": 2021, "PATIENT": "pat-a", "DESCRIPTION": "Meloxicam 15 MG Oral Tablet", "REASONCODE": KNEE},
            {"START": 2016, "PATIENT": "pat-a", "DESCRIPTION": "Metformin 500 MG", "REASONCODE": DIABETES},
        ],
        "observations": [
            {"DATE": 2020, "PATIENT": "pat-a", "DESCRIPTION": "Pain severity", "VALUE": "8", "UNITS": "{score}"},
            {"DATE": 2022, "PATIENT": "pat-a", "DESCRIPTION": "Pain severity", "VALUE": "5", "UNITS": "{score}"},
            {"DATE": 2023, "PATIENT": "pat-a", "DESCRIPTION": "Pain severity", "VALUE": "2", "UNITS": "{score}"},
        ],
        "encounters": [{"START": 2021, "PATIENT": "pat-a", "DESCRIPTION": "Orthopedic consultation"}],
    }
    for name, rows in frames.items():
        pd.DataFrame(rows).to_parquet(tmp_path / f"{name}.parquet")
    return tmp_path


def _config(langs=("en",)):
    return load_config().convert.model_copy(update={"record_languages": list(langs)})


def test_when_condition_treated_then_treatment_and_outcome_example(tables):
    examples, skipped = build_record_examples(tables, _config())
    knee = next(e for e in examples if e.task == "treatment_outcome_v1" and "Osteoarthritis" in e.turns[0].content)
    prompt, answer = knee.turns[0].content, knee.turns[1].content
    assert "61-year-old female patient" in prompt and "Diabetes" in prompt  # age at onset, earlier history
    assert "Platelet-rich plasma injection (2021)" in answer and "Meloxicam" in answer
    assert "arthroscopy" not in answer and "Metformin" not in answer  # only treatments given for this condition
    assert "resolved in 2023" in answer and "Pain severity 2 {score} (2023)" in answer and "(2020)" not in answer
    assert knee.source == "record" and knee.patient_key == "pat-a" and knee.lang == "en"
    assert skipped["treatment_outcome_v1"] == {"no_treatment_recorded": 1}  # pat-b's back pain


def test_when_timeline_then_narrative_by_year(tables):
    examples, _ = build_record_examples(tables, _config())
    narrative = next(e for e in examples if e.task == "timeline_narrative_v1")
    assert "- 2021:" in narrative.turns[0].content
    assert "In 2021 the patient" in narrative.turns[1].content and "platelet-rich plasma" in narrative.turns[1].content


@pytest.mark.parametrize(("lang", "marker"), [("es", "¿Qué tratamiento"), ("zh", "诊所给予了什么治疗")])
def test_when_other_template_language_then_instructions_in_it(tables, lang, marker):
    examples, _ = build_record_examples(tables, _config([lang]))
    assert all(e.lang == lang for e in examples)
    assert any(marker in e.turns[0].content for e in examples if e.task == "treatment_outcome_v1")


def test_when_no_tables_then_no_examples(tmp_path):
    assert build_record_examples(tmp_path, _config()) == ([], {})
