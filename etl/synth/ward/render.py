"""Ward notes as gold JSONL: {"id","lang","note_type","text","spans":[{start,end,label}],"keep":[…]}."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from etl.synth.ward import blind, dev, final, heldout
from etl.synth.ward.builder import NoteBuilder
from etl.synth.ward.cast import Cast, new_cast

Template = Callable[[NoteBuilder, Cast, random.Random], str]
FAMILIES: dict[str, list[Template]] = {
    "dev": list(dev.TEMPLATES),
    "heldout": list(heldout.TEMPLATES),
    "blind": list(blind.TEMPLATES),
    "final": list(final.TEMPLATES),
}
DEFAULT_SEEDS = {"dev": 11, "heldout": 2027, "blind": 4049, "final": 6151}


def render_note(template: Template, cast: Cast, rng: random.Random) -> dict[str, Any]:
    """One note from `template` for `cast`; the builder's style may be set by the template (ALL CAPS, lower)
    and is otherwise drawn here, so every template is seen in every case style."""
    style = rng.choices(["mixed", "upper", "lower"], weights=[6, 2, 2])[0]
    builder = NoteBuilder(style=style)
    note_type = template(builder, cast, rng)
    return {"note_type": note_type, "style": builder.style, **builder.result()}


def generate_ward_gold(count: int, split: str = "dev", seed: int | None = None) -> list[dict[str, Any]]:
    rng = random.Random(DEFAULT_SEEDS[split] if seed is None else seed)
    templates = FAMILIES[split]
    docs = []
    for index in range(count):
        cast = new_cast(rng, split)
        doc = render_note(templates[index % len(templates)], cast, rng)
        docs.append({"id": f"ward-{split}-{index:04d}", "lang": "en", **doc})
    return docs


def write_ward_gold(path: Path, count: int, split: str = "dev", seed: int | None = None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = generate_ward_gold(count, split, seed)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return len(rows)
