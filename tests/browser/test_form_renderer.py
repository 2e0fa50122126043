"""The JSON Schema form renderer (web/static/js/form.js) in the browser: every supported
type becomes the right control and comes back as the right JSON type; pre-filled and
read-only fields are shown, marked and never sent; errors land on their fields."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCHEMA = {
    "type": "object",
    "title": "Tờ khai thử",
    "required": ["purpose", "copies", "certificate_type", "members"],
    "properties": {
        "full_name": {
            "type": "string",
            "title": "Họ, chữ đệm và tên",
            "x-prefill": {"source": "population", "field": "full_name"},
        },
        "case_number": {"type": "string", "title": "Số hồ sơ", "readOnly": True, "default": "HS-1"},
        "purpose": {"type": "string", "title": "Mục đích", "minLength": 3, "maxLength": 500},
        "note": {"type": "string", "title": "Ghi chú", "maxLength": 100},
        "copies": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 10, "default": 1},
        "area": {"type": "number", "title": "Diện tích (m²)", "exclusiveMinimum": 0},
        "urgent": {"type": "boolean", "title": "Cần gấp"},
        "certificate_type": {
            "type": "string",
            "title": "Loại phiếu",
            "enum": ["so_1", "so_2"],
            "x-enumNames": ["Phiếu số 1", "Phiếu số 2"],
        },
        "appointment": {"type": "string", "title": "Ngày hẹn", "format": "date"},
        "business_lines": {"type": "array", "title": "Ngành nghề", "items": {"type": "string"}},
        "members": {
            "type": "array",
            "title": "Thành viên",
            "items": {
                "type": "object",
                "required": ["full_name", "capital_share"],
                "properties": {
                    "full_name": {"type": "string", "title": "Họ tên"},
                    "capital_share": {"type": "integer", "title": "Phần vốn góp", "minimum": 1},
                },
            },
        },
    },
    "additionalProperties": False,
}

RENDER = """async ([schema, prefill]) => {
  const { renderForm } = await import('/ui/static/js/form.js');
  const box = document.createElement('div');
  box.id = 'form-under-test';
  document.querySelector('main').replaceChildren(box);
  const regs = [{ id: 'population', name_vi: 'Cơ sở dữ liệu quốc gia về dân cư', connected: true }];
  window.formUnderTest = renderForm(box, schema, { prefill, registries: regs });
  return { prefilled: window.formUnderTest.prefilledNames, typed: window.formUnderTest.typedNames };
}"""


def test_form_renderer_round_trips_every_supported_type(playwright_page):
    tab, p = playwright_page, playwright_page.page
    tab.goto("/track")
    names = p.evaluate(RENDER, [SCHEMA, {"full_name": "Nguyễn Văn An"}])
    assert names["prefilled"] == ["full_name"]
    # what the user types comes first, the required ones in the order of `required`
    assert names["typed"][:4] == ["purpose", "copies", "certificate_type", "members"]
    assert set(names["typed"]) == set(SCHEMA["properties"]) - {"full_name", "case_number"}

    prefilled = p.locator(".field.prefilled[data-field='full_name']")
    expect(prefilled.locator("output")).to_have_text("Nguyễn Văn An")
    expect(prefilled.locator(".badge.source")).to_have_text(
        "Lấy từ Cơ sở dữ liệu quốc gia về dân cư"
    )
    expect(p.locator(".field[data-field='case_number'] output")).to_have_text("HS-1")
    expect(p.locator(".field[data-field='purpose'] .req")).to_have_count(1)
    expect(p.locator("#f-copies")).to_have_value("1")  # the schema's default

    p.fill("#f-purpose", "  Bổ sung hồ sơ xin việc ")
    p.fill("#f-copies", "3")
    p.fill("#f-area", "72.5")
    p.check("#f-urgent")
    p.select_option("#f-certificate_type", label="Phiếu số 2")
    p.fill("#f-appointment", "2026-12-01")
    p.fill("#f-business_lines", "4711\n\n 6201 \n")
    add = p.locator(".field[data-field='members'] button", has_text="+ Thêm dòng")
    add.click()
    add.click()
    add.click()
    rows = p.locator(".field[data-field='members'] fieldset.row")
    rows.nth(0).locator("[data-column=full_name]").fill("Trần Văn An")
    rows.nth(0).locator("[data-column=capital_share]").fill("600000000")
    rows.nth(1).locator("[data-column=full_name]").fill("Lê Thị Bình")
    rows.nth(1).locator("[data-column=capital_share]").fill("400000000")
    rows.nth(2).get_by_role("button", name="Xóa dòng").click()
    expect(rows).to_have_count(2)

    data = p.evaluate("window.formUnderTest.collect()")
    assert data == {
        "purpose": "Bổ sung hồ sơ xin việc",
        "copies": 3,
        "area": 72.5,
        "urgent": True,
        "certificate_type": "so_2",
        "appointment": "2026-12-01",
        "business_lines": ["4711", "6201"],
        "members": [
            {"full_name": "Trần Văn An", "capital_share": 600000000},
            {"full_name": "Lê Thị Bình", "capital_share": 400000000},
        ],
    }
    errors = list(Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(data))
    assert not errors, [e.message for e in errors]

    # empty optional fields are left out, not sent as ""
    p.fill("#f-area", "")
    p.fill("#f-business_lines", "")
    assert {"area", "business_lines", "note"}.isdisjoint(
        p.evaluate("window.formUnderTest.collect()")
    )

    unplaced = p.evaluate("""window.formUnderTest.showErrors([
        {field: 'members.1.capital_share', message: 'phải lớn hơn 0'},
        {field: 'purpose', message: 'bắt buộc phải nhập'},
        {field: '(gốc)', message: 'dữ liệu biểu mẫu phải là một đối tượng JSON'}])""")
    assert unplaced == ["(gốc): dữ liệu biểu mẫu phải là một đối tượng JSON"]
    expect(p.locator(".field[data-field='members'] .field-error")).to_have_text(
        "Dòng 2 – Phần vốn góp: phải lớn hơn 0"
    )
    expect(p.locator(".field.invalid")).to_have_count(2)
    # only the offending cell of the offending row is marked
    expect(p.locator(".field[data-field='members'] .invalid")).to_have_count(1)
    assert (
        rows.nth(1)
        .locator("[data-column=capital_share]")
        .evaluate("n => n.classList.contains('invalid')")
    )
    expect(p.locator("#f-purpose")).to_have_class("invalid")
    tab.shoot("form-renderer", wait="#form-under-test")
    assert not tab.console_errors, tab.console_errors


def test_a_decision_is_a_choice_in_words_and_an_empty_registry_contact_is_typed(playwright_page):
    """Issue 26 items 2 and 7: `oneOf` of `const` + `title` becomes radio buttons, none
    chosen beforehand, the chosen const sent; an `x-prefill` field the registry left empty
    is an input, not a read-only "—"."""
    tab, p = playwright_page, playwright_page.page
    tab.goto("/track")
    schema = {
        "type": "object",
        "properties": {
            "decision": {
                "type": "string",
                "title": "Quyết định",
                "oneOf": [
                    {"const": "approve", "title": "Đồng ý giải quyết — chuyển bước tiếp theo"},
                    {
                        "const": "refuse",
                        "x-confirm": True,
                        "title": "Từ chối giải quyết — nêu rõ lý do",
                    },
                ],
            },
            "full_name": {
                "type": "string",
                "title": "Họ và tên",
                "readOnly": True,
                "x-prefill": {"source": "population", "field": "full_name"},
            },
            "email": {
                "type": "string",
                "title": "Thư điện tử",
                "format": "email",
                "readOnly": True,
                "x-prefill": {"source": "population", "field": "email"},
            },
        },
    }
    names = p.evaluate(RENDER, [schema, {"full_name": "Nguyễn Văn An"}])
    assert names["prefilled"] == ["full_name"] and set(names["typed"]) == {"decision", "email"}
    options = p.locator("#f-decision .choice")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_have_text("Từ chối giải quyết — nêu rõ lý do")
    assert p.locator("#f-decision input:checked").count() == 0
    assert p.evaluate("window.formUnderTest.collect()") == {}
    p.fill("#f-email", "an@example.vn")
    p.check("#f-decision-refuse")
    assert p.evaluate("window.formUnderTest.collect()") == {
        "decision": "refuse",
        "email": "an@example.vn",
    }
    assert p.evaluate("window.formUnderTest.confirmation()")["field"] == "decision"
    p.check("#f-decision-approve")
    assert p.evaluate("window.formUnderTest.confirmation()") is None
    tab.shoot("form-renderer-choice", wait="#f-decision")
    assert not tab.console_errors, tab.console_errors
