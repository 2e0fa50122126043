"""The catalogue report runs off the request thread (issue 23, item 4): a request that may
not wait gets 202 and a status URL, the status URL says when the report is done, and the
report is then served from a cache keyed by the deployed versions — a new deployment is
a new key, so a cached report is never stale. Real HTTP against a live server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.api.conftest import ADMIN_TOKEN

ROOT = Path(__file__).resolve().parents[2]
ASYNC = {"Prefer": "respond-async"}


def deploy(api, slug: str) -> None:
    folder = ROOT / "process_models" / slug
    with (
        open(next(folder.glob("*.bpmn")), "rb") as bpmn,
        open(folder / "procedure.json", "rb") as card,
    ):
        answer = api.post(
            "/api/v1/models",
            files={
                "bpmn": ("m.bpmn", bpmn, "application/xml"),
                "procedure": ("procedure.json", card, "application/json"),
            },
        )
    assert answer.status_code == 201, answer.text


def poll(api, status_url: str, timeout: float = 120) -> dict:
    """The status URL's answer once it is no longer 202."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = api.get(status_url)
        if answer.status_code != 202:
            assert answer.status_code == 200, answer.text
            return answer.json()
        assert answer.json()["state"] == "running"
        assert int(answer.headers["Retry-After"]) > 0
        time.sleep(0.2)
    pytest.fail(f"the report at {status_url} was not done in {timeout} s")


def ask_async(api, path: str = "/api/v1/simplification/catalogue") -> dict:
    """A request that may not wait: 202 with a status URL (``Location``), then poll it."""
    answer = api.get(path, headers=ASYNC)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["state"] == "running" and answer.headers["Location"] == body["status_url"]
    assert body["status_url"].startswith("/api/v1/simplification/catalogue/jobs/")
    return body


def test_catalogue_report_is_computed_off_the_request_and_cached_by_deployed_versions(live, tokens):
    admin = live.api(ADMIN_TOKEN)
    reformer = live.api(tokens["reformer"])
    deploy(admin, "ly-lich-tu-phap")

    pending = ask_async(reformer, "/api/v1/simplification/catalogue?connect=land")
    assert pending["status_url"].endswith("?connect=land")  # the what-if travels with the job
    done = poll(reformer, pending["status_url"])
    assert done["state"] == "done" and done["key"] == pending["key"]

    # now cached: even a request that may not wait gets the report itself
    started = time.monotonic()
    cached = reformer.get(done["report_url"], headers=ASYNC)
    assert cached.status_code == 200, cached.text
    report = cached.json()
    assert report["totals"]["procedures"] == 1 and report["assumption"]["added"] == ["land"]
    assert report["ranked_by_readiness"] == ["ly-lich-tu-phap"]
    assert time.monotonic() - started < 5
    # the same report, asked for synchronously with the same settings, is the cached text
    assert reformer.get("/api/v1/simplification/catalogue?connect=land").text == cached.text

    # other settings are another report
    assert ask_async(reformer)["key"] != pending["key"]

    # a new deployment is a new key: the old job's status says stale, the report is computed again
    deploy(admin, "dang-ky-khai-sinh")
    stale = reformer.get(pending["status_url"])
    assert stale.status_code == 200 and stale.json()["state"] == "stale"
    again = ask_async(reformer, stale.json()["report_url"])
    assert again["key"] != pending["key"]
    poll(reformer, again["status_url"])
    fresh = reformer.get(again["report_url"], headers=ASYNC)
    assert fresh.status_code == 200
    assert fresh.json()["totals"]["procedures"] == 2


def test_a_request_that_may_wait_gets_the_report_in_any_format(live, tokens):
    admin = live.api(ADMIN_TOKEN)
    reformer = live.api(tokens["reformer"])
    deploy(admin, "ly-lich-tu-phap")
    markdown = reformer.get(
        "/api/v1/simplification/catalogue?format=markdown", headers={"Prefer": "wait=60"}
    )
    assert markdown.status_code == 200 and markdown.headers["Content-Type"].startswith(
        "text/markdown"
    )
    assert "Phiếu lý lịch tư pháp" in markdown.text or "ly-lich-tu-phap" in markdown.text


def test_catalogue_report_status_checks_its_input(live, tokens):
    reformer = live.api(tokens["reformer"])
    citizen = live.api(tokens["citizen"])
    key = "0" * 64
    bad = reformer.get(f"/api/v1/simplification/catalogue/jobs/{key}?registries=khong-co")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "registries"
    # the BPMN rewrite belongs to one procedure's report, not to the catalogue's
    bpmn = reformer.get(f"/api/v1/simplification/catalogue/jobs/{key}?format=bpmn")
    assert bpmn.status_code == 422 and bpmn.json()["errors"][0]["field"] == "format"
    assert reformer.get("/api/v1/simplification/catalogue/jobs/not-a-key").status_code == 404
    assert citizen.get(f"/api/v1/simplification/catalogue/jobs/{key}").status_code == 403
    # a key naming no current deployment is stale: ask for the report again
    stale = reformer.get(f"/api/v1/simplification/catalogue/jobs/{key}")
    assert stale.status_code == 200 and stale.json()["state"] == "stale"
    assert stale.json()["report_url"] == "/api/v1/simplification/catalogue"
