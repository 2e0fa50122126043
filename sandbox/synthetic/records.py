"""One record per national database for one person, from their facts (a well-known
person's ``spec``) or, where the facts say nothing, drawn from the seeded random stream.

:func:`records_for` fills the registries in a fixed order; that order is the order of
the draws from the random stream, so changing it changes every generated person after."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from toantrinh.sandbox.synthetic.model import Dataset, Person, document
from toantrinh.sandbox.synthetic.vocabulary import (
    BUSINESS_LINES,
    LAND_PURPOSES,
    PLATE_PREFIX,
    TAX_REGION,
)


def records_for(
    person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset, seq: dict[str, int]
) -> None:
    """Fill every registry's record for one person from their facts. ``seq`` numbers the
    birth registrations (``KS``) and health certificates (``GKSK``)."""
    _population(person, spec, rng, data)
    _civil_status(person, data, seq)
    _social_insurance(person, spec, rng, data)
    _judicial_record(person, spec, rng, data)
    _driving_licence(person, spec, rng, data, seq)
    _birth_notice(person, spec, data)
    _death_notice(person, spec, data)
    _land(person, spec, rng, data)
    _tax(person, spec, rng, data)
    _education(person, spec, rng, data)
    _businesses(person, spec, rng, data)


def _spouse(person: Person, data: Dataset) -> Person | None:
    return data.persons.get(person.spouse_identity_number or "")


def _population(person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset) -> None:
    pid = person.identity_number
    spouse = _spouse(person, data)
    id_issued = date(max(2021, person.date_of_birth.year + 14), 6, 1).isoformat()
    data.records["population"][pid] = {
        "record_id": f"DC-{pid}",
        "fields": {
            "identity_number": pid,
            "full_name": person.full_name,
            "other_names": "",
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
            "ethnicity": person.ethnicity,
            "religion": person.religion,
            "nationality": "Việt Nam",
            "native_place": person.native_place,
            "place_of_birth": f"{person.commune}, {person.province}",
            "permanent_address": person.permanent_address,
            "temporary_address": person.temporary_address or "",
            "current_address": person.temporary_address or person.permanent_address,
            "household_head": person.household_head or person.full_name,
            "household_relations": person.household_relation,
            "father_name": person.father_name,
            "mother_name": person.mother_name,
            "spouse_name": spouse.full_name if spouse else "",
            "father_identity_number": person.father_identity_number or "",
            "mother_identity_number": person.mother_identity_number or "",
            "spouse_identity_number": person.spouse_identity_number or "",
            "marital_status": "Đã kết hôn" if spouse else "Chưa kết hôn",
            "phone": spec.get("phone") or f"09{rng.randrange(10**8):08d}",
            "email": spec.get("email", ""),
            # open-ended current period: "to" is null (forms allow it; docs/registries.md)
            "residence_history": _residence_history(person, spec),
            "id_issued_date": id_issued,
        },
        "documents": [
            document(
                "identity_card", pid, id_issued, _card_expiry(person.date_of_birth).isoformat()
            )
        ],
    }


def _residence_history(person: Person, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Periods of residence (from age 14 for adults), newest last, months as ``YYYY-MM``."""
    born = person.date_of_birth
    since = (
        max(born, date(2010, 1, 1)) if not spec.get("resident_since") else spec["resident_since"]
    )
    history = []
    if born.year + 14 < since.year:
        history.append(
            {
                "address": person.native_place,
                "type": "thường trú",
                "from": f"{born.year + 14}-{born.month:02d}",
                "to": f"{since.year}-{since.month:02d}",
            }
        )
    history.append(
        {
            "address": person.permanent_address,
            "type": "thường trú",
            "from": f"{since.year}-{since.month:02d}",
            "to": None,
        }
    )
    if person.temporary_address:
        history.append(
            {"address": person.temporary_address, "type": "tạm trú", "from": "2024-09", "to": None}
        )
    return history


def _card_expiry(born: date) -> date:
    """Chip ID cards are renewed at 25, 40 and 60 (Luật Căn cước 2023, Art. 21)."""
    for age in (25, 40, 60):
        if born.year + age > 2026:
            return (
                born.replace(year=born.year + age)
                if not (born.month == 2 and born.day == 29)
                else date(born.year + age, 3, 1)
            )
    return date(9999, 12, 31)


