"""The synthetic registry data is deterministic and looks like real Vietnamese records."""

from __future__ import annotations

import re

from toantrinh.sandbox.synthetic import PROVINCES, WELL_KNOWN_PERSONS, generate

PROVINCE_NAMES = {name for name, _codes, _communes in PROVINCES}
PROVINCE_CODES = {code for _name, codes, _communes in PROVINCES for code in codes}


def test_same_seed_gives_same_data_and_other_seed_differs():
    a, b, c = generate(7, 150), generate(7, 150), generate(8, 150)
    assert sorted(a.persons) == sorted(b.persons)
    assert a.records["population"] == b.records["population"]
    assert sorted(a.persons) != sorted(c.persons)


def test_identity_numbers_follow_circular_59_2021():
    data = generate()
    assert len(data.persons) >= 400
    for pid, person in data.persons.items():
        assert re.fullmatch(r"\d{12}", pid), pid
        assert pid[:3] in PROVINCE_CODES, pid
        century = 0 if person.date_of_birth.year < 2000 else 2
        assert int(pid[3]) == century + (1 if person.sex == "Nữ" else 0), (pid, person.sex)
        assert pid[4:6] == f"{person.date_of_birth.year % 100:02d}"


def test_addresses_use_post_2025_units_without_districts():
    data = generate()
    for record in data.records["population"].values():
        address = record["fields"]["permanent_address"]
        assert address.rsplit(", ", 1)[1] in PROVINCE_NAMES, address
        assert not re.search(r"\b(Quận|Huyện|Thị xã)\b", address), address
        assert any(unit in address for unit in ("Phường", "Xã")), address


def test_names_carry_diacritics_and_records_are_mostly_clean():
    data = generate()
    names = [p.full_name for p in data.persons.values()]
    assert sum(any(ord(ch) > 127 for ch in n) for n in names) > 0.9 * len(names)
    judicial = data.records["judicial_records"].values()
    clean = [r for r in judicial if r["fields"]["criminal_record"]["status"] == "clean"]
    assert 0.85 * len(judicial) < len(clean) < len(judicial)


def test_enterprise_codes_have_ten_digits():
    data = generate()
    codes = [c for c, rec in data.enterprises.items() if "enterprise_code" in rec["fields"]]
    assert len(codes) >= 3
    assert all(re.fullmatch(r"\d{10}", code) for code in codes)


def test_well_known_persons_are_present_with_their_facts():
    data = generate()
    for spec in WELL_KNOWN_PERSONS:
        assert (
            data.records["population"][spec["identity_number"]]["fields"]["full_name"]
            == spec["full_name"]
        )
    assert (
        data.records["health"]["036055000789"]["fields"]["death_notice_number"] == "BT-2026-0004321"
    )
    assert (
        data.records["health"]["001192034567"]["fields"]["birth_notice_number"] == "CS-2026-0001234"
    )
    assert (
        data.records["judicial_records"]["048088004567"]["fields"]["criminal_record"]["status"]
        == "has_record"
    )
    assert (
        data.records["judicial_records"]["001090012345"]["fields"]["criminal_record"]["status"]
        == "clean"
    )
    assert data.records["land"]["026080001111"]["fields"]["land_certificate_number"] == ""


def test_residence_history_ends_with_the_open_current_period():
    data = generate()
    for pid, person in data.persons.items():
        history = data.records["population"][pid]["fields"]["residence_history"]
        current = [h for h in history if h["type"] == "thường trú" and h["to"] is None]
        assert len(current) == 1 and current[0]["address"] == person.permanent_address
        assert all(h["from"] >= f"{person.date_of_birth:%Y-%m}" for h in history), pid
        assert all(re.fullmatch(r"\d{4}-\d{2}", h["from"]) for h in history)
