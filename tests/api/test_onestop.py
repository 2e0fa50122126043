"""Issue 29, parts 1, 2, 3 and 5 over real HTTP, the real engine and database, and the
payment and portal sandboxes on free ports: signed e-results, the desk's printed forms,
online payment, and the exchange with the National Public Service Portal."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
import requests
from sqlalchemy import select, update

from tests.api.conftest import deploy_sample
from tests.api.onestop_fixtures import LLTP_NATIONAL_CODE
from tests.api.test_main_flow import DECLARATION, _complete, _my_task
from tests.helpers.people import CITIZEN_ID
from toantrinh.engine import clock
from toantrinh.engine.onestop import signing
from toantrinh.engine.onestop.testca import TEST_PASSPHRASE
from toantrinh.engine.payments.orders import PaymentEvent, PaymentOrder, expire_due, reconcile
from toantrinh.engine.portal.sync import PortalOutbox


def _start(live, tokens) -> tuple[dict, object, object, object]:
    citizen = live.api(tokens["citizen"])
    assert deploy_sample(live.api(tokens["modeller"])).status_code in (200, 201)
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    _complete(citizen, _my_task(citizen, "Task_Declare"), DECLARATION)
    return dossier, citizen, live.api(tokens["desk"]), live.api(tokens["specialist_leader"])


def _pay_online(onestop, citizen, dossier, notices: int = 1) -> dict:
    order = citizen.post(f"/api/v1/dossiers/{dossier['id']}/payments")
    assert order.status_code == 201, order.text
    paid = requests.post(
        f"{onestop['payment']}/_sandbox/pay/{order.json()['code']}",
        params={"notices": notices},
        timeout=30,
    )
    assert paid.status_code == 200, paid.text
    return {**order.json(), "notices": paid.json()["notices"]}


def _finish(desk, specialist) -> dict:
    _complete(desk, _my_task(desk, "Task_Receive"), {"intake_decision": "accept"})
    _complete(desk, _my_task(desk, "Task_Transfer"), {})
    _complete(specialist, _my_task(specialist, "Task_Verify"), {"has_criminal_record": False})
    _complete(specialist, _my_task(specialist, "Task_Sign"), {"decision": "approve"})
    return _complete(desk, _my_task(desk, "Task_Deliver"), {"delivered_via": "vneid"})


def _result_code(desk, dossier) -> str:
    events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    return next(e["detail"]["result_code"] for e in events if e["kind"] == "result_stored")


# ------------------------------------------------------------------------ part 3
def test_online_payment_completes_the_payment_step_once_and_the_officer_sees_it(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, _ = _start(live, tokens)
    before = desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    assert before["state"] == "unpaid" and before["amount_due"] == 200000

    order = _pay_online(onestop, citizen, dossier, notices=3)  # the platform repeats its notice
    assert order["pay_url"].startswith(onestop["payment"] + "/pay/")
    assert order["notices"] == [200, 200, 200]

    seen = desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    assert seen["state"] == "paid"
    assert [o["status"] for o in seen["orders"]] == ["paid"]
    assert seen["orders"][0]["task_completed"] is True
    now = citizen.get(f"/api/v1/dossiers/{dossier['id']}").json()
    assert [t["name"] for t in now["current_tasks"]] == [
        "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ"
    ]
    events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    paid_steps = [
        e for e in events if e["kind"] == "task_completed" and e["actor"] == "system:payment"
    ]
    assert len(paid_steps) == 1
    with onestop["sessions"]() as session:
        kinds = [
            e.kind
            for e in session.scalars(
                select(PaymentEvent)
                .where(PaymentEvent.order_code == order["code"])
                .order_by(PaymentEvent.id)
            )
        ]
    assert kinds.count("paid") == 1 and kinds.count("callback_repeated") == 2
    # paid: no second order
    again = citizen.post(f"/api/v1/dossiers/{dossier['id']}/payments")
    assert again.status_code == 409


def test_forged_or_wrong_amount_callbacks_are_refused(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, _ = _start(live, tokens)
    order = citizen.post(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    callback = f"{live.url}/api/v1/payments/callback/paygov"
    forged = {
        "merchant_code": "SOTUPHAP",
        "order_code": order["code"],
        "transaction_ref": "X",
        "amount": order["amount"],
        "status_code": "00",
        "paid_at": None,
        "checksum": "0" * 64,
    }
    assert requests.post(callback, json=forged, timeout=10).status_code == 400
    from tests.api.onestop_fixtures import SECRET
    from toantrinh.engine.payments.connector import checksum

    cheap = dict(forged, amount=1000)
    cheap["checksum"] = checksum(SECRET, "notify", cheap)
    assert requests.post(callback, json=cheap, timeout=10).status_code == 400
    seen = desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    assert seen["state"] == "unpaid" and seen["orders"][0]["status"] == "pending"


def test_unpaid_orders_expire_and_a_late_payment_is_found_by_reconciliation(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, _ = _start(live, tokens)
    order = citizen.post(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    connector = onestop["app"].extensions["toantrinh.payments"]
    with onestop["sessions"]() as session:
        session.execute(update(PaymentOrder).values(expires_at=clock.now() - timedelta(minutes=1)))
        session.commit()
        assert expire_due(session, connector) == 1
    assert (
        desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()["orders"][0]["status"]
        == "expired"
    )
    # the citizen paid on the platform but its notice never arrived
    paid = requests.post(
        f"{onestop['payment']}/_sandbox/pay/{order['code']}", params={"notices": 0}, timeout=10
    )
    assert paid.json()["notices"] == []
    with onestop["sessions"]() as session:
        run = reconcile(session, connector, clock.now().date())
    assert [m["problem"] for m in run.mismatches] == ["paid_there_pending_here"]
    onestop["passes"]()  # completes the payment step the notice would have completed
    seen = desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()
    assert seen["state"] == "paid" and seen["orders"][0]["task_completed"] is True


def test_a_refund_by_the_leader_shows_as_refunded(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, leader = _start(live, tokens)
    order = _pay_online(onestop, citizen, dossier)
    assert (
        desk.post(f"/api/v1/payments/{order['code']}/refund", json={"reason": "x"}).status_code
        == 403
    )
    refunded = leader.post(
        f"/api/v1/payments/{order['code']}/refund", json={"reason": "Hồ sơ bị từ chối"}
    )
    assert refunded.status_code == 200, refunded.text
    assert desk.get(f"/api/v1/dossiers/{dossier['id']}/payments").json()["state"] == "refunded"


def test_online_fee_reductions_apply_automatically(tmp_path, monkeypatch):
    from datetime import date

    from toantrinh.engine.payments.fees import quote

    permit = {
        "slug": "cap-giay-phep-xay-dung",
        "fee": {"amount": 75000, "online_amount": 37500, "source": "Nghị quyết HĐND (ví dụ)"},
    }
    assert quote(permit, "online", date(2026, 12, 7)).amount == 37500
    assert quote(permit, "in_person", date(2026, 12, 7)).amount == 75000
    rules = [
        {
            "procedure": "*",
            "percent": 100,
            "from": "2026-01-01",
            "until": "2026-12-31",
            "basis": "Nghị quyết miễn phí nộp trực tuyến (thử)",
            "confirmed": False,
        }
    ]
    free = quote(permit, "online", date(2026, 12, 7), rules)
    assert free.amount == 0 and "chưa đối chiếu" in free.basis[0]
    assert quote(permit, "online", date(2027, 1, 1), rules).amount == 37500
    assert quote(permit, "in_person", date(2026, 12, 7), rules).amount == 75000


# ------------------------------------------------------------------------ part 1
def _signed_pdf(onestop, tokens) -> tuple[str, bytes, object, object]:
    live = onestop["live"]
    dossier, citizen, desk, specialist = _start(live, tokens)
    _pay_online(onestop, citizen, dossier)
    assert _finish(desk, specialist)["status"] == "completed"
    code = _result_code(desk, dossier)
    assert live.api().get(f"/api/v1/results/{code}/signature").json()["status"] == "none"
    done = onestop["passes"]()
    assert done["results"] == {"queued": 1, "signed": 1}
    document = citizen.get(f"/api/v1/results/{code}/document")
    assert document.status_code == 200 and document.headers["Content-Type"] == "application/pdf"
    return code, document.content, citizen, live


def _check(live, code: str, pdf: bytes) -> dict:
    answer = live.api().post(
        f"/api/v1/results/{code}/signature",
        files={"file": ("ket-qua.pdf", BytesIO(pdf), "application/pdf")},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_signed_result_validates_and_a_modified_one_does_not(onestop, tokens):
    code, pdf, _, live = _signed_pdf(onestop, tokens)
    status = live.api().get(f"/api/v1/results/{code}/signature").json()
    assert status["status"] == "signed" and status["signer"] == "Người ký good"
    good = _check(live, code, pdf)
    assert good["ok"] is True and good["trusted"] and good["covers_whole_file"]
    assert "Nguyễn Văn Giám Đốc" in good["signer"]

    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01  # one bit inside the signed bytes
    bad = _check(live, code, bytes(tampered))
    assert bad["ok"] is False and bad["problem"]
    appended = _check(live, code, pdf + b"\n% appended after signing\n")
    assert appended["ok"] is False and appended["problem"]
    other = live.api(None).get(f"/api/v1/results/{code}/document")
    assert other.status_code == 401


def test_a_revoked_or_expired_signer_is_refused(onestop, tokens, pki):
    live = onestop["live"]
    dossier, citizen, desk, specialist = _start(live, tokens)
    _pay_online(onestop, citizen, dossier)
    _finish(desk, specialist)
    code = _result_code(desk, dossier)
    runner = onestop["runner"]
    for bad in ("revoked", "expired"):
        runner.signing = signing.SigningSetup.load(pki["config"](bad))
        onestop["passes"]()
        status = live.api().get(f"/api/v1/results/{code}/signature").json()
        assert status["status"] == "refused", bad
        assert citizen.get(f"/api/v1/results/{code}/document").status_code == 404
        with onestop["sessions"]() as session:
            from toantrinh.engine.onestop.results import retry_refused

            assert retry_refused(session) == 1
    # a PDF signed by the revoked key (signed as if before the check) does not validate
    from toantrinh.engine.onestop.results import render_and_sign

    setup = signing.SigningSetup.load(pki["config"]("revoked"))
    original = signing.check_signer
    signing.check_signer = lambda *a, **k: None
    try:
        with onestop["sessions"]() as session:
            pdf, _ = render_and_sign(
                session, code, onestop["app"].extensions["toantrinh.documents"], setup
            )
    finally:
        signing.check_signer = original
    report = signing.validate_pdf(pdf, setup)
    assert report.revoked and report.problem == "chứng thư số của người ký đã bị thu hồi"


# ------------------------------------------------------------------------ part 2
def _embedded_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts a PDF embeds (subset prefix included)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf))
    names = set()
    for index in range(reader.root["/Pages"]["/Count"]):
        page = reader.find_page_for_modification(index)[0].get_object()
        fonts = page["/Resources"]["/Font"]
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"].get_object()[0].get_object()
            if "/FontFile2" in descendant["/FontDescriptor"].get_object():
                names.add(str(font["/BaseFont"]).lstrip("/"))
    return names


@pytest.mark.parametrize("kind", ["receipt", "supplement-request", "refusal"])
def test_the_desk_prints_its_forms_as_pdf(onestop, tokens, kind):
    live = onestop["live"]
    dossier, citizen, desk, _ = _start(live, tokens)
    answer = desk.get(
        f"/api/v1/dossiers/{dossier['id']}/notices/{kind}",
        params={"reason": "Thiếu ảnh chân dung", "items": "Ảnh 4x6\nBản sao khai sinh"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"%PDF-")
    assert any(name.endswith("+TT-Serif") for name in _embedded_fonts(answer.content))
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/notices/{kind}").status_code == (
        200 if kind == "receipt" else 403
    )
    assert (
        live.api(tokens["other_citizen"])
        .get(f"/api/v1/dossiers/{dossier['id']}/notices/receipt")
        .status_code
        == 403
    )
    events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assert any(e["kind"] == "notice_issued" for e in events)


def test_receipt_content_qr_and_a_province_override(onestop, tokens, tmp_path):
    from toantrinh.engine.onestop.documents import DocumentRenderer, DocumentSettings
    from toantrinh.engine.onestop.notices import notice_context

    live = onestop["live"]
    dossier, _, _, _ = _start(live, tokens)
    with onestop["sessions"]() as session:
        from toantrinh.engine.persistence import Dossier

        row = session.get(Dossier, dossier["id"])
        renderer = DocumentRenderer(DocumentSettings(public_url="https://dichvucong.hanoi.gov.vn"))
        context = notice_context(
            row,
            {"population": {"full_name": "Nguyễn Văn An"}},
            [],
            officer="Vũ Một Cửa",
            at=clock.now(),
            qr_text=renderer.tracking_qr_text(row.receipt_code),
        )
        html = renderer.html("receipt.html", context)
        assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html and "Nguyễn Văn An" in html
        assert row.receipt_code in html and "<svg" in html
        assert context["qr_text"] == f"https://dichvucong.hanoi.gov.vn/track/{row.receipt_code}"
        (tmp_path / "ha-noi").mkdir()
        (tmp_path / "ha-noi" / "receipt.html").write_text(
            '{% extends "base.html" %}{% block body %}<h1>Mẫu riêng của Hà Nội</h1>{% endblock %}',
            "utf-8",
        )
        own = DocumentRenderer(DocumentSettings(template_dir=str(tmp_path), province="ha-noi"))
        assert "Mẫu riêng của Hà Nội" in own.html("receipt.html", context)
        other = DocumentRenderer(DocumentSettings(template_dir=str(tmp_path), province="hue"))
        assert "Mẫu riêng của Hà Nội" not in other.html("receipt.html", context)


# ------------------------------------------------------------------------ part 5
def test_statuses_reach_the_portal_in_order_through_an_outage(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, specialist = _start(live, tokens)
    onestop["passes"]()
    received = requests.get(f"{onestop['portal']}/_sandbox/received", timeout=10).json()
    record = received["dossiers"][dossier["receipt_code"]]
    assert record["MaTTHC"] == LLTP_NATIONAL_CODE and record["TrangThaiHoSo"] == "6"  # to pay

    requests.post(f"{onestop['portal']}/_sandbox/outage", json={"down": True}, timeout=10)
    _pay_online(onestop, citizen, dossier)
    assert _finish(desk, specialist)["status"] == "completed"  # processing never waits
    onestop["passes"]()
    with onestop["sessions"]() as session:
        pending = list(
            session.scalars(
                select(PortalOutbox.status_key)
                .where(PortalOutbox.status == "pending")
                .order_by(PortalOutbox.id)
            )
        )
    assert pending[-2:] == ["resolved", "returned"] and "received" in pending

    requests.post(f"{onestop['portal']}/_sandbox/outage", json={"down": False}, timeout=10)
    with onestop["sessions"]() as session:  # the back-off has passed
        session.execute(update(PortalOutbox).values(next_attempt_at=clock.now()))
        session.commit()
    onestop["passes"]()
    received = requests.get(f"{onestop['portal']}/_sandbox/received", timeout=10).json()
    assert received["dossiers"][dossier["receipt_code"]]["TrangThaiHoSo"] == "10"
    codes = [p["TrangThai"] for p in received["progress"] if p["MaHoSo"] == dossier["receipt_code"]]
    assert codes[0] == "1" and codes[-2:] == ["9", "10"] and "2" in codes
    assert codes.index("2") < codes.index("9")
    assert CITIZEN_ID not in json.dumps(received, ensure_ascii=False)
    outbox = live.api(tokens["admin"]).get("/api/v1/portal/outbox").json()
    assert outbox["pending"] == 0 and outbox["dead"] == 0


def test_dossiers_submitted_on_the_portal_start_once(onestop, tokens):
    live = onestop["live"]
    assert deploy_sample(live.api(tokens["modeller"])).status_code in (200, 201)
    portal = onestop["portal"]
    submitted = requests.post(
        f"{portal}/_sandbox/submit",
        json={"MaHoSo": "G22.AB12CD34", "MaTTHC": LLTP_NATIONAL_CODE, "SoDinhDanh": CITIZEN_ID},
        timeout=10,
    )
    assert submitted.status_code == 201
    unknown = requests.post(
        f"{portal}/_sandbox/submit",
        json={"MaHoSo": "G22.ZZ", "MaTTHC": "9.999999", "SoDinhDanh": CITIZEN_ID},
        timeout=10,
    )
    assert unknown.status_code == 201
    done = onestop["passes"]()
    assert done["portal"]["received"] == {"started": 1, "refused": 1}
    onestop["passes"]()  # asked again: the refused one stays refused, nothing starts twice
    inbound = live.api(tokens["admin"]).get("/api/v1/portal/inbound").json()
    by_code = {row["portal_code"]: row for row in inbound}
    assert by_code["G22.AB12CD34"]["status"] == "acknowledged"
    assert by_code["G22.ZZ"]["status"] == "refused" and "9.999999" in by_code["G22.ZZ"]["error"]
    mine = live.api(tokens["citizen"]).get("/api/v1/dossiers").json()
    receipts = [d["receipt_code"] for d in mine["items"]]
    assert receipts.count(by_code["G22.AB12CD34"]["receipt_code"]) == 1
    assert requests.get(f"{portal}/_sandbox/inbound", timeout=10).json()["acknowledged"] == {
        "G22.AB12CD34": by_code["G22.AB12CD34"]["receipt_code"]
    }


def test_a_signer_is_checked_and_a_result_signed_inside_a_running_event_loop(pki, monkeypatch):
    """A Celery or test harness thread may run an event loop: pyHanko's ``asyncio.run``
    must not fail there (it did under pytest-xdist once a browser test had run)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("TT_TEST_P12", TEST_PASSPHRASE)
    setup = signing.SigningSetup.load(pki["config"]("good"))
    (config,) = setup.signers
    revoked = signing.SigningSetup.load(pki["config"]("revoked"))

    async def inside_a_loop():
        signer = signing.load_signer(config)
        signing.check_signer(setup, signer)
        with pytest.raises(signing.SigningRefused):
            signing.check_signer(revoked, signing.load_signer(revoked.signers[0]))
        return signing.validate_pdf(
            signing.sign_pdf(_blank_pdf(), setup, config, reason="Kết quả"), setup
        )

    # a thread of the test's own, whose loop runs while it signs (the test runner's thread
    # may already have one: Playwright's sync API keeps a loop running in it)
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(asyncio.run, inside_a_loop()).result()
    assert signing.report_ok(report)


def _blank_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Kết quả giải quyết thủ tục hành chính</p>").write_pdf()
