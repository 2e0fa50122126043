"""Officers decide with the dossier in view, and citizens know what happened (issue 26
items 1–4, 8, 16): the task page shows the dossier read-only beside the form; decisions
are radio choices with their consequence in words, a refusal needs a reason and a
confirmation; errors are the project's words in the page's language; a refusal is shown
as a refusal with its reason, an issued dossier links to its e-result; the EMC tiles
count a dossier submitted online as full-online. Screenshots of each state, desktop and
phone, Vietnamese and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.conftest import AGENCY, create_token
from tests.browser.helpers import DECLARATION, complete, dossier_at_the_desk, finish_dossier
from tests.helpers.people import CITIZEN_ID

pytestmark = pytest.mark.browser

REASON = "Người yêu cầu đang có quyết định truy nã; chưa đủ căn cứ cấp Phiếu (Điều 47 Luật Lý lịch tư pháp)."


def _open(p, name: str):
    item = p.locator("#inbox-list .task", has_text=name)
    expect(item).to_have_count(1)
    item.locator("button").click()
    expect(p.locator("#task-name")).to_have_text(name)


def test_the_desk_decides_with_the_dossier_in_view_and_a_refusal_is_confirmed_and_explained(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    dossier, tokens = dossier_at_the_desk(live)
    code = dossier["receipt_code"]

    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    _open(p, "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ")
    # item 1: the dossier read-only beside the form
    view = p.locator("#dossier-view")
    expect(view.locator("#view-declared")).to_contain_text(DECLARATION["purpose"])
    expect(view.locator("#view-declared")).to_contain_text(f"citizen:{CITIZEN_ID}")
    expect(view.locator("#view-components")).to_contain_text("Căn cước")
    form_box = p.locator(".task-form").bounding_box()
    view_box = view.bounding_box()
    assert view_box["x"] > form_box["x"] + form_box["width"] - 1  # beside it at 1366 px
    # item 2: a choice, nothing chosen beforehand, each option in words
    choices = p.locator("#f-intake_decision .choice")
    expect(choices).to_have_count(2)
    expect(choices.nth(1)).to_contain_text("Yêu cầu công dân bổ sung")
    assert p.locator("#f-intake_decision input:checked").count() == 0
    tab.shoot("desk-task-with-dossier", wait="#dossier-view")
    assert tab.no_horizontal_scroll()

    # nothing chosen: the project's words at the field (item 3)
    p.click("#complete-task")
    expect(p.locator(".field[data-field='intake_decision'] .field-error")).to_have_text(
        "Cần nhập “Kết quả kiểm tra hồ sơ”."
    )
    # asking to supplement requires saying what
    p.check("#f-intake_decision-supplement")
    p.click("#complete-task")
    expect(p.locator(".field[data-field='missing_items'] .field-error")).to_have_text(
        "Cần nhập “Nội dung cần bổ sung, hoàn thiện”."
    )
    tab.shoot("desk-decision-errors", wait=".field.invalid")
    p.check("#f-intake_decision-accept")
    p.click("#complete-task")
    expect(p.locator("#inbox-notice")).to_contain_text("Đã hoàn thành")
    complete(live.api(tokens["desk"]), "Task_Transfer", {"transfer_note": "Chuyển bộ phận LLTP"})

    leader = create_token(
        live.api(),
        name="Đỗ Chuyên Viên",
        role="officer",
        agency=AGENCY,
        lanes=["specialist", "leader"],
    )
    complete(
        live.api(leader),
        "Task_Verify",
        {"has_criminal_record": True, "verification_note": "Có quyết định truy nã"},
    )
    tab.sign_in("officer", name="Đỗ Chuyên Viên", lanes=("specialist", "leader"))
    _open(p, "Ký duyệt Phiếu lý lịch tư pháp")
    decisions = p.locator("#view-decisions")
    expect(decisions).to_contain_text("officer:Vũ Một Cửa")
    expect(decisions).to_contain_text("Có quyết định truy nã")
    expect(decisions).to_contain_text("Tiếp nhận: hồ sơ đầy đủ, hợp lệ")  # the choice in words
    # a refusal asks for a confirmation, then for its reason
    p.check("#f-decision-refuse")
    p.click("#complete-task")
    confirm = p.locator("#confirm-decision")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(f"Hồ sơ {code} sẽ bị từ chối")
    tab.shoot("sign-refusal-confirm", wait="#confirm-decision")
    p.click("#confirm-no")
    expect(confirm).to_be_hidden()
    p.click("#complete-task")
    p.click("#confirm-yes")
    expect(p.locator(".field[data-field='refusal_reason'] .field-error")).to_contain_text(
        "Cần nhập “Lý do từ chối"
    )
    p.fill("#f-refusal_reason", REASON)
    p.click("#complete-task")
    p.click("#confirm-yes")
    expect(p.locator("#inbox-notice")).to_contain_text(
        "Đã hoàn thành “Ký duyệt Phiếu lý lịch tư pháp”"
    )
    complete(live.api(tokens["desk"]), "Task_Deliver", {"delivered_via": "vneid"})
    assert not tab.console_errors, tab.console_errors

    # item 4: the citizen reads a refusal with its reason, tracking says refused
    tab.sign_in("citizen", identity_number=CITIZEN_ID, next=f"/citizen?dossier={dossier['id']}")
    tab.goto("/citizen")
    expect(p.locator("td[data-outcome='refused']")).to_have_text("Bị từ chối giải quyết")
    tab.goto(f"/citizen?dossier={dossier['id']}")
    expect(p.locator("#done")).to_contain_text("Hồ sơ không được giải quyết")
    expect(p.locator("#outcome-reason")).to_have_text(REASON)
    expect(p.locator("#dossier-status")).to_have_text("Bị từ chối giải quyết")
    assert "Đã có kết quả" not in p.inner_text("main")
    tab.shoot("citizen-refused", wait="#done")
    tab.goto(f"/citizen?dossier={dossier['id']}&lang=en")
    expect(p.locator("#done")).to_contain_text("Your dossier was refused")
    expect(p.locator("#outcome-reason")).to_have_text(REASON)
    tab.shoot("citizen-refused-en", wait="#done")
    p.evaluate("localStorage.clear()")
    tab.goto(f"/track/{code}?lang=vi")
    expect(p.locator("#track-status")).to_have_text("Bị từ chối giải quyết")
    expect(p.locator("#track-history")).to_contain_text("Bị từ chối giải quyết")
    assert REASON not in p.inner_text("main") and "Đã có kết quả" not in p.inner_text("main")
    tab.shoot("track-refused", wait="#track-history")
    tab.goto(f"/track/{code}?lang=en")
    expect(p.locator("#track-status")).to_have_text("Refused")
    tab.shoot("track-refused-en", wait="#track-history")
    assert not tab.console_errors, tab.console_errors


def test_english_desk_sees_english_errors_and_the_dossier_panel_fits_a_phone(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    dossier_at_the_desk(live)
    tab.sign_in("officer", name="Vũ Một Cửa", lanes=("one_stop_desk",))
    tab.goto("/inbox?lang=en")
    _open(p, "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ")
    expect(p.locator("#dossier-view h3")).to_have_text("The dossier (read-only)")
    p.check("#f-intake_decision-supplement")
    p.click("#complete-task")
    expect(p.locator(".field[data-field='missing_items'] .field-error")).to_have_text(
        "“Nội dung cần bổ sung, hoàn thiện” is required."
    )
    tab.shoot("desk-task-en", wait="#dossier-view")
    p.set_viewport_size({"width": 390, "height": 844})
    view, form = p.locator("#dossier-view").bounding_box(), p.locator(".task-form").bounding_box()
    assert view["y"] >= form["y"] + form["height"] - 1  # below the form on a phone
    assert tab.no_horizontal_scroll()
    assert not tab.console_errors, tab.console_errors


def test_an_issued_dossier_links_to_its_result_and_counts_as_full_online(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    dossier, tokens = dossier_at_the_desk(live)
    finish_dossier(live, tokens)  # delivered through VNeID
    waiting, _ = dossier_at_the_desk(live)  # submitted and paid online (item 16)
    tab.sign_in("citizen", identity_number=CITIZEN_ID)
    tab.goto(f"/citizen?dossier={dossier['id']}")
    expect(p.locator("#done")).to_contain_text("Hồ sơ đã có kết quả")
    result_code = p.inner_text("#result-code").strip()
    held = live.api(tokens["citizen"]).get(f"/api/v1/warehouse/{CITIZEN_ID}/documents").json()
    assert result_code in {d["result_code"] for d in held}
    expect(p.locator("#result-verify")).to_have_attribute("href", f"/verify/{result_code}")
    expect(p.locator("#result-warehouse")).to_have_attribute("href", "/citizen#my-warehouse")
    tab.shoot("citizen-result", wait="#result")
    p.click("#result-verify")
    expect(p.locator("main")).to_contain_text(result_code)
    tab.shoot("citizen-result-verify")

    # the EMC tiles: both online dossiers are full-online so far (one waiting, one delivered
    # through VNeID), checked against the API's figures
    tab.sign_in("reformer", name="Lê Cải Cách")
    p.wait_for_selector("body[data-metrics-ready]")
    full = p.locator("#metrics-tiles .tile", has_text="Tỷ lệ toàn trình")
    expect(full.locator(".tile-value")).to_have_text("100%")
    figures = (
        live.api(create_token(live.api(), name="Lê Cải Cách", role="reformer"))
        .get("/api/v1/metrics")
        .json()["total"]
    )
    assert (figures["received"], figures["online"], figures["full_online"]) == (2, 2, 2)
    assert waiting["status"] == "in_progress"
    tab.shoot("metrics-full-online", wait="#metrics-tiles .tile")
    assert not tab.console_errors, tab.console_errors
