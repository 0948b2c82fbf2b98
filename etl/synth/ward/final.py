"""The `final` template family: written after the `blind` measurement, before any change its results could
guide, and run only for the figure reported after that round. Its note kinds (emergency triage, anaesthesia
pre-op, neonatal ICU, infusion chair, telephone encounters, transfer acceptance, school and work letters,
outpatient therapy), phrases and some of its identifier forms appear in no other family."""

from __future__ import annotations

import random

from etl.synth.ward.builder import NoteBuilder, Piece, SlotRenderer
from etl.synth.ward.cast import Cast, with_extra_slots


def _staff_nurse_initial(c: Cast) -> list[Piece]:
    person = c.staff_of(("RN",))
    return [(f"{person.first} {person.last[0]}.", "PERSON"), (", RN", None)]


def _next_day_short(c: Cast) -> list[Piece]:
    d = c.day
    return [(f"{d.strftime('%b').lower()} {d.day + 1 if d.day < 28 else d.day}", "DATE")]


def _relation_word(c: Cast) -> list[Piece]:
    return [(c.rng.choice(["caregiver", "relative", "family"]), None)]


# forms drawn only when their slot is asked for (the forms below are all drawn on every call)
_ON_DEMAND = {
    "nurse_initial": _staff_nurse_initial,
    "next_day_short": _next_day_short,
    "relation_word": _relation_word,
}


def _extra(c: Cast, slot: str) -> list[Piece]:
    """Identifier forms only this family uses."""
    if slot in _ON_DEMAND:
        return _ON_DEMAND[slot](c)
    r = c.rng
    staff = c.staff_of(("RN", "NP", "RRT", "PT", "LICSW"))
    doc = c.staff_of(("MD", "DO"))
    relation, relative = c.relative()
    middle = r.choice("ABCDEFGHJKLMNPRSTW")
    forms: dict[str, list[Piece]] = {
        "pt_lf_mi": [(f"{c.patient.last}, {c.patient.first} {middle}.", "PERSON")],
        "pt_initials": [(f"{c.patient.first[0]}.{c.patient.last[0]}.", "PERSON")],
        "per_staff": [(r.choice(["per ", "spoke w/ ", "report from "]), None), (staff.first, "PERSON"),
                      (r.choice([" at desk", " on nights", " in triage"]), None)],
        "attending_caps": [("ATTENDING: ", None), (f"{doc.last.upper()}, {doc.first.upper()}", "PERSON")],
        "mr_mrs": [("Mr. and Mrs. ", None), (c.patient.last, "PERSON")],
        "rel_with_phone": [(f"{relation} ", None), (relative.first, "PERSON"), (r.choice([" @ ", " ph ", " tel. "]), None),
                           (f"{r.choice(c.site.area_codes)} {r.randint(200, 989)} {r.randint(1000, 9999)}", "PHONE")],
        "stamp": [(f"{c.day.month:02d}/{c.day.day:02d}", "DATE"), (f" @ {r.randint(0, 23):02d}{r.choice(['00', '15', '30', '45'])}", None)],
        "day_mon": [(f"{c.day.day:02d}-{c.day.strftime('%b').upper()}", "DATE")],
        "year_short": [("on ", None), (f"{c.day.month}/{c.day.day}/{c.day.year % 100:02d}", "DATE")],
        "fax": [(r.choice(["fax ", "F: ", "fax# "]), None),
                (f"({r.choice(c.site.area_codes)}) {r.randint(200, 989)}-{r.randint(1000, 9999)}", "PHONE")],
        "bed": [(r.choice(c.site.buildings), "LOCATION"), (f" {r.choice(['NICU', 'PACU', 'ICU'])} bed {r.randint(1, 30)}", None)],
        "dept_abbr": [(c.site.abbr, "ORGANIZATION"), (r.choice([" ED", " infusion center", " peds"]), None)],
    }  # fmt: skip
    return forms[slot]


def _render(c: Cast) -> SlotRenderer:
    return with_extra_slots(c, _extra)


