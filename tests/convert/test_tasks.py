import json
from pathlib import Path

import jsonschema

from etl.config import load_config
from etl.convert.exporters import to_huatuo2
from etl.convert.tasks import build_examples
from schemas.records import DeidentifiedNote

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "json" / "huatuo2.schema.json").read_text())
CONFIG = load_config().convert
NOTE = """CHIEF COMPLAINT: right knee pain for 6 months.
HISTORY OF PRESENT ILLNESS: [PERSON] is a 61 year-old with knee pain despite physical therapy.
ASSESSMENT: Primary osteoarthritis of knee, responding to PRP.
PLAN: Continue meloxicam 15 mg daily. Follow up in 6 weeks.
"""


def _note(text: str, lang: str = "en") -> DeidentifiedNote:
    return DeidentifiedNote("note-1", "pat-1", None, "progress_note", lang, "2024", text)


def test_when_note_has_assessment_and_plan_then_instruction_and_conversation():
    examples, skipped = build_examples(_note(NOTE), CONFIG)
    assert skipped == {}
    by_task = {e.task: e for e in examples}
    instruction = by_task["assessment_plan_v1"]
    assert instruction.kind == "instruction" and instruction.patient_key == "pat-1"
    assert "knee pain" in instruction.turns[0].content and "meloxicam" in instruction.turns[1].content
    conversation = by_task["consultation_v1"]
    assert [t.role for t in conversation.turns] == ["user", "assistant", "user", "assistant"]
    assert conversation.turns[3].content.startswith("Continue meloxicam")


def test_when_no_sections_then_no_example_and_reason_given():
    examples, skipped = build_examples(_note("Nursing note: tolerated PRP well."), CONFIG)
    assert examples == []
    assert skipped == {
        "assessment_plan_v1": "prompt_too_short",
        "consultation_v1": "no_separate_assessment_and_plan",
        "summary_v1": "no_problem_or_assessment",
        "patient_doctor_v1": "no_complaint_assessment_and_plan",
    }


def test_when_note_has_complaint_then_patient_doctor_conversation():
    conversation = next(e for e in build_examples(_note(NOTE), CONFIG)[0] if e.task == "patient_doctor_v1")
    turns = [(t.role, t.content) for t in conversation.turns]
    assert turns[0] == ("user", "Doctor, I've come about right knee pain for 6 months. What do you think is going on?")
    assert turns[1][1].startswith("Primary osteoarthritis") and turns[3][1].startswith("Continue meloxicam")


def test_when_note_summarized_then_structured_and_shorter_than_the_note():
    long_note = NOTE + "EXAM: " + "Mild effusion, crepitus on flexion, stable ligaments. " * 6
    summary = next(e for e in build_examples(_note(long_note), CONFIG)[0] if e.task == "summary_v1")
    answer = summary.turns[1].content
    assert answer.startswith("Presenting problem: right knee pain for 6 months.")
    assert "Assessment: Primary osteoarthritis" in answer and "Plan: Continue meloxicam" in answer
    assert len(answer) <= 0.7 * len(long_note) and long_note.strip() in summary.turns[0].content


def test_when_answer_repeats_prompt_then_rejected():
    text = "HPI: Primary osteoarthritis of knee seen today in clinic.\nASSESSMENT: Primary osteoarthritis of knee\n"
    examples, skipped = build_examples(_note(text), CONFIG)
    assert skipped["assessment_plan_v1"] in {"answer_repeats_prompt", "answer_too_short"}
    assert not any(e.task == "assessment_plan_v1" for e in examples)


def test_when_spanish_note_then_spanish_template():
    text = (
        "Enfermedad actual: dolor de rodilla de 6 meses.\n"
        "Juicio clínico: gonartrosis primaria.\nTratamiento: PRP y meloxicam."
    )
    examples, _ = build_examples(_note(text, "es"), CONFIG)
    assert examples[0].turns[0].content.startswith("A partir de la información clínica")


def test_when_exported_then_huatuo2_schema_valid():
    for example in build_examples(_note(NOTE), CONFIG)[0]:
        line = to_huatuo2(example)
        jsonschema.validate(line, SCHEMA)
        assert [turn["from"] for turn in line["conversations"]][:2] == ["human", "gpt"]
