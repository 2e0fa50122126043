"""Notification channels (thông báo): email over SMTP, SMS through an HTTP gateway, and
HMAC-signed webhooks; plus which notifications a batch of dossier events calls for.

Circular 21/2023/TT-BTTTT (Art. 11) asks procedure information systems to notify the
applicant of the dossier's progress by email, SMS or OTT apps. Deliveries happen after
the engine's transaction has committed; a failed delivery is logged and reported,
never raised into the request or worker that caused it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any, Protocol

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from toantrinh.engine import webhook_guard
from toantrinh.engine.persistence import Dossier, DossierEvent, ReadyTask
from toantrinh.engine.webhook_guard import Allowance

log = logging.getLogger("toantrinh.notify")

CITIZEN_LANE = "citizen"
#: Event kinds that reach the applicant; ``task_ready`` is derived (a citizen step opened).
APPLICANT_EVENTS = ("dossier_started", "task_ready", "dossier_completed", "dossier_cancelled")
SIGNATURE_HEADER = "X-ToanTrinh-Signature"


class DeliveryError(Exception):
    """A channel could not deliver a message."""


class Channel(Protocol):
    """Sends one message to one recipient (an email address, a phone number…)."""

    name: str

    def send(self, recipient: str, subject: str, body: str) -> None: ...


@dataclass
class EmailChannel:
    """Email through an SMTP server (smtplib), optionally with STARTTLS and login."""

    host: str
    port: int = 25
    sender: str = "no-reply@toantrinh.local"
    sender_name: str = "Toàn Trình"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0
    name: str = "email"

    def send(self, recipient: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = formataddr((self.sender_name, self.sender))
        message["To"] = recipient
        message["Subject"] = subject
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as err:
            raise DeliveryError(f"gửi thư tới {recipient} thất bại: {err}") from err


@dataclass
class SmsChannel:
    """SMS through an HTTP gateway: ``POST url`` with ``{"to", "message", "sender"}`` as JSON
    and ``Authorization: Bearer <api_key>``; any 2xx answer counts as accepted."""

    url: str
    api_key: str | None = None
    sender: str = "TOANTRINH"
    timeout: float = 5.0
    name: str = "sms"
    http: requests.Session = field(default_factory=requests.Session)

    def send(self, recipient: str, subject: str, body: str) -> None:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = self.http.post(
                self.url,
                json={"to": recipient, "message": f"{subject}. {body}", "sender": self.sender},
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise DeliveryError(f"cổng SMS không trả lời: {err}") from err
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"cổng SMS từ chối ({response.status_code}): {response.text[:200]}")


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact request body with the subscription's secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def post_webhook(
    url: str,
    secret: str,
    payload: dict[str, Any],
    timeout: float = 5.0,
    allowance: Allowance | None = None,
) -> None:
    """POST ``payload`` as JSON signed in :data:`SIGNATURE_HEADER` to an address
    :mod:`toantrinh.engine.webhook_guard` allows, checked now; raise :class:`DeliveryError` with
    one text whatever failed (the cause is logged)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(secret, body),
        "X-ToanTrinh-Event": str(payload.get("event", "")),
    }
    try:
        webhook_guard.post(url, body, headers, timeout=timeout, allowance=allowance)
    except webhook_guard.DeliveryRefused as err:
        log.warning("webhook %s: %s", url, err.cause)
        raise DeliveryError(str(err)) from err


# ---------------------------------------------------------------- what to notify
@dataclass(frozen=True)
class DossierNotice:
    """One thing to tell about one dossier (the applicant, webhooks)."""

    event: str
    dossier_id: int
    receipt_code: str
    procedure: str
    status: str
    at: datetime
    task_name: str | None = None
    outcome: str | None = None  # issued, refused, withdrawn, expired (engine/outcomes.py)
    reason: str | None = None  # the officer's reason: for the applicant only, never a webhook

    def payload(self) -> dict[str, Any]:
        """What a webhook receives: no personal data, only the dossier's progress."""
        return {
            "event": self.event,
            "dossier_id": self.dossier_id,
            "receipt_code": self.receipt_code,
            "procedure": self.procedure,
            "status": self.status,
            "at": self.at.isoformat(),
            "task_name": self.task_name,
            "outcome": self.outcome,
        }


def notices_for(
    session: Session, events: Iterable[DossierEvent], kinds: Collection[str] = APPLICANT_EVENTS
) -> list[DossierNotice]:
    """The notices of ``kinds`` a batch of committed events calls for, in order.

    ``dossier_started``/``dossier_completed``/``dossier_cancelled`` map one to one; a
    ``task_ready`` notice is added for each citizen-lane task that opened in the batch
    (its inbox row was created at or after the batch's first event on that dossier).
    Only ``task_ready`` needs a query (besides the dossier, which a request has already
    loaded): it is skipped when nobody wants that kind, and so is a dossier whose batch
    can produce no wanted notice.
    """
    by_dossier: dict[int, list[DossierEvent]] = {}
    for event in events:
        if event.dossier_id is not None and ("task_ready" in kinds or event.kind in kinds):
            by_dossier.setdefault(event.dossier_id, []).append(event)
    notices: list[DossierNotice] = []
    for dossier_id, batch in by_dossier.items():
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            continue

        def notice(
            kind: str,
            at: datetime,
            task_name: str | None = None,
            d: Dossier = dossier,
            detail: dict[str, Any] | None = None,
        ) -> DossierNotice:
            detail = detail or {}
            return DossierNotice(
                kind,
                d.id,
                d.receipt_code,
                d.version.model.name,
                d.status,
                at,
                task_name,
                detail.get("outcome"),
                detail.get("reason") or None,
            )

        first = min(e.at for e in batch)
        terminal = None
        for event in batch:
            if event.kind not in kinds:
                continue
            if event.kind == "dossier_started":
                notices.append(notice("dossier_started", event.at))
            elif event.kind in ("dossier_completed", "dossier_cancelled"):
                terminal = notice(event.kind, event.at, detail=event.detail)
        if "task_ready" in kinds:
            opened = session.execute(
                select(ReadyTask.created_at, ReadyTask.name)
                .where(
                    ReadyTask.dossier_id == dossier_id,
                    ReadyTask.lane == CITIZEN_LANE,
                    ReadyTask.created_at >= first,
                )
                .order_by(ReadyTask.id)
            )
            notices.extend(notice("task_ready", at, name) for at, name in opened)
        if terminal is not None:
            notices.append(terminal)
    return notices


