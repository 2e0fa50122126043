"""Shared pieces of the library descriptions: annotations, shared forms, lanes, fragments."""

from __future__ import annotations

import itertools
from typing import Any

from bpmn_builder import Boundary, Component, Flow, Node

SCHEMA = "https://json-schema.org/draft/2020-12/schema"

DECREE_118 = "Nghị định 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông"
DECREE_104 = "Nghị định 104/2022/NĐ-CP (bỏ yêu cầu xuất trình sổ hộ khẩu, sổ tạm trú)"
APOLOGY_BASIS = DECREE_118 + " (hồ sơ quá hạn: văn bản xin lỗi, hẹn lại ngày trả kết quả)"

# -- sources of facts (docs/library.md, "Facts and their sources") ----------------------
CHECKED = "2026-12-07"
PORTAL_RECORD = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/"


def cited(source: str, url: str | None = None) -> dict[str, str]:
    """A fact's source checked on ``CHECKED``: the text and article (and its address)."""
    return {"source": source, **({"url": url} if url else {}), "checked": CHECKED}


def portal(code: str, decision: str, record: str, detail: str) -> dict[str, str]:
    """A fact as the national portal publishes it: procedure ``code``'s record ``record``
    (the id in its address), published by ``decision``; ``detail`` says what it states."""
    return cited(
        f"Cổng Dịch vụ công quốc gia, thủ tục {code} (công bố tại Quyết định {decision}): {detail}",
        PORTAL_RECORD + record,
    )


def estimated(basis: str) -> dict[str, Any]:
    """A fact no source confirms: what the figure is based on."""
    return {"source": basis, "estimate": True}


# Vietnam Social Security's offices as its 2025 records name them ("BHXH tỉnh/BHXH cơ sở",
# Decision 1222/QĐ-BTC, record 2.000693): the grassroots office receives and settles.
VSS_AGENCY = "Bảo hiểm xã hội cơ sở (thuộc Bảo hiểm xã hội tỉnh, thành phố)"
VSS_AGENCY_SOURCE = portal(
    "2.000693",
    "1222/QĐ-BTC",
    "019d2bfc-d9ce-754f-b27a-e0edfaf3e2fc",
    "hồ sơ nộp tại cơ quan BHXH tỉnh/BHXH cơ sở (tên các cơ quan bảo hiểm xã hội sau sắp xếp năm 2025)",
)


def st(
    kind: str,
    actor: str,
    duration: str,
    presence: str = "none",
    legal: str | None = None,
    citizen_time: str | None = None,
) -> dict[str, str]:
    """A ``tt:step`` annotation."""
    d = {"kind": kind, "actor": actor, "duration": duration, "presence": presence}
    if legal:
        d["legalBasis"] = legal
    if citizen_time:
        d["citizenTime"] = citizen_time
    return d


def user(id: str, name: str, lane: str, form: str, step: dict[str, str]) -> Node:
    return Node(id, "user", name, lane, step=step, form=form)


def service(
    id: str,
    name: str,
    lane: str,
    operator: str,
    params: dict[str, str],
    result: str,
    kind: str = "other",
    optional: bool = False,
) -> Node:
    """A service task calling ``operator``; an ``optional`` lookup finding no record leaves
    ``result`` empty (``found: False``) instead of failing the dossier (docs/registries.md)."""
    if optional:
        params = {**params, "if_not_found": "'empty'"}
    return Node(
        id,
        "service",
        name,
        lane,
        step=st(kind, "system", "PT1M"),
        operator=operator,
        params=params,
        result=result,
    )


def script(id: str, name: str, lane: str, code: str) -> Node:
    return Node(id, "script", name, lane, step=st("other", "system", "PT1M"), script=code)


def seq(*ids: str) -> list[Flow]:
    return [Flow(a, b) for a, b in itertools.pairwise(ids)]


def prefill(source: str, field: str, result: str) -> dict[str, str]:
    return {"source": source, "field": field, "from": f"{result}.{field}"}


def pf(
    title: str, source: str, field: str, result: str, type_: str = "string", **extra: Any
) -> dict[str, Any]:
    """A read-only form property filled from a registry lookup stored in ``result``."""
    prop = {
        "type": type_,
        "title": title,
        "readOnly": True,
        "x-prefill": prefill(source, field, result),
    }
    prop.update(extra)
    return prop


