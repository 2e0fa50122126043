"""What each page costs to load: every response's transferred bytes (compressed body as
sent, Playwright's request sizes), written to artifacts/page-weight.json; responses are
compressed, static assets are cached for a year by their content hash, and the modeller and
report pages stay within a budget (issue 26, 15)."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import requests

from tests.api.conftest import create_token
from tests.browser.conftest import DESKTOP, ROOT

pytestmark = pytest.mark.browser
PAGES = {
    "home": ("/", None, None),
    "modeller-list": ("/modeller", "modeller", "#model-list tbody tr"),
    "modeller-editor": ("/modeller/{slug}", "modeller", "body[data-modeler-ready]"),
    "reformer-report": ("/reformer/{slug}", "reformer", "body[data-report-ready]"),
    "reformer-catalogue": ("/reformer", "reformer", "body[data-metrics-ready]"),
}


def _weigh(browser, base: str, path: str, ready: str | None, token: str | None, principal) -> dict:
    """Load ``path`` in a fresh context (cold cache), signed in by ``token``; sum what came."""
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    if token:
        context.add_init_script(
            f"localStorage.setItem('tt.token', {json.dumps(token)});"
            f"localStorage.setItem('tt.principal', {json.dumps(json.dumps(principal))});"
        )
    p = context.new_page()
    seen = []
    p.on("requestfinished", lambda r: seen.append(r))
    p.goto(base + path)
    if ready:
        p.wait_for_selector(ready)
    p.wait_for_load_state("networkidle")
    total, files = 0, {}
    for request in seen:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        files[request.url.replace(base, "")] = {
            "bytes": size,
            "encoding": response.headers.get("content-encoding"),
            "cache": response.headers.get("cache-control"),
        }
    context.close()
    return {"bytes": total, "files": files}


def test_page_weight(browser, live, deployed):
    weights = {}
    tokens = {}
    for role in ("modeller", "reformer"):
        token = create_token(live.api(), name="Trần Đo Lường", role=role)
        tokens[role] = (token, live.api(token).get("/api/v1/auth/me").json())
    for name, (path, role, ready) in PAGES.items():
        token, principal = tokens[role] if role else (None, None)
        weights[name] = _weigh(
            browser, live.url, path.format(slug=deployed), ready, token, principal
        )
    out = ROOT / "artifacts" / "page-weight.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(weights, indent=2, ensure_ascii=False), encoding="utf-8")
    print({k: v["bytes"] for k, v in weights.items()})
    # every asset the pages name carries its hash and is kept a year; text goes compressed
    for name, weight in weights.items():
        for url, file in weight["files"].items():
            if url.startswith("/ui/static/") and "?v=" in url:
                assert file["cache"] == "public, max-age=31536000, immutable", (name, url)
            if url.split("?")[0].endswith((".js", ".css")):
                assert file["encoding"] in ("br", "gzip"), (name, url)
        page_url = PAGES[name][0].format(slug=deployed)
        assert weight["files"][page_url]["encoding"] in ("br", "gzip"), name
    # the list of models draws no diagram: no bpmn-js there
    assert not [u for u in weights["modeller-list"]["files"] if "/vendor/" in u]
    assert not [u for u in weights["reformer-report"]["files"] if "chart" in u or "modeler" in u]
    # budgets (bytes as sent, cold cache): 836 KB and 419 KB before compression and hashing
    assert weights["modeller-editor"]["bytes"] < 260_000, weights["modeller-editor"]["bytes"]
    assert weights["reformer-report"]["bytes"] < 140_000, weights["reformer-report"]["bytes"]
    assert weights["modeller-list"]["bytes"] < 45_000, weights["modeller-list"]["bytes"]


def test_static_files_are_revalidated_without_their_hash_and_gzip_is_offered(live):
    http = requests.Session()
    page = http.get(live.url + "/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    css = re.search(r'href="(/ui/static/css/app\.css\?v=([0-9a-f]{16}))"', page.text)
    assert css, "the page names its stylesheet with a content hash"
    digest = hashlib.sha256((ROOT / "web" / "static" / "css" / "app.css").read_bytes()).hexdigest()[
        :16
    ]
    assert css.group(2) == digest
    hashed = http.get(live.url + css.group(1), headers={"Accept-Encoding": "gzip"})
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert hashed.headers["Content-Encoding"] == "gzip"
    assert hashed.content == (ROOT / "web" / "static" / "css" / "app.css").read_bytes()  # decoded
    plain = http.get(live.url + "/ui/static/css/app.css", headers={"Accept-Encoding": "br"})
    assert (
        plain.headers["Cache-Control"] == "no-cache" and plain.headers["Content-Encoding"] == "br"
    )
    again = http.get(
        live.url + "/ui/static/css/app.css",
        headers={"Accept-Encoding": "br", "If-None-Match": plain.headers["ETag"]},
    )
    assert again.status_code == 304
    stale = http.get(live.url + "/ui/static/css/app.css?v=0000000000000000")
    assert stale.headers["Cache-Control"] == "no-cache"
    assert http.get(live.url + "/ui/static/../views.py").status_code == 404
    assert http.get(live.url + "/ui/static/js/nothing.js").status_code == 404
    # the import map sends the scripts' relative imports to hashed URLs too
    imports = json.loads(
        re.search(r'<script type="importmap">(.*?)</script>', page.text, re.S).group(1)
    )["imports"]
    assert imports["/ui/static/js/common.js"].startswith("/ui/static/js/common.js?v=")
    # API answers are compressed too
    api = http.get(live.url + "/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and api.headers.get("Content-Encoding") == "gzip"
