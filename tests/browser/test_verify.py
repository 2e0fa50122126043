"""Anyone checks an e-result by its result code, signed out, on a phone-width page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers.people import CITIZEN_ID
from toantrinh.engine.warehouse import store_result

pytestmark = pytest.mark.browser


def test_a_verifier_checks_a_result_code_and_whose_it_is(playwright_page, session_factory):
    with session_factory() as session:
        doc = store_result(
            session,
            applicant_id=CITIZEN_ID,
            document_type="criminal_record_certificate",
            title="Phiếu lý lịch tư pháp số 1234/2026",
            issuer="Sở Tư pháp",
            data={"certificate_number": "1234/2026"},
        )
        session.commit()
        code = doc.result_code
    tab, p = playwright_page, playwright_page.page
    tab.goto("/verify")
    p.fill("#verify-code", code.lower())
    p.fill("#verify-identity", CITIZEN_ID)
    p.click("#verify-form button[type=submit]")
    expect(p.locator("#verify-status")).to_have_text("Còn hiệu lực")
    expect(p.locator("#verify-result h2")).to_have_text("Phiếu lý lịch tư pháp số 1234/2026")
    expect(p.locator("#verify-result")).to_contain_text("Sở Tư pháp")
    expect(p.locator("#verify-holder")).to_contain_text(
        f"là của người có số định danh {CITIZEN_ID}"
    )
    expect(p.locator("#verify-seal")).to_contain_text("chưa cấu hình khóa ký")
    assert p.url.endswith(f"/verify/{code}")
    tab.shoot("verify-result")
    assert tab.no_horizontal_scroll()

    p.fill("#verify-identity", "001090000099")
    p.click("#verify-form button[type=submit]")
    expect(p.locator("#verify-holder")).to_contain_text("KHÔNG phải của người")
    # a shared link opens the answer directly; an unknown code is said so
    tab.goto(f"/verify/{code}")
    expect(p.locator("#verify-status")).to_have_text("Còn hiệu lực")
    expect(p.locator("#verify-holder")).to_have_count(0)
    tab.goto("/verify/KQ-20990101-00000000")
    expect(p.locator("#verify-notice")).to_contain_text(
        "Không có kết quả nào mang mã KQ-20990101-00000000"
    )
    assert not tab.console_errors, tab.console_errors
