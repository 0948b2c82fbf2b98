"""clinetl's own recognizers, one per file. `build_recognizers(lang)` lists those for a language."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from etl.deid.recognizers.ages import AgeOver89Recognizer
from etl.deid.recognizers.dates import ClinicalDateRecognizer
from etl.deid.recognizers.ids import LabeledIdRecognizer, LongNumberRecognizer
from etl.deid.recognizers.locations import LocationRecognizer
from etl.deid.recognizers.lowercase_names import LowercaseNameRecognizer
from etl.deid.recognizers.names import CuedNameRecognizer
from etl.deid.recognizers.organizations import HealthcareOrganizationRecognizer
from etl.deid.recognizers.phones import ClinicalPhoneRecognizer
from etl.deid.recognizers.ssn import SsnRecognizer
from etl.deid.recognizers.street_address import StreetAddressRecognizer

_CLASSES = (
    AgeOver89Recognizer,
    ClinicalDateRecognizer,
    LabeledIdRecognizer,
    LongNumberRecognizer,
    LocationRecognizer,
    LowercaseNameRecognizer,
    CuedNameRecognizer,
    HealthcareOrganizationRecognizer,
    ClinicalPhoneRecognizer,
    SsnRecognizer,
    StreetAddressRecognizer,
)


def build_recognizers(lang: str) -> list[EntityRecognizer]:
    return [cls(lang) for cls in _CLASSES if lang in cls.LANGS]
