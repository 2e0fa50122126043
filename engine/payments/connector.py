"""The payment connector interface, and the adapter for the national payment platform.

The national platform (Nền tảng thanh toán trực tuyến / PayGov, built by NAPAS for the
Ministry of Information and Communications, in operation since 24 July 2020; it connects
one-stop systems with licensed payment intermediaries and does not hold the money
itself) publishes what it does, not its interface: the technical specification is
handed to an agency that registers. What is public, and followed here: a one-stop
system creates a payment request for a dossier's fee and sends the citizen to the
platform's page; the platform tells the system the outcome; the system can ask for a
transaction's status; transactions are reconciled (đối soát) daily.

Every wire detail of :class:`PayGovConnector` — paths, field names, the HMAC-SHA256
checksum over ``|``-joined fields with the merchant's secret — is an **assumption** kept
in one place (``FIELDS``, ``_checksum``) for the operator to align with the
specification they receive (docs/onestop.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import requests


class PaymentError(Exception):
    """The platform did not answer as it should (retry later)."""


class CallbackRejected(Exception):
    """A callback whose signature or content does not check out (answered 400, ignored)."""


@dataclass
class OrderRequest:
    """What the system asks the platform to collect."""

    order_code: str
    amount: int
    description: str
    dossier_code: str
    procedure_code: str
    agency: str
    return_url: str
    notify_url: str
    expires_at: datetime


@dataclass
class CreatedOrder:
    platform_ref: str
    pay_url: str


@dataclass
class PaymentStatus:
    """A transaction as the platform sees it: ``status`` is ``paid``, ``pending``,
    ``failed``, ``cancelled`` or ``refunded``."""

    order_code: str
    status: str
    amount: int
    platform_ref: str | None = None
    paid_at: datetime | None = None


class PaymentConnector(Protocol):
    """A payment platform, as the order service uses it."""

    name: str

    def create_order(self, request: OrderRequest) -> CreatedOrder: ...

    def verify_callback(self, body: bytes, headers: dict[str, str]) -> PaymentStatus:
        """The notice of a callback whose signature checks out, else CallbackRejected."""
        ...

    def callback_answer(self, ok: bool) -> dict[str, Any]: ...

    def query(self, order_code: str) -> PaymentStatus: ...

    def transactions(self, day: date) -> list[PaymentStatus]: ...

    def refund(self, order_code: str, amount: int, reason: str) -> PaymentStatus: ...


STATUSES = {"00": "paid", "01": "pending", "02": "failed", "03": "cancelled", "04": "refunded"}
CODES = {v: k for k, v in STATUSES.items()}
# (assumption) the fields covered by the checksum, in order, for each message
FIELDS = {
    "create": (
        "merchant_code",
        "order_code",
        "amount",
        "dossier_code",
        "procedure_code",
        "notify_url",
    ),
    "notify": (
        "merchant_code",
        "order_code",
        "transaction_ref",
        "amount",
        "status_code",
        "paid_at",
    ),
    "query": ("merchant_code", "order_code"),
    "refund": ("merchant_code", "order_code", "amount"),
    "reconcile": ("merchant_code", "date"),
}


def checksum(secret: str, kind: str, values: dict[str, Any]) -> str:
    """HMAC-SHA256 (hex) of the message's fields joined by ``|`` (assumption)."""
    text = "|".join("" if values.get(f) is None else str(values.get(f)) for f in FIELDS[kind])
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def _parse_dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class PayGovConnector:
    """The national payment platform over HTTP (JSON), as configured by the operator:
    ``TOANTRINH_PAYMENT_URL``, ``TOANTRINH_PAYMENT_MERCHANT``, ``TOANTRINH_PAYMENT_SECRET``."""

    name = "paygov"

    def __init__(
        self,
        base_url: str,
        merchant_code: str,
        secret: str,
        timeout: float = 10.0,
        http: requests.Session | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.merchant_code, self.secret, self.timeout = merchant_code, secret, timeout
        self.http = http or requests.Session()

    def _call(self, method: str, path: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {"merchant_code": self.merchant_code, **body}
        body["checksum"] = checksum(self.secret, kind, body)
        try:
            if method == "GET":
                response = self.http.get(self.base_url + path, params=body, timeout=self.timeout)
            else:
                response = self.http.post(self.base_url + path, json=body, timeout=self.timeout)
        except requests.RequestException as err:
            raise PaymentError(f"nền tảng thanh toán không trả lời: {err}") from err
        if response.status_code >= 400:
            raise PaymentError(
                f"nền tảng thanh toán từ chối (HTTP {response.status_code}): {response.text[:200]}"
            )
        return response.json()

    def create_order(self, request: OrderRequest) -> CreatedOrder:
        answer = self._call(
            "POST",
            "/api/v1/payments",
            "create",
            {
                "order_code": request.order_code,
                "amount": request.amount,
                "currency": "VND",
                "description": request.description,
                "dossier_code": request.dossier_code,
                "procedure_code": request.procedure_code,
                "agency": request.agency,
                "return_url": request.return_url,
                "notify_url": request.notify_url,
                "expires_at": request.expires_at.isoformat(),
            },
        )
        return CreatedOrder(platform_ref=answer["transaction_ref"], pay_url=answer["payment_url"])

    def _status(self, data: dict[str, Any]) -> PaymentStatus:
        return PaymentStatus(
            order_code=data["order_code"],
            status=STATUSES.get(str(data.get("status_code")), "failed"),
            amount=int(data.get("amount") or 0),
            platform_ref=data.get("transaction_ref"),
            paid_at=_parse_dt(data.get("paid_at")),
        )

    def verify_callback(self, body: bytes, headers: dict[str, str]) -> PaymentStatus:
        try:
            data = json.loads(body)
        except ValueError as err:
            raise CallbackRejected("nội dung thông báo không phải JSON") from err
        if not isinstance(data, dict) or not isinstance(data.get("checksum"), str):
            raise CallbackRejected("thông báo thiếu mã kiểm tra (checksum)")
        if data.get("merchant_code") != self.merchant_code:
            raise CallbackRejected("thông báo của đơn vị khác")
        expected = checksum(self.secret, "notify", data)
        if not hmac.compare_digest(expected, data["checksum"]):
            raise CallbackRejected("mã kiểm tra (checksum) không đúng")
        try:
            return self._status(data)
        except (KeyError, ValueError) as err:
            raise CallbackRejected(f"thông báo thiếu trường: {err}") from err

    def callback_answer(self, ok: bool) -> dict[str, Any]:
        return {"code": "00" if ok else "99", "message": "OK" if ok else "Từ chối"}

    def query(self, order_code: str) -> PaymentStatus:
        return self._status(
            self._call("GET", f"/api/v1/payments/{order_code}", "query", {"order_code": order_code})
        )

    def transactions(self, day: date) -> list[PaymentStatus]:
        answer = self._call("GET", "/api/v1/reconciliation", "reconcile", {"date": day.isoformat()})
        return [self._status(item) for item in answer.get("transactions", [])]

    def refund(self, order_code: str, amount: int, reason: str) -> PaymentStatus:
        return self._status(
            self._call(
                "POST",
                f"/api/v1/payments/{order_code}/refund",
                "refund",
                {"order_code": order_code, "amount": amount, "reason": reason},
            )
        )


def connector_from_env(config: dict[str, Any] | None = None) -> PayGovConnector | None:
    """The configured platform, or None when online payment is not set up."""

    def get(key: str) -> str:
        value = (config or {}).get(key)
        return str(value) if value is not None else os.environ.get(key, "")

    url = get("TOANTRINH_PAYMENT_URL")
    if not url:
        return None
    return PayGovConnector(
        url, get("TOANTRINH_PAYMENT_MERCHANT") or "TOANTRINH", get("TOANTRINH_PAYMENT_SECRET") or ""
    )
