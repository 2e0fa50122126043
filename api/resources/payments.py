"""Online payment of a dossier's fee (engine/payments/): the citizen's order, the
platform's signed callback, what the officer sees (paid / unpaid / refunded), refunds and
reconciliations."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from toantrinh.api.auth import current_principal, requires
from toantrinh.api.context import db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.engine import clock
from toantrinh.engine.access import ensure_may_refund
from toantrinh.engine.payments import orders
from toantrinh.engine.payments.connector import PaymentError
from toantrinh.engine.payments.fees import quote

blp = Blueprint(
    "payments",
    __name__,
    url_prefix="/api/v1",
    description="Thanh toán trực tuyến phí, lệ phí của hồ sơ",
)


class RefundSchema(Schema):
    reason = fields.String(required=True, validate=lambda s: 0 < len(s) <= 500)


def _connector():
    connector = current_app.extensions.get("toantrinh.payments")
    if connector is None:
        raise ApiProblem(
            503,
            "Chưa cấu hình thanh toán trực tuyến (TOANTRINH_PAYMENT_URL).",
            kind="payment-unavailable",
        )
    return connector


def _base_url() -> str:
    configured = current_app.config.get("TOANTRINH_PUBLIC_URL") or ""
    return configured.rstrip("/") or request.host_url.rstrip("/")


@blp.get(f"/dossiers/{ID_RULE}/payments")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Phí phải nộp, trạng thái thanh toán và các lệnh thanh toán")
@blp.alt_response(404, response="NOT_FOUND")
def dossier_payments(dossier_id: int):
    """Hồ sơ đã nộp phí chưa (paid / unpaid / refunded), số tiền phải nộp và căn cứ giảm phí."""
    dossier = load_dossier(dossier_id, current_principal())
    procedure = dict(dossier.version.model.procedure or {}, slug=dossier.version.model.slug)
    fee = quote(procedure, dossier.channel, clock.now().date())
    rows = orders.orders_of(db.session, dossier.id)
    return {
        "dossier_id": dossier.id,
        "receipt_code": dossier.receipt_code,
        "state": orders.payment_state(rows),
        "amount_due": fee.amount,
        "base_amount": fee.base_amount,
        "basis": fee.basis,
        "orders": [row.to_dict() for row in rows],
    }


@blp.post(f"/dossiers/{ID_RULE}/payments")
@requires("citizen", "officer", "admin")
@blp.response(201, description="Lệnh thanh toán (pay_url: trang thanh toán của nền tảng)")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(502, description="Nền tảng thanh toán không trả lời")
def create_payment(dossier_id: int):
    """Tạo (hoặc trả lại) lệnh thanh toán phí của hồ sơ trên nền tảng thanh toán."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    if not any(
        (t.get("step") or {}).get("kind") == "pay" for t in get_engine().ready_tasks(dossier.id)
    ):
        raise ApiProblem(
            409, f"Hồ sơ {dossier.receipt_code} không ở bước nộp phí, lệ phí.", kind="conflict"
        )
    connector = _connector()
    base = _base_url()
    try:
        order = orders.create_order(
            db.session,
            connector,
            dossier,
            notify_url=base + url_for("payments.payment_callback", platform=connector.name),
            return_url=f"{base}/citizen?dossier={dossier.id}",
        )
    except orders.PaymentRefused as err:
        raise ApiProblem(409, str(err), kind="conflict") from err
    except PaymentError as err:
        raise ApiProblem(502, str(err), kind="payment-unavailable") from err
    return order.to_dict(), 201


@blp.post("/payments/callback/<string(maxlength=40):platform>")
@blp.response(200, description="Trả lời nền tảng thanh toán")
@blp.alt_response(400, description="Thông báo không hợp lệ (sai chữ ký, sai số tiền)")
def payment_callback(platform: str):
    """Thông báo kết quả thanh toán của nền tảng (kiểm tra chữ ký; nhận nhiều lần vẫn chỉ
    ghi nhận một lần). Không cần mã truy cập."""
    connector = current_app.extensions.get("toantrinh.payments")
    if connector is None or platform != connector.name:
        raise ApiProblem(404, f"Không có nền tảng thanh toán {platform}.", kind="not-found")
    outcome = orders.receive_callback(
        db.session, connector, request.get_data(), dict(request.headers), get_engine
    )
    if outcome.outcome == "rejected":
        return connector.callback_answer(False), 400
    return connector.callback_answer(True)


@blp.post("/payments/<string(maxlength=40):code>/refund")
@requires("officer", "admin")
@blp.arguments(RefundSchema)
@blp.response(200, description="Lệnh thanh toán đã hoàn tiền")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def refund_payment(args: dict[str, Any], code: str):
    """Hoàn tiền một lệnh đã thanh toán (lãnh đạo của cơ quan, quản trị)."""
    principal = current_principal()
    order = orders.order_by_code(db.session, code)
    if order is None:
        raise ApiProblem(404, f"Không có lệnh thanh toán {code}.", kind="not-found")
    ensure_may_refund(principal, order.agency)
    try:
        order = orders.refund(db.session, _connector(), code, args["reason"], principal.actor)
    except orders.PaymentRefused as err:
        raise ApiProblem(409, str(err), kind="conflict") from err
    except PaymentError as err:
        raise ApiProblem(502, str(err), kind="payment-unavailable") from err
    return order.to_dict()


@blp.get("/payments/reconciliations")
@requires("admin")
@blp.response(200, description="Các lần đối soát gần nhất")
def reconciliations():
    """Kết quả đối soát hằng ngày với nền tảng thanh toán (30 lần gần nhất)."""
    rows = orders.recent_reconciliations(db.session, limit=30)
    return [
        {
            "platform": r.platform,
            "day": r.day,
            "run_at": r.run_at.isoformat(),
            "matched": r.matched,
            "mismatches": r.mismatches,
        }
        for r in rows
    ]