def text(title: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "minLength": 1, **extra}


def date(title: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "title": title}


def attachment(title: str, component: str) -> dict[str, Any]:
    return {
        "type": "string",
        "title": title,
        "x-component": component,
        "description": "Mã tệp đính kèm (bản chụp/bản điện tử) đã tải lên",
    }


def form(
    form_id: str,
    title: str,
    properties: dict[str, Any],
    required: list[str],
    description: str | None = None,
) -> dict[str, Any]:
    out = {
        "$schema": SCHEMA,
        "$id": f"urn:toantrinh:form:{form_id}",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


def person_block(result: str, prefix: str = "", who: str = "người yêu cầu") -> dict[str, Any]:
    """Identity fields of a person, pre-filled from the population database."""
    return {
        f"{prefix}full_name": pf(f"Họ, chữ đệm và tên {who}", "population", "full_name", result),
        f"{prefix}identity_number": pf(
            f"Số định danh cá nhân của {who}",
            "population",
            "identity_number",
            result,
            pattern="^[0-9]{12}$",
        ),
        f"{prefix}date_of_birth": pf(
            f"Ngày, tháng, năm sinh của {who}", "population", "date_of_birth", result, format="date"
        ),
        f"{prefix}sex": pf(f"Giới tính của {who}", "population", "sex", result),
        f"{prefix}permanent_address": pf(
            f"Nơi thường trú của {who}", "population", "permanent_address", result
        ),
    }


# -- shared forms (officer steps used across procedures) --------------------------------
SHARED_FORMS: dict[str, dict[str, Any]] = {
    "tiep-nhan-ho-so": form(
        "tiep-nhan-ho-so",
        "Tiếp nhận và kiểm tra hồ sơ",
        {
            "dossier_valid": {"type": "boolean", "title": "Hồ sơ đầy đủ, hợp lệ"},
            "missing_items": {
                "type": "string",
                "title": "Thành phần hồ sơ cần bổ sung, hoàn thiện",
            },
            "receipt_note": {"type": "string", "title": "Ghi chú của cán bộ tiếp nhận"},
        },
        ["dossier_valid"],
        "Bộ phận Một cửa kiểm tra thành phần hồ sơ; hồ sơ chưa đầy đủ được hướng dẫn bổ sung một lần.",
    ),
    "bo-sung-ho-so": form(
        "bo-sung-ho-so",
        "Bổ sung, hoàn thiện hồ sơ",
        {
            "supplement_note": text("Nội dung đã bổ sung, hoàn thiện"),
            "supplement_files": {
                "type": "array",
                "title": "Tệp bổ sung",
                "items": {"type": "string"},
            },
        },
        ["supplement_note"],
    ),
    "chuyen-ho-so": form(
        "chuyen-ho-so",
        "Chuyển hồ sơ",
        {"handoff_note": {"type": "string", "title": "Ghi chú khi chuyển hồ sơ"}},
        [],
    ),
    "tham-dinh-ho-so": form(
        "tham-dinh-ho-so",
        "Thẩm định hồ sơ",
        {
            "approved": {"type": "boolean", "title": "Đủ điều kiện giải quyết"},
            "appraisal_opinion": {"type": "string", "title": "Ý kiến thẩm định"},
            "refusal_reason": {"type": "string", "title": "Lý do không giải quyết (nếu có)"},
        },
        ["approved"],
    ),
    "ky-duyet": form(
        "ky-duyet",
        "Ký duyệt kết quả",
        {
            "signed": {
                "type": "boolean",
                "title": "Đã ký (ký số) kết quả giải quyết",
                "const": True,
            },
            "signer_note": {"type": "string", "title": "Ý kiến của người ký"},
        },
        ["signed"],
    ),
    "tra-ket-qua": form(
        "tra-ket-qua",
        "Trả kết quả giải quyết",
        {
            "delivery_method": {
                "type": "string",
                "title": "Hình thức trả kết quả",
                "enum": ["Trực tuyến", "Bưu chính công ích", "Trực tiếp tại Bộ phận Một cửa"],
            },
            "delivery_note": {"type": "string", "title": "Ghi chú"},
        },
        ["delivery_method"],
    ),
    "xin-loi-qua-han": form(
        "xin-loi-qua-han",
        "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
        {
            "delay_reason": text("Lý do chậm giải quyết"),
            "new_appointment": date("Ngày hẹn trả kết quả mới"),
        },
        ["delay_reason", "new_appointment"],
    ),
    "thanh-toan-le-phi": form(
        "thanh-toan-le-phi",
        "Nộp phí, lệ phí trực tuyến",
        {
            "payment_reference": text("Mã giao dịch thanh toán"),
            "amount": {"type": "integer", "minimum": 0, "title": "Số tiền đã nộp (đồng)"},
            "payment_method": {
                "type": "string",
                "title": "Phương thức thanh toán",
                "enum": [
                    "Nền tảng thanh toán Cổng Dịch vụ công quốc gia",
                    "Chuyển khoản ngân hàng",
                    "Ví điện tử",
                    "Tiền mặt",
                ],
            },
        },
        ["payment_reference", "amount"],
    ),
    "kiem-tra-thuc-dia": form(
        "kiem-tra-thuc-dia",
        "Kiểm tra thực địa",
        {
            "inspection_date": date("Ngày kiểm tra"),
            "site_matches": {"type": "boolean", "title": "Hiện trạng phù hợp hồ sơ"},
            "inspection_report": {"type": "string", "title": "Biên bản kiểm tra"},
        },
        ["inspection_date", "site_matches"],
    ),
}


# -- shared fragments --------------------------------------------------------------------
def intake(
    *,
    desk: str,
    citizen: str,
    after: str,
    next_: str,
    receive_name: str,
    receive_step: dict[str, str],
    supplement_legal: str = DECREE_118,
) -> tuple[list[Node], list[Flow]]:
    """Receive → valid? → (no) supplement → receive again (merge gateway); (yes) → ``next_``."""
    nodes = [
        Node("Gateway_Resubmit", "xor", "", desk),
        user("Task_Receive", receive_name, desk, "tiep-nhan-ho-so", receive_step),
        Node("Gateway_Valid", "xor", "Hồ sơ đầy đủ, hợp lệ?", desk),
        user(
            "Task_Supplement",
            "Bổ sung, hoàn thiện hồ sơ theo hướng dẫn",
            citizen,
            "bo-sung-ho-so",
            st("submit", "citizen", "PT1H", legal=supplement_legal, citizen_time="PT2H"),
        ),
    ]
    flows = [
        Flow(after, "Gateway_Resubmit"),
        Flow("Gateway_Resubmit", "Task_Receive"),
        Flow("Task_Receive", "Gateway_Valid"),
        Flow("Gateway_Valid", next_, "Hợp lệ", "dossier_valid == True"),
        Flow("Gateway_Valid", "Task_Supplement", "Chưa hợp lệ", "dossier_valid == False"),
        Flow("Task_Supplement", "Gateway_Resubmit"),
    ]
    return nodes, flows


def overdue(host: str, desk: str, duration: str) -> tuple[list[Node], list[Flow], Boundary]:
    """A non-interrupting statutory-deadline timer on ``host``: apology and new date."""
    boundary = Boundary("Timer_Deadline", "Hết thời hạn giải quyết", host, f'"{duration}"')
    nodes = [
        user(
            "Task_Apology",
            "Gửi văn bản xin lỗi, hẹn lại ngày trả kết quả",
            desk,
            "xin-loi-qua-han",
            st("other", "one_stop_desk", "PT30M", legal=APOLOGY_BASIS),
        ),
        Node("End_Apology", "end", "Đã hẹn lại ngày trả", desk),
    ]
    return (
        nodes,
        [Flow("Timer_Deadline", "Task_Apology"), Flow("Task_Apology", "End_Apology")],
        boundary,
    )


def comp(
    id: str,
    name: str,
    code: str,
    document_type: str,
    copy: str,
    legal: str,
    fields: list[str],
    readers: list[str],
    required: bool = True,
    note: str | None = None,
) -> Component:
    return Component(id, name, code, document_type, copy, required, legal, fields, readers, note)
