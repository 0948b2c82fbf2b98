"""Task builders: one de-identified note -> training examples, or a reason why none could be built.

Task names are versioned (`…_v1`); a name never changes meaning, so old datasets stay reproducible.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

from etl.convert.sections import section_map
from etl.convert.templates import template
from schemas.config import ConvertConfig
from schemas.records import DeidentifiedNote, TrainingExample, Turn

_CONTEXT_SECTIONS = (
    "chief_complaint",
    "hpi",
    "history",
    "medications",
    "allergies",
    "exam",
    "results",
    "hospital_course",
)
Builder = Callable[[DeidentifiedNote, dict[str, str], ConvertConfig], "TrainingExample | str"]


def _example_id(note: DeidentifiedNote, task: str) -> str:
    return hashlib.sha256(f"{note.note_key}|{task}".encode()).hexdigest()[:16]


def _note_example(
    note: DeidentifiedNote, task: str, kind: Literal["instruction", "conversation"], turns: list[Turn]
) -> TrainingExample:
    return TrainingExample(
        example_id=_example_id(note, task),
        kind=kind,
        task=task,
        lang=note.lang,
        patient_key=note.patient_key,
        source_id=note.note_key,
        turns=turns,
    )


def _context(sections: dict[str, str], lang: str, names: tuple[str, ...]) -> str:
    words = template(lang)
    return "\n\n".join(f"{words[name]}:\n{sections[name]}" for name in names if sections.get(name))


def _assessment_and_plan(sections: dict[str, str]) -> tuple[str, str]:
    assessment = sections.get("assessment") or sections.get("assessment_plan", "")
    plan = sections.get("plan", "")
    if sections.get("assessment") and sections.get("assessment_plan"):
        plan = "\n\n".join(p for p in (sections["assessment_plan"], plan) if p)
    return assessment.strip(), plan.strip()


def _check(prompt: str, answers: list[str], config: ConvertConfig) -> str | None:
    """A reason to reject, or None when the example is usable. `answers` are the answer bodies."""
    if len(prompt.strip()) < config.min_prompt_chars:
        return "prompt_too_short"
    if sum(len(answer.strip()) for answer in answers) < config.min_answer_chars or not any(answers):
        return "answer_too_short"
    if any(answer.strip() and answer.strip() in prompt for answer in answers):
        return "answer_repeats_prompt"
    return None


def assessment_plan_v1(
    note: DeidentifiedNote, sections: dict[str, str], config: ConvertConfig
) -> TrainingExample | str:
    """Instruction: the presentation in, the clinician's assessment and plan out."""
    words = template(note.lang)
    assessment, plan = _assessment_and_plan(sections)
    answer = "\n\n".join(f"{words[k]}:\n{v}" for k, v in (("assessment", assessment), ("plan", plan)) if v)
    context = _context(sections, note.lang, _CONTEXT_SECTIONS)
    reason = _check(context, [assessment, plan], config)
    if reason:
        return reason
    prompt = f"{words['assessment_plan_instruction']}\n\n{context}"
    return _note_example(note, "assessment_plan_v1", "instruction", [Turn("user", prompt), Turn("assistant", answer)])


def consultation_v1(note: DeidentifiedNote, sections: dict[str, str], config: ConvertConfig) -> TrainingExample | str:
    """Conversation: presentation -> assessment -> plan, as two clinician-to-clinician turns."""
    words = template(note.lang)
    assessment, plan = _assessment_and_plan(sections)
    if not (assessment and plan):
        return "no_separate_assessment_and_plan"
    context = _context(sections, note.lang, _CONTEXT_SECTIONS)
    first = f"{words['presentation']}\n\n{context}\n\n{words['ask_assessment']}"
    reason = _check(context, [assessment, plan], config) or next(
        ("answer_too_short" for a in (assessment, plan) if len(a) < config.min_answer_chars // 2), None
    )
    if reason:
        return reason
    return _note_example(
        note,
        "consultation_v1",
        "conversation",
        [
            Turn("user", first),
            Turn("assistant", assessment),
            Turn("user", words["ask_plan"]),
            Turn("assistant", plan),
        ],
    )


def _first_sentences(text: str, count: int) -> str:
    sentences = re.split(r"(?<=[.!?。])\s+", " ".join(text.split()))
    return " ".join(sentences[:count]).strip()


def summary_v1(note: DeidentifiedNote, sections: dict[str, str], config: ConvertConfig) -> TrainingExample | str:
    """Instruction: the whole note in, a structured summary out (the problem, the first sentences of the
    findings, assessment, plan) at most 70 % of the note's length."""
    words = template(note.lang)
    assessment, plan = _assessment_and_plan(sections)
    problem = _first_sentences(sections.get("chief_complaint") or sections.get("hpi", ""), 1)
    findings = _first_sentences(" ".join(sections.get(k, "") for k in ("exam", "results", "hospital_course")), 2)
    parts = [
        (words["presenting_problem"], problem),
        (words["key_findings"], findings),
        (words["assessment"], _first_sentences(assessment, 2)),
        (words["plan"], _first_sentences(plan, 3)),
    ]
    if not (problem and (assessment or plan)):
        return "no_problem_or_assessment"
    answer = "\n".join(f"{label}: {text}" for label, text in parts if text)
    if len(answer) > 0.7 * len(note.text):
        return "summary_not_shorter"
    prompt = f"{words['summary_instruction']}\n\n{note.text.strip()}"
    reason = _check(note.text, [answer], config)
    if reason:
        return reason
    return _note_example(note, "summary_v1", "instruction", [Turn("user", prompt), Turn("assistant", answer)])


def patient_doctor_v1(note: DeidentifiedNote, sections: dict[str, str], config: ConvertConfig) -> TrainingExample | str:
    """Conversation: the patient brings the chief complaint, the doctor answers with the note's assessment,
    the patient asks what to do, the doctor answers with the plan."""
    words = template(note.lang)
    complaint = _first_sentences(sections.get("chief_complaint", ""), 1).rstrip(".。")
    assessment, plan = _assessment_and_plan(sections)
    if not (complaint and assessment and plan):
        return "no_complaint_assessment_and_plan"
    opening = words["patient_opening"].format(complaint=complaint[:1].lower() + complaint[1:])
    reason = _check(opening, [assessment, plan], config)
    if reason:
        return reason
    turns = [
        Turn("user", opening),
        Turn("assistant", assessment),
        Turn("user", words["patient_next"]),
        Turn("assistant", plan),
    ]
    return _note_example(note, "patient_doctor_v1", "conversation", turns)


TASKS: dict[str, Builder] = {
    "assessment_plan_v1": assessment_plan_v1,
    "consultation_v1": consultation_v1,
    "summary_v1": summary_v1,
    "patient_doctor_v1": patient_doctor_v1,
}


def build_examples(note: DeidentifiedNote, config: ConvertConfig) -> tuple[list[TrainingExample], dict[str, str]]:
    """Examples built from one note, and task -> reason for each task that built none."""
    sections = section_map(note.text)
    examples, skipped = [], {}
    for name, builder in TASKS.items():
        result = builder(note, sections, config)
        if isinstance(result, str):
            skipped[name] = result
        else:
            examples.append(result)
    return examples, skipped
