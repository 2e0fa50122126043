"""The reformer's report draws the model before and after the simplification as two
bpmn-js NavigatedViewers that can be zoomed and panned, readable at desktop and phone width,
with an overlay for each finding (issue 26, 12)."""

from __future__ import annotations

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.api.conftest import create_token
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
SCALE = "v => window[v].get('canvas').viewbox().scale"
VIEWBOX_X = "v => window[v].get('canvas').viewbox().x"


def _drawn(xml: str) -> set[str]:
    root = etree.fromstring(xml.encode("utf-8"))
    return {s.get("bpmnElement") for s in root.iter(f"{DI}BPMNShape")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_shows_the_model_before_and_after_zoomable_with_overlays(
    playwright_page, deployed, live, lang
):
    tab, p = playwright_page, playwright_page.page
    api = live.api(create_token(live.api(), name="Lê Cải Cách", role="reformer"))
    report = api.get(f"/api/v1/simplification/models/{deployed}").json()
    after_xml = api.get(f"/api/v1/simplification/models/{deployed}", params={"format": "bpmn"}).text
    before_xml = api.get(f"/api/v1/models/{deployed}/versions/1/bpmn").text
    before_ids, after_ids = _drawn(before_xml), _drawn(after_xml)
    removed = set(report["plan"]["remove_tasks"])
    assert removed and removed <= before_ids and not removed & after_ids

    tab.sign_in("reformer", name="Lê Cải Cách")
    tab.goto(f"/reformer/{deployed}?lang={lang}")
    p.wait_for_selector("body[data-report-ready]")
    title = "Quy trình sau khi đơn giản hóa" if lang == "vi" else "The procedure once simplified"
    expect(p.locator("#diagram-after-title")).to_have_text(title)
    # each diagram draws its own model: removed steps only on the first
    for task in removed:
        expect(p.locator(f"#diagram .djs-element[data-element-id='{task}']")).to_have_count(1)
        expect(p.locator(f"#diagram-after .djs-element[data-element-id='{task}']")).to_have_count(0)
    drawn = p.evaluate(
        "window.ttViewerAfter.get('elementRegistry').filter("
        "e => !e.waypoints && e.type !== 'label' && e.parent).map(e => e.id)"
    )
    assert set(drawn) == after_ids
    # overlays: every highlighted element of the first; on the second, each finding's target
    # still there carries its number, each new step a "+"
    targets = set()
    for f in report["findings"]:
        for target in f.get("targets") or []:
            refs = (report.get("components") or {}).get(target, {}).get("refs") or [target]
            targets |= set(refs)
    kept = targets & after_ids
    added = {
        i
        for i in after_ids - before_ids - kept
        if not etree.fromstring(after_xml.encode()).xpath(
            "//*[@id=$i][local-name()='participant' or local-name()='lane']", i=i
        )
    }
    expect(p.locator("#diagram .tt-overlay")).to_have_count(
        p.locator("#diagram .djs-element[class*='tt-hl-']").count()
    )
    expect(p.locator("#diagram-after .tt-overlay.change")).to_have_count(len(kept))
    expect(p.locator("#diagram-after .tt-overlay.added")).to_have_count(len(added))
    assert kept or added, "the simplified model shows what changed"

    # readable, and zoomed and panned with the buttons and the mouse
    for name in ("ttViewer", "ttViewerAfter"):
        assert p.evaluate(SCALE, name) >= 0.74
    scale = p.evaluate(SCALE, "ttViewerAfter")
    p.locator(".zoom[data-for='after'] [data-zoom='in']").click()
    assert p.evaluate(SCALE, "ttViewerAfter") > scale
    p.locator(".zoom[data-for='after'] [data-zoom='out']").click()
    p.locator(".zoom[data-for='after'] [data-zoom='out']").click()
    assert p.evaluate(SCALE, "ttViewerAfter") < scale
    box = p.locator("#diagram").bounding_box()
    x = p.evaluate(VIEWBOX_X, "ttViewer")
    p.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] - 15)
    p.mouse.down()
    p.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] - 15, steps=8)
    p.mouse.up()
    assert p.evaluate(VIEWBOX_X, "ttViewer") > x + 50, "dragging the canvas pans it"
    p.locator(".zoom[data-for='before'] [data-zoom='fit']").click()
    tab.shoot(f"reformer-before-after-{lang}", wait="body[data-report-ready]")
    p.set_viewport_size(PHONE)
    p.wait_for_timeout(300)
    for name in ("ttViewer", "ttViewerAfter"):
        assert p.evaluate(SCALE, name) >= 0.74, f"{name} shrunk on a phone"
    assert tab.no_horizontal_scroll()
    assert not tab.console_errors
