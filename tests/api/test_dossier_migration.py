"""A modeller moves a running dossier to a corrected version of its procedure over real
HTTP: checked first (dry run), moved, refused with the reason when it cannot be."""

from __future__ import annotations

import json
import re

from tests.api.conftest import ADMIN_TOKEN, LLTP
from tests.helpers.people import ltp_declaration

DECLARATION = ltp_declaration()
BPMN = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
PROCEDURE = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))
SIGN = 'name="Ký duyệt Phiếu lý lịch tư pháp"'


def _without_prefill(bpmn: str) -> str:
    """The model without its first step (the population-registry lookup): the start event
    leads straight to the declaration."""
    bpmn = re.sub(
        r'\s*<bpmn:serviceTask id="Task_Prefill".*?</bpmn:serviceTask>', "", bpmn, flags=re.S
    )
    bpmn = re.sub(r'\s*<bpmn:sequenceFlow id="Flow_2" [^>]*/>', "", bpmn)
    bpmn = re.sub(
        r'\s*<bpmndi:BPMN(Shape|Edge) id="(Task_Prefill|Flow_2)_di".*?</bpmndi:BPMN\1>',
        "",
        bpmn,
        flags=re.S,
    )
    bpmn = bpmn.replace("<bpmn:flowNodeRef>Task_Prefill</bpmn:flowNodeRef>", "")
    bpmn = bpmn.replace('targetRef="Task_Prefill"', 'targetRef="Task_Declare"')
    return bpmn.replace(
        "<bpmn:incoming>Flow_2</bpmn:incoming>", "<bpmn:incoming>Flow_1</bpmn:incoming>"
    )


def _deploy(api, bpmn: str) -> int:
    response = api.post("/api/v1/models", json={"bpmn": bpmn, "procedure": PROCEDURE})
    assert response.status_code == 201, response.text
    return response.json()["version"]


def _running_dossier(citizen) -> dict:
    started = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"})
    assert started.status_code == 201, started.text
    dossier = started.json()
    (declare,) = dossier["current_tasks"]
    done = citizen.post(f"/api/v1/tasks/{declare['id']}/complete", json={"data": DECLARATION})
    assert done.status_code == 200, done.text
    return dossier


def test_a_modeller_checks_then_moves_a_running_dossier_to_a_corrected_version(live, tokens):
    modeller, citizen = live.api(tokens["modeller"]), live.api(tokens["citizen"])
    admin = live.api(ADMIN_TOKEN)
    assert _deploy(modeller, BPMN) == 1
    dossier = _running_dossier(citizen)
    url = f"/api/v1/dossiers/{dossier['id']}/migrate"
    # version 2 corrects the name of the signing step
    assert _deploy(modeller, BPMN.replace(SIGN, 'name="Ký duyệt Phiếu lý lịch tư pháp (v2)"')) == 2

    checked = modeller.post(url, json={"version": 2, "dry_run": True})
    assert checked.status_code == 200, checked.text
    assert checked.json() == {
        "dossier_id": dossier["id"],
        "receipt_code": dossier["receipt_code"],
        "from_version": 1,
        "to_version": 2,
        "migrated": False,
    }
    assert admin.get(f"/api/v1/dossiers/{dossier['id']}").json()["version"] == 1

    for role in ("citizen", "desk"):  # neither the applicant nor an officer moves dossiers
        refused = live.api(tokens[role]).post(url, json={"version": 2})
        assert refused.status_code == 403, refused.text

    moved = modeller.post(url, json={"version": 2})
    assert moved.status_code == 200, moved.text
    assert moved.json()["migrated"] is True
    after = admin.get(f"/api/v1/dossiers/{dossier['id']}").json()
    assert after["version"] == 2
    assert after["data"]["purpose"] == DECLARATION["purpose"]  # its data came along
    assert [t["name"] for t in after["current_tasks"]] == ["Nộp phí cấp Phiếu lý lịch tư pháp"]
    events = admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    (migrated,) = [e for e in events if e["kind"] == "dossier_migrated"]
    assert migrated["detail"] == {"from": 1, "to": 2}
    assert migrated["actor"].startswith("modeller:")

    again = modeller.post(url, json={"version": 2})
    assert again.status_code == 409 and "đã ở phiên bản 2" in again.json()["detail"]
    missing = modeller.post(url, json={"version": 9})
    assert missing.status_code == 404, missing.text
    bad = modeller.post(url, json={"version": "hai"})
    assert bad.status_code == 422, bad.text


