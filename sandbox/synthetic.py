"""Synthetic but realistic registry data for the sandbox (dữ liệu giả lập).

Everything is generated deterministically from a seed, so that tests, demos and example
dossiers see the same people on every run. Identity numbers follow Circular
59/2021/TT-BCA: 3 digits of the province code where the birth was registered, 1 digit for
century and sex (0/1 = male/female born 1900–1999, 2/3 = male/female born 2000–2099),
2 digits of the year of birth and 6 random digits. Addresses use the 34 provinces and
the commune-level units in force since the 2025 reorganisation (Resolution
202/2025/QH15; no district level since 1 July 2025). The province code in an identity
number keeps the pre-2025 code of the place of registration, as real numbers do.

The well-known test persons (:data:`WELL_KNOWN_PERSONS`) are documented in
``docs/registries.md``; example dossiers and tests refer to them by identity number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

DEFAULT_SEED = 2025
DEFAULT_SIZE = 400

# (province after 2025, pre-2025 province codes merged into it, commune-level units)
PROVINCES: list[tuple[str, list[str], list[str]]] = [
    (
        "Thành phố Hà Nội",
        ["001"],
        [
            "Phường Ba Đình",
            "Phường Hoàn Kiếm",
            "Phường Cửa Nam",
            "Phường Đống Đa",
            "Phường Cầu Giấy",
            "Phường Tây Hồ",
            "Phường Hai Bà Trưng",
            "Phường Hà Đông",
            "Xã Sóc Sơn",
            "Xã Gia Lâm",
        ],
    ),
    (
        "Thành phố Hồ Chí Minh",
        ["079", "074", "077"],
        [
            "Phường Sài Gòn",
            "Phường Bến Thành",
            "Phường Tân Định",
            "Phường Chợ Lớn",
            "Phường Thủ Đức",
            "Phường Bình Thạnh",
            "Phường Thủ Dầu Một",
            "Phường Vũng Tàu",
        ],
    ),
    (
        "Thành phố Đà Nẵng",
        ["048", "049"],
        [
            "Phường Hải Châu",
            "Phường Thanh Khê",
            "Phường Sơn Trà",
            "Phường Ngũ Hành Sơn",
            "Phường Hội An",
            "Phường Tam Kỳ",
        ],
    ),
    (
        "Thành phố Hải Phòng",
        ["031", "030"],
        ["Phường Hồng Bàng", "Phường Lê Chân", "Phường Ngô Quyền", "Phường Hải Dương"],
    ),
    ("Thành phố Huế", ["046"], ["Phường Thuận Hóa", "Phường Phú Xuân", "Phường Hương Thủy"]),
    (
        "Thành phố Cần Thơ",
        ["092", "094", "093"],
        ["Phường Ninh Kiều", "Phường Cái Răng", "Phường Sóc Trăng", "Phường Vị Thanh"],
    ),
    (
        "Tỉnh Quảng Ninh",
        ["022"],
        ["Phường Hạ Long", "Phường Cẩm Phả", "Phường Móng Cái", "Phường Uông Bí"],
    ),
    (
        "Tỉnh Ninh Bình",
        ["037", "036", "035"],
        ["Phường Hoa Lư", "Phường Tam Điệp", "Phường Nam Định", "Phường Phủ Lý"],
    ),
    (
        "Tỉnh Phú Thọ",
        ["025", "026", "017"],
        ["Phường Việt Trì", "Phường Vĩnh Yên", "Phường Hòa Bình"],
    ),
    ("Tỉnh Thanh Hóa", ["038"], ["Phường Hạc Thành", "Phường Sầm Sơn"]),
    ("Tỉnh Nghệ An", ["040"], ["Phường Thành Vinh", "Phường Cửa Lò"]),
    ("Tỉnh Khánh Hòa", ["056", "058"], ["Phường Nha Trang", "Phường Cam Ranh", "Phường Phan Rang"]),
    ("Tỉnh Đồng Nai", ["075", "070"], ["Phường Biên Hòa", "Phường Long Khánh", "Phường Đồng Xoài"]),
    ("Tỉnh An Giang", ["089", "091"], ["Phường Long Xuyên", "Phường Châu Đốc", "Phường Rạch Giá"]),
]
# Licence-plate prefixes and insurance province codes per province (synthetic subset).
PLATE_PREFIX = {
    "Thành phố Hà Nội": "30",
    "Thành phố Hồ Chí Minh": "51",
    "Thành phố Đà Nẵng": "43",
    "Thành phố Hải Phòng": "15",
    "Thành phố Huế": "75",
    "Thành phố Cần Thơ": "65",
    "Tỉnh Quảng Ninh": "14",
    "Tỉnh Ninh Bình": "35",
    "Tỉnh Phú Thọ": "19",
    "Tỉnh Thanh Hóa": "36",
    "Tỉnh Nghệ An": "37",
    "Tỉnh Khánh Hòa": "79",
    "Tỉnh Đồng Nai": "60",
    "Tỉnh An Giang": "67",
}
STREETS = [
    "Đường Lê Lợi",
    "Đường Trần Hưng Đạo",
    "Đường Nguyễn Huệ",
    "Đường Hùng Vương",
    "Đường Quang Trung",
    "Đường Lý Thường Kiệt",
    "Đường Hai Bà Trưng",
    "Đường Nguyễn Trãi",
    "Đường Lê Duẩn",
    "Phố Kim Mã",
    "Đường Phan Chu Trinh",
    "Đường Điện Biên Phủ",
    "Đường Nguyễn Văn Cừ",
    "Đường Võ Thị Sáu",
]
SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
)
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Gia", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Thùy", "Kim", "Mỹ", "Bảo", "Phương"]
GIVEN_M = [
    "An",
    "Bảo",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Khang",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vy",
    "Yến",
]
ETHNICITIES = ["Kinh"] * 17 + ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông"]
RELIGIONS = ["Không"] * 16 + ["Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo"]
BUSINESS_LINES = [
    "4711 - Bán lẻ lương thực, thực phẩm, đồ uống trong cửa hàng kinh doanh tổng hợp",
    "5610 - Nhà hàng và các dịch vụ ăn uống phục vụ lưu động",
    "6201 - Lập trình máy vi tính",
    "4100 - Xây dựng nhà để ở",
    "4933 - Vận tải hàng hóa bằng đường bộ",
    "4771 - Bán lẻ hàng may mặc, giày dép, hàng da và giả da trong các cửa hàng chuyên doanh",
    "9631 - Cắt tóc, làm đầu, gội đầu",
    "5510 - Dịch vụ lưu trú ngắn ngày",
]
LAND_PURPOSES = [
    "Đất ở tại đô thị (ODT)",
    "Đất ở tại nông thôn (ONT)",
    "Đất trồng lúa (LUC)",
    "Đất trồng cây lâu năm (CLN)",
]
TAX_REGION = {"001": "01", "079": "03", "048": "04", "031": "02"}


@dataclass
class Person:
    """A row of the population database plus what other registries know about them."""

    identity_number: str
    full_name: str
    sex: str
    date_of_birth: date
    province: str
    province_code: str
    commune: str
    street_address: str
    ethnicity: str = "Kinh"
    religion: str = "Không"
    father_name: str = ""
    mother_name: str = ""
    father_identity_number: str | None = None
    mother_identity_number: str | None = None
    spouse_identity_number: str | None = None
    household_head: str = ""
    household_relation: str = "Chủ hộ"
    native_place: str = ""
    temporary_address: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def permanent_address(self) -> str:
        return f"{self.street_address}, {self.commune}, {self.province}"


@dataclass
class Dataset:
    """Everything the sandbox serves, indexed by registry and by key."""

    seed: int
    persons: dict[str, Person]
    records: dict[str, dict[str, dict[str, Any]]]  # registry -> key -> record
    documents: dict[str, dict[str, Any]]  # document number -> document
    enterprises: dict[str, dict[str, Any]]


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


# Well-known test persons: fixed facts that example dossiers and tests rely on.
# Dates are fixed so that expectations do not drift with the clock.
WELL_KNOWN_PERSONS: list[dict[str, Any]] = [
    {
        "identity_number": "001090012345",
        "full_name": "Nguyễn Văn An",
        "sex": "Nam",
        "date_of_birth": date(1990, 3, 15),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Ba Đình",
        "street_address": "Số 18, Phố Kim Mã",
        "father_name": "Nguyễn Văn Bảo",
        "mother_name": "Lê Thị Hoa",
        "spouse": "001192034567",
        "household_relation": "Chủ hộ",
        "native_place": "Xã Gia Lâm, Thành phố Hà Nội",
        "driving_licence": {
            "number": "010123456789",
            "class": "B",
            "issued": date(2016, 12, 20),
            "expiry": date(2026, 12, 20),
        },
        "land": {
            "sheet": "12",
            "parcel": "245",
            "area": 86.5,
            "purpose": "Đất ở tại đô thị (ODT)",
            "certificate": "DA 123456",
        },
        "insurance": {
            "code": "0123456789",
            "card_prefix": "DN4",
            "months": 148,
            "status": "Đang tham gia bảo hiểm xã hội bắt buộc",
        },
        "tax_code": "8012345678",
        "criminal": None,
        "diploma": "B 0012345",
    },
    {
        "identity_number": "001192034567",
        "full_name": "Trần Thị Bình",
        "sex": "Nữ",
        "date_of_birth": date(1992, 7, 2),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Ba Đình",
        "street_address": "Số 18, Phố Kim Mã",
        "father_name": "Trần Văn Cường",
        "mother_name": "Phạm Thị Lan",
        "spouse": "001090012345",
        "household_relation": "Vợ",
        "native_place": "Phường Nam Định, Tỉnh Ninh Bình",
        "insurance": {
            "code": "0123456790",
            "card_prefix": "DN4",
            "months": 96,
            "status": "Đang tham gia bảo hiểm xã hội bắt buộc",
        },
        "birth_notice": {
            "number": "CS-2026-0001234",
            "child_sex": "Nam",
            "child_date_of_birth": date(2026, 11, 2),
            "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
        },
    },
    {
        "identity_number": "079185001234",
        "full_name": "Lê Thị Cúc",
        "sex": "Nữ",
        "date_of_birth": date(1985, 11, 20),
        "province": "Thành phố Hồ Chí Minh",
        "commune": "Phường Bến Thành",
        "street_address": "Số 42, Đường Lê Lợi",
        "father_name": "Lê Văn Phúc",
        "mother_name": "Võ Thị Mai",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Long Xuyên, Tỉnh An Giang",
        "enterprise": {
            "code": "0318765432",
            "name": "Công ty TNHH Thương mại Dịch vụ Cúc Phương",
            "lines": [BUSINESS_LINES[1], BUSINESS_LINES[0]],
            "capital": 2000000000,
        },
        "insurance": {
            "code": "7912345678",
            "card_prefix": "DN4",
            "months": 210,
            "status": "Đang tham gia bảo hiểm xã hội bắt buộc",
        },
        "tax_code": "0318765432",
        "criminal": None,
    },
    {
        "identity_number": "048088004567",
        "full_name": "Phạm Văn Dũng",
        "sex": "Nam",
        "date_of_birth": date(1988, 5, 9),
        "province": "Thành phố Đà Nẵng",
        "commune": "Phường Hải Châu",
        "street_address": "Số 7, Đường Phan Chu Trinh",
        "father_name": "Phạm Văn Hùng",
        "mother_name": "Đỗ Thị Hằng",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Hội An, Thành phố Đà Nẵng",
        "criminal": {
            "status": "has_record",
            "text": "Có án tích",
            "convictions": [
                {
                    "court": "Tòa án nhân dân khu vực 1 – Đà Nẵng",
                    "judgment": "Bản án số 112/2019/HS-ST ngày 14/6/2019",
                    "offence": "Trộm cắp tài sản (Điều 173 Bộ luật Hình sự)",
                    "sentence": "12 tháng tù, cho hưởng án treo",
                    "expunged": False,
                }
            ],
        },
    },
    {
        "identity_number": "036055000789",
        "full_name": "Hoàng Văn Em",
        "sex": "Nam",
        "date_of_birth": date(1955, 2, 11),
        "province": "Tỉnh Ninh Bình",
        "commune": "Phường Nam Định",
        "street_address": "Số 25, Đường Trần Hưng Đạo",
        "father_name": "Hoàng Văn Tài",
        "mother_name": "Nguyễn Thị Yến",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Nam Định, Tỉnh Ninh Bình",
        "insurance": {
            "code": "3600123456",
            "card_prefix": "HT3",
            "months": 372,
            "status": "Đang hưởng lương hưu hằng tháng",
        },
        "death_notice": {
            "number": "BT-2026-0004321",
            "date_of_death": date(2026, 11, 10),
            "place_of_death": "Bệnh viện Đa khoa tỉnh Ninh Bình",
            "cause_of_death": "Bệnh lý tim mạch",
        },
    },
    {
        "identity_number": "036060001357",
        "full_name": "Hoàng Minh Khang",
        "sex": "Nam",
        "date_of_birth": date(1960, 9, 30),
        "province": "Tỉnh Ninh Bình",
        "commune": "Phường Nam Định",
        "street_address": "Số 25, Đường Trần Hưng Đạo",
        "father_name": "Hoàng Văn Em",
        "mother_name": "Vũ Thị Oanh",
        "household_relation": "Con",
        "father_id": "036055000789",
        "household_head_id": "036055000789",
        "native_place": "Phường Nam Định, Tỉnh Ninh Bình",
    },
    {
        "identity_number": "001223012345",
        "full_name": "Nguyễn Gia Bảo",
        "sex": "Nam",
        "date_of_birth": date(2023, 6, 1),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Ba Đình",
        "street_address": "Số 18, Phố Kim Mã",
        "father_name": "Nguyễn Văn An",
        "mother_name": "Trần Thị Bình",
        "father_id": "001090012345",
        "mother_id": "001192034567",
        "household_relation": "Con",
        "household_head_id": "001090012345",
        "native_place": "Xã Gia Lâm, Thành phố Hà Nội",
    },
    {
        "identity_number": "001205000123",
        "full_name": "Đặng Quốc Huy",
        "sex": "Nam",
        "date_of_birth": date(2005, 4, 18),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Cầu Giấy",
        "street_address": "Số 9, Đường Nguyễn Trãi",
        "father_name": "Đặng Văn Long",
        "mother_name": "Bùi Thị Thảo",
        "household_relation": "Con",
        "native_place": "Phường Cầu Giấy, Thành phố Hà Nội",
    },
    {
        "identity_number": "031303009876",
        "full_name": "Vũ Ngọc Lan",
        "sex": "Nữ",
        "date_of_birth": date(2003, 8, 25),
        "province": "Thành phố Hải Phòng",
        "commune": "Phường Lê Chân",
        "street_address": "Số 31, Đường Hai Bà Trưng",
        "father_name": "Vũ Văn Nam",
        "mother_name": "Ngô Thị Hương",
        "household_relation": "Con",
        "native_place": "Phường Lê Chân, Thành phố Hải Phòng",
        "temporary_address": "Số 9, Đường Nguyễn Trãi, Phường Cầu Giấy, Thành phố Hà Nội",
    },
    {
        "identity_number": "026080001111",
        "full_name": "Bùi Văn Sơn",
        "sex": "Nam",
        "date_of_birth": date(1980, 1, 5),
        "province": "Tỉnh Phú Thọ",
        "commune": "Phường Vĩnh Yên",
        "street_address": "Thôn Đông, Số 3, Đường Hùng Vương",
        "father_name": "Bùi Văn Quang",
        "mother_name": "Đặng Thị Chi",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Vĩnh Yên, Tỉnh Phú Thọ",
        "land": {
            "sheet": "27",
            "parcel": "118",
            "area": 212.0,
            "purpose": "Đất ở tại nông thôn (ONT)",
            "certificate": None,
        },
        "household_business": {
            "code": "26A8001234",
            "name": "Hộ kinh doanh Bùi Sơn",
            "lines": [BUSINESS_LINES[6]],
        },
    },
]


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


def _insurance_card(prefix: str, province_code: str, code: str) -> str:
    """Health-insurance card number: object (2 letters) + benefit level + province + code."""
    return f"{prefix}{province_code[1:]}{code}"


# long (~380 lines): data, not logic — one record per national database for one person,
# written out field by field so each registry's shape can be read against its catalogue
def _records_for(
    person: Person, spec: dict[str, Any], rng: random.Random, data: Dataset, seq: dict[str, int]
) -> None:
    """Fill every registry's record for one person from their facts."""
    pid = person.identity_number
    r = data.records
    household_head = person.household_head or person.full_name
    spouse = data.persons.get(person.spouse_identity_number or "")
    r["population"][pid] = {
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
            "household_head": household_head,
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
            "id_issued_date": date(max(2021, person.date_of_birth.year + 14), 6, 1).isoformat(),
        },
        "documents": [
            {
                "type": "identity_card",
                "number": pid,
                "issued_at": date(max(2021, person.date_of_birth.year + 14), 6, 1).isoformat(),
                "valid_until": _card_expiry(person.date_of_birth).isoformat(),
                "status": "valid",
            }
        ],
    }
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
    docs = [
        {
            "type": "birth_certificate",
            "number": birth_no,
            "issued_at": (person.date_of_birth + timedelta(days=20)).isoformat(),
            "valid_until": None,
            "status": "valid",
        }
    ]
    if spouse:
        pair = sorted([pid, spouse.identity_number])
        marriage_no = f"KH.{pair[0][-6:]}{pair[1][-6:]}"
        civil["marriage_registration_number"] = marriage_no
        married = max(person.date_of_birth, spouse.date_of_birth) + timedelta(days=365 * 24)
        docs.append(
            {
                "type": "marriage_certificate",
                "number": marriage_no,
                "issued_at": married.isoformat(),
                "valid_until": None,
                "status": "valid",
            }
        )
    r["civil_status"][pid] = {"record_id": f"HT-{pid}", "fields": civil, "documents": docs}

    ins = spec.get("insurance")
    if ins is None and person.date_of_birth.year < 2004 and rng.random() < 0.75:
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
    if ins:
        card = _insurance_card(ins["card_prefix"], person.province_code, ins["code"])
        r["social_insurance"][pid] = {
            "record_id": f"BH-{ins['code']}",
            "fields": {
                "social_insurance_number": ins["code"],
                "health_insurance_card_number": card,
                "contribution_history": {"total_months": ins["months"], "status": ins["status"]},
                "pension_status": ins["status"],
            },
            "documents": [
                {
                    "type": "health_insurance_card",
                    "number": card,
                    "issued_at": "2026-01-01",
                    "valid_until": "2026-12-31",
                    "status": "valid",
                },
                {
                    "type": "insurance_book",
                    "number": ins["code"],
                    "issued_at": "2015-01-01",
                    "valid_until": None,
                    "status": "valid",
                },
            ],
        }

    criminal = spec.get("criminal", "random")
    if criminal == "random":
        criminal = None
        if person.date_of_birth.year < 2006 and rng.random() < 0.04:
            criminal = {
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
    if person.date_of_birth.year <= 2012:
        r["judicial_records"][pid] = {
            "record_id": f"LLTP-{pid}",
            "fields": {
                "criminal_record": criminal
                or {"status": "clean", "text": "Không có án tích", "convictions": []}
            },
            "documents": [],
        }

    lic = spec.get("driving_licence")
    if lic is None and person.date_of_birth.year < 2006 and rng.random() < 0.45:
        issued = date(rng.randrange(2012, 2025), rng.randrange(1, 13), rng.randrange(1, 28))
        lic = {
            "number": f"{person.province_code[1:]}{rng.randrange(10**10):010d}",
            "class": rng.choice(["A1", "A", "B", "B", "C1"]),
            "issued": issued,
            "expiry": issued.replace(year=issued.year + 10),
        }
    if lic:
        r["driving_licences"][pid] = {
            "record_id": f"GPLX-{lic['number']}",
            "fields": {
                "driving_licence_number": lic["number"],
                "driving_licence_class": lic["class"],
                "driving_licence_expiry": lic["expiry"].isoformat(),
            },
            "documents": [
                {
                    "type": "driving_licence",
                    "number": lic["number"],
                    "issued_at": lic["issued"].isoformat(),
                    "valid_until": lic["expiry"].isoformat(),
                    "status": "valid",
                }
            ],
        }
        seq["GKSK"] += 1
        r["health"][pid] = r["health"].get(pid) or {
            "record_id": f"YT-{pid}",
            "fields": {},
            "documents": [],
        }
        r["health"][pid]["fields"]["health_check_result"] = {
            "result": f"Đủ điều kiện sức khỏe lái xe hạng {lic['class']}",
            "examined_at": "2026-10-05",
            "facility": f"Bệnh viện Đa khoa {person.province}",
            "number": f"GKSK-2026-{seq['GKSK']:06d}",
        }
        r["health"][pid]["documents"].append(
            {
                "type": "health_certificate",
                "number": f"GKSK-2026-{seq['GKSK']:06d}",
                "issued_at": "2026-10-05",
                "valid_until": "2027-04-05",
                "status": "valid",
            }
        )
        if rng.random() < 0.5 or spec.get("driving_licence"):
            plate = f"{PLATE_PREFIX[person.province]}{rng.choice('ABCDEFGHK')}-{rng.randrange(100, 999)}.{rng.randrange(10, 99)}"
            r["vehicles"][pid] = {
                "record_id": f"PT-{plate}",
                "fields": {
                    "vehicle_plate": plate,
                    "vehicle_inspection_expiry": (
                        date(2026, 1, 1) + timedelta(days=rng.randrange(30, 700))
                    ).isoformat(),
                },
                "documents": [
                    {
                        "type": "vehicle_registration",
                        "number": plate,
                        "issued_at": "2022-03-10",
                        "valid_until": None,
                        "status": "valid",
                    }
                ],
            }

    bn = spec.get("birth_notice")
    if bn:
        r["health"].setdefault(pid, {"record_id": f"YT-{pid}", "fields": {}, "documents": []})
        r["health"][pid]["fields"].update(
            {
                "birth_notice_number": bn["number"],
                "child_sex": bn["child_sex"],
                "child_date_of_birth": bn["child_date_of_birth"].isoformat(),
                "place_of_delivery": bn["place_of_delivery"],
            }
        )
        r["health"][pid]["documents"].append(
            {
                "type": "birth_notice",
                "number": bn["number"],
                "issued_at": bn["child_date_of_birth"].isoformat(),
                "valid_until": None,
                "status": "valid",
            }
        )
    dn = spec.get("death_notice")
    if dn:
        r["health"].setdefault(pid, {"record_id": f"YT-{pid}", "fields": {}, "documents": []})
        r["health"][pid]["fields"].update(
            {
                "death_notice_number": dn["number"],
                "date_of_death": dn["date_of_death"].isoformat(),
                "place_of_death": dn["place_of_death"],
                "cause_of_death": dn["cause_of_death"],
            }
        )
        r["health"][pid]["documents"].append(
            {
                "type": "death_notice",
                "number": dn["number"],
                "issued_at": dn["date_of_death"].isoformat(),
                "valid_until": None,
                "status": "valid",
            }
        )

    land = spec.get("land")
    if land is None and person.household_relation == "Chủ hộ" and rng.random() < 0.5:
        land = {
            "sheet": str(rng.randrange(1, 60)),
            "parcel": str(rng.randrange(1, 400)),
            "area": round(rng.uniform(40, 400), 1),
            "purpose": rng.choice(LAND_PURPOSES),
            "certificate": f"{rng.choice(['CS', 'DA', 'DE'])} {rng.randrange(10**6):06d}"
            if rng.random() < 0.85
            else None,
        }
    if land:
        docs = []
        if land["certificate"]:
            docs.append(
                {
                    "type": "land_use_certificate",
                    "number": land["certificate"],
                    "issued_at": "2018-05-15",
                    "valid_until": None,
                    "status": "valid",
                }
            )
        docs.append(
            {
                "type": "cadastral_extract",
                "number": f"TLBD-{person.province_code}-{land['sheet']}-{land['parcel']}",
                "issued_at": "2026-01-01",
                "valid_until": None,
                "status": "valid",
            }
        )
        r["land"][pid] = {
            "record_id": f"TD-{person.province_code}-{land['sheet']}-{land['parcel']}",
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

    tax_code = spec.get("tax_code")
    if tax_code is None and pid in r["social_insurance"]:
        tax_code = f"8{rng.randrange(10**9):09d}"
    if tax_code:
        r["tax"][pid] = {
            "record_id": f"MST-{tax_code}",
            "fields": {"tax_code": tax_code},
            "documents": [
                {
                    "type": "tax_registration",
                    "number": tax_code,
                    "issued_at": "2014-04-01",
                    "valid_until": None,
                    "status": "valid",
                }
            ],
        }
    diploma = spec.get("diploma")
    if diploma is None and person.date_of_birth.year < 2007 and rng.random() < 0.6:
        diploma = f"{rng.choice('ABC')} {rng.randrange(10**7):07d}"
    if diploma:
        r["education"][pid] = {
            "record_id": f"VB-{diploma}",
            "fields": {"diploma_number": diploma},
            "documents": [
                {
                    "type": "diploma",
                    "number": diploma,
                    "issued_at": f"{person.date_of_birth.year + 18}-07-15",
                    "valid_until": None,
                    "status": "valid",
                }
            ],
        }

    for kind in ("enterprise", "household_business"):
        ent = spec.get(kind)
        if (
            ent is None
            and kind == "enterprise"
            and person.date_of_birth.year < 1998
            and rng.random() < 0.06
        ):
            region = TAX_REGION.get(person.province_code, "0" + str(rng.randrange(1, 9)))
            given = person.full_name.split()[-1]
            ent = {
                "code": f"{region}{rng.randrange(10**8):08d}",
                "name": f"Công ty TNHH {rng.choice(['Thương mại', 'Xây dựng', 'Công nghệ', 'Vận tải'])} {given} {rng.choice(['Phát', 'Thịnh', 'Minh', 'Việt'])}",
                "lines": rng.sample(BUSINESS_LINES, 2),
                "capital": rng.choice([500, 1000, 2000, 5000]) * 1000000,
            }
        if ent:
            _register_enterprise(data, person, ent, household=(kind == "household_business"))


def _register_enterprise(
    data: Dataset, person: Person, ent: dict[str, Any], *, household: bool
) -> None:
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
            {
                "type": "household_business_certificate",
                "number": ent["code"],
                "issued_at": "2021-09-01",
                "valid_until": None,
                "status": "valid",
            }
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
            {
                "type": "business_registration_certificate",
                "number": ent["code"],
                "issued_at": "2019-03-12",
                "valid_until": None,
                "status": "valid",
            }
        )
    data.enterprises[ent["code"]] = record
    data.records["business_registration"][ent["code"]] = record


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


REGISTRY_IDS = (
    "population",
    "civil_status",
    "business_registration",
    "land",
    "social_insurance",
    "driving_licences",
    "vehicles",
    "judicial_records",
    "health",
    "tax",
    "education",
)


# long (~100 lines): the fixed test people first, then the seeded random ones, in one pass
def generate(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Dataset:
    """Generate the sandbox dataset: the well-known persons plus ``size`` random households."""
    rng = random.Random(seed)
    data = Dataset(
        seed=seed, persons={}, records={r: {} for r in REGISTRY_IDS}, documents={}, enterprises={}
    )
    specs: dict[str, dict[str, Any]] = {}
    for spec in WELL_KNOWN_PERSONS:
        province = spec["province"]
        code = spec["identity_number"][:3]
        p = Person(
            identity_number=spec["identity_number"],
            full_name=spec["full_name"],
            sex=spec["sex"],
            date_of_birth=spec["date_of_birth"],
            province=province,
            province_code=code,
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

    count = 0
    while count < size:  # households: a head, maybe a spouse, 0–3 children
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
                child = _person(
                    rng, province, rng.choice(codes), commune, street, sex, born, surname
                )
                child.household_relation = "Con"
                child.father_name, child.mother_name = head.full_name, wife.full_name
                child.father_identity_number, child.mother_identity_number = (
                    head.identity_number,
                    wife.identity_number,
                )
                members.append(child)
        for m in members:
            m.household_head = head.full_name
            if m.identity_number in data.persons:
                continue
            data.persons[m.identity_number] = m
            count += 1

    seq = {"KS": 0, "GKSK": 0}
    for pid, p in data.persons.items():
        _records_for(p, specs.get(pid, {"criminal": "random"}), rng, data, seq)
    for registry, records in data.records.items():
        for key, rec in records.items():
            for doc in rec["documents"]:
                data.documents[f"{doc['type']}:{doc['number']}"] = {
                    **doc,
                    "registry": registry,
                    "holder": key,
                    "record_id": rec["record_id"],
                }
    extend_for_frequent_procedures(data)
    return data


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


# -- Registries for the most-used procedures (issue 25, item 10) -------------------------
# Vehicles with their factory certificates, notarised land contracts and mortgages, tax
# registration and obligations, unemployment insurance, upper-secondary exam candidates,
# camera-detected traffic violations and road-transport licences with journey-monitoring
# data. Generated after everything above and from their own random stream, so the records
# above stay exactly as they were; the persons below are documented in docs/registries.md.

FREQUENT_REGISTRY_IDS = (
    "land_transactions",
    "unemployment_insurance",
    "exam_candidates",
    "traffic_violations",
    "road_transport",
)

FREQUENT_PROCEDURE_PERSONS: list[dict[str, Any]] = [
    {
        "identity_number": "048194006789",
        "full_name": "Đỗ Thị Hạnh",
        "sex": "Nữ",
        "date_of_birth": date(1994, 8, 12),
        "province": "Thành phố Đà Nẵng",
        "commune": "Phường Thanh Khê",
        "street_address": "Số 56, Đường Điện Biên Phủ",
        "father_name": "Đỗ Văn Thắng",
        "mother_name": "Phan Thị Nhung",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Tam Kỳ, Thành phố Đà Nẵng",
        "insurance": {
            "code": "4812345670",
            "card_prefix": "DN4",
            "months": 74,
            "status": "Dừng đóng bảo hiểm xã hội bắt buộc từ tháng 11/2026",
        },
        "tax_code": "8045678901",
        "criminal": None,
        "unemployment": {
            "months": 74,
            "average_salary": 9800000,
            "employer": "Công ty TNHH May mặc Sông Hàn",
            "end": date(2026, 11, 15),
            "reason": "Hết hạn hợp đồng lao động, không gia hạn",
        },
    },
    {
        "identity_number": "031078002468",
        "full_name": "Ngô Văn Tài",
        "sex": "Nam",
        "date_of_birth": date(1978, 3, 2),
        "province": "Thành phố Hải Phòng",
        "commune": "Phường Hồng Bàng",
        "street_address": "Số 12, Đường Lý Thường Kiệt",
        "father_name": "Ngô Văn Hải",
        "mother_name": "Trần Thị Hà",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Hải Dương, Thành phố Hải Phòng",
        "criminal": None,
        "tax_code": "0201234567",
        "enterprise": {
            "code": "0201234567",
            "name": "Công ty TNHH Vận tải Hành khách Hải Phong",
            "lines": [
                "4932 - Vận tải hành khách đường bộ khác",
                "5221 - Hoạt động dịch vụ hỗ trợ trực tiếp cho vận tải đường bộ",
            ],
            "capital": 15000000000,
        },
    },
    {
        "identity_number": "001209004321",
        "full_name": "Lý Minh Khôi",
        "sex": "Nam",
        "date_of_birth": date(2009, 5, 20),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Cầu Giấy",
        "street_address": "Số 21, Đường Nguyễn Văn Cừ",
        "father_name": "Lý Văn Quang",
        "mother_name": "Đỗ Thu Trang",
        "household_relation": "Con",
        "native_place": "Phường Cầu Giấy, Thành phố Hà Nội",
        "criminal": None,
        "school": "Trường THPT Cầu Giấy",
    },
    {
        "identity_number": "038309005555",
        "full_name": "Hà Thị Mai",
        "sex": "Nữ",
        "date_of_birth": date(2009, 1, 15),
        "province": "Tỉnh Thanh Hóa",
        "commune": "Xã Mường Lát",
        "street_address": "Bản Lát",
        "father_name": "Hà Văn Pọm",
        "mother_name": "Lò Thị Xuân",
        "household_relation": "Con",
        "native_place": "Xã Mường Lát, Tỉnh Thanh Hóa",
        "ethnicity": "Thái",
        "resident_since": date(2009, 1, 15),
        "criminal": None,
        "school": "Trường THPT Mường Lát",
        "school_area": "KV1",
    },
    {
        "identity_number": "025209007777",
        "full_name": "Vi Văn Hùng",
        "sex": "Nam",
        "date_of_birth": date(2009, 7, 7),
        "province": "Tỉnh Phú Thọ",
        "commune": "Xã Đà Bắc",
        "street_address": "Xóm Tày, Số 4",
        "father_name": "Vi Văn Toàn",
        "mother_name": "Xa Thị Lụa",
        "household_relation": "Con",
        "native_place": "Phường Hòa Bình, Tỉnh Phú Thọ",
        "ethnicity": "Tày",
        "resident_since": date(2026, 6, 1),
        "criminal": None,
        "school": "Trường THPT Hòa Bình",
        "school_area": "KV2",
    },
    {
        "identity_number": "001312003456",
        "full_name": "Nguyễn Bảo Ngọc",
        "sex": "Nữ",
        "date_of_birth": date(2012, 3, 10),
        "province": "Thành phố Hà Nội",
        "commune": "Phường Tây Hồ",
        "street_address": "Số 5, Đường Lê Duẩn",
        "father_name": "Nguyễn Văn Long",
        "mother_name": "Phạm Thị Yến",
        "household_relation": "Con",
        "native_place": "Phường Tây Hồ, Thành phố Hà Nội",
        "criminal": None,
        "no_identity_card": True,
    },
    {
        "identity_number": "038070007777",
        "full_name": "Trịnh Văn Phú",
        "sex": "Nam",
        "date_of_birth": date(1970, 10, 10),
        "province": "Tỉnh Thanh Hóa",
        "commune": "Phường Sầm Sơn",
        "street_address": "Số 8, Đường Hùng Vương",
        "father_name": "Trịnh Văn Lộc",
        "mother_name": "Mai Thị Đào",
        "spouse": "038172008888",
        "household_relation": "Chủ hộ",
        "native_place": "Phường Sầm Sơn, Tỉnh Thanh Hóa",
        "criminal": None,
        "insurance": {
            "code": "3812345001",
            "card_prefix": "GD4",
            "months": 0,
            "status": "Tham gia bảo hiểm y tế theo hộ gia đình",
        },
    },
    {
        "identity_number": "038172008888",
        "full_name": "Lê Thị Thu",
        "sex": "Nữ",
        "date_of_birth": date(1972, 12, 1),
        "province": "Tỉnh Thanh Hóa",
        "commune": "Phường Sầm Sơn",
        "street_address": "Số 8, Đường Hùng Vương",
        "father_name": "Lê Văn Nghĩa",
        "mother_name": "Hồ Thị Bảy",
        "spouse": "038070007777",
        "household_relation": "Vợ",
        "native_place": "Phường Sầm Sơn, Tỉnh Thanh Hóa",
        "criminal": None,
        "insurance": {
            "code": "3812345002",
            "card_prefix": "GD4",
            "months": 0,
            "status": "Tham gia bảo hiểm y tế theo hộ gia đình",
        },
    },
]

# Old 9-digit identity-card numbers (chứng minh nhân dân) of well-known persons; ``""`` =
# the number was never entered in the population database (confirmation needs checking).
OLD_ID_NUMBERS = {"001090012345": "012345678", "079185001234": ""}

# Notarised land contracts (Law on Notarisation 2024): transfer, gift and mortgage.
LAND_CONTRACTS: list[dict[str, Any]] = [
    {
        "number": "CC-2026-012345",
        "type": "Hợp đồng chuyển nhượng quyền sử dụng đất",
        "from": "001090012345",
        "to": "001205000123",
        "certificate": "DA 123456",
        "notarized_at": "2026-11-25",
        "office": "Văn phòng công chứng Ba Đình, Thành phố Hà Nội",
        "value": 6500000000,
    },
    {
        "number": "CC-2026-018888",
        "type": "Hợp đồng tặng cho quyền sử dụng đất",
        "from": "079185001234",
        "to": "001192034567",
        "certificate": "CS 654321",
        "notarized_at": "2026-11-28",
        "office": "Văn phòng công chứng Bến Thành, Thành phố Hồ Chí Minh",
        "value": 0,
    },
    {
        "number": "TC-2026-000777",
        "type": "Hợp đồng thế chấp quyền sử dụng đất",
        "from": "001090012345",
        "to": "",
        "certificate": "DA 123456",
        "notarized_at": "2026-12-01",
        "office": "Văn phòng công chứng Ba Đình, Thành phố Hà Nội",
        "value": 3000000000,
        "mortgagee": "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam – Chi nhánh Ba Đình",
    },
]

# New vehicles not yet registered: the manufacturer's factory-quality certificate
# (phiếu kiểm tra chất lượng xuất xưởng) as the registry receives it.
FACTORY_CERTIFICATES: list[dict[str, Any]] = [
    {
        "frame": "RLHJK1234RY000123",
        "engine": "JK12E-0001234",
        "brand": "Honda",
        "model": "Vision 110",
        "type": "Xe mô tô hai bánh",
        "colour": "Đỏ đen",
        "certificate": "PKT-2026-HD-000123",
        "buyer": "001205000123",
        "invoice": "HDDT-2026-00045678",
        "fee_receipt": "LPTB-2026-001234",
    },
    {
        "frame": "RLCUE5678RY000456",
        "engine": "E3Y6E-0005678",
        "brand": "Yamaha",
        "model": "Janus 125",
        "type": "Xe mô tô hai bánh",
        "colour": "Trắng",
        "certificate": "PKT-2026-YM-000456",
        "buyer": "031303009876",
        "invoice": "HDDT-2026-00049999",
        "fee_receipt": "LPTB-2026-004321",
    },
]

# Camera-detected violations (phạt nguội) per vehicle plate.
TRAFFIC_VIOLATIONS: list[dict[str, Any]] = [
    {
        "plate": "30K-123.45",
        "owner": "001090012345",
        "vehicle_type": "Ô tô con",
        "violations": [
            {
                "number": "VP-2026-0001234",
                "time": "2026-11-20T14:32:00+07:00",
                "place": "Km 12+300 Đại lộ Thăng Long, Thành phố Hà Nội",
                "act": "Chạy quá tốc độ quy định từ 10 km/h đến 20 km/h",
                "legal_basis": "Nghị định 168/2024/NĐ-CP, Điều 6",
                "fine": 5000000,
                "status": "Chưa nộp phạt",
                "unit": "Phòng Cảnh sát giao thông, Công an Thành phố Hà Nội",
            }
        ],
    },
    {
        "plate": "43E1-234.56",
        "owner": "048088004567",
        "vehicle_type": "Xe mô tô hai bánh",
        "violations": [
            {
                "number": "VP-2026-0000456",
                "time": "2026-09-02T07:10:00+07:00",
                "place": "Ngã tư Nguyễn Văn Linh – Lê Duẩn, Thành phố Đà Nẵng",
                "act": "Không chấp hành hiệu lệnh của đèn tín hiệu giao thông",
                "legal_basis": "Nghị định 168/2024/NĐ-CP, Điều 7",
                "fine": 5000000,
                "status": "Đã nộp phạt",
                "unit": "Phòng Cảnh sát giao thông, Công an Thành phố Đà Nẵng",
            }
        ],
    },
]

# A passenger-transport enterprise's coaches: inspection and journey-monitoring data.
COACHES: list[dict[str, Any]] = [
    {
        "plate": "15F-012.34",
        "seats": 45,
        "inspection_expiry": "2027-05-30",
        "monitoring": "Đang truyền dữ liệu",
    },
    {
        "plate": "15F-056.78",
        "seats": 45,
        "inspection_expiry": "2027-02-14",
        "monitoring": "Đang truyền dữ liệu",
    },
    {
        "plate": "15F-099.01",
        "seats": 29,
        "inspection_expiry": "2026-10-01",
        "monitoring": "Mất tín hiệu từ 02/11/2026",
    },
]
TRANSPORT_ENTERPRISE = "0201234567"
TRANSPORT_LICENCE = "GPKDVT-031-000412"


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
    _index_documents(data)


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
        _records_for(p, spec, rng, data, seq)
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
        record["documents"].append(_doc("tax_registration", pid, "2025-07-01"))
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
            _doc("e_invoice", cert["invoice"], "2026-11-30"),
            _doc("tax_payment_proof", cert["fee_receipt"], "2026-12-01"),
        ]
    transfer = LAND_CONTRACTS[0]
    data.records["tax"][transfer["from"]]["documents"].append(
        _doc("tax_payment_proof", "NVTC-2026-0098765", "2026-12-03")
    )


def _doc(kind: str, number: str, issued: str, valid_until: str | None = None) -> dict[str, Any]:
    return {
        "type": kind,
        "number": number,
        "issued_at": issued,
        "valid_until": valid_until,
        "status": "valid",
    }


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
        "documents": [_doc("land_use_certificate", "CS 654321", "2019-08-20")],
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
            "documents": [_doc("notarized_contract", contract["number"], contract["notarized_at"])],
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
            "documents": [_doc("vehicle_factory_certificate", cert["certificate"], "2026-11-10")],
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
                "documents": [_doc("vehicle_registration", item["plate"], "2023-05-10")],
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
            _doc("traffic_violation_notice", v["number"], v["time"][:10]) for v in violations
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
        "documents": [_doc("transport_business_licence", TRANSPORT_LICENCE, "2024-04-02")],
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
                _doc("vehicle_registration", coach["plate"], "2023-02-01"),
                _doc(
                    "vehicle_inspection_certificate",
                    f"KĐ-{coach['plate']}",
                    "2026-01-05",
                    coach["inspection_expiry"],
                ),
            ],
        }


def _index_documents(data: Dataset) -> None:
    """Rebuild ``data.documents``; a record's ``holder`` (when it is not keyed by the
    holder's identity number) names whose document it is."""
    for registry, records in data.records.items():
        for key, rec in records.items():
            for doc in rec["documents"]:
                data.documents[f"{doc['type']}:{doc['number']}"] = {
                    **doc,
                    "registry": registry,
                    "holder": rec.get("holder", key),
                    "record_id": rec["record_id"],
                }
