"""A citizen attaches a design drawing in the browser: the file chooser of a component
field uploads the file and the form sends its code (web/static/js/form.js)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.service import Engine
from tests.browser.helpers import token_in
from tests.helpers.gpxd import GPXD, declaration
from tests.helpers.people import CITIZEN_ID, POPULATION, local_connectors

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n" + b"0" * 3000 + b"\n%%EOF\n"
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
