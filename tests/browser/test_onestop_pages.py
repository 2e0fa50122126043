"""Issue 29 in the browser, end to end against the payment and portal sandboxes and a
test CA: the citizen pays the fee on the sandbox platform from the dossier page and sees
it paid; the desk prints the receipt, supplement request and refusal notice; the officer
sees paid / unpaid, the portal sync status, the due date and the time stopped, extends
with a reason and prints the apology letter; a leader assigns a lead and co-handlers,
shown in the inbox; the citizen downloads the signed result. Vietnamese and English,
desktop and phone (screenshots in artifacts/screenshots/)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.conftest import AGENCY, create_token, deploy_sample, make_app, serve
from tests.api.onestop_fixtures import (  # noqa: F401
    MERCHANT,
    PORTAL_PASSWORD,
    PORTAL_USER,
    SECRET,
    pki,
    sandboxes,
)
from tests.browser.conftest import DESKTOP, Page
from tests.browser.helpers import DECLARATION, complete
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.api.app import db
from toantrinh.engine.db import Base, make_sessionmaker
from toantrinh.engine.warehouse import edata_connector
from toantrinh.engine.work_calendar import default_calendar

pytestmark = pytest.mark.browser


@pytest.fixture
def onestop_live(db_url, db_engine, session_factory, sandboxes, pki):  # noqa: F811
    from toantrinh.engine.onestop.passes import OnestopPasses
    from toantrinh.engine.onestop.signing import SigningSetup
    from toantrinh.engine.portal.connector import DvcqgConnector

    Base.metadata.create_all(db_engine)
    app = make_app(
        db_url,
        TOANTRINH_DEV_LOGIN=True,
        TOANTRINH_CONNECTORS=lambda: local_connectors(edata=edata_connector(session_factory)),
        TOANTRINH_SIGNERS=pki["config"]("good"),
        TOANTRINH_PAYMENT_URL=sandboxes["payment"],
        TOANTRINH_PAYMENT_MERCHANT=MERCHANT,
        TOANTRINH_PAYMENT_SECRET=SECRET,
        TOANTRINH_PUBLIC_URL="",
    )
    with app.app_context():
        sessions = make_sessionmaker(db.engine)
    passes = OnestopPasses(
        renderer=app.extensions["toantrinh.documents"],
        signing=SigningSetup.load(pki["config"]("good")),
        payments=app.extensions["toantrinh.payments"],
        portal=DvcqgConnector(sandboxes["portal"], PORTAL_USER, PORTAL_PASSWORD, "000.00.12.H26"),
        connectors=local_connectors(),
    )
    try:
        for live in serve(app):
            yield live, (lambda: passes(sessions))
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def tab(browser, onestop_live, request):
    live, _ = onestop_live
    context = browser.new_context(
        viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
    )
    context.set_default_timeout(20_000)
    yield Page(context.new_page(), live.url, request.node.name)
    context.close()


def _pdf(p, selector: str) -> bytes:
    with p.expect_download() as info:
        p.click(selector)
    return Path(info.value.path()).read_bytes()


def _next_working_morning(after: datetime) -> datetime:
    calendar = default_calendar()
    day = after.astimezone(calendar.zone).date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=calendar.zone)


def test_one_stop_pages_payment_forms_clock_assignment_portal_and_signed_result(tab, onestop_live):
    live, passes = onestop_live
    p = tab.page
    modeller = create_token(live.api(), name="Trần Mô Hình", role="modeller")
    assert deploy_sample(live.api(modeller)).status_code == 201
    citizen_token = create_token(
        live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
    )
    citizen = live.api(citizen_token)
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    complete(citizen, "Task_Declare", DECLARATION)

    # the citizen pays on the sandbox platform from the dossier page
    tab.sign_in("citizen", name="Nguyễn Văn An", identity_number=CITIZEN_ID)
    tab.goto(f"/citizen?dossier={dossier['id']}")
    expect(p.locator("#citizen-payment-state")).to_have_text("Chưa thanh toán")
    tab.shoot("onestop-citizen-unpaid", wait="#pay-online")
    p.click("#pay-online")
    p.wait_for_url(re.compile(r"/pay/"))
    p.click("#pay")
    p.wait_for_url(re.compile(rf"/citizen\?dossier={dossier['id']}"))
    expect(p.locator("#citizen-payment-state")).to_have_text("Đã thanh toán")
    assert _pdf(p, "#download-receipt").startswith(b"%PDF")
    tab.shoot("onestop-citizen-paid", wait="#citizen-payment-state")
    tab.goto(f"/citizen?dossier={dossier['id']}&lang=en")
    expect(p.locator("#citizen-payment-state")).to_have_text("Paid")
    expect(p.locator("#download-result-none")).to_have_text("No result yet.")
    tab.shoot("onestop-citizen-paid-en", wait="#citizen-payment-state")
    tab.goto(f"/citizen?dossier={dossier['id']}&lang=vi")

    # the desk: forms, paid, portal status, the clock not started until receipt
    passes()  # statuses to the portal sandbox
    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    desk = live.api(p.evaluate("localStorage.getItem('tt.token')"))
    receive = next(
        t for t in desk.get("/api/v1/tasks").json()["items"] if t["bpmn_id"] == "Task_Receive"
    )
    tab.goto(f"/inbox?task={receive['id']}")
    expect(p.locator("#officer-payment-state")).to_have_text("Đã thanh toán")
    expect(p.locator("#portal-state")).to_have_attribute("data-state", "synced")
    expect(p.locator("#deadline-state")).to_have_attribute("data-state", "not_received")
    for button in ("#print-receipt", "#print-supplement", "#print-refusal"):
        assert _pdf(p, button).startswith(b"%PDF")
    p.fill("#notice-text", "Bản sao giấy khai sinh")
    supplement = _pdf(p, "#print-supplement")
    assert supplement.startswith(b"%PDF") and len(supplement) > 1000
    tab.shoot("onestop-desk-task", wait="#onestop-panel")

    # received: the clock runs; the desk extends it with a reason and prints the apology
    complete(desk, "Task_Receive", {"intake_decision": "accept"})
    complete(desk, "Task_Transfer", {})
    passes()
    leader_name = "Đỗ Lãnh Đạo"
    tab.sign_in("officer", name=leader_name, lanes=("specialist", "leader"))
    leader = live.api(p.evaluate("localStorage.getItem('tt.token')"))
    for name in ("Chuyên Viên An", "Chuyên Viên Bình"):
        create_token(live.api(), name=name, role="officer", agency=AGENCY, lanes=["specialist"])
    verify = next(
        t for t in leader.get("/api/v1/tasks").json()["items"] if t["bpmn_id"] == "Task_Verify"
    )
    tab.goto(f"/inbox?task={verify['id']}")
    expect(p.locator("#deadline-state")).to_have_attribute("data-state", "running")
    due = datetime.fromisoformat(
        leader.get(f"/api/v1/dossiers/{dossier['id']}/deadline").json()["due_at"]
    )
    new_due = _next_working_morning(due)
    p.fill("#deadline-new-due", new_due.strftime("%Y-%m-%dT%H:%M"))
    p.fill("#deadline-reason", "Chờ kết quả xác minh từ cơ sở dữ liệu lý lịch tư pháp")
    p.click("#deadline-extend button[type=submit]")
    expect(p.locator("#deadline-notice")).to_contain_text("Đã hẹn lại ngày trả kết quả")
    expect(p.locator("#deadline-statutory")).to_be_visible()
    assert _pdf(p, "#deadline-apology").startswith(b"%PDF")
    assert (
        datetime.fromisoformat(leader.get(f"/api/v1/dossiers/{dossier['id']}").json()["due_at"])
        == new_due
    )

    # the leader assigns a lead and a co-handler; the inbox row shows them
    p.select_option("#assign-lead", "officer:Chuyên Viên An")
    p.check("#assign-co input[value='officer:Chuyên Viên Bình']")
    p.click("#assign-form button[type=submit]")
    expect(p.locator("#assign-current-lead")).to_have_text("Chuyên Viên An")
    expect(p.locator("#assign-current-co")).to_have_text("Chuyên Viên Bình")
    tab.goto(f"/inbox?task={verify['id']}")
    expect(p.locator(f"#inbox-list .task[data-task='{verify['id']}'] .handlers")).to_contain_text(
        "Chuyên Viên An"
    )
    tab.shoot("onestop-leader-clock-assignment", wait="#handlers-panel")
    tab.goto(f"/inbox?task={verify['id']}&lang=en")
    expect(p.locator("#deadline-state")).to_have_text("Running")
    expect(p.locator("#officer-payment-state")).to_have_text("Paid")
    tab.shoot("onestop-leader-clock-assignment-en", wait="#handlers-panel")
    tab.goto("/inbox?lang=vi")

    # the lead finishes; the result is signed; the citizen downloads the signed PDF
    lead = live.api(
        create_token(
            live.api(), name="Chuyên Viên An", role="officer", agency=AGENCY, lanes=["specialist"]
        )
    )
    complete(lead, "Task_Verify", {"has_criminal_record": False})
    complete(leader, "Task_Sign", {"decision": "approve"})
    complete(desk, "Task_Deliver", {"delivered_via": "vneid"})
    done = passes()
    assert done["results"]["signed"] == 1
    tab.sign_in("citizen", name="Nguyễn Văn An", identity_number=CITIZEN_ID)
    tab.goto(f"/citizen?dossier={dossier['id']}")
    expect(p.locator("#download-result-state")).to_have_attribute("data-state", "signed")
    signed = _pdf(p, "#download-result")
    assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
    tab.shoot("onestop-citizen-result", wait="#download-result")
    check = (
        live.api()
        .post(
            f"/api/v1/results/{p.locator('#citizen-onestop code').inner_text()}/signature",
            files={"file": ("kq.pdf", signed, "application/pdf")},
        )
        .json()
    )
    assert check["ok"] is True, check
    assert tab.no_horizontal_scroll()
    assert not tab.console_errors, tab.console_errors
