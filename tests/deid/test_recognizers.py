"""Table-driven: each identifier must be redacted; each clinical term must survive."""

import pytest

pytestmark = pytest.mark.model

FOUND_EN = [
    ("Patient: SMITH, JOHN  MRN: 00482913", "SMITH, JOHN", "PERSON"),
    ("Patient: SMITH, JOHN  MRN: 00482913", "00482913", "MRN"),
    ("Seen by Dr. Chen today.", "Chen", "PERSON"),
    ("Discharged with wife Mary Okafor.", "Mary Okafor", "PERSON"),
    ("Electronically signed by: Rosa Delgado, MD", "Rosa Delgado", "PERSON"),
    ("DOB: 03/14/1961", "03/14/1961", "DATE"),
    ("Admitted on 3/14 for pain.", "3/14", "DATE"),
    ("Surgery on March 14, 2023 went well.", "March 14, 2023", "DATE"),
    ("Last seen 14-Mar-2023.", "14-Mar-2023", "DATE"),
    ("Symptoms began in March 2023.", "March 2023", "DATE"),
    ("Labs drawn 2023-03-14T08:00.", "2023-03-14", "DATE"),
    ("A 94 year-old woman.", "94", "AGE"),
    ("Pt is 101 yo.", "101", "AGE"),
    ("SSN 999-12-3456 on file.", "999-12-3456", "SSN"),
    ("Social security number: 123 45 6789", "123 45 6789", "SSN"),
    ("Call (617) 555-0182 ext 12 tomorrow.", "(617) 555-0182 ext 12", "PHONE"),
    ("Fax: 617.555.0199", "617.555.0199", "PHONE"),
    ("Email jsmith@example.com please.", "jsmith@example.com", "EMAIL"),
    ("Portal https://portal.example.org/p/123 used.", "https://portal.example.org/p/123", "URL"),
    ("Login from 192.168.10.24 noted.", "192.168.10.24", "IP_ADDRESS"),
    ("Lives at 568 Hills Branch Unit 86 with family.", "568 Hills Branch Unit 86", "STREET_ADDRESS"),
    ("Mail to PO Box 1234.", "PO Box 1234", "STREET_ADDRESS"),
    ("Address: Visalia, CA 93291.", "93291", "ZIP"),
    ("Member ID: XJH4471920 verified.", "XJH4471920", "ID"),
    ("Device serial # PM-99812-X implanted.", "PM-99812-X", "ID"),
    ("Account 448812093 billed.", "448812093", "ID"),
    ("Transferred from St. Mary's Hospital overnight.", "St. Mary's Hospital", "ORGANIZATION"),
    ("Follow up at Nguyen Orthopedics next week.", "Nguyen Orthopedics", "ORGANIZATION"),
    ("Exam date 2022-05-06 09:30, read by radiology.", "2022-05-06 09:30", "DATE"),
    ("Telephone encounter 7/21: patient called.", "7/21", "DATE"),
    ("Lives at 5978 Hornichallee Apt #09B, Berlin.", "5978 Hornichallee Apt #09B", "STREET_ADDRESS"),
    ("Address: 450 Praestevaenget 15, Copenhagen.", "450 Praestevaenget 15", "STREET_ADDRESS"),
    ("Lives at 12 Oak St, Springfield, OH 45503.", "Springfield", "LOCATION"),
    ("Call me at 0494 92 82 32 tomorrow.", "0494 92 82 32", "PHONE"),
    ("My zip code is 2200.", "2200", "ZIP"),
    ("telephone note: pt hiltraud matthai called back.", "hiltraud matthai", "PERSON"),
    ("Spoke with wife kasia nowakowska today.", "kasia nowakowska", "PERSON"),
    ("pt marcy holloway phoned re refill.", "marcy holloway", "PERSON"),
    ("Lives with son Zdeněk Dvořák.", "Zdeněk Dvořák", "PERSON"),
    ("PATIENT NAME: GÜNTHER ÖZTÜRK", "GÜNTHER ÖZTÜRK", "PERSON"),
    ("Pt: Van der Berg, Anneke  DOB 1950", "Van der Berg, Anneke", "PERSON"),
    ("Family (Tove Lindqvist) updated at bedside.", "Tove Lindqvist", "PERSON"),
    ("With best wishes,\nJoão dos Santos\nClinic", "João dos Santos", "PERSON"),
    ("Call back if worse. -- TW", "TW", "PERSON"),
    ("Lives at 88 Travessa das Flores, Vila Nova de Cima, MA 02139.", "88 Travessa das Flores", "STREET_ADDRESS"),
    ("Lives at 88 Travessa das Flores, Vila Nova de Cima, MA 02139.", "Vila Nova de Cima", "LOCATION"),
    ("Lives at 88 Travessa das Flores, Vila Nova de Cima, MA 02139.", "02139", "ZIP"),
]
FOUND_ES = [
    ("Paciente: María García López, NHC 4567890.", "4567890", "MRN"),
    ("Paciente: María García López, NHC 4567890.", "María García López", "PERSON"),
    ("DNI 12345678Z presentado.", "12345678Z", "ID"),
    ("Ingresa el 3 de marzo de 2023.", "3 de marzo de 2023", "DATE"),
    ("Fecha: 14/03/2023.", "14/03/2023", "DATE"),
    ("Domicilio en C/ Mayor 5, 3º, 28013 Madrid.", "C/ Mayor 5, 3º", "STREET_ADDRESS"),
    ("Domicilio en C/ Mayor 5, 3º, 28013 Madrid.", "28013", "ZIP"),
    ("Teléfono 612 345 678.", "612 345 678", "PHONE"),
    ("Paciente de 93 años.", "93", "AGE"),
    ("Atendido por la Dra. Fernández.", "Fernández", "PERSON"),
]
SURVIVES_EN = [
    "BP 120/80, HR 72, K 4.1, Na 139.",
    "Grade 2/6 systolic murmur at the left sternal border.",
    "Strength 5/5 in all extremities.",
    "History of Parkinson's disease and Hashimoto's thyroiditis.",
    "Pain for 3 days, worse over the past 2 weeks.",
    "Started metformin 500 mg twice daily and lisinopril 10 mg.",
    "A 45 year-old man with knee osteoarthritis.",
    "ICD-10 code M17.11; SNOMED 239873007.",
    "Platelet count 250000 per microliter.",
    "Take 1/2 tablet at bedtime.",
    "History of Kaposi sarcoma and Bell's palsy; Tinel's sign negative.",
    "Continue apixaban (Eliquis) 5 mg BID and Xarelto 20 mg daily.",
    "Labs: Hgb 10.9, WBC 9.0, Cr 2.5. NIHSS 14. Wells score 4.",
    "T 37.1 C, SpO2 95% RA.",
    "Seen at the clinic.\nPlan: rest and ice.",
    "Patient currently has Blue Cross Blue Shield; previously Medicaid.",
    "Prescribed naproxen sodium 220 MG Oral Tablet; received mmr vaccine.",
    "pt denies chest pain; pt ambulating independently; pt npo after midnight; pt afebrile.",
    "Patient is married.\n Patient identifies as heterosexual. Patient stopped smoking.",
    "Continue levothyroxine 75 mcg daily; known Graves' disease.",
    "pt then called pharmacy; pt daughter called about the refill.",
    "Urine 5 mg/dL",
    "Mass of 5 × 2 cm, then 3 × 4 Apt 5 stitches.",  # × (U+00D7) is not a capital letter: no street name
]


