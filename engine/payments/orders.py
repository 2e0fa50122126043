"""Payment orders of dossiers: create, verified callbacks, expiry, refunds, daily
reconciliation, and completing the dossier's payment step once paid.

Guarantees: a dossier has at most one pending order (a partial unique index); an order is
marked paid by one conditional ``UPDATE … WHERE status IN ('pending','expired')``, so two
callbacks, a callback racing the expiry pass or the reconciliation, pay it once; every
callback, accepted, repeated or refused, is kept in ``payment_event``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.engine import clock
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.errors import ConflictError, DomainError, EngineError
from toantrinh.engine.payments.connector import (
    CallbackRejected,
    OrderRequest,
    PaymentConnector,
    PaymentError,
    PaymentStatus,
)
from toantrinh.engine.payments.fees import quote
from toantrinh.engine.persistence import Dossier

log = logging.getLogger("toantrinh.payments")
ORDER_TTL = timedelta(minutes=30)
SYSTEM_ACTOR = "system:payment"


class PaymentOrder(Base):
    """One request to pay a dossier's fee (lệnh thanh toán)."""

    __tablename__ = "payment_order"
    __table_args__ = (
        Index(
            "uq_payment_order_pending",
            "dossier_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    receipt_code: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str | None] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(Integer)
    base_amount: Mapped[int] = mapped_column(Integer)
    basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    # pending → paid → refunded; pending → expired (→ paid, when a late payment arrives);
    # pending → failed / cancelled
    status: Mapped[str] = mapped_column(String(20), default="pending")
    platform_ref: Mapped[str | None] = mapped_column(String(80))
    pay_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    task_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)

    def to_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "code": self.code,
            "dossier_id": self.dossier_id,
            "receipt_code": self.receipt_code,
            "platform": self.platform,
            "amount": self.amount,
            "base_amount": self.base_amount,
            "basis": self.basis,
            "status": self.status,
            "platform_ref": self.platform_ref,
            "pay_url": self.pay_url if self.status == "pending" else None,
            "created_at": iso(self.created_at),
            "expires_at": iso(self.expires_at),
            "paid_at": iso(self.paid_at),
            "refunded_at": iso(self.refunded_at),
            "task_completed": self.task_completed_at is not None,
            "note": self.note,
        }


class PaymentEvent(Base):
    """What happened to an order: created, callbacks (accepted, repeated, refused),
    expiry, refund, reconciliation."""

    __tablename__ = "payment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_code: Mapped[str | None] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PaymentReconciliation(Base):
    """One day's reconciliation (đối soát) with a platform."""

    __tablename__ = "payment_reconciliation"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    day: Mapped[str] = mapped_column(String(10))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    mismatches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class PaymentRefused(DomainError):
    """The order cannot be made or changed (no fee, dossier closed, wrong status)."""

    kind = "conflict"


def _event(session: Session, code: str | None, kind: str, **detail: Any) -> None:
    session.add(PaymentEvent(order_code=code, kind=kind, at=clock.now(), detail=detail))


def new_order_code() -> str:
    return f"TT{clock.now():%y%m%d}{secrets.token_hex(5).upper()}"


def open_order(session: Session, dossier_id: int) -> PaymentOrder | None:
    return session.scalar(
        select(PaymentOrder).where(
            PaymentOrder.dossier_id == dossier_id, PaymentOrder.status == "pending"
        )
    )


def create_order(
    session: Session,
    connector: PaymentConnector,
    dossier: Dossier,
    *,
    notify_url: str,
    return_url: str,
    ttl: timedelta = ORDER_TTL,
) -> PaymentOrder:
    """The dossier's pending order, or a new one for its fee (reduced when submitted
    online); commits. Refused (:class:`PaymentRefused`) when nothing is owed or the fee is
    already paid, and :class:`PaymentError` when the platform fails: both roll back."""
    try:
        return _create_order(
            session, connector, dossier, notify_url=notify_url, return_url=return_url, ttl=ttl
        )
    except (PaymentRefused, PaymentError):
        session.rollback()
        raise


