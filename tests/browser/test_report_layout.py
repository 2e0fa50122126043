"""The reformer's HTML report read in Chromium: it fits a 1366-pixel screen."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.simplifier.builders import FIXTURES, catalogue, cost_model, fixture, fixture_forms
from toantrinh.simplifier import analyse
from toantrinh.simplifier.report import to_html

pytestmark = pytest.mark.browser


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_html_report_fits_a_1366_pixel_screen_without_horizontal_scrolling(browser, tmp_path):
    proc = json.loads((FIXTURES / "ltp.procedure.json").read_text(encoding="utf-8"))
    report = analyse(
        fixture("ltp.bpmn"), catalogue(), proc, fixture_forms(), cost_model=cost_model()
    )
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        sizes = page.evaluate(
            "[...document.querySelectorAll('svg.diagram-svg')]"
            ".map(s => s.getBoundingClientRect().width)"
        )
    finally:
        page.close()
    assert len(sizes) == 2 and all(0 < w <= 1366 for w in sizes)
