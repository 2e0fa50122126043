"""Procedures are found without diacritics, by national code and by common abbreviations
(``aliases`` of procedure.json), on every page that searches them: the citizen's start page,
the modeller's list, the reformer's ranking and the national catalogue report (issue 26, 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.conftest import create_token, deploy_sample
from tests.browser.test_catalogue import report_file  # noqa: F401  (fixture)
from tests.helpers.people import CITIZEN_ID
from toantrinh.engine.textfold import fold

pytestmark = pytest.mark.browser
LIBRARY = Path(__file__).resolve().parents[2] / "process_models"


@pytest.fixture
def two_procedures(live) -> None:
    modeller = live.api(create_token(live.api(), name="Trần Mô Hình", role="modeller"))
    assert deploy_sample(modeller).status_code == 201
    procedure = json.loads(
        (LIBRARY / "dang-ky-khai-sinh" / "procedure.json").read_text(encoding="utf-8")
    )
    bpmn = (LIBRARY / "dang-ky-khai-sinh" / procedure["bpmn"]).read_text(encoding="utf-8")
    response = modeller.post("/api/v1/models", json={"bpmn": bpmn, "procedure": procedure})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_citizen_finds_procedures_without_diacritics_by_code_and_abbreviation(
    playwright_page, two_procedures, lang
):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("citizen", name="Nguyễn Văn An", identity_number=CITIZEN_ID)
    tab.goto(f"/citizen?lang={lang}")
    cards = p.locator("#procedures li.procedure")
    expect(cards).to_have_count(2)
    search = p.locator("#procedure-filter")
    for query, slug in (
        ("ly lich", "ly-lich-tu-phap"),
        ("LLTP", "ly-lich-tu-phap"),
        ("1.001193", "dang-ky-khai-sinh"),
        ("dang ky KHAI SINH", "dang-ky-khai-sinh"),
        ("giay khai sinh", "dang-ky-khai-sinh"),
        ("Lý Lịch Tư Pháp", "ly-lich-tu-phap"),
    ):
        search.fill(query)
        expect(cards).to_have_count(1)
        expect(cards.first).to_have_attribute("data-slug", slug)
        if query == "ly lich":
            tab.shoot(f"search-citizen-ly-lich-{lang}")
    search.fill("hộ chiếu xyz")
    expect(cards).to_have_count(0)
    expect(p.locator("#no-procedure")).to_have_text(
        "Không tìm thấy thủ tục nào." if lang == "vi" else "No procedure found."
    )
    tab.shoot(f"search-citizen-none-{lang}")
    assert not tab.console_errors


def test_modeller_and_reformer_lists_search_alike(playwright_page, two_procedures):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình")
    tab.goto("/modeller")
    rows = p.locator("#model-list tbody tr")
    expect(rows).to_have_count(2)
    p.locator("#model-search").fill("lltp")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-slug", "ly-lich-tu-phap")
    p.locator("#model-search").fill("1.001193")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-slug", "dang-ky-khai-sinh")
    tab.shoot("search-modeller-list")

    tab.goto("/reformer")
    ranking = p.locator("#ranking tbody tr")
    expect(ranking).to_have_count(2)
    p.locator("#ranking-search").fill("ly lich")
    expect(p.locator("#ranking tbody tr:visible")).to_have_count(1)
    expect(p.locator("#ranking tbody tr:visible")).to_have_attribute("data-slug", "ly-lich-tu-phap")
    p.locator("#ranking-search").fill("khai sinh")
    expect(p.locator("#ranking tbody tr:visible")).to_have_attribute(
        "data-slug", "dang-ky-khai-sinh"
    )
    tab.shoot("search-reformer-ranking")
    assert not tab.console_errors


def test_catalogue_report_search_ignores_diacritics(playwright_page, report_file):  # noqa: F811
    tab, p = playwright_page, playwright_page.page
    report = json.loads(report_file.read_text(encoding="utf-8"))
    tab.sign_in("reformer", name="Lê Cải Cách")
    tab.goto("/reformer/catalogue")
    p.set_input_files("#catalogue-file", str(report_file))
    p.wait_for_selector("body[data-catalogue-ready]")
    name = next(x["name"] for x in report["procedures"] if fold(x["name"]) != x["name"].lower())
    words = " ".join(fold(name).split()[:3]).upper()  # typed without marks, in capitals
    expected = [
        x for x in report["procedures"] if all(w in fold(x["name"]) for w in fold(words).split())
    ]
    assert expected
    p.locator("#catalogue-search").fill(words)
    expect(p.locator("#catalogue-procedures tbody tr")).to_have_count(len(expected))
    tab.shoot("search-catalogue")