def test_a_move_that_would_lose_the_dossiers_history_is_refused_and_changes_nothing(live, tokens):
    modeller, citizen = live.api(tokens["modeller"]), live.api(tokens["citizen"])
    admin = live.api(ADMIN_TOKEN)
    assert _deploy(modeller, BPMN) == 1
    dossier = _running_dossier(citizen)
    # version 2 drops the registry lookup the dossier has already been through
    v2 = _without_prefill(BPMN)
    assert "Task_Prefill" not in v2
    assert _deploy(modeller, v2) == 2
    before = admin.get(f"/api/v1/dossiers/{dossier['id']}").json()

    for dry_run in (True, False):
        refused = modeller.post(
            f"/api/v1/dossiers/{dossier['id']}/migrate", json={"version": 2, "dry_run": dry_run}
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "không còn trong phiên bản 2" in refused.json()["detail"]

    after = admin.get(f"/api/v1/dossiers/{dossier['id']}").json()
    assert (after["version"], after["data"], after["current_tasks"]) == (
        1,
        before["data"],
        before["current_tasks"],
    )
    events = admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assert "dossier_migrated" not in [e["kind"] for e in events]


def test_every_running_dossier_of_a_version_moves_at_once_or_is_listed_with_the_reason(
    live, tokens
):
    modeller, citizen = live.api(tokens["modeller"]), live.api(tokens["citizen"])
    admin = live.api(ADMIN_TOKEN)
    assert _deploy(modeller, BPMN) == 1
    running = [_running_dossier(citizen) for _ in range(3)]
    cancelled = citizen.post(
        f"/api/v1/dossiers/{running[2]['id']}/cancel", json={"reason": "Nộp nhầm"}
    )
    assert cancelled.status_code == 200, cancelled.text  # a finished dossier is left alone
    assert _deploy(modeller, _without_prefill(BPMN)) == 2  # unsafe for all of them
    assert _deploy(modeller, BPMN.replace(SIGN, 'name="Ký duyệt (v3)"')) == 3  # safe
    url = "/api/v1/models/ly-lich-tu-phap/migrate-running"

    unsafe = modeller.post(url, json={"from_version": 1, "to_version": 2})
    assert unsafe.status_code == 200, unsafe.text
    body = unsafe.json()
    assert body["moved"] == [] and body["more"] is False
    assert [r["dossier_id"] for r in body["refused"]] == [running[0]["id"], running[1]["id"]]
    assert all("không còn trong phiên bản 2" in r["reason"] for r in body["refused"])

    checked = modeller.post(
        url, json={"from_version": 1, "to_version": 3, "dry_run": True, "limit": 1}
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["moved"] == [
        {"dossier_id": running[0]["id"], "receipt_code": running[0]["receipt_code"]}
    ]
    assert checked.json()["more"] is True  # the limit left one unexamined

    moved = modeller.post(url, json={"from_version": 1, "to_version": 3})
    assert moved.status_code == 200, moved.text
    assert [m["dossier_id"] for m in moved.json()["moved"]] == [d["id"] for d in running[:2]]
    assert moved.json()["refused"] == []
    versions = [admin.get(f"/api/v1/dossiers/{d['id']}").json()["version"] for d in running]
    assert versions == [3, 3, 1]  # the cancelled one stayed on its version

    same = modeller.post(url, json={"from_version": 3, "to_version": 3})
    assert same.status_code == 409 and "đều là 3" in same.json()["detail"]
    assert modeller.post(url, json={"from_version": 1, "to_version": 7}).status_code == 404
    assert (
        modeller.post(
            "/api/v1/models/khong-co/migrate-running", json={"from_version": 1, "to_version": 2}
        ).status_code
        == 404
    )
    assert (
        live.api(tokens["desk"]).post(url, json={"from_version": 3, "to_version": 1}).status_code
        == 403
    )
