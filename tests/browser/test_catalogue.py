"""A reformer opens a national catalogue report (``toantrinh catalogue analyse --format
json``) in the browser and one procedure of it, with the verdict of every component."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.catalogue.records import write_sources
from toantrinh.engine.catalogue_files import analyse_folder, import_records
from toantrinh.simplifier.records.render import to_json

pytestmark = pytest.mark.browser


@pytest.fixture
def report_file(tmp_path):
    src = write_sources(tmp_path)
    import_records([src], tmp_path / "out")
    target = tmp_path / "catalogue.json"
    target.write_text(to_json(analyse_folder(tmp_path / "out")), encoding="utf-8")
    return target


def test_reformer_opens_a_catalogue_report_and_one_procedure(playwright_page, report_file):
    tab, p = playwright_page, playwright_page.page
    report = json.loads(report_file.read_text(encoding="utf-8"))
    tab.sign_in("reformer", name="Lê Cải Cách")
    p.get_by_role("link", name="Mở báo cáo rà soát danh mục").click()
    p.wait_for_url("**/reformer/catalogue")
    p.set_input_files("#catalogue-file", str(report_file))
    p.wait_for_selector("body[data-catalogue-ready]")
    tiles = p.locator("#catalogue-totals .tile")
    expect(tiles.nth(0)).to_contain_text(str(report["totals"]["procedures"]))
    expect(tiles.nth(1)).to_contain_text(str(report["totals"]["replaceable_now"]))
    expect(p.locator("#catalogue-procedures tbody tr")).to_have_count(len(report["procedures"]))
    expect(p.locator("#catalogue-databases tr[data-db='population']")).to_be_visible()
    tab.shoot("catalogue-report", wait="body[data-catalogue-ready]")
    assert tab.no_horizontal_scroll()

    p.locator("#catalogue-search").fill("1.900001")
    expect(p.locator("#catalogue-procedures tbody tr")).to_have_count(1)
    p.get_by_role("link", name="1.900001").click()
    p.wait_for_selector("body[data-procedure-ready='1.900001']")
    rows = p.locator("#procedure-components tbody tr")
    procedure = next(x for x in report["procedures"] if x["national_code"] == "1.900001")
    expect(rows).to_have_count(len(procedure["components"]))
    expect(rows.nth(1)).to_have_attribute("data-verdict", "replaceable_by_database")
    expect(rows.nth(1)).to_contain_text("Bỏ, khai thác CSDL")
    expect(p.locator("#procedure-steps tbody tr").nth(2)).to_contain_text("Luật yêu cầu có mặt")
    expect(p.locator("#procedure-plan tbody tr")).to_have_count(len(procedure["plan"]))
    tab.shoot("catalogue-procedure", wait="body[data-procedure-ready]")
    p.locator("#catalogue-back").click()
    expect(p.locator("#catalogue-view")).to_be_visible()


def test_a_file_that_is_not_a_report_is_refused(playwright_page, tmp_path):
    tab, p = playwright_page, playwright_page.page
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    tab.sign_in("reformer", name="Lê Cải Cách", next="/reformer/catalogue")
    p.set_input_files("#catalogue-file", str(bad))
    expect(p.locator("#catalogue-notice")).to_contain_text("không phải báo cáo rà soát danh mục")
    expect(p.locator("#catalogue-view")).to_be_hidden()
