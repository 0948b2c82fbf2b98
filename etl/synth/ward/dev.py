"""The `dev` template family: what de-identification is developed against. Nothing here is shared with the
`heldout` family (heldout.py), which is measured only."""

from __future__ import annotations

import random

from etl.synth.ward.builder import NoteBuilder
from etl.synth.ward.cast import Cast

HISTORY = [
    "{age90} with hx CHF, <k>s/p CABG</k> {date_md}, admitted from {other_hosp} on {date} with SOB.",
    "Pt is a {age90} admitted {date_md} via ED for GI bleed, transferred from {building} for closer monitoring.",
    "{age90} w/ <k>COPD</k> on home <k>2L</k>, was at {other_hosp} in {month} for pneumonia, now w/ flare.",
    "Pt {pt_title} is a {age90} s/p fall at home {date_md}, lives in {town} w/ {rel}.",
    "Admitted {date} for <k>DKA</k>, last seen by PCP {dr} on the {ordinal}.",
    "Hx <k>ESRD</k> on HD MWF at {facility}, last dialysis {date_md}, <k>Parkinson's disease</k>, <k>afib</k> on <k>coumadin</k>.",
]
SYSTEMS = {
    "Neuro": [
        "A&Ox3, MAE, follows commands. PERRL 3mm brisk.",
        "lethargic but arousable to voice, oriented x2, <k>5/5</k> strength upper ext, <k>4/5</k> LLE.",
        "sedated on <k>propofol 30 mcg/kg/min</k>, RASS -2, no purposeful movement. <k>CIWA</k> 4.",
        "alert, confused at times, reorients easily. Pt calls out for {rel_name} overnight.",
    ],
    "CV": [
        "HR 80s NSR, no ectopy. BP <k>110-130/60s</k>. K <k>3.4</k> repleted w/ <k>40 mEq KCL</k>.",
        "afib 90-110s, <k>metoprolol 5mg IV</k> x1 with good effect. +pulses x4.",
        "<k>2/6</k> SEM, pedal edema 1+, <k>lasix 40mg IV</k> given at 1400 w/ good UO.",
        "SBP 90s after <k>1/2 tab</k> <k>lopressor</k>, {dr} aware, held next dose.",
    ],
    "Resp": [
        "LS clear upper, diminished bases. Sats 94-96% on <k>2L NC</k>, weaned from <k>4L</k>.",
        "on <k>40% face tent</k>, RR 20s, strong cough, sxn for thick tan secretions.",
        "vent AC <k>500x14</k>, FiO2 <k>40%</k>, PEEP 5. ABG <k>7.38/42/98</k>. {staff} following.",
        "IS to <k>750</k>, encouraged C&DB q1h. CXR {date_md} w/ RLL infiltrate.",
    ],
    "GI": [
        "abd soft, NT/ND, +BS. Tolerating clears. Last BM {date_md}.",
        "npo after MN for procedure, <k>famotidine 20mg</k> IV bid.",
        "TF via NGT at goal 60cc/hr, residuals <30cc. <k>colace</k>/<k>senna</k> given.",
        "guaiac + brown stool x2, Hct <k>27.9</k> (30.1), 2 units PRBC ordered.",
    ],
    "GU": [
        "foley draining clear yellow urine 30-60cc/hr. Cr <k>1.4</k> (1.1).",
        "voiding in commode, UO adequate. UA sent.",
    ],
    "Skin": [
        "coccyx stage II, duoderm intact. R heel boggy, offloaded.",
        "intact, <k>1/2</k> inch abrasion L forearm, bacitracin applied.",
    ],
    "ID": [
        "Tmax <k>101.2</k>, blood cx x2 sent, on <k>vanco</k>/<k>zosyn</k>. WBC <k>14.2</k>.",
        "afebrile, MRSA swab pending, contact precautions.",
    ],
    "Endo": [
        "FS <k>180-220</k>, covered per RISS. <k>Lantus 20 units</k> qhs.",
    ],
    "Pain": [
        "c/o incisional pain <k>6/10</k>, <k>percocet 1 tab</k> given with relief to <k>3/10</k>.",
        "denies pain. <k>tylenol 650mg</k> prn.",
    ],
}
SOCIAL = [
    "{rel} in to visit this afternoon, updated by {staff}. {pt_title} lives alone in {town}.",
    "{rels_and} called for update, spoke with {dr}. Family meeting planned {weekday} {date_md}.",
    "{rel_full} is HCP, can be reached at {phone}.",
    "pending bed at {facility}. CM aware. {rel} will bring clothes {weekday}.",
    "wife {rel_name} at bedside most of shift, very supportive, home # {pt_phone}.",
]
PLAN = [
    "cont to monitor, f/u AM labs, {dr} to see in am.",
    "likely to OR {date} for <k>CABG</k>, NPO after MN, consent signed by {rel_name}.",
    "? d/c to {facility} {date_md} if stable. Pt aware.",
    "transfer to {building} when bed available, report called to {staff}.",
]
EVENTS = [
    "pt had 8 beat run of VT at 0300, {dr} paged ({pager}), lytes sent, Mg <k>1.6</k> repleted.",
    "Fall at 2200 from bed, no injury. {dr} notified. Daughter {rel_name} aware.",
    "code called at 0415, ROSC after 4 min, {dr} and {staff} at bedside.",
]