def _create_order(
    session: Session,
    connector: PaymentConnector,
    dossier: Dossier,
    *,
    notify_url: str,
    return_url: str,
    ttl: timedelta,
) -> PaymentOrder:
    existing = open_order(session, dossier.id)
    if existing is not None and existing.expires_at > clock.now():
        return existing
    if dossier.status in ("completed", "cancelled"):
        raise PaymentRefused(f"hồ sơ {dossier.receipt_code} đã kết thúc")
    paid = session.scalar(
        select(PaymentOrder.code).where(
            PaymentOrder.dossier_id == dossier.id, PaymentOrder.status == "paid"
        )
    )
    if paid:
        raise PaymentRefused(f"hồ sơ {dossier.receipt_code} đã nộp phí (lệnh {paid})")
    procedure = dict(dossier.version.model.procedure or {}, slug=dossier.version.model.slug)
    fee = quote(procedure, dossier.channel, clock.now().date())
    if fee.amount <= 0:
        raise PaymentRefused(f"thủ tục của hồ sơ {dossier.receipt_code} không thu phí, lệ phí")
    if existing is not None:  # past its time: expire it before making the next one
        expire_order(session, connector, existing)
    now = clock.now()
    order = PaymentOrder(
        code=new_order_code(),
        dossier_id=dossier.id,
        receipt_code=dossier.receipt_code,
        agency=dossier.agency,
        platform=connector.name,
        amount=fee.amount,
        base_amount=fee.base_amount,
        basis=fee.basis,
        status="pending",
        created_at=now,
        expires_at=now + ttl,
    )
    name = (procedure.get("name") or {}).get("vi") or dossier.version.model.name
    created = connector.create_order(
        OrderRequest(
            order_code=order.code,
            amount=order.amount,
            description=f"Nộp phí hồ sơ {dossier.receipt_code}: {name}"[:250],
            dossier_code=dossier.receipt_code,
            procedure_code=procedure.get("code") or dossier.version.model.slug,
            agency=dossier.agency or "",
            return_url=return_url,
            notify_url=notify_url,
            expires_at=order.expires_at,
        )
    )
    order.platform_ref, order.pay_url = created.platform_ref, created.pay_url
    session.add(order)
    _event(session, order.code, "created", amount=order.amount, basis=order.basis)
    session.commit()
    return order


@dataclass
class CallbackOutcome:
    order: PaymentOrder | None
    outcome: str  # paid | repeated | not_paid | rejected
    detail: str = ""


def handle_callback(
    session: Session, connector: PaymentConnector, body: bytes, headers: dict[str, str]
) -> CallbackOutcome:
    """A platform's notice: verified, then applied at most once; commits."""
    try:
        notice = connector.verify_callback(body, headers)
    except CallbackRejected as err:
        _event(session, None, "callback_rejected", reason=str(err))
        session.commit()
        return CallbackOutcome(None, "rejected", str(err))
    return apply_status(session, notice, source="callback")


def receive_callback(
    session: Session,
    connector: PaymentConnector,
    body: bytes,
    headers: dict[str, str],
    engine: Callable[[], Any],
) -> CallbackOutcome:
    """A platform's notice applied (:func:`handle_callback`); for a payment it records
    now, the dossier's payment step completed by the engine ``engine()`` makes. A step
    that cannot be completed now (the dossier busy, a refusal) is rolled back and left to
    the scheduler's pass (engine/onestop/passes.py)."""
    outcome = handle_callback(session, connector, body, headers)
    if outcome.outcome == "paid" and outcome.order is not None:
        try:
            complete_payment_step(engine(), outcome.order)
        except (ConflictError, EngineError):
            session.rollback()
    return outcome


