"""The `blind` template family: written after the first held-out measurement, before any change that
measurement could have guided, and run only for the final figure. Its note kinds (dialysis, wound care,
hospice, labour and delivery, psychiatric nursing, pharmacy, case management), phrases and some of its
identifier forms appear in no other family."""

from __future__ import annotations

import random

from etl.synth.ward.builder import NoteBuilder, Piece, SlotRenderer
from etl.synth.ward.cast import Cast, with_extra_slots


def _extra(c: Cast, slot: str) -> list[Piece]:
    """Identifier forms only this family uses."""
    r = c.rng
    staff = c.staff_of(("RN", "NP", "RRT", "PT", "LICSW"))
    doc = c.staff_of(("MD", "DO"))
    forms: dict[str, list[Piece]] = {
        "pt_caps_lf": [(f"{c.patient.last.upper()}, {c.patient.first.upper()}", "PERSON")],
        "dr_hyphen": [("Dr. ", None), (f"{doc.last}-{r.choice(['Hale', 'Ortiz', 'Nguyen'])}", "PERSON")],
        "staff_paren": [(f"{staff.first} {staff.last}", "PERSON"), (f" ({staff.credential.lower()})", None)],
        "cell": [(r.choice(["(c) ", "cell: ", "mobile "]), None),
                 (f"{r.choice(c.site.area_codes)}.{r.randint(200, 989)}.{r.randint(1000, 9999)}", "PHONE")],
        "dob_short": [("DOB ", None), (f"{c.birth.month}/{c.birth.day}/{c.birth.year % 100:02d}", "DATE")],
        "date_words": [(f"{c.day.strftime('%b')}. {c.day.day}", "DATE")],
        "the_day": [("the ", None), (f"{c.day.day}{'th' if 10 < c.day.day < 14 else {1: 'st', 2: 'nd', 3: 'rd'}.get(c.day.day % 10, 'th')}", "DATE")],
        "unit_room": [(r.choice(c.site.buildings), "LOCATION"), (f" {r.randint(2, 9)}{r.choice('ABC')}", None)],
    }  # fmt: skip
    return forms[slot]


def _render(c: Cast) -> SlotRenderer:
    return with_extra_slots(c, _extra)


def dialysis(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("HEMODIALYSIS TREATMENT RECORD  {date_full}\n", r)
    b.add("Pt: {x_pt_caps_lf}  {x_dob_short}  {mrn}\n", r)
    b.add(
        "Pre wt <k>78.4 kg</k>, EDW <k>76 kg</k>. Access: L AVF, +thrill/bruit. UF goal <k>2.5 L</k>. "
        "Ran 3.5h on <k>2K/2.5Ca</k> bath, BFR <k>400</k>. Post BP <k>118/64</k>.\n",
        r,
    )
    b.add(
        rng.choice(
            [
                "Pt's {rel} drove pt from {town}; will pick up at 1130. Next tx {weekday}.",
                "Nephrologist {x_dr_hyphen} rounded, no changes. Epo <k>4000 units</k> given.",
            ]
        )
        + "\n",
        r,
    )
    b.add("{x_staff_paren}\n", r)
    return "dialysis_note"


def wound_care(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = rng.choice(["mixed", "lower"])
    r = _render(c)
    b.add("wound care consult - {x_date_words}\n", r)
    b.add(
        "sacral pressure injury stage 3, <k>4.2 x 3.1 x 0.5 cm</k>, 20% slough. dressing: <k>santyl</k> + moist gauze "
        "bid. reposition q2h. seen at request of {dr}.\n",
        r,
    )
    b.add("pt's {rel} taught dressing change at bedside in {x_unit_room}. f/u {weekday} or sooner prn.\n", r)
    b.add("{signoff}\n", r)
    return "wound_note"


def hospice(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("Hospice admission visit, {date}\n", r)
    b.add(
        "{pt_title}, {age90}, enrolled for end-stage <k>CHF</k>. Lives at {street} with {rel_full}; "
        "{rels_and} visit weekly. DNR/DNI confirmed, MOLST signed {x_the_day}.\n",
        r,
    )
    b.add("Comfort kit delivered (<k>morphine 5 mg/0.25 mL</k>, <k>lorazepam 0.5 mg</k>). On-call line {phone}.\n", r)
    b.add("Chaplain and SW to visit this week. {signoff}\n", r)
    return "hospice_note"


def labour(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = "upper"
    r = _render(c)
    b.add("L&D NURSING NOTE {date_md} 0345\n", r)
    b.add(
        "G2P1 AT <k>39 2/7</k> WKS, SVE <k>6/90/-1</k>, AROM CLEAR FLUID. FHR <k>140S</k> MOD VAR + ACCELS. "
        "EPIDURAL PLACED BY {x_dr_hyphen}. FOB {rel_name} AT BEDSIDE.\n",
        r,
    )
    b.add("{signoff}\n", r)
    return "labour_note"


def psych_nursing(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("Inpatient psychiatry - nursing shift note (days)\n", r)
    b.add(
        "Pt visible on unit, attended 2 of 3 groups. Denies SI/HI. Slept 6 hrs per night staff. "
        "Took <k>quetiapine 100 mg</k> w/o issue. Requested to call {rel} at {x_cell}; call supervised.\n",
        r,
    )
    b.add('Pt states she was at {other_hosp} around {holiday} and "hated it". Safety checks q15 min maintained.\n', r)
    b.add("{x_staff_paren}\n", r)
    return "psychiatric_note"


def pharmacy(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("Pharmacy kinetics note — {date_full}\n", r)
    b.add(
        "Vancomycin trough <k>11.2</k> (goal 15-20) drawn {date_md} 0530. Increase to <k>1250 mg IV q12h</k>. "
        "Discussed with {dr} via {pager}. Next trough before 4th dose.\n",
        r,
    )
    b.add("-- {dr_full}, PharmD\n", r)
    return "pharmacy_note"


def case_management(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("CASE MANAGEMENT NOTE\n", r)
    b.add(
        "Insurance auth obtained for SNF at {facility}. Pt and {rel_full} agree with plan. "
        "Transport booked for {x_date_words}, pick-up from {x_unit_room}. Copy of orders faxed to {phone}.\n",
        r,
    )
    b.add("Contact for questions: {x_staff_paren}\n", r)
    return "case_management_note"


TEMPLATES = [dialysis, wound_care, hospice, labour, psych_nursing, pharmacy, case_management]
