"""A sandbox of the national payment platform, for development, demonstrations and tests:
the HTTP interface :class:`toantrinh.engine.payments.connector.PayGovConnector` speaks, a checkout
page where a citizen "pays" with one click, and signed notices to the one-stop system.

Test controls (not part of any real platform): ``POST /_sandbox/pay/<order_code>`` pays
without the browser (``?notices=N`` sends the notice N times, ``0`` none: a payment whose
notice was lost, for the expiry and reconciliation passes), ``POST /_sandbox/outage``
(``{"down": true}``) makes the API answer 503, ``GET /_sandbox/orders`` lists everything.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from html import escape
from typing import Any

import requests
from flask import Flask, abort, jsonify, redirect, request

from toantrinh.engine.payments.connector import CODES, checksum


def create_app(merchant_code: str = "TOANTRINH", secret: str = "sandbox-secret") -> Flask:
    """The sandbox platform as a Flask app, for the merchant ``merchant_code`` whose
    requests and notices are signed with ``secret``."""
    app = Flask("toantrinh-payment-sandbox")
    app.json.ensure_ascii = False
    platform = _Platform(merchant_code, secret)
    _api_routes(app, platform)
    _checkout_routes(app, platform)
    _control_routes(app, platform)
    return app


def _public(order: dict[str, Any]) -> dict[str, Any]:
    """An order as the platform's API shows it."""
    return {
        k: order[k]
        for k in (
            "order_code",
            "transaction_ref",
            "amount",
            "status_code",
            "paid_at",
            "merchant_code",
        )
    }


class _Platform:
    """The sandbox's state — its orders, and whether it is down — and what is done to an
    order."""

    def __init__(self, merchant_code: str, secret: str):
        self.merchant_code, self.secret = merchant_code, secret
        self.orders: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.down = False

    def check(self, kind: str, values: dict[str, Any]) -> None:
        """Abort the request unless the platform is up and ``values`` are the merchant's,
        signed with its secret."""
        if self.down and not request.path.startswith("/_sandbox"):
            abort(503)
        if values.get("merchant_code") != self.merchant_code:
            abort(403)
        if values.get("checksum") != checksum(self.secret, kind, values):
            abort(401)

    def notify(self, order: dict[str, Any], times: int = 1) -> list[int]:
        """Send the signed notice of ``order`` ``times`` times; each answer's status (0: no
        answer)."""
        body = _public(order)
        body["checksum"] = checksum(self.secret, "notify", body)
        answers = []
        for _ in range(times):
            try:
                answers.append(
                    requests.post(order["notify_url"], json=body, timeout=10).status_code
                )
            except requests.RequestException:
                answers.append(0)
        return answers

    def pay(self, order: dict[str, Any]) -> None:
        with self.lock:
            if order["status_code"] == CODES["pending"]:
                order["status_code"] = CODES["paid"]
                order["paid_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    def by_ref(self, ref: str) -> dict[str, Any]:
        return next(
            (o for o in self.orders.values() if o["transaction_ref"] == ref), None
        ) or abort(404)


def _api_routes(app: Flask, platform: _Platform) -> None:
    """The HTTP interface the connector speaks."""
    orders = platform.orders

    @app.get("/health")
    def health():
        return {"status": "down" if platform.down else "ok"}

    @app.post("/api/v1/payments")
    def create():
        body = request.get_json(force=True)
        platform.check("create", body)
        with platform.lock:
            if body["order_code"] in orders:
                order = orders[body["order_code"]]
            else:
                ref = f"PG{len(orders) + 1:08d}"
                order = orders[body["order_code"]] = {
                    **body,
                    "transaction_ref": ref,
                    "status_code": CODES["pending"],
                    "paid_at": None,
                    "created": date.today().isoformat(),
                }
        return {
            "transaction_ref": order["transaction_ref"],
            "payment_url": f"{request.host_url.rstrip('/')}/pay/{order['transaction_ref']}",
        }

    @app.get("/api/v1/payments/<code>")
    def query(code: str):
        platform.check("query", request.args.to_dict())
        order = orders.get(code) or abort(404)
        return _public(order)

    @app.post("/api/v1/payments/<code>/refund")
    def refund(code: str):
        body = request.get_json(force=True)
        platform.check("refund", body)
        order = orders.get(code) or abort(404)
        with platform.lock:
            if order["status_code"] == CODES["paid"] and int(body["amount"]) == int(
                order["amount"]
            ):
                order["status_code"] = CODES["refunded"]
        return _public(order)

    @app.get("/api/v1/reconciliation")
    def reconciliation():
        platform.check("reconcile", request.args.to_dict())
        day = request.args["date"]
        listed = [_public(o) for o in orders.values() if o["paid_at"] and o["paid_at"][:10] == day]
        return {"date": day, "transactions": listed}


def _checkout_routes(app: Flask, platform: _Platform) -> None:
    """The page where a citizen pays or cancels with one click."""

    @app.get("/pay/<ref>")
    def checkout(ref: str):
        order = platform.by_ref(ref)
        amount = f"{int(order['amount']):,}".replace(",", ".")
        done = order["status_code"] != CODES["pending"]
        return (
            "<!doctype html><html lang='vi'><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Hộp cát thanh toán</title><body style='font-family:sans-serif;max-width:32em;margin:2em auto'>"
            "<h1>Nền tảng thanh toán (hộp cát)</h1>"
            "<p><strong>Không phải giao dịch thật.</strong></p>"
            f"<p>{escape(order['description'])}</p><p>Số tiền: <strong id='amount'>{amount} đồng</strong></p>"
            + (
                "<p id='done'>Giao dịch đã xử lý.</p>"
                if done
                else "<form method='post'><button id='pay' name='action' value='pay'>Thanh toán</button> "
                "<button id='cancel' name='action' value='cancel'>Hủy</button></form>"
            )
            + "</body></html>"
        )

    @app.post("/pay/<ref>")
    def checkout_submit(ref: str):
        order = platform.by_ref(ref)
        if request.form.get("action") == "pay":
            platform.pay(order)
        elif order["status_code"] == CODES["pending"]:
            order["status_code"] = CODES["cancelled"]
        platform.notify(order)
        return redirect(order["return_url"], code=303)


def _control_routes(app: Flask, platform: _Platform) -> None:
    """The test controls under ``/_sandbox`` (not part of any real platform)."""

    @app.post("/_sandbox/pay/<code>")
    def sandbox_pay(code: str):
        order = platform.orders.get(code) or abort(404)
        platform.pay(order)
        answers = platform.notify(order, int(request.args.get("notices", 1)))
        return {"order": _public(order), "notices": answers}

    @app.post("/_sandbox/outage")
    def outage():
        platform.down = bool((request.get_json(silent=True) or {}).get("down"))
        return {"down": platform.down}

    @app.get("/_sandbox/orders")
    def listing():
        return jsonify(json.loads(json.dumps(list(platform.orders.values()), default=str)))
