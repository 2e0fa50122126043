"""Webhooks never reach the server's own network (issue 27 item 12): checked at
subscription and again at every delivery, in every notation of an address, against a
real listener on loopback that must receive nothing; an operator's allow-list opens it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.api.conftest import ADMIN_TOKEN, LLTP
from tests.helpers.people import CITIZEN_ID
from toantrinh.api.app import db
from toantrinh.api.models import ApiNotification, ApiWebhook
from toantrinh.engine import webhook_guard
from toantrinh.engine.webhook_guard import (
    DELIVERY_FAILED,
    Allowance,
    WebhookTargetError,
    check_target,
)

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def listener():
    """A real HTTP server on 127.0.0.1 answering ``status``: (port, bodies received, set status)."""
    received: list[bytes] = []
    status = [204]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(status[0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, received, status
    server.shutdown()
    server.server_close()


def _internal_urls(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/h",
        f"http://localhost:{port}/h",
        f"http://0x7f000001:{port}/h",  # hexadecimal
        f"http://2130706433:{port}/h",  # one decimal integer
        f"http://0177.0.0.1:{port}/h",  # octal
        f"http://127.1:{port}/h",  # short form
        f"http://[::1]:{port}/h",
        f"http://[::ffff:127.0.0.1]:{port}/h",  # IPv4-mapped IPv6
        f"http://[::ffff:7f00:1]:{port}/h",
        f"http://[2002:7f00:1::1]:{port}/h",  # 6to4 carrying 127.0.0.1
        f"http://0.0.0.0:{port}/h",  # unspecified: Linux connects it to loopback
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://10.0.0.5:6379/",
        "http://172.16.3.4:5432/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
        "http://[fe80::1]/",
        "http://[fd12:3456::1]/",
        "http://224.0.0.1/",
    ]


def _drive_a_dossier(client) -> None:
    with open(LLTP / "ly-lich-tu-phap.bpmn", "rb") as f:
        assert (
            client.post(
                "/api/v1/models?slug=ly-lich-tu-phap",
                headers=ADMIN,
                data=f.read(),
                content_type="application/xml",
            ).status_code
            == 201
        )
    started = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
    )
    assert started.status_code == 201, started.get_data(as_text=True)


def test_every_notation_of_an_internal_address_is_refused(listener):
    port, _, _ = listener
    for url in _internal_urls(port):
        with pytest.raises(WebhookTargetError):
            check_target(url)
    public = check_target("http://93.184.216.34/hook", resolver=lambda h, p: ["93.184.216.34"])
    assert public.port == 80 and public.path == "/hook"


def test_subscriptions_to_internal_addresses_are_refused_and_nothing_is_sent(app_factory, listener):
    port, received, _ = listener
    client = app_factory(TOANTRINH_WEBHOOK_ALLOW="").test_client()
    for url in _internal_urls(port):
        answer = client.post("/api/v1/webhooks", headers=ADMIN, json={"url": url, "events": ["*"]})
        assert answer.status_code == 422, (url, answer.get_data(as_text=True))
        assert answer.get_json()["errors"][0]["field"] == "url"
    assert client.get("/api/v1/webhooks", headers=ADMIN).get_json() == []
    assert received == []


def test_stored_internal_targets_are_refused_at_delivery_with_one_error_text(app_factory, listener):
    """Subscriptions already in the database (made before the guard, or restored from a
    backup) are checked at each delivery: the listener gets nothing, and the log cannot
    tell a closed port from an open one."""
    port, received, _ = listener
    app = app_factory(TOANTRINH_WEBHOOK_ALLOW="", TOANTRINH_WEBHOOK_TIMEOUT=2)
    urls = _internal_urls(port)[:11]  # the loopback notations: the ones that would connect
    with app.app_context():
        for url in urls:
            db.session.add(ApiWebhook(url=url, events=["dossier_started"], secret="s" * 16))
        db.session.commit()
    _drive_a_dossier(app.test_client())
    assert received == []
    with app.app_context():
        rows = db.session.scalars(
            select(ApiNotification).where(ApiNotification.channel == "webhook")
        ).all()
    assert sorted(r.recipient for r in rows) == sorted(urls)
    assert {(r.status, r.error) for r in rows} == {("failed", DELIVERY_FAILED)}


def test_an_operator_allow_list_opens_an_internal_receiver(app_factory, listener):
    port, received, _ = listener
    client = app_factory(TOANTRINH_WEBHOOK_ALLOW="127.0.0.0/8").test_client()
    url = f"http://0x7f000001:{port}/h"
    created = client.post(
        "/api/v1/webhooks", headers=ADMIN, json={"url": url, "events": ["dossier_started"]}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    _drive_a_dossier(client)
    assert len(received) == 1 and b'"dossier_started"' in received[0]


def test_a_name_rebound_to_loopback_after_subscription_is_refused_at_delivery(
    app_factory, listener, monkeypatch
):
    """DNS rebinding: the name resolves to a public address when the subscription is made,
    to 127.0.0.1 when the notification goes out."""
    port, received, _ = listener
    answers = {"hooks.tinh-thu.vn": ["93.184.216.34"]}
    monkeypatch.setattr(webhook_guard, "resolve", lambda host, p: answers[host])
    app = app_factory(TOANTRINH_WEBHOOK_ALLOW="")
    client = app.test_client()
    url = f"http://hooks.tinh-thu.vn:{port}/h"
    assert (
        client.post(
            "/api/v1/webhooks", headers=ADMIN, json={"url": url, "events": ["dossier_started"]}
        ).status_code
        == 201
    )
    answers["hooks.tinh-thu.vn"] = ["127.0.0.1"]
    _drive_a_dossier(client)
    assert received == []
    with app.app_context():
        row = db.session.scalars(
            select(ApiNotification).where(ApiNotification.channel == "webhook")
        ).one()
    assert (row.status, row.error) == ("failed", DELIVERY_FAILED)


def test_a_closed_port_and_an_error_answer_read_the_same(listener):
    """With loopback allowed, a refused connection, a 500 and a redirect toward another
    address are all the same failure to whoever reads the delivery log."""
    from toantrinh.engine.notify import DeliveryError, post_webhook

    port, received, status = listener
    allow = Allowance.parse("127.0.0.1/32")
    errors = []
    with pytest.raises(DeliveryError) as closed:
        post_webhook("http://127.0.0.1:9/h", "s", {"event": "x"}, timeout=2, allowance=allow)
    errors.append(str(closed.value))
    for answer in (500, 302):
        status[0] = answer
        with pytest.raises(DeliveryError) as failed:
            post_webhook(
                f"http://127.0.0.1:{port}/h", "s", {"event": "x"}, timeout=2, allowance=allow
            )
        errors.append(str(failed.value))
    assert errors == [DELIVERY_FAILED] * 3
    status[0] = 204
    post_webhook(
        f"http://localhost:{port}/h",
        "s",
        {"event": "x"},
        timeout=2,
        allowance=Allowance.parse("localhost"),
    )
    assert len(received) == 3
