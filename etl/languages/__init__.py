"""The language packs: one module a language, one registry line each. The config's language codes, the
CLI's choices, the detection models, surrogate locales, date layouts and the baseline all come from here.
"""

from __future__ import annotations

from etl.languages import en, es, zh
from etl.languages.base import LanguagePack

PACKS: dict[str, LanguagePack] = {pack.code: pack for pack in (en.PACK, es.PACK, zh.PACK)}
CODES: tuple[str, ...] = tuple(PACKS)


def language_pack(code: str) -> LanguagePack:
    """The pack of `code`; a code without one is refused with the codes that have one."""
    if code not in PACKS:
        # the code may come from a note's own column: it is not repeated
        raise KeyError(f"no language pack for this code (clinetl reads {', '.join(CODES)})")
    return PACKS[code]
