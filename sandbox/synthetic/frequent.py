"""Registries for the most-used procedures (issue 25, item 10): vehicles with their
factory certificates, notarised land contracts and mortgages, tax registration and
obligations, unemployment insurance, upper-secondary exam candidates, camera-detected
traffic violations and road-transport licences with journey-monitoring data.

Generated after everything else and from their own random stream, so the records of the
well-known persons and the random households stay exactly as they were; the persons
added here are documented in ``docs/registries.md``."""

from __future__ import annotations

import random
from typing import Any

from toantrinh.sandbox.synthetic.frequent_facts import (
    COACHES,
    FACTORY_CERTIFICATES,
    FREQUENT_PROCEDURE_PERSONS,
    LAND_CONTRACTS,
    OLD_ID_NUMBERS,
    TRAFFIC_VIOLATIONS,
    TRANSPORT_ENTERPRISE,
    TRANSPORT_LICENCE,
)
from toantrinh.sandbox.synthetic.model import (
    FREQUENT_REGISTRY_IDS,
    Dataset,
    Person,
    document,
    index_documents,
)
from toantrinh.sandbox.synthetic.records import records_for


def extend_for_frequent_procedures(data: Dataset) -> None:
    """Add the persons and registry records the most-used procedures need, then rebuild the
    document index (existing documents keep their entries)."""
    rng = random.Random(f"{data.seed}:frequent-procedures")
    for registry in FREQUENT_REGISTRY_IDS:
        data.records.setdefault(registry, {})
    _add_frequent_persons(data, rng)
    _household_members(data)
    _old_id_numbers(data, rng)
    _tax_details(data)
    _health_insurance_expiry(data)
    _land_details(data)
    _factory_certificates(data)
    _unemployment_insurance(data)
    _exam_candidates(data)
    _traffic_violations(data, rng)
    _road_transport(data)
    index_documents(data)


def _add_frequent_persons(data: Dataset, rng: random.Random) -> None:
    seq = {"KS": 900000, "GKSK": 900000}
    added = []
    for spec in FREQUENT_PROCEDURE_PERSONS:
        p = Person(
            identity_number=spec["identity_number"],
            full_name=spec["full_name"],
            sex=spec["sex"],
            date_of_birth=spec["date_of_birth"],
            province=spec["province"],
            province_code=spec["identity_number"][:3],
            commune=spec["commune"],
            street_address=spec["street_address"],
            ethnicity=spec.get("ethnicity", "Kinh"),
            father_name=spec["father_name"],
            mother_name=spec["mother_name"],
            spouse_identity_number=spec.get("spouse"),
            household_relation=spec["household_relation"],
            native_place=spec["native_place"],
        )
        data.persons[p.identity_number] = p
        added.append((p, spec))
    for p, spec in added:
        spouse = data.persons.get(spec.get("spouse") or "")
        head = spouse if spouse and spouse.household_relation == "Chủ hộ" else None
        p.household_head = head.full_name if head else p.full_name
        if p.household_relation == "Con":
            p.household_head = f"{p.father_name}"
    for p, spec in added:
        records_for(p, spec, rng, data, seq)
        if spec.get("no_identity_card"):
            data.records["population"][p.identity_number]["documents"] = []


def _household_members(data: Dataset) -> None:
    """``household_members`` on every population record: the members of one household."""
    households: dict[tuple[str, str], list[Person]] = {}
    for person in data.persons.values():
        head = person.household_head or person.full_name
        households.setdefault((person.permanent_address, head), []).append(person)
    for members in households.values():
        listed = [
            {
                "identity_number": m.identity_number,
                "full_name": m.full_name,
                "relation": m.household_relation,
            }
            for m in members
        ]
        for m in members:
            data.records["population"][m.identity_number]["fields"]["household_members"] = listed


