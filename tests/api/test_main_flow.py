"""A whole criminal-record-certificate dossier driven over real HTTP only, on every backend."""

from __future__ import annotations

import json

from tests.api.conftest import AGENCY, deploy_sample
from tests.helpers.people import CITIZEN_ID, POPULATION, ltp_declaration

DECLARATION = ltp_declaration()


def _my_task(api, bpmn_id: str) -> dict:
    inbox = api.get("/api/v1/tasks")
    assert inbox.status_code == 200, inbox.text
    matches = [t for t in inbox.json()["items"] if t["bpmn_id"] == bpmn_id]
    assert matches, f"{bpmn_id} not in inbox: {[t['bpmn_id'] for t in inbox.json()['items']]}"
    return matches[0]


def _complete(api, task: dict, data: dict) -> dict:
    response = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def test_dossier_runs_end_to_end_over_http_with_prefill_roles_payment_and_tracking(
    live, tokens, receiver
):
    hook_url, delivered = receiver
    subscribed = live.api(tokens["admin"]).post(
        "/api/v1/webhooks", json={"url": hook_url, "events": ["dossier_completed"]}
    )
    assert subscribed.status_code == 201
    modeller = live.api(tokens["modeller"])
    citizen = live.api(tokens["citizen"])
    desk = live.api(tokens["desk"])
    specialist = live.api(tokens["specialist_leader"])

    deployed = deploy_sample(modeller)
    assert deployed.status_code == 201, deployed.text
    assert deployed.json()["version"] == 1 and deployed.json()["created"] is True
    assert deploy_sample(modeller).status_code == 200  # same content: deployed once

    started = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"})
    assert started.status_code == 201, started.text
    dossier = started.json()
    assert dossier["receipt_code"].startswith("LLTP-")
    assert dossier["applicant_id"] == CITIZEN_ID and dossier["channel"] == "online"
    assert dossier["due_at"] and dossier["status"] == "in_progress"
    assert [t["name"] for t in dossier["current_tasks"]] == ["Kê khai Tờ khai và đính kèm giấy tờ"]

    declare = _my_task(citizen, "Task_Declare")
    detail = citizen.get(f"/api/v1/tasks/{declare['id']}").json()
    # the library's model is the traditional procedure: the citizen types all 23 fields
    assert detail["prefill"] == {}
    assert "full_name" in detail["typed_fields"] and "purpose" in detail["typed_fields"]
    assert len(detail["form"]["properties"]) == 23

    # the desk cannot see or act on the citizen's step; a field error names the field
    assert desk.get(f"/api/v1/tasks/{declare['id']}").status_code == 403
    bad = citizen.post(f"/api/v1/tasks/{declare['id']}/complete", json={"data": {"copies": "hai"}})
    assert bad.status_code == 422 and bad.headers["Content-Type"] == "application/problem+json"
    assert {"copies", "purpose"} <= {e["field"] for e in bad.json()["errors"]}

    _complete(citizen, declare, DECLARATION)
    after_pay = _complete(
        citizen,
        _my_task(citizen, "Task_Pay"),
        {"payment_method": "online", "payment_reference": "VNPAY-20261123-1"},
    )
    assert [t["name"] for t in after_pay["current_tasks"]] == [
        "Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ"
    ]

    receive = _my_task(desk, "Task_Receive")
    assert (
        specialist.post(
            f"/api/v1/tasks/{receive['id']}/complete", json={"data": {"intake_decision": "accept"}}
        ).status_code
        == 403
    )
    assert desk.post(f"/api/v1/tasks/{receive['id']}/claim").status_code == 200
    _complete(desk, receive, {"intake_decision": "accept"})
    _complete(desk, _my_task(desk, "Task_Transfer"), {})

    assert desk.get("/api/v1/tasks").json()["total"] == 0
    _complete(specialist, _my_task(specialist, "Task_Verify"), {"has_criminal_record": False})
    _complete(specialist, _my_task(specialist, "Task_Sign"), {"decision": "approve"})
    done = _complete(desk, _my_task(desk, "Task_Deliver"), {"delivered_via": "vneid"})
    assert done["status"] == "completed"
    assert done["data"]["result"] == "issued"

    assert [json.loads(body)["event"] for _, body in delivered] == ["dossier_completed"]
    assert json.loads(delivered[0][1])["receipt_code"] == dossier["receipt_code"]

    events = desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    actors = {e["actor"] for e in events if e["kind"] == "task_completed"}
    assert actors == {f"citizen:{CITIZEN_ID}", "officer:Vũ Một Cửa", "officer:Đỗ Chuyên Viên"}
    assert events[-1]["kind"] == "dossier_completed"

    tracking = live.api().get(f"/api/v1/tracking/{dossier['receipt_code']}")
    assert tracking.status_code == 200
    body = tracking.json()
    assert body["status"] == "completed" and body["procedure"].startswith(
        "Cấp Phiếu lý lịch tư pháp"
    )
    assert body["received_at"] and body["due_at"] and body["completed_at"]
    steps = [h["step"] for h in body["history"]]
    assert steps[0] == "Nộp hồ sơ" and steps[-1] == "Đã có kết quả"  # the outcome (issue 26)
    assert "Ký duyệt Phiếu lý lịch tư pháp" in steps
    text = json.dumps(body, ensure_ascii=False)
    person = POPULATION[CITIZEN_ID]
    for secret in (
        CITIZEN_ID,
        person["full_name"],
        person["email"],
        person["phone"],
        "Vũ Một Cửa",
        "Đỗ Chuyên Viên",
        "VNPAY",
        "officer",
        "citizen",
        AGENCY,
    ):
        assert secret not in text
    assert set(body) == {
        "receipt_code",
        "procedure",
        "status",
        "status_label",
        "received_at",
        "due_at",
        "completed_at",
        "current_steps",
        "history",
        "outcome",
    }