def _covered(spans, text, value, label):
    start = text.index(value)
    return any(s.start <= start and s.end >= start + len(value) and s.label == label for s in spans)


@pytest.mark.parametrize(("text", "value", "label"), FOUND_EN)
def test_when_english_identifier_then_redacted_with_label(deidentifier, text, value, label):
    spans = deidentifier.detect(text, "en")
    assert _covered(spans, text, value, label), [(text[s.start : s.end], s.label) for s in spans]


@pytest.mark.parametrize(("text", "value", "label"), FOUND_ES)
def test_when_spanish_identifier_then_redacted_with_label(deidentifier, text, value, label):
    spans = deidentifier.detect(text, "es")
    assert _covered(spans, text, value, label), [(text[s.start : s.end], s.label) for s in spans]


def test_when_us_address_then_state_kept_and_zip_redacted(deidentifier):
    text = "Lives at 88 Travessa das Flores, Vila Nova de Cima, MA 02139."
    spans = deidentifier.detect(text, "en")
    state = text.index("MA 0")
    assert not any(s.start <= state < s.end for s in spans)  # a state is not a Safe Harbor identifier


@pytest.mark.parametrize("text", SURVIVES_EN)
def test_when_clinical_text_then_nothing_redacted(deidentifier, text):
    spans = deidentifier.detect(text, "en")
    assert spans == [], [(text[s.start : s.end], s.label) for s in spans]


@pytest.mark.parametrize(
    ("alternation", "text"),
    [
        ("son|sister|s\\s+o|y|yo|DNI|daughter", "Son Ed, SISTER Ann, s  o, yo y DNI 1, daughter"),
        ("f/u|follow-up|follow\\s+up|fecha", "F/U 3/4, follow up 5/6, Fecha 7/8"),
        ("t[ií]o|t[ií]a|tel[ée]fono|tel", "tía Ana, Teléfono 1, tel 2, tio 3"),
    ],
)
def test_when_cues_regrouped_by_first_char_then_exactly_the_same_matches(alternation, text):
    import re

    from etl.deid.recognizers.base import by_first_char

    regrouped = by_first_char(alternation, ignore_case=True)
    assert regrouped != alternation
    before = re.compile(rf"\b(?:{alternation})\b\s*\w*", re.IGNORECASE)
    after = re.compile(rf"\b(?:{regrouped})\b\s*\w*", re.IGNORECASE)
    assert [m.span() for m in after.finditer(text)] == [m.span() for m in before.finditer(text)]


@pytest.mark.parametrize("alternation", ["a?b|c", "(x|y)z|w", "[(]a|b", "\\d+|x", "é|e"])
def test_when_alternation_cannot_be_regrouped_safely_then_left_as_is(alternation):
    from etl.deid.recognizers.base import by_first_char

    assert by_first_char(alternation) == alternation


def test_when_a_recognizer_reports_a_label_clinetl_does_not_have_then_it_is_refused_when_built():
    import re

    from etl.deid.recognizers.base import GroupPattern, GroupRegexRecognizer, ScanRecognizer

    class Mistyped(GroupRegexRecognizer):
        def patterns(self, lang):
            return [GroupPattern("pager", re.compile(r"(?P<phi>\d{5})"), "PAGER_NUMBER", 0.5)]

    class MistypedScan(ScanRecognizer):
        ENTITIES = ("PERSONS",)

    with pytest.raises(ValueError, match=r"Mistyped reports PAGER_NUMBER"):
        Mistyped("en")
    with pytest.raises(ValueError, match=r"MistypedScan reports PERSONS"):
        MistypedScan("en")


def test_when_the_analyzer_is_built_then_every_recognizer_reports_mapped_labels():
    from etl.deid.analyzer import _check_mapped, _predefined
    from etl.deid.recognizers import build_recognizers

    for lang in ("en", "es"):
        for recognizer in [*_predefined(lang), *build_recognizers(lang)]:
            _check_mapped(recognizer)  # raises on an entity etl/deid/labels.py does not map
