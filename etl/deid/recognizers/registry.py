"""The recognizer registry: one line a recognizer. Every class lists the languages it serves (LANGS)."""

from __future__ import annotations

from etl.deid.recognizers.ages import AgeOver89Recognizer
from etl.deid.recognizers.any_case_names import AnyCaseNameRecognizer
from etl.deid.recognizers.any_case_organizations import AnyCaseOrganizationRecognizer
from etl.deid.recognizers.dates import ClinicalDateRecognizer
from etl.deid.recognizers.form_fields import FormFieldRecognizer
from etl.deid.recognizers.ids import LabeledIdRecognizer, LongNumberRecognizer
from etl.deid.recognizers.locations import LocationRecognizer
from etl.deid.recognizers.lowercase_names import LowercaseNameRecognizer
from etl.deid.recognizers.names import CuedNameRecognizer
from etl.deid.recognizers.organizations import HealthcareOrganizationRecognizer
from etl.deid.recognizers.partial_dates import PartialDateRecognizer
from etl.deid.recognizers.phones import ClinicalPhoneRecognizer
from etl.deid.recognizers.place_names import PlaceNameRecognizer
from etl.deid.recognizers.ssn import SsnRecognizer
from etl.deid.recognizers.street_address import StreetAddressRecognizer
from etl.deid.recognizers.unknown_words import UnknownWordRecognizer

RECOGNIZERS = (
    AgeOver89Recognizer,
    AnyCaseNameRecognizer,
    AnyCaseOrganizationRecognizer,
    ClinicalDateRecognizer,
    FormFieldRecognizer,
    LabeledIdRecognizer,
    LongNumberRecognizer,
    LocationRecognizer,
    LowercaseNameRecognizer,
    CuedNameRecognizer,
    HealthcareOrganizationRecognizer,
    PartialDateRecognizer,
    ClinicalPhoneRecognizer,
    PlaceNameRecognizer,
    SsnRecognizer,
    StreetAddressRecognizer,
    UnknownWordRecognizer,
)