def _old_id_numbers(data: Dataset, rng: random.Random) -> None:
    """The 9-digit ID number (chứng minh nhân dân) of adults who had one before 2016."""
    for pid in sorted(data.persons):
        person = data.persons[pid]
        number = OLD_ID_NUMBERS.get(pid)
        if number is None:
            had_one = person.date_of_birth.year < 2001 and rng.random() < 0.9
            number = f"{person.province_code[1:]}{rng.randrange(10**7):07d}" if had_one else ""
        data.records["population"][pid]["fields"]["old_id_number"] = number


def _tax_office(person: Person) -> str:
    return f"Thuế cơ sở {person.commune.split(' ', 1)[1]}, Thuế {person.province}"


def _tax_details(data: Dataset) -> None:
    """Taxpayer name, office and status on every tax record; the obligations paid by the
    persons of the land and vehicle examples (registration fee, personal income tax)."""
    for pid, record in data.records["tax"].items():
        person = data.persons.get(pid)
        if person is None:
            continue
        # from 1 July 2025 the personal identity number serves as the tax code
        record["documents"].append(document("tax_registration", pid, "2025-07-01"))
        record["fields"].update(
            {
                "taxpayer_name": person.full_name,
                "tax_office": _tax_office(person),
                "tax_status": "Đang hoạt động (00)",
                "tax_registered_address": person.permanent_address,
            }
        )
    for cert in FACTORY_CERTIFICATES:
        buyer = data.persons[cert["buyer"]]
        record = data.records["tax"].setdefault(
            buyer.identity_number,
            {
                "record_id": f"NNT-{buyer.identity_number}",
                "fields": {
                    "tax_code": "",
                    "taxpayer_name": buyer.full_name,
                    "tax_office": _tax_office(buyer),
                    "tax_status": "Chưa đăng ký thuế",
                    "tax_registered_address": "",
                },
                "documents": [],
            },
        )
        record["documents"] += [
            document("e_invoice", cert["invoice"], "2026-11-30"),
            document("tax_payment_proof", cert["fee_receipt"], "2026-12-01"),
        ]
    transfer = LAND_CONTRACTS[0]
    data.records["tax"][transfer["from"]]["documents"].append(
        document("tax_payment_proof", "NVTC-2026-0098765", "2026-12-03")
    )


def _health_insurance_expiry(data: Dataset) -> None:
    for record in data.records["social_insurance"].values():
        card = next(d for d in record["documents"] if d["type"] == "health_insurance_card")
        record["fields"]["health_insurance_card_expiry"] = card["valid_until"]


def _land_details(data: Dataset) -> None:
    """Parcel address and mortgage status; a mortgaged parcel of Lê Thị Cúc; the
    notarised contracts (CSDL công chứng) of the land examples."""
    for pid, record in data.records["land"].items():
        person = data.persons[pid]
        record["fields"].setdefault("land_parcel_address", person.permanent_address)
        record["fields"].setdefault("land_mortgage_status", "Không đăng ký thế chấp")
    cuc = data.persons["079185001234"]
    data.records["land"]["CS 654321"] = {
        "record_id": "TD-079-08-331",
        "holder": cuc.identity_number,
        "fields": {
            "land_parcel_number": "331",
            "land_map_sheet": "8",
            "land_area": 64.2,
            "land_use_purpose": "Đất ở tại đô thị (ODT)",
            "land_owner": cuc.full_name,
            "land_certificate_number": "CS 654321",
            "land_parcel_address": "Số 17, Đường Võ Thị Sáu, Phường Tân Định, Thành phố Hồ Chí Minh",
            "land_mortgage_status": "Đang thế chấp tại Ngân hàng TMCP Ngoại thương Việt Nam – "
            "Chi nhánh Sài Gòn (đăng ký ngày 12/3/2024)",
        },
        "documents": [document("land_use_certificate", "CS 654321", "2019-08-20")],
    }
    for contract in LAND_CONTRACTS:
        data.records["land_transactions"][contract["number"]] = {
            "record_id": f"CSDLCC-{contract['number']}",
            "holder": contract["from"],
            "fields": {
                "notarial_contract_number": contract["number"],
                "contract_type": contract["type"],
                "transferor_identity_number": contract["from"],
                "transferee_identity_number": contract["to"],
                "land_certificate_number": contract["certificate"],
                "notarized_at": contract["notarized_at"],
                "notary_office": contract["office"],
                "contract_value": contract["value"],
                "mortgagee": contract.get("mortgagee", ""),
            },
            "documents": [
                document("notarized_contract", contract["number"], contract["notarized_at"])
            ],
        }


