"""A citizen submits a dossier online with the pre-filled form and tracks it by receipt code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import token_in
from tests.helpers.people import CITIZEN_ID, POPULATION

pytestmark = pytest.mark.browser


def test_citizen_submits_prefilled_dossier_and_tracks_it_without_signing_in(
    playwright_page, deployed_vneid, live
):
    tab, p = playwright_page, playwright_page.page
    person = POPULATION[CITIZEN_ID]
    tab.sign_in("citizen", name=person["full_name"], identity_number=CITIZEN_ID)
    assert p.url.endswith("/citizen")
    card = p.locator(f"#procedures [data-slug='{deployed_vneid}']")
    expect(card).to_contain_text("Cấp Phiếu lý lịch tư pháp")
    tab.shoot("citizen-procedures")
    assert tab.no_horizontal_scroll()

    card.get_by_role("button", name="Nộp hồ sơ").click()
    # documents the agency reads from the population database are not asked for
    identity = p.locator("#documents [data-component='identity_card_copy']")
    expect(identity.locator(".badge")).to_have_text("Không phải nộp")
    expect(identity).to_contain_text("Cơ sở dữ liệu quốc gia về dân cư")
    tab.shoot("citizen-start")
    p.click("#start-dossier")

    expect(p.locator("#task h2")).to_have_text("Kê khai Tờ khai và đính kèm giấy tờ")
    code = p.inner_text("#receipt-code").strip()
    assert re.fullmatch(r"LLTP-\d{6}-[0-9A-F]{8}", code)
    api = live.api(token_in(p))
    dossier_id = int(p.url.rsplit("=", 1)[1])
    declare = api.get(f"/api/v1/dossiers/{dossier_id}/tasks").json()[0]
    typed, prefilled = declare["typed_fields"], declare["prefill"]
    assert len(typed) + len(prefilled) == len(declare["form"]["properties"])

    # pre-filled fields: shown read-only, marked with their registry; only the rest is typed
    name_field = p.locator(".field.prefilled[data-field='full_name']")
    expect(name_field).to_contain_text(person["full_name"])
    expect(name_field.locator(".badge.source")).to_have_text(
        "Lấy từ Cơ sở dữ liệu quốc gia về dân cư"
    )
    assert name_field.locator("input, select, textarea").count() == 0
    assert p.locator(".field.prefilled").count() == len(prefilled)
    expect(p.locator("#prefill-summary")).to_have_text(
        f"{len(prefilled)} trường đã được điền sẵn từ cơ sở dữ liệu quốc gia; bạn chỉ cần nhập {len(typed)} trường."
    )
    tab.shoot("citizen-form", wait="#task")
    assert tab.no_horizontal_scroll()

    # a submission with a missing field is refused by the API and the error is shown at the field
    p.click("#submit-task")
    expect(p.locator(".field[data-field='purpose'] .field-error")).to_have_text(
        "Cần nhập “Mục đích sử dụng Phiếu”."
    )
    # a value in the wrong form: the project's words with the field's title (issue 26 item 3)
    p.fill("#f-purpose", "ab")
    p.click("#submit-task")
    expect(p.locator(".field[data-field='purpose'] .field-error")).to_have_text(
        "“Mục đích sử dụng Phiếu” phải có ít nhất 3 ký tự."
    )
    tab.shoot("citizen-form-errors", wait=".field.invalid")
    expect(p.locator(".field[data-field='purpose']")).to_have_class(re.compile(r"\binvalid\b"))

    p.select_option("#f-certificate_type", label="Phiếu lý lịch tư pháp số 1")
    p.fill("#f-purpose", "Bổ sung hồ sơ xin việc")
    p.select_option("#f-delivery_method", label="Nhận bản điện tử trên VNeID")
    p.click("#submit-task")
    expect(p.locator("#task h2")).to_have_text("Nộp phí cấp Phiếu lý lịch tư pháp")
    p.select_option("#f-payment_method", label="Thanh toán trực tuyến")
    p.fill("#f-payment_reference", "VNPAY-20261123-7")
    p.click("#submit-task")
    expect(p.locator("#waiting")).to_contain_text(
        "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ"
    )
    tab.shoot("citizen-submitted")

    dossier = api.get(f"/api/v1/dossiers/{dossier_id}").json()
    assert dossier["data"]["purpose"] == "Bổ sung hồ sơ xin việc"
    assert (
        dossier["data"]["full_name"] == person["full_name"]
    )  # kept from the registry, never typed
    assert dossier["channel"] == "online"

    # public tracking: signed out, by receipt code only
    p.evaluate("localStorage.clear()")
    tab.goto("/track")
    p.fill("#track-code", code.lower())
    p.click("#track-form button[type=submit]")
    expect(p.locator("#track-status")).to_have_text("Đang giải quyết")
    expect(p.locator("#track-history")).to_contain_text("Nộp hồ sơ")
    expect(p.locator("#track-history")).to_contain_text("Nộp phí cấp Phiếu lý lịch tư pháp")
    expect(p.locator("#track-current")).to_contain_text("Tiếp nhận, kiểm tra")
    assert p.url.endswith(f"/track/{code}")
    assert person["full_name"] not in p.inner_text("main")
    tab.shoot("track-result", wait="#track-history")
    assert tab.no_horizontal_scroll()

    tab.goto("/track/KHONG-CO-MA")
    expect(p.locator("#track-notice")).to_contain_text(
        "Không tìm thấy hồ sơ có mã biên nhận KHONG-CO-MA"
    )
    assert not tab.console_errors, tab.console_errors


def test_citizen_pages_fit_a_phone_and_switch_to_english(playwright_page, deployed):
    tab, p = playwright_page, playwright_page.page
    p.set_viewport_size({"width": 390, "height": 844})
    tab.goto("/")
    expect(p.locator("h1")).to_have_text("Dịch vụ công trực tuyến toàn trình")
    assert p.locator("html").get_attribute("lang") == "vi"
    # the phone menu opens from its button
    expect(p.locator("#nav")).to_be_hidden()
    p.click(".menu-toggle")
    expect(p.locator("#nav")).to_be_visible()
    p.click("#nav a.lang[lang=en]")
    expect(p.locator("h1")).to_have_text("Full-process online public services")
    assert p.locator("html").get_attribute("lang") == "en"
    tab.goto("/track")  # the choice is kept in a cookie
    expect(p.locator("h1")).to_have_text("Track a dossier")
    tab.shoot("track-empty-en")
    tab.goto("/?lang=vi")
    expect(p.locator("h1")).to_have_text("Dịch vụ công trực tuyến toàn trình")
    tab.shoot("home")
    # the receipt-code box on the home page leads to the tracking page
    p.fill("#home-code", "lltp-000000-0")
    p.press("#home-code", "Enter")
    expect(p.locator("#track-notice")).to_have_text(
        "Không tìm thấy hồ sơ có mã biên nhận LLTP-000000-0."
    )
    expect(p.locator("#track-code")).to_have_value("LLTP-000000-0")
    tab.goto("/")
    assert tab.no_horizontal_scroll()
    assert not tab.console_errors, tab.console_errors