def _civil_status(person: Person, data: Dataset, seq: dict[str, int]) -> None:
    pid = person.identity_number
    spouse = _spouse(person, data)
    seq["KS"] += 1
    birth_no = f"KS.{person.date_of_birth.year}.{person.province_code}.{seq['KS']:06d}"
    civil = {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "sex": person.sex,
        "place_of_birth": f"{person.commune}, {person.province}",
        "father_name": person.father_name,
        "mother_name": person.mother_name,
        "spouse_name": spouse.full_name if spouse else "",
        "marital_status": "Đã kết hôn" if spouse else "Chưa kết hôn",
        "birth_registration_number": birth_no,
        "marriage_registration_number": "",
        "death_registration_number": "",
        "date_of_death": "",
    }
    born = (person.date_of_birth + timedelta(days=20)).isoformat()
    docs = [document("birth_certificate", birth_no, born)]
    if spouse:
        pair = sorted([pid, spouse.identity_number])
        marriage_no = f"KH.{pair[0][-6:]}{pair[1][-6:]}"
        civil["marriage_registration_number"] = marriage_no
        married = max(person.date_of_birth, spouse.date_of_birth) + timedelta(days=365 * 24)
        docs.append(document("marriage_certificate", marriage_no, married.isoformat()))
    data.records["civil_status"][pid] = {
        "record_id": f"HT-{pid}",
        "fields": civil,
        "documents": docs,
    }


def _insurance_card(prefix: str, province_code: str, code: str) -> str:
    """Health-insurance card number: object (2 letters) + benefit level + province + code."""
    return f"{prefix}{province_code[1:]}{code}"


def _random_insurance(person: Person, rng: random.Random) -> dict[str, Any] | None:
    """Three in four adults born before 2004 are insured; every child born since 2020."""
    ins: dict[str, Any] | None = None
    if person.date_of_birth.year < 2004 and rng.random() < 0.75:
        ins = {
            "code": f"{person.province_code[1:]}{rng.randrange(10**8):08d}",
            "card_prefix": rng.choice(["DN4", "DN4", "GD4", "HT3"]),
            "months": rng.randrange(12, 360),
            "status": "Đang tham gia bảo hiểm xã hội bắt buộc",
        }
        if ins["card_prefix"] == "HT3":
            ins["status"] = "Đang hưởng lương hưu hằng tháng"
    if ins is None and person.date_of_birth.year >= 2020:
        ins = {
            "code": f"{person.province_code[1:]}{rng.randrange(10**8):08d}",
            "card_prefix": "TE1",
            "months": 0,
            "status": "Trẻ em dưới 6 tuổi",
        }
    return ins


def _social_insurance(
    person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset
) -> None:
    ins = spec.get("insurance")
    if ins is None:
        ins = _random_insurance(person, rng)
    if not ins:
        return
    card = _insurance_card(ins["card_prefix"], person.province_code, ins["code"])
    data.records["social_insurance"][person.identity_number] = {
        "record_id": f"BH-{ins['code']}",
        "fields": {
            "social_insurance_number": ins["code"],
            "health_insurance_card_number": card,
            "contribution_history": {"total_months": ins["months"], "status": ins["status"]},
            "pension_status": ins["status"],
        },
        "documents": [
            document("health_insurance_card", card, "2026-01-01", "2026-12-31"),
            document("insurance_book", ins["code"], "2015-01-01"),
        ],
    }


def _random_conviction(person: Person, rng: random.Random) -> dict[str, Any] | None:
    """One in 25 persons born before 2006 has a criminal record."""
    if not (person.date_of_birth.year < 2006 and rng.random() < 0.04):
        return None
    return {
        "status": "has_record",
        "text": "Có án tích",
        "convictions": [
            {
                "court": f"Tòa án nhân dân khu vực {rng.randrange(1, 9)} – {person.province}",
                "judgment": f"Bản án số {rng.randrange(10, 400)}/{rng.randrange(2012, 2024)}/HS-ST",
                "offence": rng.choice(
                    [
                        "Trộm cắp tài sản (Điều 173 Bộ luật Hình sự)",
                        "Cố ý gây thương tích (Điều 134 Bộ luật Hình sự)",
                        "Đánh bạc (Điều 321 Bộ luật Hình sự)",
                    ]
                ),
                "sentence": rng.choice(
                    [
                        "Phạt tiền 20.000.000 đồng",
                        "9 tháng cải tạo không giam giữ",
                        "18 tháng tù",
                    ]
                ),
                "expunged": False,
            }
        ],
    }


def _judicial_record(
    person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset
) -> None:
    criminal = spec.get("criminal", "random")
    if criminal == "random":
        criminal = _random_conviction(person, rng)
    if person.date_of_birth.year <= 2012:
        pid = person.identity_number
        data.records["judicial_records"][pid] = {
            "record_id": f"LLTP-{pid}",
            "fields": {
                "criminal_record": criminal
                or {"status": "clean", "text": "Không có án tích", "convictions": []}
            },
            "documents": [],
        }


