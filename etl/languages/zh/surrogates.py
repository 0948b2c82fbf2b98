"""Chinese surrogates: names of the original's length drawn from zh_CN, places and addresses composed from
the PRC's division list (a district of the city of the province drawn, never a mix), hospitals named after
a drawn city, resident ID numbers with a valid check digit."""

from __future__ import annotations

import random
import re
from typing import Any

from etl.languages.zh.numbers import id_card_valid
from etl.languages.zh.text import COMPOUND_SURNAMES, HAN, divisions

_ALL_HAN = re.compile(rf"[{HAN}]+")
_HOSPITALS = (
    "市第一人民医院",
    "市第二人民医院",
    "市中心医院",
    "市中医院",
    "市妇幼保健院",
    "县人民医院",
    "社区卫生服务中心",
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _district(rng: random.Random) -> tuple[str, str, str]:
    rows = [row for row in divisions() if row[2]]
    return rows[rng.randrange(len(rows))]


def _name(original: str, fake: Any) -> str | None:
    if not _ALL_HAN.fullmatch(original):
        return None
    if len(original) == 1 or original in COMPOUND_SURNAMES:
        return str(fake.last_name())
    surname_size = 2 if original[:2] in COMPOUND_SURNAMES else 1
    given = "".join(str(fake.first_name()) for _ in range(2))[: len(original) - surname_size]
    return f"{fake.last_name()}{given}" if len(given) == len(original) - surname_size else None


def _id_card(rng: random.Random) -> str:
    body = f"{rng.randint(11, 65)}{rng.randint(0, 9999):04d}{rng.randint(1940, 2015)}"
    body += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def mint(label: str, original: str, fake: Any, rng: random.Random) -> str | None:
    """A surrogate for `original` (a span labelled `label`); None: the shared minters decide."""
    if label == "PERSON":
        return _name(original, fake)
    if label == "LOCATION" and _ALL_HAN.fullmatch(original):
        _, city, district = _district(rng)
        if original.endswith(("区", "县", "旗")):
            return district
        return city if original.endswith(("市", "州", "盟")) else city.removesuffix("市")
    if label == "STREET_ADDRESS" and re.search(f"[{HAN}]", original):
        province, city, district = _district(rng)
        street = f"{fake.street_name()}{rng.randint(1, 399)}号"
        if "省" in original or original.startswith(province[:2]):
            return f"{province}{city if city != province else ''}{district}{street}"
        return f"{city}{district}{street}" if "市" in original else f"{district}{street}"
    if label == "ORGANIZATION" and re.search(f"[{HAN}]", original):
        _, city, _ = _district(rng)
        return f"{city.removesuffix('市')}{rng.choice(_HOSPITALS)}"
    if label == "ID" and len(original) == 18 and (id_card_valid(original) or original[:17].isdigit()):
        return _id_card(rng)
    return None
