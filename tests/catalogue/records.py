"""Small procedure records written for these tests, in both shapes the portal gives.

The texts are our own; they imitate the national portal's sections: the flattened page
text of a scrape (table headers and cells run together) and the clean structured shape
(lists of rows). Codes start with 9 after the dot so they never collide with real ones.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

RESULT_TAIL = (
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiện"
    "Tỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Nộp hồ sơ"
)
HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

# A provincial procedure: supplement loop, refusal, on-site inspection, fee, legal codes.
FLAT_PERMIT = {
    "ma_thu_tuc": "1.900001",
    "ten_thu_tuc": "Cấp Giấy phép hoạt động thử nghiệm cơ sở dịch vụ",
    "so_quyet_dinh": "1234/QĐ-BTP",
    "cap_thuc_hien": "Cấp tỉnh",
    "loai_thu_tuc": "TTHC được giao luật quy định chi tiết",
    "linh_vuc": "Bổ trợ tư pháp",
    "doi_tuong_thuc_hien": "Công dân Việt Nam, Doanh nghiệp",
    "co_quan_thuc_hien": "Sở Tư pháp",
    "co_quan_co_tham_quyen": "",
    "co_quan_phoi_hop": "",
    "detail_url": "https://example.invalid/thu-tuc/1.900001",
    "trinh_tu_thuc_hien": (
        "Bước 1: Tổ chức, cá nhân nộp hồ sơ trực tuyến hoặc trực tiếp tại Bộ phận Một cửa.\n"
        "Bước 2: Bộ phận Một cửa tiếp nhận, kiểm tra hồ sơ; trường hợp hồ sơ chưa đầy đủ thì "
        "hướng dẫn tổ chức, cá nhân bổ sung, hoàn thiện.\n"
        "Bước 3: Sở Tư pháp thẩm định hồ sơ, kiểm tra thực tế tại cơ sở; trường hợp không đủ "
        "điều kiện thì trả lời bằng văn bản và nêu rõ lý do.\n"
        "Bước 4: Giám đốc Sở Tư pháp ký Giấy phép.\n"
        "Bước 5: Tổ chức, cá nhân nhận kết quả tại Bộ phận Một cửa hoặc qua dịch vụ bưu chính."
    ),
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc50,000 VNĐ"
        "(Lệ phí: 50.000 đồng/giấy phép)Trực tiếp7 Ngày làm việc100,000 VNĐ"
        "Dịch vụ bưu chính1100 VNĐ(Lệ phí: 100.000 đồng/giấy phép)"
    ),
    "thanh_phan_ho_so": (
        "--"
        + HEADER
        + "Đơn đề nghị cấp Giấy phép theo mẫuMẫu TP-01.docx1 bản chính"
        + "Bản sao Căn cước công dân của người đứng đầu cơ sở0 bản chính,1 bản sao"
        + "Bản sao có chứng thực Giấy khai sinh của người đứng đầu1 bản chính"
        + "Hộ chiếu của người nước ngoài làm việc tại cơ sở, đã hợp pháp hóa lãnh sự1 bản chính"
        + "Bản sao Giấy chứng nhận quyền sử dụng đất nơi đặt cơ sở0 bản chính,1 bản sao"
        + "Hợp đồng thuê trụ sở1 bản chính"
        + "Phương án hoạt động của cơ sở1 bản chính"
        + "Trường hợp đã có tài khoản định danh điện tử thì không phải nộp bản sao Căn cước"
        + "0 bản chính,0 bản sao"
        + "Trường hợp cơ sở có chi nhánh:"
        + HEADER
        + "Giấy phép hoạt động đã được cấp trước đây1 bản chính"
    ),
    "can_cu_phap_ly": (
        "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch số 60/2014/QH1360/2014/QH13"
        "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ123/2015/NĐ-CP"
        "Thông tư 04/2024/TT-BTP hướng dẫn04/2024"
    ),
    "ket_qua_xu_ly": "Giấy phép hoạt động thử nghiệmMã: KQ.G15.999001" + RESULT_TAIL,
    "yeu_cau_dieu_kien": "Không có thông tin",
}

# A commune procedure typed as lines (no "Bước"), a district agency, free, no time unit.
FLAT_RESIDENCE = {
    "ma_thu_tuc": "2.900002",
    "ten_thu_tuc": "Xác nhận thông tin thử nghiệm về nơi ở",
    "so_quyet_dinh": "77/QĐ-BCA-C06",
    "cap_thuc_hien": "Cấp xã",
    "linh_vuc": "Đăng ký, quản lý cư trú",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp huyện",
    "trinh_tu_thuc_hien": (
        "- Công dân nộp hồ sơ qua Cổng dịch vụ công hoặc trực tiếp tại Công an cấp xã.\n"
        "- Công an cấp xã tiếp nhận hồ sơ, chuyển hồ sơ cho cán bộ xác minh.\n"
        "- Công dân đến Công an cấp xã để được thu nhận vân tay.\n"
        "- Công an cấp xã trả kết quả cho công dân."
    ),
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíTrực tiếp1Miễn phí"
    ),
    "thanh_phan_ho_so": (
        HEADER
        + "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)1 bản chính"
        + "Giấy tờ chứng minh nơi cư trú1 bản chính"
        + "Sổ hộ khẩu hoặc giấy tờ hợp lệ khác1 bản chính"
        + "Sổ bảo hiểm xã hội0 bản chính,1 bản sao"
    ),
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Cư trú 2020 68/2020/QH14",
    "ket_qua_xu_ly": "Giấy xác nhận thông tin về cư trúMã: KQ.G09.999002" + RESULT_TAIL,
}

# A marriage-like procedure: both parties must be present at the result (Luật Hộ tịch Art. 18).
FLAT_MARRIAGE = {
    "ma_thu_tuc": "1.900003",
    "ten_thu_tuc": "Đăng ký kết hôn thử nghiệm",
    "so_quyet_dinh": "55/QĐ-BTP",
    "cap_thuc_hien": "Cấp xã",
    "linh_vuc": "Hộ tịch",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    "trinh_tu_thuc_hien": (
        "Bước 1: Hai bên nam, nữ nộp tờ khai đăng ký kết hôn.\n"
        "Bước 2: Công chức tư pháp - hộ tịch kiểm tra hồ sơ.\n"
        "Bước 3: Chủ tịch Ủy ban nhân dân cấp xã ký Giấy chứng nhận kết hôn.\n"
        "Bước 4: Công chức tư pháp - hộ tịch trao Giấy chứng nhận kết hôn cho hai bên."
    ),
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí",
    "thanh_phan_ho_so": HEADER + "Tờ khai đăng ký kết hôn1 bản chính",
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch số 60/2014/QH1360/2014/QH13",
    "ket_qua_xu_ly": "Giấy chứng nhận kết hônMã: KQ.G15.999003" + RESULT_TAIL,
}

# Submission described per channel ("Nếu lựa chọn hình thức nộp hồ sơ …"): alternatives.
FLAT_CHANNELS = {
    "ma_thu_tuc": "1.900004",
    "ten_thu_tuc": "Đăng ký thử nghiệm việc giám hộ",
    "so_quyet_dinh": "56/QĐ-BTP",
    "cap_thuc_hien": "Cấp xã",
    "linh_vuc": "Hộ tịch",
    "doi_tuong_thuc_hien": "Công dân Việt Nam",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    "trinh_tu_thuc_hien": (
        "- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp, người yêu cầu nộp hồ sơ tại Trung tâm "
        "Phục vụ hành chính công.\n"
        "- Nếu lựa chọn hình thức nộp hồ sơ trực tuyến, người yêu cầu truy cập Cổng dịch vụ "
        "công quốc gia.\n"
        "Người yêu cầu trực tuyến cung cấp thông tin theo mẫu điện tử tương tác, đính kèm "
        "bản chụp giấy tờ.\n"
        "- Nếu lựa chọn gửi hồ sơ qua dịch vụ bưu chính, người yêu cầu gửi hồ sơ đến Trung "
        "tâm Phục vụ hành chính công.\n"
        "- Cán bộ tiếp nhận hồ sơ kiểm tra tính đầy đủ, hợp lệ của hồ sơ.\n"
        "- Chủ tịch Ủy ban nhân dân cấp xã ký quyết định công nhận việc giám hộ."
    ),
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việcMiễn phí"
        "Trực tiếp3 Ngày làm việcMiễn phíDịch vụ bưu chính3 Ngày làm việcMiễn phí"
    ),
    "thanh_phan_ho_so": HEADER + "Tờ khai đăng ký giám hộ1 bản chính",
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch số 60/2014/QH1360/2014/QH13",
    "ket_qua_xu_ly": "Trích lục đăng ký giám hộMã: KQ.G15.999004" + RESULT_TAIL,
}

# The clean structured shape, with the portal's display keys.
STRUCTURED = {
    "Mã thủ tục": "1.900011",
    "Tên thủ tục": "Cấp lại thẻ thử nghiệm cho người lao động",
    "Số quyết định": "300/QĐ-BNV",
    "Cấp thực hiện": "Cấp bộ",
    "Lĩnh vực": "Lao động",
    "Cơ quan thực hiện": "Cục Việc làm",
    "Trình tự thực hiện": [
        "Người lao động nộp hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia.",
        "Cục Việc làm xem xét hồ sơ; trường hợp không đủ điều kiện thì trả lời bằng văn bản.",
        "Cục Việc làm trả kết quả qua dịch vụ bưu chính.",
    ],
    "Cách thức thực hiện": [
        {"Hình thức nộp": "Trực tuyến", "Thời gian": "3 Ngày làm việc", "Phí, lệ phí": "Miễn phí"},
        {
            "Hình thức nộp": "Dịch vụ bưu chính",
            "Thời gian": "5 Ngày",
            "Phí, lệ phí": "20,000 VNĐ",
            "Mô tả": "Phí gửi hồ sơ",
        },
    ],
    "Thành phần hồ sơ": [
        {
            "Tên giấy tờ": "Tờ khai đề nghị cấp lại thẻ",
            "Mẫu đơn, tờ khai": "Mẫu 02.docx",
            "Số lượng": "1 bản chính",
        },
        {
            "Trường hợp": "Trường hợp thẻ bị hỏng",
            "giay_to": [
                {"Tên giấy tờ": "Thẻ cũ bị hỏng", "Số lượng": "1 bản chính"},
                {"Tên giấy tờ": "Bản sao Giấy khai sinh", "Số lượng": "1 bản sao"},
            ],
        },
    ],
    "Căn cứ pháp lý": [
        {"Tên văn bản": "Nghị định số 12/2022/NĐ-CP", "Mã văn bản": "12/2022/NĐ-CP"},
    ],
    "Kết quả thực hiện": [{"ten": "Thẻ thử nghiệm", "ma": "KQ.G20.999011"}],
}


def flat(code: str, name: str, **overrides) -> dict:
    """A small flattened record (a copy of FLAT_PERMIT with another code and name)."""
    return {**FLAT_PERMIT, "ma_thu_tuc": code, "ten_thu_tuc": name, **overrides}


def write_sources(root: Path) -> Path:
    """A folder of records in every supported file type, with some bad ones."""
    src = root / "records"
    (src / "bo-tu-phap").mkdir(parents=True)
    (src / "bo-cong-an").mkdir()
    (src / "exports").mkdir()
    (src / "bo-tu-phap" / "1.900001.json").write_text(
        json.dumps(FLAT_PERMIT, ensure_ascii=False), encoding="utf-8"
    )
    (src / "bo-tu-phap" / "1.900003.json").write_text(
        json.dumps(FLAT_MARRIAGE, ensure_ascii=False), encoding="utf-8"
    )
    (src / "bo-cong-an" / "2.900002.json").write_text(
        json.dumps(FLAT_RESIDENCE, ensure_ascii=False), encoding="utf-8"
    )
    (src / "exports" / "structured.json").write_text(
        json.dumps(
            [STRUCTURED, flat("1.900012", "Gia hạn Giấy phép thử nghiệm")], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    lines = [
        json.dumps(flat("1.900021", "Điều chỉnh Giấy phép thử nghiệm"), ensure_ascii=False),
        "{broken json",
        json.dumps({"ma_thu_tuc": "X.1", "ten_thu_tuc": "Mã sai"}, ensure_ascii=False),
        json.dumps({"ma_thu_tuc": "1.900022", "ten_thu_tuc": "Chỉ có tên"}, ensure_ascii=False),
        json.dumps(FLAT_PERMIT, ensure_ascii=False),
    ]
    (src / "exports" / "list.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (src / "exports" / "list.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(flat("1.900031", "x")))
        w.writeheader()
        w.writerow(flat("1.900031", "Thu hồi Giấy phép thử nghiệm"))
    _write_xlsx(src / "exports" / "list.xlsx", flat("1.900041", "Cấp bản sao Giấy phép thử nghiệm"))
    return src


def _write_xlsx(path: Path, record: dict) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(record))
    sheet.append(list(record.values()))
    sheet.append([None] * len(record))  # an empty row is skipped
    book.save(path)