def triage(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = rng.choice(["upper", "mixed"])
    r = _render(c)
    b.add("ED TRIAGE {x_stamp}  ESI 3\n", r)
    b.add("{x_pt_lf_mi}  {mrn}  {age90}\n", r)
    b.add(
        "CC: <k>chest pressure</k> x2h, radiating L arm, diaphoretic. BIBA from {town}. <k>ASA 324 mg</k> given by EMS. "
        "HR <k>102</k> BP <k>158/94</k> SpO2 <k>95%</k> RA. {x_per_staff}: pt walked in w/ {rel}.\n",
        r,
    )
    b.add("EKG to {dr} within 10 min. {signoff}\n", r)
    return "triage_note"


def anaesthesia(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("Pre-anesthesia evaluation   {date_full}\n", r)
    b.add("{x_attending_caps}\n", r)
    b.add(
        "Planned: <k>lap cholecystectomy</k>. ASA II. Mallampati 2, TMD >3 FB. NPO since midnight. Hx PONV after "
        "surgery at {other_hosp} {x_year_short}. Airway plan: <k>ETT 7.0</k>, RSI not indicated.\n",
        r,
    )
    b.add("Consent reviewed with pt and {rel_full}. Questions: {pager}.\n", r)
    return "anaesthesia_note"


def nicu(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = rng.choice(["mixed", "lower"])
    r = _render(c)
    b.add("NICU nursing note {x_day_mon}\n", r)
    b.add(
        "Baby boy {pt_last}, {x_bed}. Wt <k>2140 g</k> (+25). Isolette temp <k>36.8</k>. Feeds <k>EBM 32 mL q3h</k> "
        "via NGT, tolerating. {x_mr_mrs} in to do kangaroo care 1400-1530; mom pumping.\n",
        r,
    )
    b.add("Plan d/w {dr}. Family updated by phone at {phone}. {x_nurse_initial}\n", r)
    return "nicu_note"


def infusion(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("{x_dept_abbr} — chair 6 — {date}\n", r)
    b.add(
        "C3D1 <k>FOLFOX</k>. Labs ok: ANC <k>1.9</k>, plt <k>142</k>. Premeds <k>ondansetron 16 mg</k>, "
        "<k>dexamethasone 12 mg</k>. Oxaliplatin over 2h, no reaction. Pt ({x_pt_initials}) came with {x_rel_with_phone}.\n",
        r,
    )
    b.add("Pump disconnect {weekday}. Next cycle {x_next_day_short}. {staff}\n", r)
    return "infusion_note"


def telephone(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = rng.choice(["mixed", "lower", "upper"])
    r = _render(c)
    b.add("Telephone encounter {date_md}\n", r)
    b.add(
        "Caller: {rel_full} (pt's {x_relation_word}). Reports pt more confused since {weekday}, poor po intake. "
        "Advised ED eval; {rel_name} will drive pt to {site_abbr}. Callback {pt_phone}.\n",
        r,
    )
    b.add("{signoff}\n", r)
    return "telephone_note"


def transfer(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("TRANSFER ACCEPTANCE NOTE\n", r)
    b.add(
        "Called by {dr_full} at {other_hosp} re: {pt_title}, {age90}, with <k>NSTEMI</k> and rising troponin "
        "(<k>0.8 -> 2.4</k>). Accepted to {building}. Records to {x_fax}. ETA {x_stamp}.\n",
        r,
    )
    b.add("Pt lives in {other_town}, {zip}.\n", r)
    return "transfer_note"


def work_letter(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = _render(c)
    b.add("{date_full}\n\nTo whom it may concern,\n\n", r)
    b.add(
        "{pt_full} ({dob}) has been under my care at {site} for <k>lumbar radiculopathy</k>. "
        "He/she may return to light duty on {date} with no lifting over <k>10 lb</k>. Please contact my office at "
        "{phone} or {email} with any questions.\n\n",
        r,
    )
    b.add("Regards,\n{dr_full}, MD\n", r)
    return "work_letter"


def outpatient_pt(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = rng.choice(["mixed", "lower"])
    r = _render(c)
    b.add("OP physical therapy progress - visit 8/12 - {date}\n", r)
    b.add(
        "s/p <k>ACL reconstruction</k> (hamstring autograft) by {dr} {x_year_short}. ROM <k>0-125</k>, quad lag "
        "resolved. Single-leg squat 30s. Plan: progress to jogging per protocol, HEP updated. Pt drives in from "
        "{other_town}; prefers {weekday} slots.\n",
        r,
    )
    b.add("{staff}\n", r)
    return "outpatient_therapy_note"


TEMPLATES = [triage, anaesthesia, nicu, infusion, telephone, transfer, work_letter, outpatient_pt]
