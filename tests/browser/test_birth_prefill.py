"""Birth registration pre-filled for the mother (issue 26 item 7): she starts the dossier
and the declaration shows her identity from the population database and the child's
birth facts from the electronic birth notice, read-only and marked with their source;
only what no registry holds is typed. Desktop 1366×900 and phone 390×844, Vietnamese and
English; screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_documents_and_supplement import (  # noqa: F401 (fixtures)
    birth_registration,
    live,
)

pytestmark = pytest.mark.browser
MOTHER = "001192034567"  # Trần Thị Bình: birth notice CS-2026-0001234 in the sandbox
LOCKED = {
    "mother_full_name": "Trần Thị Bình",
    "mother_identity_number": MOTHER,
    "mother_date_of_birth": "02/07/1992",
    "birth_notice_number": "CS-2026-0001234",
    "child_date_of_birth": "02/11/2026",
    "child_sex": "Nam",
    "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
}


def test_the_birth_declaration_is_pre_filled_for_the_mother(
    playwright_page,
    birth_registration,  # noqa: F811 (the fixture imported above)
):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("citizen", name="Trần Thị Bình", identity_number=MOTHER)
    tab.goto(f"/citizen?start={birth_registration}")
    expect(p.locator("#start-dossier")).to_be_visible()
    tab.shoot("birth-prefill-start", wait="#start-dossier")
    p.click("#start-dossier")
    expect(p.locator("#task h2")).to_contain_text("Khai Tờ khai đăng ký khai sinh")
    dossier_id = int(p.url.rsplit("=", 1)[1])
    for name, shown in LOCKED.items():
        field = p.locator(f"#task [data-field='{name}']")
        expect(field.locator(f"output#f-{name}")).to_have_text(shown)  # read-only, no input
        expect(field.locator(".badge.source")).to_contain_text("Lấy từ")
    expect(p.locator("#task [data-field='child_sex'] .badge.source")).to_contain_text("y tế")
    expect(p.locator("#task [data-field='mother_full_name'] .badge.source")).to_contain_text(
        "dân cư"
    )
    # what no registry holds stays for her to type
    for name in ("child_full_name", "child_ethnicity", "relationship_to_child"):
        expect(p.locator(f"#f-{name}")).to_be_editable()
    expect(p.locator("#prefill-summary")).to_be_visible()
    tab.shoot("birth-prefill-declaration", wait="#task")

    tab.goto(f"/citizen?dossier={dossier_id}&lang=en")
    expect(p.locator("#task [data-field='child_date_of_birth'] .badge.source")).to_contain_text(
        "From"
    )
    expect(p.locator("output#f-mother_full_name")).to_have_text("Trần Thị Bình")
    tab.shoot("birth-prefill-declaration-en", wait="#task")
    assert not tab.console_errors, tab.console_errors