def apply_status(session: Session, notice: PaymentStatus, *, source: str) -> CallbackOutcome:
    """Apply what the platform says of an order (callback, query, reconciliation)."""
    order = session.scalar(select(PaymentOrder).where(PaymentOrder.code == notice.order_code))
    if order is None:
        _event(session, notice.order_code, f"{source}_unknown_order", status=notice.status)
        session.commit()
        return CallbackOutcome(None, "rejected", "không có lệnh thanh toán này")
    if notice.status != "paid":
        _event(session, order.code, f"{source}_not_paid", status=notice.status)
        if notice.status in ("failed", "cancelled") and order.status == "pending":
            order.status = notice.status
        session.commit()
        return CallbackOutcome(order, "not_paid", notice.status)
    if notice.amount != order.amount:
        _event(
            session, order.code, f"{source}_amount_mismatch", paid=notice.amount, due=order.amount
        )
        session.commit()
        return CallbackOutcome(order, "rejected", "số tiền không khớp lệnh thanh toán")
    paid_at = notice.paid_at or clock.now()
    done = session.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == order.id, PaymentOrder.status.in_(("pending", "expired")))
        .values(
            status="paid", paid_at=paid_at, platform_ref=notice.platform_ref or order.platform_ref
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    _event(
        session,
        order.code,
        "paid" if done else f"{source}_repeated",
        source=source,
        platform_ref=notice.platform_ref,
    )
    session.commit()
    session.refresh(order)
    return CallbackOutcome(order, "paid" if done else "repeated")


def payment_task_data(form: dict[str, Any] | None, order: PaymentOrder) -> dict[str, Any]:
    """The payment step's form filled from the order: the reference, the amount, and the
    method value that means online payment (its enum entry, whatever the procedure named it)."""
    props = (form or {}).get("properties") or {}
    data: dict[str, Any] = {}
    for name in ("payment_reference", "transaction_code", "receipt_number"):
        if name in props:
            data[name] = order.platform_ref or order.code
    for name in ("amount", "paid_amount"):
        if name in props:
            data[name] = order.amount
    method = props.get("payment_method")
    if method is not None:
        choices = method.get("enum")
        if choices:
            wanted = ("online", "trực tuyến", "nền tảng thanh toán")
            data["payment_method"] = next(
                (c for c in choices if any(w in str(c).lower() for w in wanted)), choices[0]
            )
        else:
            data["payment_method"] = "online"
    return data


def complete_payment_step(engine: Any, order: PaymentOrder) -> bool:
    """Complete the dossier's ready payment step (tt:step kind="pay") with the order's
    data, as the system; marks the order. False when no such step is waiting."""
    if order.status != "paid" or order.task_completed_at is not None:
        return False
    session = engine.session
    for task in engine.ready_tasks(order.dossier_id):
        if (task.get("step") or {}).get("kind") != "pay":
            continue
        engine.complete_task(
            order.dossier_id,
            task["id"],
            payment_task_data(task.get("form"), order),
            actor=SYSTEM_ACTOR,
        )
        order = session.get(PaymentOrder, order.id)
        order.task_completed_at = clock.now()
        _event(session, order.code, "step_completed", task=task["name"])
        session.commit()
        return True
    session.rollback()
    return False


def expire_order(session: Session, connector: PaymentConnector, order: PaymentOrder) -> str:
    """Ask the platform first (a payment may be on its way), then expire; flushes."""
    try:
        status = connector.query(order.code)
    except PaymentError as err:
        log.info("order %s: status unknown (%s); kept pending", order.code, err)
        return "pending"
    if status.status == "paid":
        apply_status(session, status, source="query")
        return "paid"
    session.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == order.id, PaymentOrder.status == "pending")
        .values(status="expired")
        .execution_options(synchronize_session=False)
    )
    _event(session, order.code, "expired")
    session.flush()
    return "expired"


def expire_due(session: Session, connector: PaymentConnector, limit: int = 100) -> int:
    """Expire the pending orders past their time (each asked of the platform first)."""
    due = list(
        session.scalars(
            select(PaymentOrder)
            .where(PaymentOrder.status == "pending", PaymentOrder.expires_at <= clock.now())
            .limit(limit)
        )
    )
    expired = 0
    for order in due:
        expired += expire_order(session, connector, order) == "expired"
        session.commit()
    return expired


