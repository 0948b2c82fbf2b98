"""Spanish. Detection runs clinetl's own PHI model, trained on MEDDOCAN train (etl/train/ner.py,
docs/models.md); the presidio-default baseline runs the stock es_core_news_sm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.calendar_names import MONTHS_ES
from etl.languages.base import LanguagePack

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer


def _recognizers() -> list[EntityRecognizer]:
    from presidio_analyzer.predefined_recognizers import EsNieRecognizer, EsNifRecognizer

    return [EsNifRecognizer(supported_language="es"), EsNieRecognizer(supported_language="es")]


PACK = LanguagePack(
    code="es",
    names=("spanish", "spa", "español", "espanol", "castellano"),
    model="clinetl/es_phi_ner_v2",
    baseline_model="es_core_news_sm",
    faker_locale="es_ES",
    numeric_dates="dmy",
    months=tuple(MONTHS_ES),
    months_lower_case=True,
    function_words=frozenset(
        "el la los las de del y en con que por para es fue paciente sin presenta refiere se una un".split()
    ),
    # the names and places lists are the English ones: they hold the Hispanic names and US places too
    lexicons=("es_safe_v1", "en_names_v1", "en_places_v1"),
    recognizers=_recognizers,
)
