"""EMC indicators: counted from real dossiers run by the engine (no Flask), and served
as JSON and CSV by the API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from engine import clock
from engine.metrics import emc_report
from engine.service import Engine
from tests.api.conftest import ADMIN_TOKEN, LLTP
from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration

STEPS = [("Task_Declare", ltp_declaration(purpose="Xin việc")),
         ("Task_Pay", {"payment_method": "online"}), ("Task_Receive", {"dossier_valid": True}),
         ("Task_Transfer", {}), ("Task_Verify", {"has_criminal_record": False}),
         ("Task_Sign", {"approved": True}), ("Task_Deliver", {"delivered_via": "vneid"})]


def _finish(engine: Engine, dossier_id: int, steps=STEPS) -> None:
    for bpmn_id, data in steps:
        (task,) = [t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
        engine.complete_task(dossier_id, task["id"], data)


@pytest.fixture
def engine(session, api_tables):
    eng = Engine(session, connectors=local_connectors())
    eng.deploy_folder(LLTP)
    # the sample hands the result over at the desk (presence="required"); its re-engineered
    # variant delivers through VNeID or post, so only that one can be full-process online
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    marker = '<tt:step kind="deliver_result" actor="one_stop_desk"'
    start = bpmn.index(marker)
    end = bpmn.index("/>", start)
    online = bpmn[:start] + bpmn[start:end].replace('presence="required"', 'presence="none"') + bpmn[end:]
    assert online != bpmn
    eng.deploy(online, slug="lltp-truc-tuyen", procedure={"name": {"vi": "LLTP trực tuyến"},
                                                          "agency": "Công an cấp tỉnh",
                                                          "processing_time": {"days": 10}})
    return eng


def test_emc_indicators_count_online_full_online_on_time_early_and_processing_time(engine, session):
    began = clock.now()
    fast = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)            # online, early
    _finish(engine, fast.id)
    counter = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID, channel="in_person")
    _finish(engine, counter.id)                                                 # not online
    presence = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)        # online, in-person step
    _finish(engine, presence.id)
    cancelled = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)
    engine.cancel(cancelled.id, reason="Công dân rút hồ sơ")
    late = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)            # online, overdue
    _finish(engine, late.id, STEPS[:3])  # received: the statutory clock starts (engine/deadlines.py)
    clock.advance(20 * 86400)
    _finish(engine, late.id, STEPS[3:])
    engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)                   # still open

    report = emc_report(session, began - timedelta(hours=1), clock.now() + timedelta(hours=1),
                        now=clock.now())
    total = report.total
    assert total.received == 6
    assert total.online == 5 and total.online_rate == round(5 / 6, 4)
    # online AND completed AND no in-person step: `fast` and `late` only
    assert total.full_online == 2 and total.full_online_rate == round(2 / 6, 4)
    assert (total.completed, total.cancelled, total.in_progress) == (4, 1, 1)
    assert total.completed_in_period == 4
    assert (total.on_time, total.overdue) == (3, 1) and total.on_time_rate == 0.75
    assert total.early == 3 and total.early_rate == 0.75
    assert 4.9 < total.avg_processing_days < 5.1  # three the same day, one after 20 days

    by_procedure = {i.key: i for i in report.by_procedure}
    assert by_procedure["ly-lich-tu-phap"].full_online == 0 and by_procedure["ly-lich-tu-phap"].online == 1
    assert by_procedure["lltp-truc-tuyen"].received == 5
    assert [i.key for i in report.by_agency] == ["Công an cấp tỉnh"]

    only = emc_report(session, began - timedelta(hours=1), clock.now() + timedelta(hours=1),
                      procedure="ly-lich-tu-phap", now=clock.now())
    assert only.total.received == 1
    before = emc_report(session, began - timedelta(days=10), began - timedelta(days=5), now=clock.now())
    assert before.total.received == 0 and before.total.online_rate is None


def test_an_in_person_completion_in_the_history_rules_a_dossier_out_of_full_online(
    engine, session
):
    """A dossier whose flag says full-online (run before the engine kept the flag, or
    imported) but whose history records the completion of a step annotated as needing
    presence is not counted as full-online; the same step in the re-engineered version
    (presence none) does not rule it out."""
    from engine.persistence import Dossier

    began = clock.now()
    old = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    _finish(engine, old.id)
    new = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)
    _finish(engine, new.id)
    session.get(Dossier, old.id).full_online = True  # as a record from before the flag
    session.commit()

    report = emc_report(session, began - timedelta(hours=1), clock.now() + timedelta(hours=1),
                        now=clock.now())
    by_procedure = {i.key: i for i in report.by_procedure}
    assert by_procedure["ly-lich-tu-phap"].full_online == 0
    assert by_procedure["lltp-truc-tuyen"].full_online == 1
    assert report.total.full_online == 1 and report.total.completed == 2


def test_metrics_endpoint_serves_json_and_csv_and_scopes_officers(engine, session, app):
    dossier = engine.start("lltp-truc-tuyen", applicant_id=CITIZEN_ID)
    _finish(engine, dossier.id)
    client = app.test_client()
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    today = clock.now().date().isoformat()
    body = client.get(f"/api/v1/metrics?from={today}&to={today}", headers=admin).get_json()
    assert body["total"]["received"] == 1 and body["total"]["full_online_rate"] == 1.0
    assert body["period"]["from"].startswith(today)

    response = client.get(f"/api/v1/metrics?from={today}&to={today}&format=csv", headers=admin)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["group"] for r in rows] == ["total", "procedure", "agency"]
    assert rows[1]["key"] == "lltp-truc-tuyen" and rows[0]["on_time_rate"] == "1.0"

    bad = client.get("/api/v1/metrics?from=2026-12-01&to=2026-11-01", headers=admin)
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "to"
    token = client.post("/api/v1/auth/tokens", headers=admin, json={
        "name": "Cán bộ Sở Xây dựng", "role": "officer", "agency": "Sở Xây dựng",
        "lanes": ["leader"]}).get_json()["token"]
    officer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/metrics?agency=Công an cấp tỉnh", headers=officer).status_code == 403
    own = client.get(f"/api/v1/metrics?from={today}&to={today}", headers=officer).get_json()
    assert own["total"]["received"] == 0
