"""Instruction templates per language. Versioned by task name: a task name never changes meaning."""

from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "assessment_plan_instruction": "Based on the clinical information below, write the assessment and plan.",
        "presentation": "Here is the patient's presentation:",
        "ask_assessment": "What is your assessment?",
        "ask_plan": "What plan of care do you recommend?",
        "assessment": "Assessment",
        "plan": "Plan",
        "chief_complaint": "Chief complaint",
        "hpi": "History of present illness",
        "history": "History",
        "medications": "Medications",
        "allergies": "Allergies",
        "exam": "Examination",
        "results": "Results",
        "hospital_course": "Hospital course",
    },
    "es": {
        "assessment_plan_instruction": (
            "A partir de la información clínica siguiente, redacte el juicio clínico y el plan."
        ),
        "presentation": "Esta es la presentación del paciente:",
        "ask_assessment": "¿Cuál es su juicio clínico?",
        "ask_plan": "¿Qué plan de tratamiento recomienda?",
        "assessment": "Juicio clínico",
        "plan": "Plan",
        "chief_complaint": "Motivo de consulta",
        "hpi": "Enfermedad actual",
        "history": "Antecedentes",
        "medications": "Medicación",
        "allergies": "Alergias",
        "exam": "Exploración",
        "results": "Pruebas complementarias",
        "hospital_course": "Evolución",
    },
    "zh": {
        "assessment_plan_instruction": "请根据以下临床资料，写出诊断评估和诊疗计划。",
        "presentation": "患者情况如下：",
        "ask_assessment": "您的诊断评估是什么？",
        "ask_plan": "您建议的诊疗计划是什么？",
        "assessment": "评估",
        "plan": "计划",
        "chief_complaint": "主诉",
        "hpi": "现病史",
        "history": "既往史",
        "medications": "用药",
        "allergies": "过敏史",
        "exam": "体格检查",
        "results": "辅助检查",
        "hospital_course": "诊疗经过",
    },
}


def template(lang: str) -> dict[str, str]:
    return TEMPLATES.get(lang, TEMPLATES["en"])
