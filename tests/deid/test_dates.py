import pytest

from etl.deid.dates import reduce_to_year, shift_date


@pytest.mark.parametrize(
    ("text", "lang", "days", "expected"),
    [
        ("03/14/2023", "en", 40, "04/23/2023"),
        ("3/14/23", "en", 40, "4/23/23"),
        ("14/03/2023", "es", 40, "23/04/2023"),
        ("2023-03-14T08:00", "en", 40, "2023-04-23T08:00"),
        ("3/14", "en", 1, "3/15"),
        ("March 14, 2023", "en", -14, "February 28, 2023"),
        ("Mar 14, 2023", "en", 40, "Apr 23, 2023"),
        ("14-Mar-2023", "en", 40, "23-Apr-2023"),
        ("MARCH 2023", "en", 31, "APRIL 2023"),
        ("3 de marzo de 2023", "es", 40, "12 de abril de 2023"),
        ("12/31/2023", "en", 1, "01/01/2024"),
    ],
)
def test_when_shifted_then_same_layout_moved_by_offset(text, lang, days, expected):
    assert shift_date(text, days, lang) == expected


@pytest.mark.parametrize("text", ["Tuesday", "the 14th", "13/45/2023"])
def test_when_not_a_parseable_date_then_none(text):
    assert shift_date(text, 10, "en") is None


@pytest.mark.parametrize(("text", "expected"), [("03/14/2023", "2023"), ("March 2023", "2023"), ("3/14", None)])
def test_when_safe_harbor_then_year_only(text, expected):
    assert reduce_to_year(text) == expected
