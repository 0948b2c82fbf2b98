"""Realistic surrogates, consistent per patient across notes and runs.

Each (patient, label, original value) gets a surrogate minted at random (never derived from the value,
HIPAA §164.514(c)) and kept in the persistent store under OUT/restricted/, so "John Smith" is the same
invented name in every note of that patient, tonight and tomorrow. Dates follow the run's date mode:
Safe Harbor keeps only the year; date-shift moves every date of a patient by one random offset.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable

from faker import Faker

from etl.deid.dates import reduce_to_year, shift_date
from etl.deid.pseudonyms import PseudonymStore
from etl.deid.spans import replace_spans
from etl.languages import PACKS
from schemas.records import Span

_ORG_HEAD = re.compile(
    r"(Hospital|Medical Center|Clinic|Health Center|Healthcare|Infirmary|Hospice|Orthopa?edics|Cardiology|"
    r"Associates|Pharmacy|Centro de Salud|Cl[íi]nica)\b",
    re.IGNORECASE,
)
_TEST_NETS = ("192.0.2", "198.51.100", "203.0.113")
_NAME_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*\.?")
_TITLE_BEFORE = re.compile(r"(?:Dr|Dra|Mr|Mrs|Ms|Miss|Prof|Sr|Sra)\.?\s*$")


def _shape_like(original: str, rng: random.Random) -> str:
    """Same layout, new characters: digits for digits, letters for letters (case kept), rest unchanged."""
    out = []
    for ch in original:
        if ch.isdigit():
            out.append(str(rng.randint(0, 9)))
        elif ch.isalpha() and ch.isascii():
            letter = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
            out.append(letter if ch.isupper() else letter.lower())
        else:
            out.append(ch)
    return "".join(out)


# Words a surrogate may share with its original on purpose: kinds of place, mail domains, street types.
_GENERIC_WORDS = frozenset(
    """
    http https www html htm php example com org net edu gov
    hospital clinic medical center centre health healthcare general memorial community
    orthopedics cardiology associates pharmacy street avenue road drive lane suite apt unit centro salud clínica
    """.split()
)


def _fresh(
    mint: Callable[[], str],
    original: str,
    avoid: frozenset[str] = frozenset(),
    tries: int = 100,
    fallback: str = "[REDACTED]",
    shape_rng: random.Random | None = None,
) -> Callable[[], str]:
    """`mint`, retried until the value contains no word (3+ characters) of `original`, as a word or inside
    a longer one ("John" -> "Johnson" is refused): a surrogate never echoes any part of what it replaces.
    Nor any word in `avoid` (the clinic's known identifiers, lower-cased): a surrogate that happened to be
    another patient's real name would be indistinguishable from a leak. Minting never fails: when `mint`
    cannot find such a value, a value of the original's shape with new characters is tried, and last
    `fallback` (a type tag), which can echo nothing."""
    words = {w.lower().rstrip(".") for w in _NAME_TOKEN.findall(original)}
    parts = {w.lower() for w in re.findall(r"[^\W_]{3,}", original)}  # "3456" of "999-12-3456" too
    forbidden = {w for w in words | parts if len(w) >= 3} - _GENERIC_WORDS
    shape_rng = shape_rng or random.Random(secrets.randbits(64))

    def acceptable(value: str) -> bool:
        lowered = value.lower()
        return (
            lowered != original.lower()
            and not any(word in lowered for word in forbidden)
            and not (avoid and {w.lower() for w in re.findall(r"[^\W_]+", value)} & avoid)
        )

    def minted() -> str:
        for _ in range(tries):
            value = mint()
            if acceptable(value):
                return value
        for _ in range(tries):
            value = _shape_like(original, shape_rng)
            if acceptable(value):
                return value
        return fallback

    return minted


def _case_like(value: str, original: str) -> str:
    if original.isupper():
        return value.upper()
    if original.islower():
        return value.lower()
    return value


class SurrogateReplacer:
    """Replaces spans of one note. `patient` keys consistency ("" for notes without a patient)."""

    def __init__(
        self,
        store: PseudonymStore,
        date_mode: str = "safe_harbor",
        max_shift_days: int = 365,
        avoid: frozenset[str] = frozenset(),
    ) -> None:
        """`avoid`: lower-cased words no surrogate may contain (the clinic's known identifiers)."""
        self.store = store
        self.avoid = avoid
        self.date_mode = date_mode
        self.max_shift_days = max_shift_days
        self._rng = random.Random(store.mint_seed("generator"))
        self._fakers: dict[str, Faker] = {}

    def _faker(self, lang: str) -> Faker:
        if lang not in self._fakers:
            fake = Faker(PACKS[lang].faker_locale if lang in PACKS else PACKS["en"].faker_locale)
            fake.seed_instance(self.store.mint_seed(f"faker:{lang}"))
            self._fakers[lang] = fake
        return self._fakers[lang]

    def _get_or_mint(self, namespace: str, key: str, mint: Callable[[], str]) -> str:
        """The store's value, or a new one drawn with every generator seeded by the store for this
        namespace (see PseudonymStore.mint_seed): the same store and records give the same draws."""

        def seeded() -> str:
            seed = self.store.mint_seed(namespace)
            self._rng.seed(seed)
            for fake in self._fakers.values():
                fake.seed_instance(seed)
            return mint()

        return self.store.get_or_mint(namespace, key, seeded)

    def date_offset(self, patient: str) -> int:
        """The patient's date shift in days: random, never zero, the same in every note and run."""

        def mint() -> str:
            days = self._rng.randint(1, self.max_shift_days)
            return str(days if self._rng.random() < 0.5 else -days)

        return int(self._get_or_mint("date_shift", patient, mint))

    def _remember(self, patient: str, label: str, original: str, mint: Callable[[], str]) -> str:
        key = re.sub(r"\s+", " ", original.strip().lower())
        fresh = _fresh(mint, original, self.avoid, fallback=f"[{label}]", shape_rng=self._rng)
        return self._get_or_mint(f"surrogate:{label}:{patient}", key, fresh)

    def surrogate(self, text: str, span: Span, patient: str, lang: str) -> str:
        original = text[span.start : span.end]
        label = span.label
        if label == "DATE":
            return self._date(original, patient, lang)
        if label == "AGE":
            return "90+"
        pack = PACKS.get(lang)
        if pack is not None and pack.mint is not None:  # a language's own surrogates (Chinese names, addresses)
            own, fake = pack.mint, self._faker(lang)
            if own(label, original, fake, self._rng) is not None:
                return self._remember(patient, label, original, lambda: own(label, original, fake, self._rng) or "")
        if label == "PERSON":
            return self._person(original, text[: span.start], patient, self._faker(lang))
        fake = self._faker(lang)
        minters: dict[str, Callable[[], str]] = {
            "STREET_ADDRESS": lambda: fake.street_address(),
            "LOCATION": lambda: fake.city(),
            "ORGANIZATION": lambda: self._organization(original, fake),
            "EMAIL": lambda: f"{fake.user_name()}@example.org",
            "URL": lambda: f"https://example.org/{self._rng.getrandbits(24):06x}",
            # the documentation ranges (RFC 5737: TEST-NET-1, -2, -3), never routable
            "IP_ADDRESS": lambda: f"{self._rng.choice(_TEST_NETS)}.{self._rng.randint(1, 254)}",
        }
        mint = minters.get(label, lambda: _shape_like(original, self._rng))  # numbers and codes keep their shape
        return _case_like(self._remember(patient, label, original, mint), original)

    def _date(self, original: str, patient: str, lang: str) -> str:
        pack = PACKS.get(lang)
        if self.date_mode == "date_shift":
            days = self.date_offset(patient)
            own = pack.shift_date if pack is not None else None
            shifted = own(original, days) if own is not None else shift_date(original, days, lang)
            return shifted if shifted is not None else "[DATE]"
        reduce = pack.reduce_date if pack is not None and pack.reduce_date is not None else reduce_to_year
        return reduce(original) or "[DATE]"

    def _person(self, original: str, before: str, patient: str, fake: Faker) -> str:
        """Name tokens are replaced one by one, so "SMITH, JOHN" and "John Smith" become the same person."""
        # a word's full stop is punctuation ("ROME." ends a sentence); an initial ("E.") stays as written
        words = [t.rstrip(".") for t in _NAME_TOKEN.findall(original)]
        words = [w for w in words if len(w) > 1]
        surname_first = "," in original
        out = original
        for index, word in enumerate(words):
            is_surname = (index == 0) if surname_first else (index == len(words) - 1 and len(words) > 1)
            if len(words) == 1:
                is_surname = bool(_TITLE_BEFORE.search(before))
            mint = _fresh(
                fake.last_name if is_surname else fake.first_name,
                original,
                self.avoid,
                fallback="[PERSON]",
                shape_rng=self._rng,
            )
            new = self._get_or_mint(f"surrogate:PERSON_TOKEN:{patient}", word.lower(), mint)
            out = re.sub(rf"(?<![\w]){re.escape(word)}(?![\w])", _case_like(new, word), out, count=1)
        if any(re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", out, re.IGNORECASE) for word in words):
            whole = _fresh(
                lambda: f"{fake.first_name()} {fake.last_name()}",
                original,
                self.avoid,
                fallback="[PERSON]",
                shape_rng=self._rng,
            )
            return _case_like(whole(), original)
        return out

    def _organization(self, original: str, fake: Faker) -> str:
        head = _ORG_HEAD.search(original)
        return f"{fake.last_name()} {head.group(1)}" if head else fake.company()

    def replace(self, text: str, spans: list[Span], patient: str, lang: str) -> str:
        return replace_spans(text, spans, lambda span: self.surrogate(text, span, patient, lang))
