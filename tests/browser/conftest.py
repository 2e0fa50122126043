"""Browser tests: the app on the ``db_url`` database (SQLite, and PostgreSQL when configured),
served by werkzeug on a free localhost port, driven by Playwright through Debian's Chromium.

No browser is ever downloaded (never ``playwright install``): ``/usr/bin/chromium`` is
required, and the tests are skipped only when it is absent *and* ``TT_SKIP_BROWSER=1``.
Every test saves screenshots of the pages it visits, at desktop and phone width, under
``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import AGENCY, LLTP, create_token, deploy_sample, make_app, serve
from tests.helpers.people import local_connectors, reengineered_ltp_forms
from toantrinh.api.app import db
from toantrinh.engine.db import Base
from toantrinh.engine.warehouse import edata_connector

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VENDOR = ROOT / "web" / "static" / "vendor" / "VERSIONS.json"
AXE = ROOT / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_REPORTS = ROOT / "artifacts" / "axe"
# WCAG 2.1 A and AA; a serious or critical violation fails the test that showed the page
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("TT_SKIP_BROWSER") == "1":
            pytest.skip("/usr/bin/chromium is absent and TT_SKIP_BROWSER=1: browser tests skipped")
        pytest.fail(
            "/usr/bin/chromium is missing: install it (apt-get install chromium, which ./tt does) "
            "or set TT_SKIP_BROWSER=1 to skip the browser tests"
        )
    if not VENDOR.is_file() or not AXE.is_file():
        subprocess.run([str(ROOT / "web" / "build.sh")], check=True, cwd=ROOT / "web")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live(db_url, db_engine, session_factory):
    Base.metadata.create_all(db_engine)  # the API's own tables where migrations lack them
    # the e-data warehouse over the test database, as a deployment has it (procedures look
    # documents up in it: the construction permit its land certificate)
    app = make_app(
        db_url,
        TOANTRINH_DEV_LOGIN=True,
        TOANTRINH_CONNECTORS=lambda: local_connectors(edata=edata_connector(session_factory)),
    )
    try:
        yield from serve(app)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def deployed(live) -> str:
    """The criminal-record-certificate procedure deployed (version 1); returns its slug."""
    modeller = create_token(live.api(), name="Trần Mô Hình", role="modeller")
    response = deploy_sample(live.api(modeller))
    assert response.status_code == 201, response.text
    return response.json()["slug"]


@pytest.fixture
def deployed_vneid(live) -> str:
    """The criminal-record-certificate procedure as re-engineered on VNeID (the population
    database's 17 fields pre-filled, 6 typed) deployed as version 1; returns its slug."""
    modeller = create_token(live.api(), name="Trần Mô Hình", role="modeller")
    procedure = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))
    body = {
        "bpmn": (LLTP / procedure["bpmn"]).read_text(encoding="utf-8"),
        "procedure": procedure,
        "forms": reengineered_ltp_forms(),
    }
    response = live.api(modeller).post("/api/v1/models", json=body)
    assert response.status_code == 201, response.text
    return response.json()["slug"]


class Page:
    """One browser tab on the live app, with sign-in and screenshot helpers."""

    def __init__(self, page, base: str, test_name: str):
        self.page, self.base, self.test_name = page, base, test_name
        # script errors and server errors; expected 4xx answers (a refused form) are not errors
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.console_errors.append(m.text)
            ),
        )
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on(
            "response",
            lambda r: r.status >= 500 and self.console_errors.append(f"{r.status} {r.url}"),
        )

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sign_in(
        self,
        role: str,
        *,
        name: str | None = None,
        identity_number: str | None = None,
        agency: str = AGENCY,
        lanes: tuple[str, ...] = ("one_stop_desk",),
        next: str = "",
    ) -> None:
        """Sign in through the login page's development form."""
        p = self.page
        self.goto("/login" + (f"?next={next}" if next else ""))
        p.select_option("#login-role", role)
        if name:
            p.fill("#login-name", name)
        if role == "citizen" and identity_number:
            p.fill("#login-identity", identity_number)
        if role == "officer":
            p.fill("#login-agency", agency)
            for lane in ("one_stop_desk", "specialist", "leader"):
                p.set_checked(f"#dev-login input[value={lane}]", lane in lanes)
        p.click("#dev-login button[type=submit]")
        p.wait_for_url(re.compile(r"^(?!.*/login).*$"))

    def shoot(self, name: str, *, wait: str | None = None) -> list[Path]:
        """Save full-page screenshots of the current page at desktop and at phone width."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            if wait:
                self.page.wait_for_selector(wait)
            self.page.wait_for_timeout(150)
            path = SHOTS / f"{name}-{label}.png"
            self.page.screenshot(path=str(path), full_page=True)
            paths.append(path)
            self.audit(f"{name}-{label}")
        self.page.set_viewport_size(DESKTOP)
        return paths

    def audit(self, name: str) -> list[dict]:
        """Run axe-core (vendored by web/build.sh) on the page as it is; its report is saved
        under artifacts/axe/; a serious or critical violation fails the test."""
        if not self.page.evaluate("Boolean(window.axe)"):
            self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [
                    {"target": n["target"], "summary": n.get("failureSummary", "")}
                    for n in v["nodes"]
                ],
            }
            for v in result["violations"]
        ]
        AXE_REPORTS.mkdir(parents=True, exist_ok=True)
        (AXE_REPORTS / f"{name}.json").write_text(
            json.dumps(
                {"url": self.page.url, "violations": violations}, ensure_ascii=False, indent=2
            ),
            encoding="utf-8",
        )
        failing = [v for v in violations if v["impact"] in AXE_FAILING]
        assert not failing, f"axe-core on {name} ({self.page.url}): " + "; ".join(
            f"{v['impact']} {v['id']} ({v['help']}): {[n['target'] for n in v['nodes']][:4]}"
            for v in failing
        )
        return violations

    def no_horizontal_scroll(self) -> bool:
        """At phone width the page itself must not scroll sideways (tables scroll in their box)."""
        self.page.set_viewport_size(PHONE)
        self.page.wait_for_timeout(100)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        self.page.set_viewport_size(DESKTOP)
        return overflow <= 1


@pytest.fixture
def playwright_page(browser, live, request) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    tab = Page(context.new_page(), live.url, request.node.name)
    yield tab
    context.close()
