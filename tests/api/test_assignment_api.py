"""Officer assignment over real HTTP (issue 29.6): a leader names the lead and the
co-handlers of a dossier; its processing steps are then theirs, or whoever acts for one
of them while they are away; the inbox and the audit trail show it; the policy says who
may assign."""

from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import AGENCY, create_token
from tests.api.test_main_flow import _complete, _my_task
from tests.api.test_onestop import _pay_online, _start
from toantrinh.engine import clock


def _inbox(api, **params) -> list[dict]:
    response = api.get("/api/v1/tasks", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_lead_co_handlers_and_delegation_while_away(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, leader = _start(live, tokens)
    _pay_online(onestop, citizen, dossier)
    _complete(desk, _my_task(desk, "Task_Receive"), {"intake_decision": "accept"})
    _complete(desk, _my_task(desk, "Task_Transfer"), {})
    officer = {
        name: live.api(
            create_token(live.api(), name=name, role="officer", agency=AGENCY, lanes=["specialist"])
        )
        for name in ("Chuyên Viên An", "Chuyên Viên Bình", "Chuyên Viên Cường")
    }
    a, b, c = officer.values()
    url = f"/api/v1/dossiers/{dossier['id']}/handlers"

    # who may assign: a leader of the agency, not a specialist, not another agency
    plan = {"lead": "officer:Chuyên Viên An", "co_handlers": ["officer:Chuyên Viên Bình"]}
    assert a.put(url, json=plan).status_code == 403
    assert live.api(tokens["other_agency"]).put(url, json=plan).status_code in (403, 404)
    unknown = leader.put(url, json={"lead": "officer:Người Lạ", "co_handlers": []})
    assert unknown.status_code == 422 and "không phải cán bộ" in unknown.json()["detail"]
    done = leader.put(url, json=plan)
    assert done.status_code == 200, done.text
    assert done.json()["lead"] == "officer:Chuyên Viên An"
    assert done.json()["co_handlers"] == ["officer:Chuyên Viên Bình"]
    assert {o["name"] for o in done.json()["officers"]} >= {"Chuyên Viên An", "Vũ Một Cửa"}

    # the inbox shows it; the processing step is the handlers'
    (task,) = [t for t in _inbox(a, claimed="assigned") if t["bpmn_id"] == "Task_Verify"]
    assert task["lead"] == "officer:Chuyên Viên An" and task["co_handlers"] == [
        "officer:Chuyên Viên Bình"
    ]
    assert _inbox(c, claimed="assigned") == []
    refused = c.post(f"/api/v1/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and "Chuyên Viên An" in refused.json()["detail"]
    batch = c.post(
        "/api/v1/tasks/complete-batch",
        json={"items": [{"task_id": task["id"], "data": {"has_criminal_record": False}}]},
    )
    assert batch.json()["items"][0]["status"] == 403 and batch.json()["completed"] == 0

    # An is away: Cường acts for him, sees the dossier among his assigned ones, takes it
    now = clock.now()
    away = a.post(
        "/api/v1/delegations",
        json={
            "delegate": "officer:Chuyên Viên Cường",
            "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
            "reason": "Đi công tác",
        },
    )
    assert away.status_code == 201, away.text
    assert (
        b.post(
            "/api/v1/delegations",
            json={
                "officer": "officer:Chuyên Viên An",
                "delegate": "officer:Chuyên Viên Bình",
                "starts_at": now.isoformat(),
                "ends_at": (now + timedelta(days=1)).isoformat(),
            },
        ).status_code
        == 403
    )
    assert c.get("/api/v1/delegations").json()["acting_for"] == ["officer:Chuyên Viên An"]
    assert [t["id"] for t in _inbox(c, claimed="assigned")] == [task["id"]]
    assert c.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200

    # the lead changes the co-handlers; a co-handler may not
    assert b.put(url, json={"lead": "officer:Chuyên Viên An", "co_handlers": []}).status_code == 403
    changed = a.put(
        url, json={"lead": "officer:Chuyên Viên An", "co_handlers": ["officer:Chuyên Viên Cường"]}
    )
    assert changed.status_code == 200 and changed.json()["co_handlers"] == [
        "officer:Chuyên Viên Cường"
    ]
    history = changed.json()["history"]
    assert [h["officer"] for h in history if h["ended_at"]] == ["officer:Chuyên Viên Bình"]

    # the audit trail: who assigned whom, and the delegation
    events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assigned = [e for e in events if e["kind"] == "handlers_assigned"]
    assert [e["actor"] for e in assigned] == ["officer:Đỗ Chuyên Viên", "officer:Chuyên Viên An"]
    delegation_id = away.json()["id"]
    assert c.delete(f"/api/v1/delegations/{delegation_id}").status_code == 403
    assert a.delete(f"/api/v1/delegations/{delegation_id}").status_code == 204
    assert c.get("/api/v1/delegations").json()["acting_for"] == []