def refund(
    session: Session, connector: PaymentConnector, code: str, reason: str, actor: str
) -> PaymentOrder:
    order = session.scalar(select(PaymentOrder).where(PaymentOrder.code == code))
    if order is None:
        raise LookupError(code)
    if order.status != "paid":
        raise PaymentRefused(f"lệnh {code} đang ở trạng thái {order.status}, không hoàn tiền được")
    answer = connector.refund(code, order.amount, reason)
    if answer.status != "refunded":
        raise PaymentError(f"nền tảng không hoàn tiền lệnh {code}: {answer.status}")
    order.status, order.refunded_at, order.note = "refunded", clock.now(), reason
    _event(session, code, "refunded", reason=reason, actor=actor)
    session.commit()
    return order


def reconcile(session: Session, connector: PaymentConnector, day: date) -> PaymentReconciliation:
    """Compare the platform's transactions of ``day`` with the orders: a payment the
    platform took that is pending or expired here is applied (as a callback would be);
    anything else that differs is listed; commits."""
    theirs = {t.order_code: t for t in connector.transactions(day)}
    start = datetime.combine(day, datetime.min.time(), tzinfo=clock.now().tzinfo)
    ours = {
        o.code: o
        for o in session.scalars(
            select(PaymentOrder).where(
                PaymentOrder.platform == connector.name,
                PaymentOrder.created_at >= start - timedelta(days=1),
                PaymentOrder.created_at < start + timedelta(days=1),
            )
        )
    }
    mismatches, matched = [], 0
    for code, tx in theirs.items():
        order = ours.get(code) or session.scalar(
            select(PaymentOrder).where(PaymentOrder.code == code)
        )
        if order is None:
            mismatches.append(
                {"order_code": code, "problem": "unknown_here", "platform": tx.status}
            )
        elif tx.status == "paid" and order.status in ("pending", "expired"):
            apply_status(session, tx, source="reconciliation")
            mismatches.append(
                {"order_code": code, "problem": "paid_there_pending_here", "fixed": True}
            )
        elif tx.status == order.status and tx.amount == order.amount:
            matched += 1
        else:
            mismatches.append(
                {
                    "order_code": code,
                    "problem": "differs",
                    "platform": tx.status,
                    "here": order.status,
                    "platform_amount": tx.amount,
                    "amount": order.amount,
                }
            )
    for code, order in ours.items():
        if (
            code not in theirs
            and order.status in ("paid", "refunded")
            and order.paid_at
            and order.paid_at.date() == day
        ):
            mismatches.append({"order_code": code, "problem": "paid_here_unknown_there"})
    run = PaymentReconciliation(
        platform=connector.name,
        day=day.isoformat(),
        run_at=clock.now(),
        matched=matched,
        mismatches=mismatches,
    )
    session.add(run)
    session.commit()
    return run


def order_by_code(session: Session, code: str) -> PaymentOrder | None:
    return session.scalar(select(PaymentOrder).where(PaymentOrder.code == code))


def recent_reconciliations(session: Session, limit: int = 30) -> list[PaymentReconciliation]:
    """The last reconciliations with the platform, newest first."""
    return list(
        session.scalars(
            select(PaymentReconciliation).order_by(PaymentReconciliation.id.desc()).limit(limit)
        )
    )


def orders_of(session: Session, dossier_id: int) -> list[PaymentOrder]:
    return list(
        session.scalars(
            select(PaymentOrder)
            .where(PaymentOrder.dossier_id == dossier_id)
            .order_by(PaymentOrder.id)
        )
    )


def payment_state(orders: list[PaymentOrder]) -> str:
    """What the officer sees of a dossier's fee: paid, refunded or unpaid."""
    if any(o.status == "paid" for o in orders):
        return "paid"
    if any(o.status == "refunded" for o in orders):
        return "refunded"
    return "unpaid"