def _driving_licence(
    person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset, seq: dict[str, int]
) -> None:
    """A licence (given, or for almost half of those born before 2006), the health check it
    needs, and for half of the drivers (every given one) a vehicle."""
    lic = spec.get("driving_licence")
    if lic is None and person.date_of_birth.year < 2006 and rng.random() < 0.45:
        issued = date(rng.randrange(2012, 2025), rng.randrange(1, 13), rng.randrange(1, 28))
        lic = {
            "number": f"{person.province_code[1:]}{rng.randrange(10**10):010d}",
            "class": rng.choice(["A1", "A", "B", "B", "C1"]),
            "issued": issued,
            "expiry": issued.replace(year=issued.year + 10),
        }
    if not lic:
        return
    expiry = lic["expiry"].isoformat()
    data.records["driving_licences"][person.identity_number] = {
        "record_id": f"GPLX-{lic['number']}",
        "fields": {
            "driving_licence_number": lic["number"],
            "driving_licence_class": lic["class"],
            "driving_licence_expiry": expiry,
        },
        "documents": [
            document("driving_licence", lic["number"], lic["issued"].isoformat(), expiry)
        ],
    }
    _driver_health_check(person, lic["class"], data, seq)
    if rng.random() < 0.5 or spec.get("driving_licence"):
        _vehicle(person, rng, data)


def _health_record(person: Person, data: Dataset) -> dict[str, Any]:
    pid = person.identity_number
    return data.records["health"].setdefault(
        pid, {"record_id": f"YT-{pid}", "fields": {}, "documents": []}
    )


def _driver_health_check(
    person: Person, licence_class: str, data: Dataset, seq: dict[str, int]
) -> None:
    seq["GKSK"] += 1
    number = f"GKSK-2026-{seq['GKSK']:06d}"
    record = _health_record(person, data)
    record["fields"]["health_check_result"] = {
        "result": f"Đủ điều kiện sức khỏe lái xe hạng {licence_class}",
        "examined_at": "2026-10-05",
        "facility": f"Bệnh viện Đa khoa {person.province}",
        "number": number,
    }
    record["documents"].append(document("health_certificate", number, "2026-10-05", "2027-04-05"))


def _vehicle(person: Person, rng: random.Random, data: Dataset) -> None:
    plate = f"{PLATE_PREFIX[person.province]}{rng.choice('ABCDEFGHK')}-{rng.randrange(100, 999)}.{rng.randrange(10, 99)}"
    data.records["vehicles"][person.identity_number] = {
        "record_id": f"PT-{plate}",
        "fields": {
            "vehicle_plate": plate,
            "vehicle_inspection_expiry": (
                date(2026, 1, 1) + timedelta(days=rng.randrange(30, 700))
            ).isoformat(),
        },
        "documents": [document("vehicle_registration", plate, "2022-03-10")],
    }


def _birth_notice(person: Person, spec: dict[str, Any], data: Dataset) -> None:
    bn = spec.get("birth_notice")
    if not bn:
        return
    record = _health_record(person, data)
    record["fields"].update(
        {
            "birth_notice_number": bn["number"],
            "child_sex": bn["child_sex"],
            "child_date_of_birth": bn["child_date_of_birth"].isoformat(),
            "place_of_delivery": bn["place_of_delivery"],
        }
    )
    born = bn["child_date_of_birth"].isoformat()
    record["documents"].append(document("birth_notice", bn["number"], born))


def _death_notice(person: Person, spec: dict[str, Any], data: Dataset) -> None:
    dn = spec.get("death_notice")
    if not dn:
        return
    record = _health_record(person, data)
    record["fields"].update(
        {
            "death_notice_number": dn["number"],
            "date_of_death": dn["date_of_death"].isoformat(),
            "place_of_death": dn["place_of_death"],
            "cause_of_death": dn["cause_of_death"],
        }
    )
    died = dn["date_of_death"].isoformat()
    record["documents"].append(document("death_notice", dn["number"], died))


def _random_land(rng: random.Random) -> dict[str, Any]:
    return {
        "sheet": str(rng.randrange(1, 60)),
        "parcel": str(rng.randrange(1, 400)),
        "area": round(rng.uniform(40, 400), 1),
        "purpose": rng.choice(LAND_PURPOSES),
        "certificate": f"{rng.choice(['CS', 'DA', 'DE'])} {rng.randrange(10**6):06d}"
        if rng.random() < 0.85
        else None,
    }


