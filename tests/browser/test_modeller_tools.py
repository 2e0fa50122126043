"""The modeller at a laptop's size: every bpmn-js palette tool can be reached and used at
1366×768 and larger (issue 26, 10), and a file that is not BPMN is refused in the user's
language with the parser's reason, the diagram left as it was (issue 26, 11)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.conftest import create_token

pytestmark = pytest.mark.browser

# palette action → the BPMN type a click on the canvas creates (None: a tool, nothing created)
TOOLS = {
    "hand-tool": None,
    "lasso-tool": None,
    "space-tool": None,
    "global-connect-tool": None,
    "create.start-event": "bpmn:StartEvent",
    "create.intermediate-event": "bpmn:IntermediateThrowEvent",
    "create.end-event": "bpmn:EndEvent",
    "create.exclusive-gateway": "bpmn:ExclusiveGateway",
    "create.task": "bpmn:Task",
    "create.subprocess-expanded": "bpmn:SubProcess",
    "create.data-object": "bpmn:DataObjectReference",
    "create.data-store": "bpmn:DataStoreReference",
    "create.participant-expanded": "bpmn:Participant",
    "create.group": "bpmn:Group",
}
COUNT = "type => window.ttModeler.get('elementRegistry').filter(e => e.type === type).length"


@pytest.mark.parametrize(
    "size",
    [
        {"width": 1366, "height": 768},
        {"width": 1366, "height": 900},
        {"width": 1920, "height": 1080},
    ],
    ids=lambda s: f"{s['width']}x{s['height']}",
)
def test_every_palette_tool_is_reachable_and_creates_its_element(playwright_page, size):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình", next="/modeller/new")
    p.wait_for_selector("body[data-modeler-ready]")
    p.set_viewport_size(size)
    p.wait_for_timeout(200)
    entries = p.locator(".djs-palette .entry")
    assert sorted(entries.evaluate_all("es => es.map(e => e.dataset.action)")) == sorted(TOOLS)
    canvas = p.locator("#canvas").bounding_box()
    for i, (action, bpmn_type) in enumerate(TOOLS.items()):
        entry = p.locator(f".djs-palette .entry[data-action='{action}']")
        box = entry.bounding_box()
        # the tool is inside the canvas and nothing covers it (a click lands on the tool itself)
        assert (
            canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]
        ), action
        hit = p.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.dataset?.action",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == action, f"{action} is covered by {hit} at {size}"
        before = p.evaluate(COUNT, bpmn_type) if bpmn_type else None
        entry.click()
        if bpmn_type:
            # place the new element in the free right part of the canvas, then undo it, so
            # that every tool drops onto the same empty spot
            x, y = canvas["x"] + canvas["width"] * 0.8, canvas["y"] + canvas["height"] * 0.3
            p.mouse.move(x, y)
            p.mouse.click(x + 5, y)
            assert p.evaluate(COUNT, bpmn_type) == before + 1, action
            if i != len(TOOLS) - 1:
                p.evaluate("window.ttModeler.get('commandStack').undo()")
        p.keyboard.press("Escape")
    if size["height"] == 768:
        tab.page.screenshot(path=str(tab_shot("modeller-palette-1366x768")), full_page=True)
    elif size["height"] == 900:
        tab.shoot("modeller-palette")  # 1366×900 and the phone, audited by axe-core
    assert not tab.console_errors


def tab_shot(name):
    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


BROKEN = {
    "not-well-formed": ("<definitions><process id='x'", "line 1 at column"),
    "html": ("<html><body>Hello</body></html>", "<html>"),
    "no-diagram": (
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'targetNamespace="x"><process id="P"/></definitions>',
        None,
    ),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_file_that_is_not_bpmn_says_so_with_the_reason(playwright_page, tmp_path, lang):
    tab, p = playwright_page, playwright_page.page
    tab.sign_in("modeller", name="Trần Mô Hình", next=f"/modeller/new?lang={lang}")
    p.wait_for_selector("body[data-modeler-ready]")
    shapes = p.evaluate("window.ttModeler.get('elementRegistry').getAll().length")
    lead = "Tệp không phải là BPMN hợp lệ" if lang == "vi" else "The file is not valid BPMN"
    for name, (text, reason) in BROKEN.items():
        path = tmp_path / f"{name}.bpmn"
        path.write_text(text, encoding="utf-8")
        p.set_input_files("#open-file", str(path))
        notice = p.locator("#modeller-notice")
        expect(notice).to_contain_text(lead)
        expect(notice).to_contain_text(f"{name}.bpmn")
        if reason:
            expect(notice).to_contain_text(reason)
        elif lang == "vi":
            expect(notice).to_contain_text("không có sơ đồ")
        else:
            expect(notice).to_contain_text("no diagram")
        text_shown = notice.inner_text()
        assert "Cannot read properties" not in text_shown and "máy chủ" not in text_shown
        assert "server" not in text_shown
        # the diagram that was open is still there, editable
        assert p.evaluate("window.ttModeler.get('elementRegistry').getAll().length") == shapes
        tab.shoot(f"modeller-invalid-file-{name}-{lang}")
    assert not [e for e in tab.console_errors if "Cannot read" in e]


def test_the_api_says_a_deployed_file_is_not_bpmn(live):
    modeller = live.api(create_token(live.api(), name="Trần Mô Hình", role="modeller"))
    for body, reason in ((b"<definitions><process", "not well-formed"), (b"<html/>", "<html>")):
        response = modeller.post(
            "/api/v1/models?slug=x", data=body, headers={"Content-Type": "application/xml"}
        )
        assert response.status_code == 422
        problem = response.json()
        assert problem["detail"].startswith("Tệp không phải là BPMN hợp lệ: ")
        assert reason in problem["detail"] and reason in problem["errors"][0]["message"]
