"""Every page for everyone (issue 26, 13 and 14): one <h1>, a skip link to the content, no
empty table header, axe-core without serious or critical violations (Page.shoot audits each
state at both widths), focus on the outcome after a form is sent, tables readable on a phone
and the /verify boxes not cut."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import dossier_at_the_desk
from tests.helpers.people import CITIZEN_ID

pytestmark = pytest.mark.browser

# page, the role it is for, what shows it is drawn
PAGES = [
    ("/", None, "h1"),
    ("/login", None, "#dev-login"),
    ("/track", None, "#track-form"),
    ("/verify", None, "#verify-form"),
    ("/citizen", "citizen", "#procedures li"),
    ("/citizen?start=ly-lich-tu-phap", "citizen", "#citizen-view h1"),
    ("/inbox", "officer", "#main h1"),
    ("/modeller", "modeller", "#model-list tbody tr"),
    ("/modeller/ly-lich-tu-phap", "modeller", "body[data-modeler-ready]"),
    ("/reformer", "reformer", "body[data-metrics-ready]"),
    ("/reformer/ly-lich-tu-phap", "reformer", "body[data-report-ready]"),
    ("/reformer/catalogue", "reformer", "#catalogue-open"),
]


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()).strip("-") or "home"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_has_one_h1_a_skip_link_named_headers_and_passes_axe(
    playwright_page, deployed, live, lang
):
    tab, p = playwright_page, playwright_page.page
    dossier_at_the_desk(live)  # the citizen has a dossier (a table of them), the desk a task
    signed = None
    for path, role, ready in PAGES:
        if role != signed and role is not None:
            names = {
                "citizen": "Nguyễn Văn An",
                "officer": "Vũ Một Cửa",
                "modeller": "Trần Mô Hình",
                "reformer": "Lê Cải Cách",
            }
            tab.sign_in(
                role, name=names[role], identity_number=CITIZEN_ID if role == "citizen" else None
            )
            signed = role
        tab.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        p.wait_for_selector(ready)
        p.wait_for_load_state("networkidle")
        assert p.locator("h1:visible").count() == 1, f"{path}: {p.locator('h1').all_inner_texts()}"
        assert p.evaluate("document.documentElement.lang") == lang
        # no empty column header: each names its column, for screen readers at least
        empty = p.evaluate(
            "[...document.querySelectorAll('th')].filter(th => !th.textContent.trim()).length"
        )
        assert empty == 0, f"{path}: {empty} empty table headers"
        # the skip link is the first thing Tab reaches, and takes the keyboard to the content
        p.evaluate("document.activeElement?.blur()")
        p.keyboard.press("Tab")
        skip = p.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_have_text(
            "Bỏ qua, đến nội dung chính" if lang == "vi" else "Skip to main content"
        )
        assert skip.bounding_box()["y"] >= 0, "the focused skip link is on screen"
        p.keyboard.press("Enter")
        assert p.evaluate("document.activeElement.id") == "main"
        tab.shoot(f"a11y-{_slug(path)}-{lang}", wait=ready)  # screenshots and axe at both widths
        assert tab.no_horizontal_scroll(), path
    assert not tab.console_errors


def test_warning_badge_contrast_is_at_least_4_5(playwright_page):
    tab, p = playwright_page, playwright_page.page
    tab.goto("/")
    ratio = p.evaluate("""() => {
      const b = document.createElement('span'); b.className = 'badge warn'; b.textContent = 'Quá hạn';
      document.getElementById('main').append(b);
      const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      const s = getComputedStyle(b);
      const [l1, l2] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    }""")
    assert ratio >= 4.5, ratio


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_focus_moves_to_the_result_or_the_error_after_sending(
    playwright_page, live, deployed, lang
):
    tab, p = playwright_page, playwright_page.page
    dossier, _ = dossier_at_the_desk(live)
    tab.goto(f"/track?lang={lang}")
    p.fill("#track-code", "KHONG-CO-MA-NAY")
    p.press("#track-code", "Enter")
    expect(p.locator("#track-notice")).to_be_focused()
    tab.shoot(f"a11y-focus-track-error-{lang}")
    p.fill("#track-code", dossier["receipt_code"])
    p.press("#track-code", "Enter")
    expect(p.locator("#track-result h2")).to_be_focused()
    tab.shoot(f"a11y-focus-track-result-{lang}")

    tab.goto(f"/verify?lang={lang}")
    p.fill("#verify-code", "KQ-KHONGCO")
    p.click("#verify-form button[type=submit]")
    expect(p.locator("#verify-notice")).to_be_focused()
    tab.shoot(f"a11y-focus-verify-error-{lang}")


def test_tables_and_verify_boxes_are_readable_on_a_phone(playwright_page, live, deployed):
    tab, p = playwright_page, playwright_page.page
    dossier_at_the_desk(live)
    p.set_viewport_size(PHONE)
    tab.goto("/verify")
    for box in ("#verify-code", "#verify-identity"):
        width = p.locator(box).bounding_box()["width"]
        assert width >= PHONE["width"] * 0.8, f"{box} is {width}px wide on a phone"
        # the placeholder fits (a text as wide as the placeholder is not cut)
        fits = p.evaluate(
            """sel => { const i = document.querySelector(sel); const c = document.createElement('canvas').getContext('2d');
            const s = getComputedStyle(i); c.font = `${s.fontSize} ${s.fontFamily}`;
            return c.measureText(i.placeholder).width <= i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }""",
            box,
        )
        assert fits, box
    tab.page.screenshot(path=str(_shot("phone-verify-boxes")), full_page=True)

    tab.sign_in("citizen", name="Nguyễn Văn An", identity_number=CITIZEN_ID)
    p.set_viewport_size(PHONE)
    tab.goto("/citizen")
    p.wait_for_selector("#my-dossiers tbody tr")
    _readable(p, "#my-dossiers")
    tab.page.screenshot(path=str(_shot("phone-citizen-dossiers")), full_page=True)

    tab.sign_in("modeller", name="Trần Mô Hình")
    p.set_viewport_size(PHONE)
    tab.goto("/modeller")
    p.wait_for_selector("#model-list tbody tr")
    _readable(p, "#model-list")
    tab.page.screenshot(path=str(_shot("phone-model-list")), full_page=True)

    tab.sign_in("reformer", name="Lê Cải Cách")
    p.set_viewport_size(PHONE)
    tab.goto("/reformer")
    p.wait_for_selector("body[data-metrics-ready]")
    # a wide table keeps its columns and scrolls in its own box, never the page
    wrap = p.locator("#ranking").locator("xpath=..")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    longest = p.evaluate(
        "Math.max(...[...document.querySelectorAll('#ranking tbody td')].map(td => td.getBoundingClientRect().width))"
    )
    assert longest >= 120
    tab.page.screenshot(path=str(_shot("phone-reformer-ranking")), full_page=True)


def _readable(p, table: str) -> None:
    """On a phone a table of records is one card per row: each cell as wide as the card,
    under its column's name, its text on few lines (not one word per line)."""
    cells = p.evaluate(f"""() => [...document.querySelectorAll('{table} tbody td')].map(td => {{
        const r = td.getBoundingClientRect();
        const lines = Math.round(r.height / parseFloat(getComputedStyle(td).lineHeight || 24));
        return {{ width: r.width, label: td.dataset.label || '', before: getComputedStyle(td, '::before').content,
                 words: td.textContent.trim().split(/\\s+/).length, lines, text: td.textContent.trim() }};
    }})""")
    assert cells
    for cell in cells:
        assert cell["width"] >= 300, cell
        if cell["label"]:
            assert cell["before"].strip('"') == cell["label"], cell
        assert cell["lines"] <= max(2, cell["words"] // 3 + 1), cell
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def _shot(name: str):
    from tests.browser.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
