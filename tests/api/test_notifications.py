"""Notifications: email to a local SMTP server, signed webhooks to a local receiver, and
failing channels that never fail the request."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import datetime
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.api.conftest import ADMIN_TOKEN, deploy_sample
from tests.helpers.people import CITIZEN_ID, POPULATION
from toantrinh.api.app import db
from toantrinh.api.models import ApiNotification
from toantrinh.engine.notify import (
    SIGNATURE_HEADER,
    DeliveryError,
    DossierNotice,
    EmailChannel,
    sign,
)


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _headers(token):
    return {"Authorization": f"Bearer {token}"}


def test_applicant_gets_emails_and_subscribers_get_signed_webhooks(app_factory, smtp, receiver):
    controller, inbox = smtp
    hook_url, received = receiver
    app = app_factory(
        TOANTRINH_SMTP_HOST="127.0.0.1",
        TOANTRINH_SMTP_PORT=controller.port,
        TOANTRINH_SMS_URL=f"http://127.0.0.1:{_free_port()}/sms",
    )
    client = app.test_client()
    admin = _headers(ADMIN_TOKEN)
    secret = "khoa-bi-mat-cua-cong-tich-hop"
    created = client.post(
        "/api/v1/webhooks",
        headers=admin,
        json={"url": hook_url, "events": ["dossier_started", "task_ready"], "secret": secret},
    )
    assert created.status_code == 201 and created.get_json()["secret"] == secret
    assert "secret" not in client.get("/api/v1/webhooks", headers=admin).get_json()[0]
    token = client.post(
        "/api/v1/auth/tokens",
        headers=admin,
        json={"name": "Hương", "role": "citizen", "identity_number": CITIZEN_ID},
    ).get_json()["token"]

    class Modeller:  # deploy_sample takes anything with .post(path, files=...)
        @staticmethod
        def post(path, files):
            data = {k: (v[1], v[0]) for k, v in files.items()}
            return client.post(path, headers=admin, data=data, content_type="multipart/form-data")

    assert deploy_sample(Modeller).status_code == 201
    # the SMS gateway is down: the dossier is still accepted
    started = client.post(
        "/api/v1/dossiers", headers=_headers(token), json={"model": "ly-lich-tu-phap"}
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    receipt = started.get_json()["receipt_code"]

    email = POPULATION[CITIZEN_ID]["email"]
    subjects = [m["Subject"] for to, m in inbox.messages if to == [email]]
    assert subjects == [
        f"Đã tiếp nhận hồ sơ {receipt}",
        f"Hồ sơ {receipt} cần ông/bà thực hiện: Kê khai Tờ khai và đính kèm giấy tờ",
    ]
    assert "Cấp Phiếu lý lịch tư pháp" in inbox.messages[0][1].get_content()

    assert [json.loads(body)["event"] for _, body in received] == ["dossier_started", "task_ready"]
    headers, body = received[0]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    payload = json.loads(body)
    assert payload["receipt_code"] == receipt
    assert CITIZEN_ID not in body.decode() and email not in body.decode()

    with app.app_context():
        rows = db.session.scalars(select(ApiNotification).order_by(ApiNotification.id)).all()
        outcome = {(r.event, r.channel, r.status) for r in rows}
        assert ("dossier_started", "email", "sent") in outcome
        assert ("dossier_started", "webhook", "sent") in outcome
        assert ("dossier_started", "sms", "failed") in outcome
        failed = next(r for r in rows if r.channel == "sms")
        assert failed.recipient == POPULATION[CITIZEN_ID]["phone"] and failed.error


def test_cancel_notifies_and_a_dead_smtp_server_never_fails_the_request(app_factory):
    app = app_factory(TOANTRINH_SMTP_HOST="127.0.0.1", TOANTRINH_SMTP_PORT=_free_port())
    client = app.test_client()
    admin = _headers(ADMIN_TOKEN)
    with open("process_models/ly-lich-tu-phap/ly-lich-tu-phap.bpmn", "rb") as f:
        assert (
            client.post(
                "/api/v1/models?slug=ly-lich-tu-phap",
                headers=admin,
                data=f.read(),
                content_type="application/xml",
            ).status_code
            == 201
        )
    started = client.post(
        "/api/v1/dossiers",
        headers=admin,
        json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
    )
    assert started.status_code == 201
    cancelled = client.post(
        f"/api/v1/dossiers/{started.get_json()['id']}/cancel",
        headers=admin,
        json={"reason": "Nộp nhầm thủ tục"},
    )
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    with app.app_context():
        rows = db.session.scalars(select(ApiNotification).order_by(ApiNotification.id)).all()
        assert [(r.event, r.status) for r in rows if r.channel == "email"][-1] == (
            "dossier_cancelled",
            "failed",
        )
        assert {r.recipient for r in rows} == {POPULATION[CITIZEN_ID]["email"]}  # from the prefill


def test_signature_is_hmac_sha256_of_the_exact_body():
    body = b'{"event":"dossier_completed"}'
    assert sign("s", body) == "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()
    assert sign("s", body) != sign("t", body)


def test_email_channel_reports_an_unreachable_server():
    channel = EmailChannel(host="127.0.0.1", port=_free_port(), timeout=2)
    with pytest.raises(DeliveryError):
        channel.send("a@example.vn", "Tiêu đề", "Nội dung")
    notice = DossierNotice(
        "dossier_completed", 1, "LLTP-1", "Thủ tục", "completed", datetime(2026, 1, 1)
    )
    assert notice.payload()["at"] == "2026-01-01T00:00:00"


def test_events_committed_outside_a_request_are_delivered_by_notify_events(
    session, api_tables, receiver
):
    from sqlalchemy.orm import sessionmaker

    from tests.api.conftest import LLTP
    from tests.helpers.people import local_connectors
    from toantrinh.api.models import ApiWebhook
    from toantrinh.api.notifications import notify_events
    from toantrinh.engine.notify import Notifier
    from toantrinh.engine.service import Engine
    from toantrinh.engine.webhook_guard import Allowance

    hook_url, received = receiver
    session.add(ApiWebhook(url=hook_url, events=["*"], secret="s" * 20, active=True))
    session.commit()
    events: list = []
    engine = Engine(session, connectors=local_connectors(), on_event=events.append)
    engine.deploy_folder(LLTP)
    sessions = sessionmaker(bind=session.get_bind())
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    notifier = Notifier(webhook_allow=Allowance.parse("127.0.0.1"))  # the receiver's loopback
    notify_events(engine, events, notifier, sessions)
    events.clear()
    engine.cancel(dossier.id, reason="Thử")
    notify_events(engine, events, notifier, sessions)
    assert [json.loads(body)["event"] for _, body in received] == [
        "dossier_started",
        "task_ready",
        "dossier_cancelled",
    ]
    session.rollback()  # end this session's read snapshot; the log was written by another
    logged = session.scalars(select(ApiNotification).order_by(ApiNotification.id)).all()
    assert [(r.channel, r.status) for r in logged] == [("webhook", "sent")] * 3
