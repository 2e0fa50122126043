"""One truth about documents, and telling the citizen what to supplement (issue 26
items 5, 6): the birth-registration start page lists the documents the engine computes,
the dossier page the same; when the desk asks for more, the citizen reads the request,
sees which components are missing and uploads them there."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.conftest import ADMIN_TOKEN, create_token, make_app, serve
from tests.browser.helpers import complete, token_in
from tests.helpers.people import CITIZEN_ID
from toantrinh.api.app import db
from toantrinh.engine.db import Base
from toantrinh.sandbox import sandbox_connectors

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COMMUNE = "Ủy ban nhân dân cấp xã"
CHILD = {
    "relationship_to_child": "Cha",
    "child_full_name": "Nguyễn Minh Khôi",
    "child_date_of_birth": "2026-11-02",
    "child_sex": "Nam",
    "child_ethnicity": "Kinh",
    "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
    "mother_full_name": "Trần Thị Bình",
    "mother_identity_number": "001192034567",
}


@pytest.fixture
def live(db_url, db_engine, session_factory):
    """The app over the sandbox registries (real HTTP): birth registration reads the
    population and health databases."""
    Base.metadata.create_all(db_engine)
    registry = sandbox_connectors(session_factory=session_factory)
    app = make_app(db_url, TOANTRINH_DEV_LOGIN=True, TOANTRINH_CONNECTORS=lambda: registry)
    try:
        yield from serve(app)
    finally:
        with app.app_context():
            db.engine.dispose()
        registry.close()


@pytest.fixture
def birth_registration(live) -> str:
    folder = ROOT / "process_models" / "dang-ky-khai-sinh"
    with (
        open(folder / "dang-ky-khai-sinh.bpmn", "rb") as bpmn,
        open(folder / "procedure.json", "rb") as card,
    ):
        answer = live.api(ADMIN_TOKEN).post(
            "/api/v1/models",
            files={
                "bpmn": ("m.bpmn", bpmn, "application/xml"),
                "procedure": ("procedure.json", card, "application/json"),
            },
        )
    assert answer.status_code == 201, answer.text
    return "dang-ky-khai-sinh"


def test_the_start_page_the_dossier_page_and_the_supplement_agree_on_documents(
    playwright_page, birth_registration, live
):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("citizen", identity_number=CITIZEN_ID)
    tab.goto(f"/citizen?start={birth_registration}")
    start = {
        c: p.locator(f"#documents [data-component='{c}'] .badge").inner_text()
        for c in ("birth_notice", "identity_card_copy")
    }
    # the form asks for both: never "Không phải nộp" before starting
    assert start == {"birth_notice": "Cần cung cấp", "identity_card_copy": "Cần cung cấp"}
    tab.shoot("documents-start", wait="#documents")
    p.click("#start-dossier")
    expect(p.locator("#task h2")).to_contain_text("Khai Tờ khai đăng ký khai sinh")
    dossier_id = int(p.url.rsplit("=", 1)[1])
    for code in start:  # the same list, now with what is still missing
        expect(p.locator(f"#documents [data-component='{code}'] .badge")).to_have_text("Còn thiếu")
    assert p.locator("#f-birth_notice_file").count() == 1  # the form asks for it too
    tab.shoot("documents-dossier", wait="#documents")

    citizen = live.api(token_in(p))
    complete(citizen, "Task_Declare", CHILD)
    desk = live.api(
        create_token(
            live.api(), name="Vũ Một Cửa", role="officer", agency=COMMUNE, lanes=["one_stop_desk"]
        )
    )
    state = citizen.get(f"/api/v1/dossiers/{dossier_id}").json()
    assert state["current_tasks"] and state["current_tasks"][0]["name"].startswith("Tiếp nhận"), (
        state["status"],
        state["agency"],
        state["last_error"],
        state["current_tasks"],
    )
    complete(
        desk,
        "Task_Receive",
        {
            "intake_decision": "supplement",
            "missing_items": "Nộp Giấy chứng sinh bản chính và bản chụp Căn cước của người đi khai",
        },
    )
    tab.goto(f"/citizen?dossier={dossier_id}")
    panel = p.locator("#supplement-request")
    expect(panel).to_contain_text("Cơ quan đề nghị bổ sung")
    expect(panel.locator("#supplement-text")).to_have_text(
        "Nộp Giấy chứng sinh bản chính và bản chụp Căn cước của người đi khai"
    )
    missing = panel.locator("#supplement-missing li")
    expect(missing).to_have_count(2)
    tab.shoot("supplement-request", wait="#supplement-request")
    p.set_input_files(
        "#supplement-birth_notice",
        files=[
            {
                "name": "giay-chung-sinh.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 chung sinh\n",
            }
        ],
    )
    expect(panel.locator("[data-component='birth_notice'] .file-status")).to_contain_text(
        "giay-chung-sinh.pdf"
    )
    files = citizen.get(f"/api/v1/dossiers/{dossier_id}/attachments").json()
    assert [(f["filename"], f["component"]) for f in files] == [
        ("giay-chung-sinh.pdf", "birth_notice")
    ]
    expect(p.locator("#f-supplement_files")).to_have_value(files[0]["code"])
    p.fill("#f-supplement_note", "Đã nộp Giấy chứng sinh")
    p.click("#submit-task")
    expect(p.locator("#waiting")).to_be_visible()
    docs = {d["code"]: d for d in citizen.get(f"/api/v1/dossiers/{dossier_id}/documents").json()}
    assert (
        docs["birth_notice"]["given"] == [files[0]["code"]]
        and docs["identity_card_copy"]["missing"]
    )

    tab.goto(f"/citizen?start={birth_registration}&lang=en")
    expect(p.locator("#documents [data-component='birth_notice'] .badge")).to_have_text("To supply")
    tab.shoot("documents-start-en", wait="#documents")
    assert not tab.console_errors, tab.console_errors
