"""What the one-stop desk prints for a dossier (biểu mẫu một cửa): the receipt and
appointment slip, the supplement request and the refusal notice — their contexts, built
from what the engine holds, and their PDF.

The forms are those of the one-stop regulation: Decree 118/2025/NĐ-CP (9 June 2025, in
force 1 July 2025), which replaced Decree 61/2018/NĐ-CP; under the old decree the forms
were Mẫu số 01 (receipt), 02 (supplement request) and 03 (refusal) of Circular
01/2018/TT-VPCP. The numbering of the forms in Decree 118/2025's own appendix was not
confirmed against its text (checked 2026-12-07): docs/onestop.md keeps the status.
"""

from __future__ import annotations

from typing import Any

from toantrinh.engine.onestop.documents import DocumentRenderer, vn_money
from toantrinh.engine.persistence import Dossier

KINDS = {
    "receipt": ("receipt.html", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement-request": ("supplement_request.html", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": ("refusal.html", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
}
CHANNELS = {
    "online": "trực tuyến",
    "in_person": "trực tiếp tại Bộ phận Một cửa",
    "postal": "qua dịch vụ bưu chính công ích",
    "portal": "trực tuyến qua Cổng Dịch vụ công quốc gia",
}
# the data keys a procedure's forms use for what the desk asks or refuses, in order
SUPPLEMENT_KEYS = ("supplement_items", "missing_items", "supplement_request")
REFUSAL_KEYS = ("refusal_reason", "rejection_reason", "reason")


def applicant_of(data: dict[str, Any], applicant_id: str | None) -> dict[str, str]:
    """The applicant's name, identity number, address, phone and email: from the
    dossier's top-level data, else from what a registry (the population database) gave."""
    sources = [data] + [v for v in data.values() if isinstance(v, dict)]

    def first(*keys: str) -> str:
        for source in sources:
            for key in keys:
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
        return ""

    return {
        "name": first("applicant_name", "full_name"),
        "identity_number": applicant_id or first("identity_number"),
        "address": first("current_address", "permanent_address", "address"),
        "phone": first("phone"),
        "email": first("email"),
    }


def _text_items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [line.strip(" -•\t") for line in value.splitlines() if line.strip(" -•\t")]
    return []


def processing_time(procedure: dict[str, Any]) -> str:
    spec = procedure.get("processing_time") or {}
    days = spec.get("days")
    if not days:
        return "theo quy định"
    return f"{days} ngày{' làm việc' if spec.get('working_days') else ''}"


def fee_text(procedure: dict[str, Any], channel: str) -> str:
    fee = procedure.get("fee") or {}
    amount = fee.get("online_amount") if channel in ("online", "portal") else fee.get("amount")
    if amount is None:
        amount = fee.get("amount")
    return vn_money(amount) if amount else ""


def notice_context(
    dossier: Dossier,
    data: dict[str, Any],
    components: list[dict[str, str]],
    *,
    officer: str | None,
    at: Any,
    qr_text: str,
    tracking_url: str = "",
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The context every one-stop form shares, plus what the supplement and refusal forms
    read from the dossier's data (``overrides`` — what the officer typed — win)."""
    procedure = dossier.version.model.procedure or {}
    agency = dossier.agency or procedure.get("agency") or ""
    items: list[str] = []
    for key in SUPPLEMENT_KEYS:
        items = items or _text_items(data.get(key))
    reason = next((str(data[k]) for k in REFUSAL_KEYS if data.get(k)), "")
    context = {
        "agency": agency,
        "desk": f"Bộ phận Một cửa {agency}".strip(),
        "number": dossier.receipt_code,
        "issued_at": at,
        "receipt_code": dossier.receipt_code,
        "qr_text": qr_text,
        "tracking_url": tracking_url,
        "applicant": applicant_of(data, dossier.applicant_id),
        "procedure": {
            "name": (procedure.get("name") or {}).get("vi") or dossier.version.model.name,
            "code": procedure.get("code") or "",
        },
        "components": components,
        "channel_label": CHANNELS.get(dossier.channel, dossier.channel),
        "processing_time": processing_time(procedure),
        "received_at": dossier.created_at,
        "due_at": dossier.due_at,
        "fee": fee_text(procedure, dossier.channel),
        "officer": officer or "",
        "items": items,
        "reason": reason,
        "contact": "",
    }
    for key, value in (overrides or {}).items():
        if value not in (None, "", []):
            context[key] = _text_items(value) if key == "items" else value
    return context


def render_notice(renderer: DocumentRenderer, kind: str, context: dict[str, Any]) -> bytes:
    """The PDF of one form (``kind`` in :data:`KINDS`)."""
    template, title = KINDS[kind]
    return renderer.pdf(template, context, title=title)
