"""A third, independent note generator, in the styles the other two lack: nursing shift notes, telegraphic
ICU and rehab notes, ALL-CAPS and all-lower-case text, letters and social-work notes, with the identifiers
real notes carry (staff sign-offs, relatives' first names, dates without a year, local buildings, pagers).

It has four template families that share no template and no phrase: `dev` (for finding what fails),
`heldout` (measured once blind; its per-label summary was then looked at), `blind` (written after that
measurement, run only for final figures) and `final` (written after the `blind` measurement and measured
once blind before its misses were analysed). `clinetl synth-ward` writes gold JSONL; `clinetl synth-ward --clinic`
writes a clinic folder (Synthea-layout tables with providers, organizations and payers, plus the notes).
"""

from etl.synth.ward.clinic import write_ward_clinic
from etl.synth.ward.render import generate_ward_gold, write_ward_gold

__all__ = ["generate_ward_gold", "write_ward_clinic", "write_ward_gold"]
