"""Officers work their inbox: open a task with its form, deadline and history; claim; complete."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import dossier_at_the_desk
from tests.helpers.people import CITIZEN_ID

pytestmark = pytest.mark.browser


def _open(p, name: str):
    item = p.locator("#inbox-list .task", has_text=name)
    expect(item).to_have_count(1)
    item.locator("button").click()
    expect(p.locator("#task-name")).to_have_text(name)


def _complete(p, name: str) -> None:
    p.click("#complete-task")
    expect(p.locator("#inbox-notice")).to_contain_text(f"Đã hoàn thành “{name}”")


def test_officers_receive_verify_sign_and_deliver_a_dossier_from_their_inboxes(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    dossier, tokens = dossier_at_the_desk(live)
    code = dossier["receipt_code"]

    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    assert p.url.endswith("/inbox")
    expect(p.locator("#inbox-scope")).to_have_text("1 tác vụ")
    expect(p.locator("#inbox-list .task")).to_contain_text(code)
    tab.shoot("inbox-list")

    _open(p, "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ")
    expect(p.locator("#task-receipt")).to_have_text(code)
    expect(p.locator("#task-due")).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} · còn \d+ ngày"))
    history = p.locator("#dossier-history")
    expect(history).to_contain_text("Nộp hồ sơ")
    expect(history).to_contain_text("Hoàn thành bước — Kê khai Tờ khai và đính kèm giấy tờ")
    expect(history).to_contain_text(f"citizen:{CITIZEN_ID}")

    p.click("#claim-task")
    expect(p.locator("#claim-task")).to_have_text("Đã nhận: Vũ Một Cửa")
    task_id = p.url.split("task=", 1)[1]
    claimed = live.api(tokens["desk"]).get(f"/api/v1/tasks/{task_id}").json()
    assert claimed["claimed_by"] == "officer:Vũ Một Cửa"
    tab.shoot("inbox-task", wait="#task-name")
    assert tab.no_horizontal_scroll()

    p.check("#f-intake_decision-accept")
    _complete(p, "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ")
    _open(p, "Chuyển hồ sơ cho bộ phận lý lịch tư pháp")
    p.fill("#f-transfer_note", "Hồ sơ đủ, chuyển bộ phận lý lịch tư pháp")
    _complete(p, "Chuyển hồ sơ cho bộ phận lý lịch tư pháp")
    expect(p.locator("#inbox-empty")).to_be_visible()

    tab.sign_in("officer", name="Đỗ Chuyên Viên", lanes=("specialist", "leader"))
    _open(p, "Xác minh, lập Phiếu lý lịch tư pháp")
    expect(p.locator("#dossier-history")).to_contain_text("officer:Vũ Một Cửa")
    p.fill("#f-verification_note", "Không có án tích trong CSDL lý lịch tư pháp")
    _complete(p, "Xác minh, lập Phiếu lý lịch tư pháp")
    _open(p, "Ký duyệt Phiếu lý lịch tư pháp")
    p.check("#f-decision-approve")
    _complete(p, "Ký duyệt Phiếu lý lịch tư pháp")

    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    _open(p, "Trả kết quả cho công dân")
    p.select_option("#f-delivered_via", "0")  # vneid
    p.click("#complete-task")
    expect(p.locator("#inbox-notice")).to_contain_text("(Đã có kết quả)")

    final = live.api(tokens["desk"]).get(f"/api/v1/dossiers/{dossier['id']}").json()
    assert final["status"] == "completed" and final["data"]["result"] == "issued"
    assert final["data"]["verification_note"] == "Không có án tích trong CSDL lý lịch tư pháp"
    events = live.api(tokens["desk"]).get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    actors = {e["actor"] for e in events if e["kind"] == "task_completed"}
    assert {"officer:Vũ Một Cửa", "officer:Đỗ Chuyên Viên"} <= actors
    assert not tab.console_errors, tab.console_errors


def test_officer_of_another_lane_does_not_see_the_task_and_a_citizen_is_sent_away(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    dossier_at_the_desk(live)
    tab.sign_in("officer", name="Đỗ Chuyên Viên", lanes=("specialist",))
    expect(p.locator("#inbox-empty")).to_have_text("Không có tác vụ nào.")
    tab.sign_in("citizen", identity_number=CITIZEN_ID, next="/inbox")
    expect(p.locator("#main .banner.warn")).to_contain_text("Trang này dành cho: Cán bộ, Quản trị")
    assert not tab.console_errors, tab.console_errors


def test_an_officer_completes_the_same_step_of_several_dossiers_at_once(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    first, tokens = dossier_at_the_desk(live)
    second, _ = dossier_at_the_desk(live)

    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    expect(p.locator("#inbox-scope")).to_have_text("2 tác vụ")
    p.locator("#inbox-list .task", has_text=first["receipt_code"]).locator("button").click()
    expect(p.locator("#task-receipt")).to_have_text(first["receipt_code"])
    expect(p.locator("#complete-same")).to_have_text(
        "Hoàn thành cả 2 tác vụ cùng bước với dữ liệu này"
    )
    p.check("#f-intake_decision-accept")
    p.click("#complete-same")
    expect(p.locator("#inbox-notice")).to_contain_text(
        "Đã hoàn thành 2/2 tác vụ “Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ”"
    )
    expect(p.locator("#inbox-list .task", has_text="Chuyển hồ sơ")).to_have_count(2)
    desk = live.api(tokens["desk"])
    for dossier in (first, second):
        events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
        done = [e for e in events if e["kind"] == "task_completed"]
        assert done[-1]["actor"] == "officer:Vũ Một Cửa"