def _factory_certificates(data: Dataset) -> None:
    for cert in FACTORY_CERTIFICATES:
        data.records["vehicles"][cert["frame"]] = {
            "record_id": f"PKTXX-{cert['certificate']}",
            "holder": cert["buyer"],
            "fields": {
                "vehicle_plate": "",
                "vehicle_frame_number": cert["frame"],
                "vehicle_engine_number": cert["engine"],
                "vehicle_brand": cert["brand"],
                "vehicle_model": cert["model"],
                "vehicle_type": cert["type"],
                "vehicle_colour": cert["colour"],
                "vehicle_factory_certificate_number": cert["certificate"],
                "vehicle_registration_status": "Chưa đăng ký",
            },
            "documents": [
                document("vehicle_factory_certificate", cert["certificate"], "2026-11-10")
            ],
        }


def _unemployment_insurance(data: Dataset) -> None:
    """Unemployment-insurance contributions of everyone insured; the end of employment
    of the persons whose employer reported it."""
    specs = {s["identity_number"]: s for s in FREQUENT_PROCEDURE_PERSONS}
    for pid, record in data.records["social_insurance"].items():
        history = record["fields"]["contribution_history"]
        ended = specs.get(pid, {}).get("unemployment")
        if not ended and not history["status"].startswith("Đang tham gia bảo hiểm xã hội"):
            continue
        fields = {
            "identity_number": pid,
            "social_insurance_number": record["fields"]["social_insurance_number"],
            "unemployment_insurance_months": ended["months"] if ended else history["total_months"],
            "average_insured_salary": ended["average_salary"] if ended else 0,
            "last_employer": ended["employer"] if ended else "",
            "employment_end_date": ended["end"].isoformat() if ended else "",
            "termination_reason": ended["reason"] if ended else "",
            "unemployment_benefit_status": "Chưa hưởng trợ cấp thất nghiệp",
        }
        data.records["unemployment_insurance"][pid] = {
            "record_id": f"BHTN-{fields['social_insurance_number']}",
            "fields": fields,
            "documents": [],
        }


def _school_area(person: Person) -> str:
    """Priority area (khu vực tuyển sinh) of a school in the person's commune."""
    if person.commune.startswith("Xã"):
        return "KV2-NT"
    return "KV3" if person.province.startswith("Thành phố") else "KV2"


def _exam_candidates(data: Dataset) -> None:
    """Grade-12 students of 2026–2027 (born 2009): school and its priority area."""
    specs = {s["identity_number"]: s for s in FREQUENT_PROCEDURE_PERSONS}
    for pid in sorted(data.persons):
        person = data.persons[pid]
        if person.date_of_birth.year != 2009:
            continue
        spec = specs.get(pid, {})
        school = spec.get("school") or f"Trường THPT {person.commune.split(' ', 1)[1]}"
        data.records["exam_candidates"][pid] = {
            "record_id": f"TS-2027-{pid}",
            "fields": {
                "identity_number": pid,
                "upper_secondary_school": school,
                "school_priority_area": spec.get("school_area") or _school_area(person),
                "graduation_year": 2027,
                "grade_12_result": "Đang học lớp 12",
                "exam_registration_status": "Chưa đăng ký dự thi",
            },
            "documents": [],
        }


