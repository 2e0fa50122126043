"""The fixed facts of the most-used procedures (issue 25, item 10): their persons, old
identity-card numbers, notarised land contracts, factory certificates of new vehicles,
camera-detected traffic violations and the coaches of a transport enterprise. The persons
are documented in ``docs/registries.md``."""

from __future__ import annotations

from datetime import date
from typing import Any

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
