"""The sections of a published record, whatever its shape and key spelling.

A record of the National Database on Administrative Procedures has the same sections
everywhere (mã thủ tục, tên thủ tục, số quyết định công bố, cấp thực hiện, …). They
arrive with keys spelt as a scraper wrote them (``ma_thu_tuc``), as the portal shows
them ("Mã thủ tục") or in English (``code``); and each table either as a list of rows
(clean structured shape) or as the page text with its cells run together (flattened
shape). :func:`sections` maps the keys; the table parsers accept both shapes.
"""

from __future__ import annotations

import json

from .text import fold

# canonical section -> the spellings seen (folded before comparison)
KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("ma_thu_tuc", "Mã thủ tục", "Mã TTHC", "ma_tthc", "code", "national_code"),
    "name": ("ten_thu_tuc", "Tên thủ tục", "Tên TTHC", "name", "title"),
    "decision": ("so_quyet_dinh", "Số quyết định", "Số quyết định công bố", "decision"),
    "levels": ("cap_thuc_hien", "Cấp thực hiện", "level", "levels"),
    "kind": ("loai_thu_tuc", "Loại thủ tục", "kind"),
    "field": ("linh_vuc", "Lĩnh vực", "field"),
    "steps": ("trinh_tu_thuc_hien", "Trình tự thực hiện", "steps"),
    "channels": ("cach_thuc_thuc_hien", "Cách thức thực hiện", "channels"),
    "components": ("thanh_phan_ho_so", "Thành phần hồ sơ", "components"),
    "subjects": ("doi_tuong_thuc_hien", "Đối tượng thực hiện", "subjects"),
    "agency": ("co_quan_thuc_hien", "Cơ quan thực hiện", "agency"),
    "competent": ("co_quan_co_tham_quyen", "Cơ quan có thẩm quyền", "competent_agency"),
    "authorised": ("co_quan_duoc_uy_quyen", "Cơ quan được ủy quyền", "authorised_agency"),
    "coordinating": ("co_quan_phoi_hop", "Cơ quan phối hợp", "coordinating_agency"),
    "address": ("dia_chi_tiep_nhan", "Địa chỉ tiếp nhận HS", "Địa chỉ tiếp nhận", "address"),
    "results": ("ket_qua_xu_ly", "ket_qua_thuc_hien", "Kết quả thực hiện", "results"),
    "legal": ("can_cu_phap_ly", "Căn cứ pháp lý", "legal_basis"),
    "conditions": (
        "yeu_cau_dieu_kien",
        "Yêu cầu, điều kiện",
        "Yêu cầu, điều kiện thực hiện",
        "conditions",
    ),
    "url": ("detail_url", "url", "source_url"),
    "volume": ("annual_volume", "so_ho_so_nam", "Số hồ sơ/năm"),
}
_BY_FOLDED = {fold(alias): key for key, aliases in KEY_ALIASES.items() for alias in aliases}


def sections(raw: dict) -> dict[str, object]:
    """The record's sections under canonical names; unknown keys are dropped.

    Strings that hold a JSON list or object (a CSV cell written by an export) are decoded.

    >>> sections({"Mã thủ tục": "1.000001", "ten_thu_tuc": "Cấp phép"})
    {'code': '1.000001', 'name': 'Cấp phép'}
    """
    out: dict[str, object] = {}
    for key, value in raw.items():
        canonical = _BY_FOLDED.get(fold(str(key)))
        if canonical is None or out.get(canonical):
            continue
        out[canonical] = _decoded(value)
    return out


def _decoded(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{" and text[-1:] in "]}":
            try:
                return json.loads(text)
            except ValueError:
                return value
    return value


def pick(row: dict, *aliases: str) -> str:
    """The first non-empty cell of a structured row among spellings of one column."""
    wanted = {fold(a) for a in aliases}
    for key, value in row.items():
        if fold(str(key)) in wanted and value not in (None, ""):
            return str(value)
    return ""
