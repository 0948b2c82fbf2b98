import pytest

from etl.deid.casing import case_at, line_case, restore_case


@pytest.mark.parametrize(
    ("line", "case"),
    [
        ("PT SLEPT IN SHORT NAPS, AWOKE AT 0200", "upper"),
        ("pt resting comfortably, son at bedside", "lower"),
        ("Pt resting comfortably, son at bedside", "mixed"),
        ("/jw", "short"),
    ],
)
def test_when_line_written_in_one_case_then_case_is_blind(line, case):
    assert line_case(line) == case


def test_when_short_line_then_judged_as_the_note():
    text = "PT SLEPT IN SHORT NAPS, AWOKE AT 0200.\n/JW"
    assert case_at(text, text.index("/JW")) == "upper"


def test_when_recased_then_same_length_and_only_case_blind_lines_change():
    text = "Mixed Case Line Stays.\nPT CALLS FOR MARGARET\nß İ ﬁ lower line with odd letters"
    view = restore_case(text, lambda word: word.lower() == "margaret")
    assert len(view) == len(text)
    assert view.splitlines()[0] == "Mixed Case Line Stays."
    assert view.splitlines()[1] == "pt calls for Margaret"
