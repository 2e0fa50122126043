"""A reformer reads the catalogue ranking, the EMC metrics charts and one procedure's report
with the removable steps and components highlighted on its BPMN diagram."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import dossier_at_the_desk, finish_dossier, token_in

pytestmark = pytest.mark.browser


def _classes(p, element_id: str) -> set[str]:
    return set(
        p.locator(f"#diagram .djs-element[data-element-id='{element_id}']")
        .get_attribute("class")
        .split()
    )


def test_reformer_sees_ranking_metrics_and_a_report_with_highlights(
    playwright_page, deployed, live
):
    tab, p = playwright_page, playwright_page.page
    _, tokens = dossier_at_the_desk(live)
    finish_dossier(live, tokens)
    dossier_at_the_desk(live)  # a second one, still in progress

    tab.sign_in("reformer", name="Lê Cải Cách")
    assert p.url.endswith("/reformer")
    api = live.api(token_in(p))
    catalogue = api.get("/api/v1/simplification/catalogue").json()
    ranked = catalogue["ranked_by_saving"][0]
    row = p.locator(f"#ranking tr[data-slug='{deployed}']")
    expect(row).to_contain_text(f"{ranked['before']['band']} → {ranked['after']['band']}")
    expect(row).to_contain_text(
        f"{ranked['before']['components']} → {ranked['after']['components']}"
    )
    expect(p.locator("#totals .tile").first).to_contain_text(str(catalogue["totals"]["procedures"]))

    # EMC metrics as charts: both dossiers online, one completed (on time), one in progress
    p.wait_for_selector("body[data-metrics-ready]")
    expect(p.locator("#metrics-tiles .tile").first).to_contain_text("2")
    expect(p.locator("#metrics-tiles")).to_contain_text("100%")
    metrics = api.get("/api/v1/metrics").json()["by_procedure"]
    assert [m["received"] for m in metrics] == [2] and metrics[0]["online_rate"] == 1.0

    def pct(rate):
        return None if rate is None else round(rate * 1000) / 10

    rates = p.evaluate("Chart.getChart('chart-rates').data.datasets.map(d => d.data)")
    assert rates == [
        [pct(metrics[0][k])] for k in ("online_rate", "full_online_rate", "on_time_rate")
    ]
    assert rates[0] == [100]
    volume = p.evaluate("Chart.getChart('chart-volume').data.datasets.map(d => d.data)")
    assert volume == [
        [metrics[0]["completed"]],
        [metrics[0]["in_progress"]],
        [metrics[0]["overdue"]],
    ]
    assert volume[:2] == [[1], [1]]
    expect(p.locator("#metrics-table tbody tr")).to_have_count(1)
    tab.shoot("reformer-catalogue", wait="body[data-metrics-ready]")
    assert tab.no_horizontal_scroll()

    row.get_by_role("link", name="Xem báo cáo").click()
    p.wait_for_selector("body[data-report-ready]")
    report = api.get(f"/api/v1/simplification/models/{deployed}").json()
    assert report["findings"], "the sample procedure has simplification findings"
    # components that a connected registry holds are highlighted for removal, on their shapes
    drop = [
        f
        for f in report["findings"]
        if f["rule"] == "components_available_in_registries" and f["status"] == "actionable"
    ]
    assert drop
    for finding in drop:
        for target in finding["targets"]:
            for ref in report["components"][target]["refs"]:
                assert "tt-hl-drop" in _classes(p, ref), ref
    removable = set(report["plan"]["remove_tasks"]) | {
        t for f in report["findings"] if f["rule"] == "handoff_steps" for t in f["targets"]
    }
    assert removable
    for task in removable:
        assert "tt-hl-remove" in _classes(p, task), task
    # every finding's targets carry a highlight and a numbered overlay
    highlighted = p.locator("#diagram .djs-element[class*='tt-hl-']")
    expect(p.locator("#diagram .tt-overlay")).to_have_count(highlighted.count())
    expect(p.locator("#finding-list > li")).to_have_count(len(report["findings"]))
    figures = p.locator("#before-after tbody tr").first
    expect(figures).to_contain_text(f"{report['before']['steps']}")
    expect(figures.locator("td").nth(1)).to_have_text(str(report["after"]["steps"]))
    expect(p.locator("#band-before")).to_have_text(report["before"]["readiness"]["band"])
    expect(p.locator("#band-after")).to_have_text(report["after"]["readiness"]["band"])
    tab.shoot("reformer-report", wait="body[data-report-ready]")
    assert tab.no_horizontal_scroll()

    # the same report as a file: HTML with its diagrams
    with p.expect_download() as download:
        p.click("button[data-format=html]")
    html = download.value.path().read_text(encoding="utf-8")
    assert download.value.suggested_filename == f"{deployed}-bao-cao.html"
    assert "<html" in html and "Cấp Phiếu lý lịch tư pháp" in html
    expect(p.locator("#open-modeller")).to_be_hidden()  # a reformer does not edit models

    # what-if: without the population database the identity card copy can no longer be dropped
    p.evaluate("document.body.removeAttribute('data-report-ready')")
    p.click("#whatif summary")
    p.uncheck("#whatif input[value=population]")
    p.click("#whatif-apply")
    p.wait_for_selector("body[data-report-ready]")
    assert "registries=" in p.url and "population" not in p.url.split("registries=", 1)[1]
    assert "tt-hl-drop" not in _classes(p, "DOR_CCCD")
    assert not tab.console_errors, tab.console_errors


def test_reformer_page_polls_a_catalogue_report_still_being_computed(
    playwright_page, deployed, live
):
    """A server that does not wait for the report (``TOANTRINH_REPORT_WAIT=0``) answers 202
    with a status URL; the page polls it and then shows the ranking."""
    live.app.config["TOANTRINH_REPORT_WAIT"] = 0
    tab, p = playwright_page, playwright_page.page
    answers: list[tuple[int, str]] = []
    p.on(
        "response",
        lambda r: (
            answers.append((r.status, r.url))
            if "/api/v1/simplification/catalogue" in r.url
            else None
        ),
    )
    tab.sign_in("reformer", name="Lê Cải Cách")
    expect(p.locator(f"#ranking tr[data-slug='{deployed}']")).to_be_visible()
    statuses = [status for status, url in answers]
    assert statuses[0] == 202, answers
    assert any("/catalogue/jobs/" in url and status == 200 for status, url in answers), answers
    assert statuses[-1] == 200 and "/jobs/" not in answers[-1][1]
    assert p.locator("#reformer-notice").is_hidden()
