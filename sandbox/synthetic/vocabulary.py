"""The word lists the synthetic people are drawn from: provinces and their communes since
the 2025 reorganisation, streets, names, ethnicities, religions, business lines, land uses."""

from __future__ import annotations

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