def _land(person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset) -> None:
    """A parcel (given, or for half of the household heads), with its certificate if any."""
    land = spec.get("land")
    if land is None and person.household_relation == "Chủ hộ" and rng.random() < 0.5:
        land = _random_land(rng)
    if not land:
        return
    docs = []
    if land["certificate"]:
        docs.append(document("land_use_certificate", land["certificate"], "2018-05-15"))
    parcel = f"{person.province_code}-{land['sheet']}-{land['parcel']}"
    docs.append(document("cadastral_extract", f"TLBD-{parcel}", "2026-01-01"))
    data.records["land"][person.identity_number] = {
        "record_id": f"TD-{parcel}",
        "fields": {
            "land_parcel_number": land["parcel"],
            "land_map_sheet": land["sheet"],
            "land_area": land["area"],
            "land_use_purpose": land["purpose"],
            "land_owner": person.full_name,
            "land_certificate_number": land["certificate"] or "",
        },
        "documents": docs,
    }


def _tax(person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset) -> None:
    """A tax code (given, or for everyone insured)."""
    pid = person.identity_number
    tax_code = spec.get("tax_code")
    if tax_code is None and pid in data.records["social_insurance"]:
        tax_code = f"8{rng.randrange(10**9):09d}"
    if tax_code:
        data.records["tax"][pid] = {
            "record_id": f"MST-{tax_code}",
            "fields": {"tax_code": tax_code},
            "documents": [document("tax_registration", tax_code, "2014-04-01")],
        }


def _education(person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset) -> None:
    """A diploma (given, or for three in five of those born before 2007)."""
    diploma = spec.get("diploma")
    if diploma is None and person.date_of_birth.year < 2007 and rng.random() < 0.6:
        diploma = f"{rng.choice('ABC')} {rng.randrange(10**7):07d}"
    if diploma:
        graduated = f"{person.date_of_birth.year + 18}-07-15"
        data.records["education"][person.identity_number] = {
            "record_id": f"VB-{diploma}",
            "fields": {"diploma_number": diploma},
            "documents": [document("diploma", diploma, graduated)],
        }


def _random_enterprise(person: Person, rng: random.Random) -> dict[str, Any]:
    region = TAX_REGION.get(person.province_code, "0" + str(rng.randrange(1, 9)))
    given = person.full_name.split()[-1]
    return {
        "code": f"{region}{rng.randrange(10**8):08d}",
        "name": f"Công ty TNHH {rng.choice(['Thương mại', 'Xây dựng', 'Công nghệ', 'Vận tải'])} {given} {rng.choice(['Phát', 'Thịnh', 'Minh', 'Việt'])}",
        "lines": rng.sample(BUSINESS_LINES, 2),
        "capital": rng.choice([500, 1000, 2000, 5000]) * 1000000,
    }


def _businesses(person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset) -> None:
    """An enterprise (given, or for one in 16 born before 1998) and a household business
    (given only)."""
    for kind in ("enterprise", "household_business"):
        ent = spec.get(kind)
        if (
            ent is None
            and kind == "enterprise"
            and person.date_of_birth.year < 1998
            and rng.random() < 0.06
        ):
            ent = _random_enterprise(person, rng)
        if ent:
            _register_enterprise(data, person, ent, household=(kind == "household_business"))


def _register_enterprise(
    data: Dataset, person: Person, ent: dict[str, Any], *, household: bool
) -> None:
    """Enter an enterprise or a household business, with ``person`` as its representative,
    in the business registry (keyed by its code)."""
    record = {
        "record_id": f"{'HKD' if household else 'DN'}-{ent['code']}",
        "fields": {
            "legal_representative": person.full_name,
            "enterprise_address": person.permanent_address,
            "business_lines": ent["lines"],
            "tax_code": ent["code"] if not household else "",
        },
        "documents": [],
    }
    if household:
        record["fields"].update(
            {"household_business_code": ent["code"], "household_business_name": ent["name"]}
        )
        record["documents"].append(
            document("household_business_certificate", ent["code"], "2021-09-01")
        )
    else:
        record["fields"].update(
            {
                "enterprise_code": ent["code"],
                "enterprise_name": ent["name"],
                "charter_capital": ent["capital"],
            }
        )
        record["documents"].append(
            document("business_registration_certificate", ent["code"], "2019-03-12")
        )
    data.enterprises[ent["code"]] = record
    data.records["business_registration"][ent["code"]] = record
