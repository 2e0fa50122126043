"""The people of the sandbox: the well-known test persons turned into :class:`Person`
rows, and seeded random households (a head, maybe a spouse, 0–3 children).

Identity numbers follow Circular 59/2021/TT-BCA: 3 digits of the province code where the
birth was registered, 1 digit for century and sex (0/1 = male/female born 1900–1999, 2/3 =
male/female born 2000–2099), 2 digits of the year of birth and 6 random digits."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from toantrinh.sandbox.synthetic.model import Dataset, Person
from toantrinh.sandbox.synthetic.vocabulary import (
    ETHNICITIES,
    GIVEN_F,
    GIVEN_M,
    MIDDLE_F,
    MIDDLE_M,
    PROVINCES,
    RELIGIONS,
    STREETS,
    SURNAMES,
)
from toantrinh.sandbox.synthetic.well_known import WELL_KNOWN_PERSONS


def identity_number(rng: random.Random, code: str, sex: str, born: date) -> str:
    """A 12-digit personal identity number (Circular 59/2021/TT-BCA, Art. 7)."""
    century = 0 if born.year < 2000 else 2
    digit = century + (1 if sex == "Nữ" else 0)
    return f"{code}{digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def _name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    surname = surname or rng.choice(SURNAMES)
    if sex == "Nam":
        return f"{surname} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{surname} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _birthday(rng: random.Random, year_from: int, year_to: int) -> date:
    start = date(year_from, 1, 1)
    return start + timedelta(days=rng.randrange((date(year_to, 12, 31) - start).days))


def add_well_known_persons(data: Dataset) -> dict[str, dict[str, Any]]:
    """Add the well-known persons to ``data`` with their households and parents linked;
    return their facts by identity number."""
    specs: dict[str, dict[str, Any]] = {}
    for spec in WELL_KNOWN_PERSONS:
        p = Person(
            identity_number=spec["identity_number"],
            full_name=spec["full_name"],
            sex=spec["sex"],
            date_of_birth=spec["date_of_birth"],
            province=spec["province"],
            province_code=spec["identity_number"][:3],
            commune=spec["commune"],
            street_address=spec["street_address"],
            father_name=spec["father_name"],
            mother_name=spec["mother_name"],
            spouse_identity_number=spec.get("spouse"),
            household_relation=spec["household_relation"],
            native_place=spec["native_place"],
            temporary_address=spec.get("temporary_address"),
        )
        data.persons[p.identity_number] = p
        specs[p.identity_number] = spec
    for pid, spec in specs.items():
        head = data.persons.get(spec.get("household_head_id") or spec.get("spouse") or "")
        p = data.persons[pid]
        if p.household_relation == "Chủ hộ":
            p.household_head = p.full_name
        elif head:
            p.household_head = head.full_name
        p.father_identity_number = spec.get("father_id")
        p.mother_identity_number = spec.get("mother_id")
    return specs


def add_households(data: Dataset, rng: random.Random, size: int) -> None:
    """Add random households until ``size`` new persons are in ``data`` (a person whose
    identity number is already taken is skipped)."""
    count = 0
    while count < size:
        members = _household(rng)
        for m in members:
            m.household_head = members[0].full_name
            if m.identity_number in data.persons:
                continue
            data.persons[m.identity_number] = m
            count += 1


def _household(rng: random.Random) -> list[Person]:
    """A head, maybe a wife, and then 0–3 children, at one address; the head first."""
    province, codes, communes = rng.choice(PROVINCES)
    commune = rng.choice(communes)
    street = f"Số {rng.randrange(1, 300)}, {rng.choice(STREETS)}"
    surname = rng.choice(SURNAMES)
    head_born = _birthday(rng, 1950, 2000)
    head = _person(rng, province, rng.choice(codes), commune, street, "Nam", head_born, surname)
    members = [head]
    if rng.random() < 0.75:
        wife = _person(
            rng,
            province,
            rng.choice(codes),
            commune,
            street,
            "Nữ",
            _birthday(rng, head_born.year - 3, min(head_born.year + 5, 2003)),
            None,
        )
        wife.household_relation = "Vợ"
        head.spouse_identity_number, wife.spouse_identity_number = (
            wife.identity_number,
            head.identity_number,
        )
        members.append(wife)
        for _ in range(rng.randrange(0, 4)):
            sex = rng.choice(["Nam", "Nữ"])
            born = _birthday(
                rng,
                max(wife.date_of_birth.year, head_born.year) + 20,
                min(max(wife.date_of_birth.year, head_born.year) + 40, 2025),
            )
            child = _person(rng, province, rng.choice(codes), commune, street, sex, born, surname)
            child.household_relation = "Con"
            child.father_name, child.mother_name = head.full_name, wife.full_name
            child.father_identity_number, child.mother_identity_number = (
                head.identity_number,
                wife.identity_number,
            )
            members.append(child)
    return members


def _person(
    rng: random.Random,
    province: str,
    code: str,
    commune: str,
    street: str,
    sex: str,
    born: date,
    surname: str | None,
) -> Person:
    return Person(
        identity_number=identity_number(rng, code, sex, born),
        full_name=_name(rng, sex, surname),
        sex=sex,
        date_of_birth=born,
        province=province,
        province_code=code,
        commune=commune,
        street_address=street,
        ethnicity=rng.choice(ETHNICITIES),
        religion=rng.choice(RELIGIONS),
        father_name=_name(rng, "Nam"),
        mother_name=_name(rng, "Nữ"),
        native_place=_place(rng),
    )


def _place(rng: random.Random) -> str:
    province, _codes, communes = rng.choice(PROVINCES)
    return f"{rng.choice(communes)}, {province}"
