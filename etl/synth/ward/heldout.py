"""The `heldout` template family: measured, never analysed. Its note kinds, layouts and phrases appear in no
`dev` template (dev.py), and it uses a different hospital, buildings, towns and date forms."""

from __future__ import annotations

import random

from etl.synth.ward.builder import NoteBuilder
from etl.synth.ward.cast import Cast

TRIAGE = [
    "{age90} BIBA from {facility} c/o worsening SOB x3 days. EMS reports sats <k>84%</k> on RA, placed on <k>NRB</k>.",
    "{age90} presents w/ {rel} after mechanical fall this am, +head strike, on <k>plavix</k>. Last seen normal {weekday} night.",
    "walk-in, c/o LLQ pain <k>8/10</k> since {date_md}, n/v x2. Hx <k>diverticulitis</k> {month} (tx'd at {other_hosp}).",
]
TRIAGE_TAIL = [
    "PMD: {dr} ({site_abbr} clinic). Allergies: PCN (rash), <k>sulfa</k>. ESI 2.",
    "Accompanied by {rel_full}, cell {phone}. PCP {dr} notified via {ext}.",
    "Old records requested from {other_hosp}. Contact: {rel} {phone}.",
]


def ed_triage(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("ED TRIAGE NOTE  {date_full} 0912\n", r)
    b.add(rng.choice(TRIAGE) + "\n", r)
    b.add("VS: T <k>98.9</k> HR 104 BP <k>142/88</k> RR 24 SpO2 <k>91%</k> <k>4L NC</k>. Pain <k>7/10</k>.\n", r)
    b.add(rng.choice(TRIAGE_TAIL) + "\n", r)
    b.add(rng.choice(["Triage RN: {signoff}\n", "{signoff}\n"]), r)
    return "ed_note"


REHAB = [
    "Pt seen bedside in {building} for gait training. Amb 150 ft w/ RW + CGA x1, <k>2 standing rest breaks</k>.",
    "Pt agreeable to tx, {rel} present and educated on transfers. Sit<>stand w/ min A, BLE strength <k>4-/5</k>.",
    "Tolerated <k>30 min</k> session, c/o R knee pain <k>5/10</k> after, ice applied. Pt reports {rel} installed rails at home in {town}.",
    "Pt declined PT this am (fatigued after HD {weekday}); re-attempted at 1400, completed <k>10 reps</k> LAQ bilat.",
]


def rehab(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("PHYSICAL THERAPY DAILY NOTE - {date}\n", r)
    b.add("Dx: <k>R TKA</k> ({date_md}), <k>Bell's palsy</k> hx.\n", r)
    for phrase in rng.sample(REHAB, k=3):
        b.add(phrase + "\n", r)
    b.add("Goals: indep w/ RW in 1 wk. D/c plan: home w/ VNA vs {facility}.\n", r)
    b.add("Therapist: {signoff}\n", r)
    return "therapy_note"


SOCIAL_WORK = [
    "Met with pt and {rels_and} at bedside. Pt's {rel} ({phone}) is primary caregiver.",
    "HCP form on file naming {rel_full}. Pt wishes to return home to {town}, lives at {street}, {town} {zip}.",
    "Pt receives SSI, Medicaid; SSN on file {ssn}. Referral faxed to {facility}, contact {staff}.",
    "Family reports pt was hospitalized at {other_hosp} over {holiday}. Pt tearful discussing late husband's death in {month}.",
    "Writer spoke w/ {rel} by phone {weekday}; she is unable to take pt home, exploring LTC near {other_town}.",
]


def social_work(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add(rng.choice(["SW NOTE:\n", "Social Work Progress Note\n", "CM/SW: "]), r)
    for phrase in rng.sample(SOCIAL_WORK, k=3):
        b.add(phrase + " ", r)
    b.add("\nSW will f/u {weekday}. {signoff}\n", r)
    return "social_work_note"


HOME = [
    "skilled nursing visit. pt's {rel} present. wound to l shin <k>3 x 2 cm</k>, moderate serous drainage, redressed w/ <k>xeroform</k>.",
    "vs bp <k>128/76</k> p 72 o2 <k>97%</k> ra. pt took <k>1/2 tab</k> <k>hctz</k> in am as ordered.",
    "pt reports fall {date_md} in bathroom, no injury. called {dr} office at {phone}, spoke to {staff}.",
    "med rec done, pillbox filled thru {date_md}. <k>warfarin 2.5mg</k>, inr <k>2.4</k> drawn {weekday}.",
    "next visit {weekday} {date_md}. pt/{rel_name} verbalize understanding.",
]


def home_visit(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = "lower"
    r = c.render
    b.add("home care visit note {date}\n", r)
    b.add("pt {pt_full}, {age90}, {street}, {town}.\n", r)
    for phrase in rng.sample(HOME, k=3):
        b.add(phrase + "\n", r)
    b.add("{signoff}\n", r)
    return "home_care_note"


def memo_letter(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("To: {dr}\nFrom: {staff}\nDate: {date_full}\nRe: {pt_lf}, {mrn}\n\n", r)
    b.add(
        "I am writing regarding our mutual patient, seen in the {site_abbr} geriatric clinic on {date}. "
        "{pt_pronoun_cap} is {age90} and lives with {rel_full} in {town}. ",
        r,
    )
    b.add(
        "Recent hospitalization at {other_hosp} ({date_range}) for <k>urosepsis</k>. "
        "Current regimen includes <k>donepezil 10 mg nightly</k> and <k>furosemide 20 mg daily</k>. ",
        r,
    )
    b.add("The family can be reached at {pt_phone}; {rel} prefers e-mail ({email}).\n\n", r)
    b.add(rng.choice(["Yours sincerely,\n", "Kind regards,\n", "With thanks,\n"]), r)
    b.add("{dr_full}\nDepartment of Medicine, {site}\n", r)
    return "letter"


NIGHT = [
    "PT SLEPT IN SHORT NAPS, AWOKE AT 0200 ASKING FOR {rel_name}. REORIENTED.",
    "BP LABILE <k>90-150/50-80</k>, {dr} AWARE, NO NEW ORDERS. HR 70S SR.",
    "FOLEY PATENT, UO <k>40-50</k> CC/HR. <k>HEPARIN GTT</k> @ <k>1100 UNITS/HR</k>, PTT DUE 0600.",
    "{rel} CALLED AT 2300 FOR UPDATE, WILL VISIT {weekday}. PT HAS APPT AT {other_hosp} {date_md}.",
    "RECEIVED FROM {building} AT 2000 VIA STRETCHER, ACCOMPANIED BY {staff}.",
]


def night_caps(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    b.style = "upper"
    r = c.render
    b.add("NURSING NOTE 1900-0700\n", r)
    for phrase in rng.sample(NIGHT, k=4):
        b.add(phrase + " ", r)
    b.add("\n{signoff}\n", r)
    return "nursing_note"


def telehealth(b: NoteBuilder, c: Cast, rng: random.Random) -> str:
    r = c.render
    b.add("Telehealth follow-up, {date_full}. Video visit (pt at home, IP {ip}); consent obtained.\n", r)
    b.add("Pt {pt_full} seen w/ {rel} assisting with camera. Reports BP log avg <k>134/82</k>, no CP.\n", r)
    b.add("Plan: titrate <k>losartan 50 mg</k>; labs at {site_abbr} lab {weekday}. Results via portal {url}.\n", r)
    b.add("{dr_full}, MD\n", r)
    return "telehealth_note"


TEMPLATES = [ed_triage, rehab, social_work, home_visit, memo_letter, night_caps, telehealth]