def _traffic_violations(data: Dataset, rng: random.Random) -> None:
    """The violations of the well-known plates, and a few paid ones of random owners."""
    for item in TRAFFIC_VIOLATIONS:
        _violation_record(
            data, item["plate"], item["owner"], item["vehicle_type"], item["violations"]
        )
        data.records["vehicles"].setdefault(
            item["plate"],
            {
                "record_id": f"PT-{item['plate']}",
                "holder": item["owner"],
                "fields": {
                    "vehicle_plate": item["plate"],
                    "vehicle_type": item["vehicle_type"],
                    "vehicle_owner_identity_number": item["owner"],
                    "vehicle_registration_status": "Đã đăng ký",
                },
                "documents": [document("vehicle_registration", item["plate"], "2023-05-10")],
            },
        )
    for pid in sorted(data.records["vehicles"]):
        record = data.records["vehicles"][pid]
        plate = record["fields"].get("vehicle_plate")
        if pid not in data.persons or not plate or rng.random() > 0.1:
            continue
        _violation_record(
            data,
            plate,
            pid,
            "Ô tô con",
            [
                {
                    "number": f"VP-2026-{rng.randrange(10**7):07d}",
                    "time": f"2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d}T08:15:00+07:00",
                    "place": f"Quốc lộ 1, {data.persons[pid].province}",
                    "act": "Dừng, đỗ xe không đúng nơi quy định",
                    "legal_basis": "Nghị định 168/2024/NĐ-CP, Điều 6",
                    "fine": 800000,
                    "status": "Đã nộp phạt",
                    "unit": f"Phòng Cảnh sát giao thông, Công an {data.persons[pid].province}",
                }
            ],
        )


def _violation_record(
    data: Dataset, plate: str, owner: str, vehicle_type: str, violations: list[dict[str, Any]]
) -> None:
    unpaid = [v for v in violations if v["status"] == "Chưa nộp phạt"]
    data.records["traffic_violations"][plate] = {
        "record_id": f"VPGT-{plate}",
        "holder": owner,
        "fields": {
            "vehicle_plate": plate,
            "identity_number": owner,
            "vehicle_type": vehicle_type,
            "traffic_violations": violations,
            "unpaid_violation_count": len(unpaid),
            "unpaid_fine_total": sum(v["fine"] for v in unpaid),
        },
        "documents": [
            document("traffic_violation_notice", v["number"], v["time"][:10]) for v in violations
        ],
    }


def _road_transport(data: Dataset) -> None:
    """The transport licence of Công ty TNHH Vận tải Hành khách Hải Phong, its coaches in
    the inspection database and their journey-monitoring data."""
    owner = "031078002468"
    plates = [c["plate"] for c in COACHES]
    data.records["road_transport"][TRANSPORT_ENTERPRISE] = {
        "record_id": f"VT-{TRANSPORT_LICENCE}",
        "holder": owner,
        "fields": {
            "enterprise_code": TRANSPORT_ENTERPRISE,
            "transport_licence_number": TRANSPORT_LICENCE,
            "transport_business_types": [
                "Kinh doanh vận tải hành khách theo tuyến cố định",
                "Kinh doanh vận tải hành khách theo hợp đồng",
            ],
            "transport_fleet": plates,
        },
        "documents": [document("transport_business_licence", TRANSPORT_LICENCE, "2024-04-02")],
    }
    for coach in COACHES:
        data.records["road_transport"][coach["plate"]] = {
            "record_id": f"GSHT-{coach['plate']}",
            "holder": owner,
            "fields": {
                "vehicle_plate": coach["plate"],
                "enterprise_code": TRANSPORT_ENTERPRISE,
                "journey_monitoring_status": coach["monitoring"],
            },
            "documents": [],
        }
        data.records["vehicles"][coach["plate"]] = {
            "record_id": f"PT-{coach['plate']}",
            "holder": owner,
            "fields": {
                "vehicle_plate": coach["plate"],
                "vehicle_type": f"Ô tô khách {coach['seats']} chỗ",
                "vehicle_inspection_expiry": coach["inspection_expiry"],
                "vehicle_owner_identity_number": owner,
                "vehicle_registration_status": "Đã đăng ký",
            },
            "documents": [
                document("vehicle_registration", coach["plate"], "2023-02-01"),
                document(
                    "vehicle_inspection_certificate",
                    f"KĐ-{coach['plate']}",
                    "2026-01-05",
                    coach["inspection_expiry"],
                ),
            ],
        }
