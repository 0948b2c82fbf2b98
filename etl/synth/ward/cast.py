"""Who and where a ward note talks about: the patient, relatives, staff, the hospital and its buildings, and
the surface forms each identifier takes in real notes. Every slot renders to pieces (text, gold label)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from etl.calendar_names import MONTHS_EN
from etl.synth.ward.builder import Piece, SlotRenderer
from etl.synth.ward.sites import RELATIONS, SITES, WORD_FIRST, WORD_LAST, Site

_LOCALES = ["en_US", "en_US", "en_GB", "en_IE", "en_AU", "en_CA"]


@dataclass
class Person:
    first: str
    last: str
    credential: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def new_person(rng: random.Random, fake: Faker, credential: str = "") -> Person:
    first = rng.choice(WORD_FIRST) if rng.random() < 0.12 else fake.first_name()
    last = rng.choice(WORD_LAST) if rng.random() < 0.15 else fake.last_name()
    return Person(first, last, credential)


def faker_for(rng: random.Random) -> Faker:
    fake = Faker(rng.choice(_LOCALES))
    fake.seed_instance(rng.randint(0, 10**9))
    return fake


@dataclass
class Cast:
    """One patient's world for one note (the clinic generator shares staff and site across notes)."""

    rng: random.Random
    split: str
    site: Site
    patient: Person
    sex: str
    age: int
    birth: date
    day: date  # the note's date
    mrn: str
    relatives: list[tuple[str, Person]]
    staff: list[Person]  # staff[0] attending, then nurses, residents, therapists
    street: str
    town: str
    zip: str
    phone: str
    names_upper: bool = False  # some writers put names in capitals inside mixed-case text
    extra: dict[str, str] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------------------------
    def _name(self, value: str, label: str = "PERSON") -> Piece:
        return (value.upper() if self.names_upper else value, label)

    def _pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def staff_of(self, credentials: tuple[str, ...]) -> Person:
        fitting = [p for p in self.staff if p.credential in credentials]
        return self.rng.choice(fitting or self.staff)

    def relative(self, kind: str | None = None) -> tuple[str, Person]:
        if kind:
            for relation, person in self.relatives:
                if relation == kind:
                    return relation, person
        return self.rng.choice(self.relatives)

    # -- renderers ------------------------------------------------------------------------------------------
    def render(self, slot: str) -> list[Piece]:
        method = getattr(self, f"s_{slot}", None)
        if method is None:
            raise KeyError(f"unknown slot {slot!r}")
        pieces: list[Piece] = method()
        return pieces

    def s_pt_first(self) -> list[Piece]:
        return [self._name(self.patient.first)]

    def s_pt_last(self) -> list[Piece]:
        return [self._name(self.patient.last)]

    def s_pt_full(self) -> list[Piece]:
        return [self._name(self.patient.full)]

    def s_pt_lf(self) -> list[Piece]:
        return [self._name(f"{self.patient.last}, {self.patient.first}")]

    def s_pt_title(self) -> list[Piece]:
        title = {"F": self._pick("Mrs.", "Ms.", "Ms", "Mrs"), "M": self._pick("Mr.", "Mr")}[self.sex]
        return [(f"{title} ", None), self._name(self.patient.last)]

    def s_pt_pronoun_cap(self) -> list[Piece]:
        return [("She" if self.sex == "F" else "He", None)]

    def s_rel(self) -> list[Piece]:
        relation, person = self.relative()
        return [(f"{self._pick(*RELATIONS[relation])} ", None), self._name(person.first)]

    def s_rel_full(self) -> list[Piece]:
        relation, person = self.relative()
        return [(f"{self._pick(*RELATIONS[relation])} ", None), self._name(person.full)]

    def s_rel_name(self) -> list[Piece]:
        return [self._name(self.relative()[1].first)]

    def s_rels_and(self) -> list[Piece]:
        kids = [p for r, p in self.relatives if r in ("daughter", "son")] or [p for _, p in self.relatives]
        second = kids[1] if len(kids) > 1 else self.relatives[-1][1]
        word = self._pick("daughters", "children", "kids", "sons")
        return [(f"{word} ", None), self._name(kids[0].first), (" and ", None), self._name(second.first)]

    def s_dr(self) -> list[Piece]:
        doc = self.staff_of(("MD", "DO"))
        form = self.rng.randrange(7)
        last = doc.last.upper() if self.names_upper else doc.last
        if form == 0:
            return [("Dr. ", None), (last, "PERSON")]
        if form == 1:
            return [("dr ", None), (doc.last.lower(), "PERSON")]
        if form == 2:
            return [("DR.", None), (doc.last.upper(), "PERSON")]
        if form == 3:
            return [("Dr ", None), (last, "PERSON")]
        if form == 4:
            return [("Dr. ", None), (f"{doc.first[0]}. {last}", "PERSON")]
        if form == 5:
            return [("Dr. ", None), self._name(doc.full)]
        return [("Dr.", None), (last, "PERSON")]

    def s_dr_full(self) -> list[Piece]:
        return [self._name(self.staff_of(("MD", "DO")).full)]

    def s_staff(self) -> list[Piece]:
        """A colleague named with a credential, before or after: "RN Welsh", "Welsh RN", "J. Welsh, NP"."""
        person = self.staff_of(("RN", "NP", "RRT", "PA-C", "PT", "LICSW"))
        cred, form = person.credential, self.rng.randrange(5)
        if form == 0:
            return [(f"{cred} ", None), self._name(person.last)]
        if form == 1:
            return [self._name(person.last), (f" {cred}", None)]
        if form == 2:
            return [self._name(f"{person.first[0]}. {person.last}"), (f", {cred}", None)]
        if form == 3:
            return [self._name(person.first), (f" ({cred})", None)]
        return [(f"{cred} ", None), self._name(person.full)]

    def s_signoff(self) -> list[Piece]:
        person = self.staff_of(("RN", "NP", "RRT", "PT", "LICSW"))
        cred, form = person.credential, self.rng.randrange(6)
        if form == 0:
            return [("-- ", None), self._name(f"{person.first[0]}. {person.last}"), (f", {cred}", None)]
        if form == 1:
            return [self._name(person.full), (f" {cred}", None)]
        if form == 2:
            return [("--", None), self._name(person.last), (f",{cred}", None)]
        if form == 3:
            return [("/", None), ((person.first[0] + person.last[0]).lower(), "PERSON")]
        if form == 4:
            return [(f"{cred}: ", None), self._name(f"{person.first[0]}.{person.last}")]
        return [self._name(person.full), (f", {cred}, BSN", None)]

    def s_age90(self) -> list[Piece]:
        age = str(max(self.age, 90))
        sex = self.sex
        form = self.rng.randrange(5)
        if form == 0:
            return [(age, "AGE"), (" yo", None)]
        if form == 1:
            return [(age, "AGE"), (sex, None)]
        if form == 2:
            return [(age, "AGE"), (" y/o", None)]
        if form == 3:
            return [(age, "AGE"), (" year old", None)]
        return [("age ", None), (age, "AGE")]

    def s_mrn(self) -> list[Piece]:
        cue = self._pick("MRN ", "MR# ", "Unit No: ", "#", "mrn: ")
        return [(cue, None), (self.mrn, "MRN")]

    def s_phone(self) -> list[Piece]:
        area = self.rng.choice(self.site.area_codes)
        a, b = self.rng.randint(200, 989), self.rng.randint(1000, 9999)
        form = self._pick(
            f"{area}-{a}-{b}",
            f"({area}) {a}-{b}",
            f"{area} {a}-{b}",
            f"{area}.{a}.{b}",
            f"{area}/{a}-{b}",
            f"{a}-{b}",
            f"({area}){a}-{b}",
        )
        return [(form, "PHONE")]

    def s_pt_phone(self) -> list[Piece]:
        return [(self.phone, "PHONE")]

    def s_pager(self) -> list[Piece]:
        cue = self._pick("pager ", "beeper #", "p# ", "pgr ", "page ", "beeper ")
        return [(cue, None), (str(self.rng.randint(10000, 99999)), "PHONE")]

    def s_ext(self) -> list[Piece]:
        return [(self._pick("x", "ext ", "x "), None), (str(self.rng.randint(1000, 79999)), "PHONE")]

    def s_site(self) -> list[Piece]:
        return [(self.site.name, "ORGANIZATION")]

    def s_site_abbr(self) -> list[Piece]:
        return [(self.site.abbr, "ORGANIZATION")]

    def s_building(self) -> list[Piece]:
        building = self.rng.choice(self.site.buildings)
        floor = str(self.rng.randint(2, 12))
        form = self.rng.randrange(3)
        if form == 0:
            return [(building, "LOCATION"), (f" {floor}", None)]
        if form == 1:
            return [(building, "LOCATION"), (f" {self._pick('bldg', 'building')}", None)]
        return [(f"{floor} ", None), (building, "LOCATION")]

    def s_other_hosp(self) -> list[Piece]:
        return [(self.rng.choice(self.site.other_hospitals), "ORGANIZATION")]

    def s_facility(self) -> list[Piece]:
        return [(self.rng.choice(self.site.facilities), "ORGANIZATION")]

    def s_town(self) -> list[Piece]:
        return [(self.town, "LOCATION")]

    def s_other_town(self) -> list[Piece]:
        return [(self.rng.choice(self.site.towns), "LOCATION")]

    def s_street(self) -> list[Piece]:
        return [(self.street, "STREET_ADDRESS")]

    def s_zip(self) -> list[Piece]:
        return [(self.zip, "ZIP")]

    def s_email(self) -> list[Piece]:
        return [
            (f"{self.patient.first[0].lower()}{self.patient.last.lower()}{self.rng.randint(1, 99)}@gmail.com", "EMAIL")
        ]

    def s_ip(self) -> list[Piece]:
        r = self.rng
        return [(f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", "IP_ADDRESS")]

    def s_url(self) -> list[Piece]:
        host = self.site.abbr.lower()
        return [(f"https://mychart.{host}.org/visit/{self.rng.randint(10000, 99999)}", "URL")]

    def s_ssn(self) -> list[Piece]:
        r = self.rng
        return [(f"{r.randint(100, 665)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}", "SSN")]

    # dates: the note's day, days around it, and the birth date, in the forms real notes use
    def _near(self) -> date:
        return self.day + timedelta(days=self.rng.randint(-12, 6))

    def s_date(self) -> list[Piece]:
        return [(date_form(self._near(), self.rng, self.split, year=self.rng.random() < 0.3), "DATE")]

    def s_date_md(self) -> list[Piece]:
        d = self._near()
        return [(self._pick(f"{d.month}/{d.day}", f"{d.month:02d}/{d.day:02d}", f"{d.month}-{d.day}"), "DATE")]

    def s_date_full(self) -> list[Piece]:
        return [(date_form(self._near(), self.rng, self.split, year=True), "DATE")]

    def s_dob(self) -> list[Piece]:
        b = self.birth
        return [
            (
                self._pick(
                    f"{b.month}/{b.day}/{b.year}", f"{b.month:02d}/{b.day:02d}/{b.year}", b.strftime("%B %-d, %Y")
                ),
                "DATE",
            )
        ]

    def s_month(self) -> list[Piece]:
        month = MONTHS_EN[self._near().month - 1]
        return [(self._pick(month.lower(), month[:3].lower() + ".", month[:4].lower() + ".", month), "DATE")]

    def s_ordinal(self) -> list[Piece]:
        return [(ordinal(self._near().day), "DATE")]

    def s_weekday(self) -> list[Piece]:
        name = self._near().strftime("%A")
        return [(self._pick(name, name[:3], name[:3].lower(), name[:4].lower() + "."), "DATE")]

    def s_date_range(self) -> list[Piece]:
        d = self._near()
        e = d + timedelta(days=self.rng.randint(1, 3))
        if self.rng.random() < 0.5:
            return [(f"{d.month}/{d.day}-{e.month}/{e.day}", "DATE")]
        return [(f"{d.month}/{d.day}", "DATE"), ("-", None), (str(e.day), "DATE")]

    def s_holiday(self) -> list[Piece]:
        return [(self._pick("Christmas", "Thanksgiving", "New Year's", "Easter", "July 4th", "Labor Day"), "DATE")]


def with_extra_slots(cast: Cast, extra: Callable[[Cast, str], list[Piece]]) -> SlotRenderer:
    """A renderer for one family's templates: the slots only that family has, written `{x_name}`, come from
    `extra(cast, name)`; every other slot from the cast."""

    def render(slot: str) -> list[Piece]:
        return extra(cast, slot[2:]) if slot.startswith("x_") else cast.render(slot)

    return render


def ordinal(day: int) -> str:
    suffix = "th" if 10 < day % 100 < 14 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def date_form(d: date, rng: random.Random, split: str, year: bool) -> str:
    month = MONTHS_EN[d.month - 1]
    if year:
        forms = [
            f"{d.month}/{d.day}/{d.year}",
            f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
            d.isoformat(),
            f"{month} {d.day}, {d.year}",
            f"{d.day}-{month[:3]}-{d.year}",
        ]
        if split == "heldout":
            forms += [f"{d.month}.{d.day}.{d.year % 100:02d}", f"{d.day} {month[:3]} {d.year}"]
    else:
        forms = [
            f"{d.month}/{d.day}",
            f"{d.month:02d}/{d.day:02d}",
            f"{month} {d.day}",
            f"{month[:3]} {ordinal(d.day)}",
            f"{month[:3].lower()} {d.day}",
        ]
        if split == "heldout":
            forms += [f"{d.day} {month[:3]}", f"{month[:3]}. {d.day}", f"{ordinal(d.day)} of {month}"]
    return rng.choice(forms)


def new_cast(rng: random.Random, split: str, staff: list[Person] | None = None, patient: Person | None = None) -> Cast:
    fake = faker_for(rng)
    site = SITES[split]
    sex = rng.choice("FM")
    old = rng.random() < 0.2
    age = rng.randint(90, 99) if old else rng.randint(24, 88)
    day = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
    birth = date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))
    relations = rng.sample([r for r in RELATIONS if r != "hcp"], k=3)
    relatives = [(r, new_person(rng, fake)) for r in relations]
    relatives.append(("hcp", relatives[0][1]))
    if staff is None:
        staff = [new_person(rng, fake, c) for c in ("MD", "MD", "RN", "RN", "RN", "NP", "RRT", "PT", "LICSW")]
    area = rng.choice(site.area_codes)
    return Cast(
        rng=rng,
        split=split,
        site=site,
        patient=patient or new_person(rng, fake),
        sex=sex,
        age=age,
        birth=birth,
        day=day,
        mrn=str(rng.randint(1_000_000, 99_999_999)),
        relatives=relatives,
        staff=staff,
        street=fake.street_address(),
        town=rng.choice(site.towns),
        zip=f"{rng.randint(1000, 99999):05d}",
        phone=f"{area}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}",
        names_upper=rng.random() < 0.3,
    )
