import pytest

from etl.convert.sections import section_map

SYNTHEA = (
    "\n2006-06-29\n\n# Chief Complaint\nNo complaints.\n\n"
    "# Assessment and Plan\nPresenting with X.\n\n## Plan\n\nlisinopril\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SYNTHEA,
            {
                "preamble": "2006-06-29",
                "chief_complaint": "No complaints.",
                "assessment_plan": "Presenting with X.",
                "plan": "lisinopril",
            },
        ),
        (
            "HPI: knee pain.\nPHYSICAL EXAM: effusion.\nASSESSMENT: OA.\nPLAN: PRP.",
            {"hpi": "knee pain.", "exam": "effusion.", "assessment": "OA.", "plan": "PRP."},
        ),
        (
            "Motivo de consulta: dolor.\nJuicio clínico: gonartrosis.\nTratamiento: PRP.",
            {"chief_complaint": "dolor.", "assessment": "gonartrosis.", "plan": "PRP."},
        ),
        ("Plan: rest.\nSincerely,\n[ORGANIZATION]", {"plan": "rest.", "signature": "Sincerely,\n[ORGANIZATION]"}),
        ("Patient: [PERSON] stable.", {"preamble": "Patient: [PERSON] stable."}),
    ],
)
def test_when_note_has_headings_then_sections_found(text, expected):
    assert section_map(text) == expected
