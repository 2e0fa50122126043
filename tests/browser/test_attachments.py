"""A citizen attaches a design drawing in the browser: the file chooser of a component
field uploads the file and the form sends its code (web/static/js/form.js)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.conftest import create_token
from tests.browser.helpers import token_in
from tests.helpers.gpxd import GPXD, declaration
from tests.helpers.people import CITIZEN_ID, POPULATION, local_connectors
from toantrinh.engine.service import Engine

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n" + b"0" * 3000 + b"\n%%EOF\n"
COMMUNE = "Ủy ban nhân dân cấp xã"  # the construction permit's agency (procedure.json)
# the form's inputs take text
DECLARATION = {name: str(value) for name, value in declaration().items()}


def test_a_component_field_uploads_the_chosen_file_and_sends_its_code(
    playwright_page, live, session
):
    Engine(session, connectors=local_connectors()).deploy_folder(GPXD)
    session.commit()
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("citizen", name=POPULATION[CITIZEN_ID]["full_name"], identity_number=CITIZEN_ID)
    api = live.api(token_in(p))
    started = api.post("/api/v1/dossiers", json={"model": "cap-giay-phep-xay-dung"})
    assert started.status_code == 201, started.text
    dossier_id = started.json()["id"]
    tab.goto(f"/citizen?dossier={dossier_id}")

    field = p.locator(".field[data-field='drawings_file']")
    expect(field.locator(".badge.component")).to_have_text("Thành phần hồ sơ")
    field.locator("input[type=file]").set_input_files(
        files=[{"name": "ban-ve.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    expect(field.locator(".file-status")).to_have_text("Đã tải lên ban-ve.pdf (3 KB)")
    code = field.locator("input.file-code").input_value()
    assert re.fullmatch(r"TL-[0-9A-F]{16}", code)

    # a made-up code is refused at its field, and the dossier does not move
    p.fill("#f-land_certificate_file", "TL-0000000000000000")
    for name, value in DECLARATION.items():
        p.fill(f"#f-{name}", value)
    p.click("#submit-task")
    expect(p.locator(".field[data-field='land_certificate_file'] .field-error")).to_contain_text(
        "không có tệp đính kèm"
    )
    p.fill("#f-land_certificate_file", "")
    p.click("#submit-task")
    expect(p.locator("#waiting, #done")).to_have_count(1)

    files = api.get(f"/api/v1/dossiers/{dossier_id}/attachments").json()
    assert [(f["code"], f["component"], f["filename"]) for f in files] == [
        (code, "construction_drawings", "ban-ve.pdf")
    ]
    assert api.get(f"/api/v1/dossiers/{dossier_id}").json()["data"]["drawings_file"] == code
    assert not tab.console_errors, tab.console_errors


def test_an_officer_keeps_a_checked_file_and_the_next_form_offers_it(
    playwright_page, live, session
):
    Engine(session, connectors=local_connectors()).deploy_folder(GPXD)
    session.commit()
    tab, p = playwright_page, playwright_page.page
    citizen = live.api(
        create_token(live.api(), name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID)
    )
    first = citizen.post("/api/v1/dossiers", json={"model": "cap-giay-phep-xay-dung"}).json()
    scan = citizen.post(
        f"/api/v1/dossiers/{first['id']}/attachments",
        files={"file": ("gcn.pdf", PDF, "application/pdf")},
        data={"component": "land_certificate_copy"},
    ).json()
    (declare,) = citizen.get(f"/api/v1/dossiers/{first['id']}/tasks").json()
    sent = citizen.post(
        f"/api/v1/tasks/{declare['id']}/complete",
        json={"data": {**declaration(), "land_certificate_file": scan["code"]}},
    )
    assert sent.status_code == 200, sent.text

    tab.sign_in("officer", name="Lê Tiếp Nhận", agency=COMMUNE, lanes=("one_stop_desk",))
    (receive,) = [
        t
        for t in live.api(token_in(p)).get(f"/api/v1/dossiers/{first['id']}/tasks").json()
        if t["bpmn_id"] == "Task_Receive"
    ]
    tab.goto(f"/inbox?task={receive['id']}")
    files = p.locator("#dossier-files")
    expect(files.locator(f"li[data-code='{scan['code']}']")).to_contain_text("gcn.pdf")
    files.locator(f"button[data-keep='{scan['code']}']").click()
    expect(files.locator("[role=status]")).to_contain_text(
        "Đã lưu vào kho dữ liệu của người nộp, mã KQ-"
    )
    (doc,) = citizen.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents").json()
    assert doc["document_type"] == "land_use_certificate" and doc["file"]["size"] == len(PDF)
    # opened again, the file says where it went and offers no second keep
    tab.goto(f"/inbox?task={receive['id']}")
    expect(files.locator(f"[data-kept='{scan['code']}']")).to_have_text(
        f"Đã lưu vào kho dữ liệu: {doc['result_code']}"
    )
    expect(files.locator(f"li[data-code='{scan['code']}']")).to_be_visible()
    expect(files.locator(f"button[data-keep='{scan['code']}']")).to_have_count(0)

    # the applicant's next dossier offers the kept document instead of a new upload
    second = citizen.post("/api/v1/dossiers", json={"model": "cap-giay-phep-xay-dung"}).json()
    tab.sign_in("citizen", name=POPULATION[CITIZEN_ID]["full_name"], identity_number=CITIZEN_ID)
    # the citizen's own warehouse lists it, and gives the file back
    tab.goto("/citizen")
    row = p.locator(f"#my-warehouse tr[data-result='{doc['result_code']}']")
    expect(row).to_contain_text("Bản sao Giấy chứng nhận quyền sử dụng đất")
    expect(row).to_contain_text("Bản số hóa")
    with p.expect_download() as got:
        row.locator("button").click()
    assert Path(got.value.path()).read_bytes() == PDF
    tab.goto(f"/citizen?dossier={second['id']}")
    field = p.locator(".field[data-field='land_certificate_file']")
    field.locator("select.file-held").select_option(doc["result_code"])
    expect(field.locator("input.file-code")).to_have_value(doc["result_code"])
    expect(field.locator(".file-status")).to_contain_text("không cần tải lên lại")
    expect(p.locator(".field[data-field='drawings_file'] select.file-held")).to_have_count(0)
    for name, value in DECLARATION.items():
        p.fill(f"#f-{name}", value)
    p.click("#submit-task")
    expect(p.locator("#waiting, #done")).to_have_count(1)
    data = citizen.get(f"/api/v1/dossiers/{second['id']}").json()["data"]
    assert data["land_certificate_file"] == doc["result_code"]
    assert not tab.console_errors, tab.console_errors
