"""A modeller edits a procedure and its `tt` annotations in bpmn-js, lints it and deploys it."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.api.conftest import ADMIN_TOKEN, LLTP, create_token
from tests.browser.helpers import DECLARATION, complete, token_in
from tests.helpers.people import CITIZEN_ID

pytestmark = pytest.mark.browser

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "tt": "urn:toantrinh:bpmn:1",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}


def _set(p, prop: str, value: str) -> None:
    field = p.locator(f"#props [data-prop='{prop}']")
    if field.evaluate("n => n.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)
        field.press("Tab")


def _select(p, element_id: str) -> None:
    p.evaluate(
        "id => window.ttModeler.get('selection').select("
        "window.ttModeler.get('elementRegistry').get(id))",
        element_id,
    )
    expect(p.locator("#props-target")).to_contain_text(element_id)


def _bpmn(api, slug: str, version: int) -> etree._Element:
    response = api.get(f"/api/v1/models/{slug}/versions/{version}/bpmn")
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def test_modeller_edits_annotations_lints_and_deploys_a_new_version(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình")
    row = p.locator(f"#model-list tr[data-slug='{deployed}']")
    expect(row).to_contain_text("Cấp Phiếu lý lịch tư pháp")
    tab.shoot("modeller-list")
    assert tab.no_horizontal_scroll()
    row.locator("a").first.click()
    p.wait_for_selector("body[data-modeler-ready]")
    expect(p.locator("#model-version")).to_have_text("phiên bản 1")

    # a task: the side panel shows and edits tt:step and tt:form
    p.click("[data-element-id='Task_Verify']")
    expect(p.locator("#props-target")).to_contain_text("Task_Verify")
    expect(p.locator("#props [data-prop='kind']")).to_have_value("appraise")
    expect(p.locator("#props [data-prop='duration']")).to_have_value("P3D")
    _set(p, "kind", "verify")
    _set(p, "duration", "P2D")
    _set(p, "name", "Xác minh, lập Phiếu (đã rút gọn)")
    expect(p.locator("[data-element-id='Task_Verify']")).to_contain_text("đã rút gọn")
    tab.shoot("modeller-task", wait="#props-target")
    assert tab.no_horizontal_scroll()

    # lint on save: an unknown form is a problem the API reports, and nothing is deployed
    _set(p, "formRef", "khong-co-bieu-mau")
    p.click("#btn-deploy")
    expect(p.locator("#lint-summary")).to_have_text("Mô hình có 1 lỗi, chưa triển khai được:")
    expect(p.locator("#lint-problems")).to_contain_text("khong-co-bieu-mau")
    tab.shoot("modeller-lint", wait="#lint-problems")
    _select(p, "Task_Verify")
    _set(p, "formRef", "ltp-xac-minh")
    p.click("#btn-validate")
    expect(p.locator("#lint-summary")).to_contain_text("Mô hình hợp lệ")

    # a dossier component: tt:component and its tt:field children
    _select(p, "DOR_CCCD")
    expect(p.locator("#props [data-prop='documentType']")).to_have_value("identity_card")
    fields = p.locator("#props [data-prop='fields']")
    fields.fill(fields.input_value() + "\nethnicity")
    fields.press("Tab")
    _set(p, "copy", "electronic")
    tab.shoot("modeller-component", wait="#props-target")

    # the process: tt:procedure code
    p.evaluate("window.ttModeler.get('selection').select(null)")
    _set(p, "procedureCode", "2.000505")

    p.click("#btn-deploy")
    expect(p.locator("#modeller-notice")).to_have_text(
        f"Đã triển khai phiên bản 2 của “{deployed}”."
    )
    expect(p.locator("#model-version")).to_have_text("phiên bản 2")

    api = live.api(token_in(p))
    before, after = _bpmn(api, deployed, 1), _bpmn(api, deployed, 2)
    step = after.find(".//bpmn:userTask[@id='Task_Verify']/bpmn:extensionElements/tt:step", NS)
    assert step.get("kind") == "verify" and step.get("duration") == "P2D"
    assert (
        step.get("actor") == "specialist" and step.get("presence") == "none"
    )  # untouched attributes kept
    task = after.find(".//bpmn:userTask[@id='Task_Verify']", NS)
    assert task.get("name") == "Xác minh, lập Phiếu (đã rút gọn)"
    assert task.find("bpmn:extensionElements/tt:form", NS).get("ref") == "ltp-xac-minh"
    component = after.find(".//*[@id='DOR_CCCD']/bpmn:extensionElements/tt:component", NS)
    assert component.get("copy") == "electronic" and component.get("required") == "true"
    names = [f.get("name") for f in component.findall("tt:field", NS)]
    assert names[-1] == "ethnicity" and names[:-1] == [
        f.get("name")
        for f in before.findall(
            ".//*[@id='DOR_CCCD']/bpmn:extensionElements/tt:component/tt:field", NS
        )
    ]
    assert (
        after.find(".//bpmn:process/bpmn:extensionElements/tt:procedure", NS).get("code")
        == "2.000505"
    )
    # everything else round-trips through bpmn-js: every annotation and SpiffWorkflow's extensions
    for xpath in (
        ".//tt:step",
        ".//tt:component",
        ".//tt:field",
        ".//tt:lane",
        ".//tt:form",
        ".//spiffworkflow:serviceTaskOperator",
        ".//spiffworkflow:parameter",
    ):
        assert len(after.findall(xpath, NS)) == len(before.findall(xpath, NS)) + (
            xpath == ".//tt:field"
        ), xpath
    lanes = {lane.get("role") for lane in after.findall(".//tt:lane", NS)}
    assert lanes == {lane.get("role") for lane in before.findall(".//tt:lane", NS)}

    # older versions stay readable in the modeller
    p.select_option("#version-select", "1")
    p.wait_for_selector("body[data-modeler-ready]")
    expect(p.locator("#model-version")).to_have_text("phiên bản 1")
    p.click("[data-element-id='Task_Verify']")
    expect(p.locator("#props [data-prop='kind']")).to_have_value("appraise")

    # the new version runs: a dossier started now uses it
    model = api.get(f"/api/v1/models/{deployed}").json()
    assert model["latest_version"] == 2
    verify = next(t for t in model["versions"][-1]["tasks"] if t["bpmn_id"] == "Task_Verify")
    assert verify["step"]["kind"] == "verify"
    assert not tab.console_errors, tab.console_errors


def test_modeller_draws_a_new_procedure_and_deploys_it_under_a_slug(playwright_page, live):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình", next="/modeller/new")
    p.wait_for_selector("body[data-modeler-ready]")
    expect(p.locator("#model-title")).to_have_text("Quy trình mới")
    # append a task after the declaration with bpmn-js' own context pad
    p.click("[data-element-id='Task_Declare']")
    p.click(".djs-context-pad [data-action='append.append-task']")
    p.keyboard.type("Thẩm định hồ sơ")
    p.click("[data-element-id='StartEvent_1']")
    new_id = p.evaluate(
        "window.ttModeler.get('elementRegistry').filter(e => e.type === 'bpmn:Task')[0].id"
    )
    # the declaration now has two outgoing flows: the API's lint refuses it, nothing is deployed
    p.fill("#model-slug", "thu-tuc-moi")
    p.click("#btn-deploy")
    expect(p.locator("#lint-problems")).to_contain_text("nhiều luồng ra")
    # remove the old flow and connect the new task to the end event
    _select(p, "Flow_2")  # a thin line: selected through bpmn-js, deleted from its context pad
    p.click(".djs-context-pad [data-action='delete']")
    p.click(f"[data-element-id='{new_id}']")
    p.click(".djs-context-pad [data-action='connect']")
    p.click("[data-element-id='EndEvent_1']")
    p.fill("#model-slug", "")
    p.click("#btn-deploy")
    expect(p.locator("#modeller-notice")).to_have_text("Nhập mã quy trình trước khi triển khai.")
    expect(p.locator("#lint-summary")).to_contain_text("Mô hình hợp lệ")
    p.fill("#model-slug", "thu-tuc-moi")
    p.click("#btn-deploy")
    expect(p.locator("#modeller-notice")).to_have_text(
        "Đã triển khai phiên bản 1 của “thu-tuc-moi”."
    )
    assert p.url.endswith("/modeller/thu-tuc-moi")
    xml = _bpmn(live.api(token_in(p)), "thu-tuc-moi", 1)
    names = [t.get("name") for t in xml.findall(".//bpmn:process/*", NS) if t.tag.endswith("ask")]
    assert names == ["Kê khai thông tin", "Thẩm định hồ sơ"]
    tab.shoot("modeller-new", wait="body[data-modeler-ready]")
    assert not tab.console_errors, tab.console_errors


def test_modeller_moves_the_running_dossiers_of_an_older_version_to_the_latest(
    playwright_page, deployed, live
):
    citizen = live.api(
        create_token(live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID)
    )
    started = citizen.post("/api/v1/dossiers", json={"model": deployed})
    assert started.status_code == 201, started.text
    complete(citizen, "Task_Declare", DECLARATION)
    # version 2: the signing step renamed (a correction); running dossiers can move
    modeller = live.api(create_token(live.api(), name="Trần Mô Hình", role="modeller"))
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    procedure = (LLTP / "procedure.json").read_text(encoding="utf-8")
    v2 = modeller.post(
        "/api/v1/models",
        json={
            "bpmn": bpmn.replace(
                'name="Ký duyệt Phiếu lý lịch tư pháp"', 'name="Ký duyệt Phiếu (v2)"'
            ),
            "procedure": json.loads(procedure),
        },
    )
    assert v2.status_code == 201 and v2.json()["version"] == 2, v2.text

    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình")
    tab.goto(f"/modeller/{deployed}")
    p.wait_for_selector("body[data-modeler-ready]")
    panel = p.locator("#migrate-panel")
    expect(panel).to_be_visible()
    expect(p.locator("#migrate-from")).to_have_value("1")
    expect(p.locator("#btn-migrate")).to_have_text("Chuyển sang phiên bản 2")

    p.click("#btn-migrate-check")
    expect(p.locator("#migrate-summary")).to_have_text(
        "1 hồ sơ chuyển được, 0 hồ sơ phải giữ nguyên."
    )
    dossier = live.api(token_in(p)).get(f"/api/v1/dossiers/{started.json()['id']}")
    assert dossier.status_code == 403  # a modeller does not read dossiers; check as admin
    admin = live.api().as_(ADMIN_TOKEN)
    assert admin.get(f"/api/v1/dossiers/{started.json()['id']}").json()["version"] == 1

    # moving asks first, with what the check found; dismissed, nothing moves
    p.click("#btn-migrate")
    dialog = p.locator("#migrate-confirm")
    expect(dialog).to_be_visible()
    expect(p.locator("#migrate-confirm-text")).to_contain_text(
        "1 hồ sơ đang chạy ở phiên bản 1 sẽ chuyển sang phiên bản 2"
    )
    tab.shoot("modeller-migrate-confirm")
    p.click("#btn-migrate-cancel")
    expect(dialog).to_be_hidden()
    expect(p.locator("#migrate-summary")).to_have_text(
        "1 hồ sơ chuyển được, 0 hồ sơ phải giữ nguyên."
    )
    assert admin.get(f"/api/v1/dossiers/{started.json()['id']}").json()["version"] == 1

    p.click("#btn-migrate")
    p.click("#btn-migrate-confirm")
    expect(p.locator("#migrate-summary")).to_have_text("Đã chuyển 1 hồ sơ; 0 hồ sơ giữ nguyên.")
    assert admin.get(f"/api/v1/dossiers/{started.json()['id']}").json()["version"] == 2
    tab.shoot("modeller-migrate")