SUBJECTS = {
    "dossier_started": "Đã tiếp nhận hồ sơ {receipt_code}",
    "task_ready": "Hồ sơ {receipt_code} cần ông/bà thực hiện: {task_name}",
    "dossier_completed": "Hồ sơ {receipt_code} đã có kết quả",
    "dossier_cancelled": "Hồ sơ {receipt_code} đã bị hủy",
}
BODIES = {
    "dossier_started": "Hồ sơ thủ tục “{procedure}” đã được tiếp nhận với mã biên nhận {receipt_code}. "
    "Ông/bà có thể tra cứu tiến độ bằng mã này.",
    "task_ready": "Hồ sơ {receipt_code} (thủ tục “{procedure}”) đang chờ ông/bà thực hiện bước: {task_name}.",
    "dossier_completed": "Hồ sơ {receipt_code} (thủ tục “{procedure}”) đã giải quyết xong. "
    "Kết quả được trả theo hình thức ông/bà đã chọn.",
    "dossier_cancelled": "Hồ sơ {receipt_code} (thủ tục “{procedure}”) đã bị hủy.",
}


# a refusal is not a result (issue 26 item 4): its own words, with the officer's reason
REFUSED_SUBJECT = "Hồ sơ {receipt_code} không được giải quyết"
REFUSED_BODY = (
    "Hồ sơ {receipt_code} (thủ tục “{procedure}”) đã bị từ chối giải quyết. Lý do: {reason}"
)
NO_REASON = "cơ quan giải quyết không ghi lý do; ông/bà có quyền đề nghị được trả lời bằng văn bản."


def compose(notice: DossierNotice) -> tuple[str, str]:
    """(subject, body) in Vietnamese for the applicant."""
    values = {
        "receipt_code": notice.receipt_code,
        "procedure": notice.procedure,
        "task_name": notice.task_name or "",
        "reason": notice.reason or NO_REASON,
    }
    if notice.event == "dossier_completed" and notice.outcome == "refused":
        return REFUSED_SUBJECT.format(**values), REFUSED_BODY.format(**values)
    body = BODIES[notice.event].format(**values)
    if notice.event == "dossier_cancelled" and notice.reason:
        body += f" Lý do: {notice.reason}"
    return SUBJECTS[notice.event].format(**values), body


@dataclass
class Delivery:
    """One message to send on one channel (or to one webhook) about one notice."""

    notice: DossierNotice
    channel: str
    recipient: str
    subject: str = ""
    body: str = ""
    secret: str | None = None


class Notifier:
    """Sends deliveries over the configured channels."""

    def __init__(
        self,
        channels: dict[str, Channel] | None = None,
        *,
        webhook_timeout: float = 5.0,
        webhook_allow: Allowance | None = None,
    ):
        """``webhook_allow``: the internal networks and hosts the operator lets webhooks
        reach (``TOANTRINH_WEBHOOK_ALLOW``, :mod:`toantrinh.engine.webhook_guard`); none by default."""
        self.channels = dict(channels or {})
        self.webhook_timeout = webhook_timeout
        self.webhook_allow = webhook_allow or Allowance()

    def applicant_deliveries(
        self, notice: DossierNotice, contact: dict[str, Any]
    ) -> list[Delivery]:
        subject, body = compose(notice)
        out = []
        if contact.get("email") and "email" in self.channels:
            out.append(Delivery(notice, "email", str(contact["email"]), subject, body))
        if contact.get("phone") and "sms" in self.channels:
            out.append(Delivery(notice, "sms", str(contact["phone"]), subject, body))
        return out

    def deliver(self, deliveries: Iterable[Delivery]) -> list[tuple[Delivery, str | None]]:
        """Send each delivery; return (delivery, error or None). Never raises."""
        outcomes = []
        for delivery in deliveries:
            error = None
            try:
                if delivery.channel == "webhook":
                    post_webhook(
                        delivery.recipient,
                        delivery.secret or "",
                        delivery.notice.payload(),
                        timeout=self.webhook_timeout,
                        allowance=self.webhook_allow,
                    )
                else:
                    self.channels[delivery.channel].send(
                        delivery.recipient, delivery.subject, delivery.body
                    )
            except Exception as err:  # any channel failure is reported, never raised
                error = str(err) or type(err).__name__
                log.warning(
                    "notification %s via %s failed: %s",
                    delivery.notice.event,
                    delivery.channel,
                    error,
                )
            outcomes.append((delivery, error))
        return outcomes