def nursing_progress(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add(rng.choice(["Nursing Progress Note 7a-7p\n", "NPN 7P-7A\n", "Nsg note: ", "RN NOTE {date_md}\n"]), r)
    b.add(rng.choice(HISTORY) + "\n", r)
    if rng.random() < 0.5:
        b.add("Events: " + rng.choice(EVENTS) + "\n", r)
    for system in rng.sample(list(SYSTEMS), k=rng.randint(4, len(SYSTEMS))):
        b.add(f"{system}{rng.choice([': ', '- ', ': '])}" + rng.choice(SYSTEMS[system]) + "\n", r)
    b.add("Social: " + rng.choice(SOCIAL) + "\n", r)
    b.add("Plan: " + rng.choice(PLAN) + "\n", r)
    b.add(rng.choice(["{signoff}\n", "{signoff}", ""]), r)
    return "nursing_note"


def icu_caps(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = "upper"
    r = c.render
    b.add(f"{rng.choice(['MICU', 'CCU', 'SICU'])} NSG ADMIT NOTE: ", r)
    b.add(rng.choice(HISTORY) + " ", r)
    b.add(" ".join(rng.choice(SYSTEMS[s]) for s in rng.sample(list(SYSTEMS), k=4)) + " ", r)
    b.add(rng.choice(SOCIAL) + " " + rng.choice(PLAN) + "\n", r)
    b.add("{signoff}\n", r)
    return "nursing_note"


PHONE = [
    "tc from {rel} re: pt's meds. states pt has been more confused since {weekday}. advised to call {dr} office {phone}.",
    "pt called c/o dizziness since {date_md}, bp at home <k>150/90</k>. appt made w/ {dr} {weekday} {date_md}.",
    "spoke w/ {rel_full} (hcp), updated on plan. she will call back {phone} after talking w/ {rels_and}.",
    "vm left for pt at {pt_phone} re abnormal labs (k <k>5.9</k>). will try again in am.",
]


def phone_lower(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = "lower"
    r = c.render
    b.add(f"telephone encounter {rng.choice(['{date}', '{date_md}'])}\n", r)
    for phrase in rng.sample(PHONE, k=2):
        b.add(phrase + " ", r)
    b.add("\n{signoff}\n", r)
    return "telephone_note"


def letter(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("{site}\n", r)
    b.add("{date_full}\n\nRE: {pt_full} (DOB {dob}) {mrn}\n\nDear {dr},\n\n", r)
    b.add(
        "Thank you for referring {pt_title}, a {age90} with <k>Alzheimer's dementia</k> and <k>CHF</k>, "
        "who was admitted on {date} and discharged to {facility} on {date_md}. ",
        r,
    )
    b.add("Medications: <k>apixaban 5 mg BID</k>, <k>metoprolol succinate 25 mg daily</k>. ", r)
    b.add("{pt_pronoun_cap} will follow up with you in {month}. Please call {phone} with questions.\n\n", r)
    b.add(rng.choice(["Sincerely,\n\n", "Best regards,\n", "Thank you,\n"]), r)
    b.add("{dr_full}, MD\n", r)
    return "letter"


RT = [
    "Resp care: pt remains on <k>BiPAP 12/5</k>, <k>40%</k>, RR 18, sats 95%. Nebs q4h <k>albuterol</k>/<k>atrovent</k>.",
    "pt extubated to <k>4L NC</k> at 1015 per {dr}, tolerating well, sats 97%.",
    "MDI teaching done w/ pt and {rel}. RSBI <k>65</k>.",
]


def rt_note(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add(rng.choice(["RT Note: ", "Respiratory Care Note\n"]), r)
    for phrase in rng.sample(RT, k=2):
        b.add(phrase + " ", r)
    b.add("\n{signoff}\n", r)
    return "respiratory_note"


def addendum(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("Addendum {date_full} 1430: ", r)
    b.add(rng.choice(EVENTS) + " ", r)
    b.add("Pt moved to {building}. " + rng.choice(PLAN) + " ", r)
    b.add("{signoff}\n", r)
    return "nursing_note"


TEMPLATES = [nursing_progress, nursing_progress, icu_caps, phone_lower, letter, rt_note, addendum]
