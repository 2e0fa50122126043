"""The officer's read-only dossier beside a task (issue 26 item 1): one request gives the
declared data, the pre-filled facts with their registry, the components with their files
and the earlier decisions and notes."""

from __future__ import annotations

from tests.api.conftest import deploy_sample
from tests.helpers.people import CITIZEN_ID, ltp_declaration


def _complete(api, bpmn_id: str, data: dict) -> dict:
    items = api.get("/api/v1/tasks").json()["items"]
    (task,) = [t for t in items if t["bpmn_id"] == bpmn_id]
    response = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_dossier_view_shows_declared_data_files_and_earlier_decisions(live, tokens):
    assert deploy_sample(live.api(tokens["modeller"])).status_code == 201
    citizen, desk = live.api(tokens["citizen"]), live.api(tokens["desk"])
    specialist = live.api(tokens["specialist_leader"])
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    uploaded = citizen.post(
        f"/api/v1/dossiers/{dossier['id']}/attachments",
        files={"file": ("cccd.pdf", b"%PDF-1.4 sample\n", "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    declaration = ltp_declaration(purpose="Bổ sung hồ sơ xin việc")
    _complete(citizen, "Task_Declare", declaration)
    _complete(citizen, "Task_Pay", {"payment_method": "online"})
    _complete(desk, "Task_Receive", {"intake_decision": "accept", "missing_items": "Không"})
    _complete(desk, "Task_Transfer", {"transfer_note": "Chuyển bộ phận lý lịch tư pháp"})

    view = specialist.get(f"/api/v1/dossiers/{dossier['id']}/view")
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["receipt_code"] == dossier["receipt_code"]
    declared = {f["name"]: f for step in body["declared"] for f in step["fields"]}
    assert declared["purpose"]["value"] == "Bổ sung hồ sơ xin việc"
    assert declared["purpose"]["title"]  # the form's title, not the field name
    assert [s["bpmn_id"] for s in body["declared"]] == ["Task_Declare", "Task_Pay"]
    assert all(s["actor"] == f"citizen:{CITIZEN_ID}" for s in body["declared"])
    notes = {f["name"]: f["value"] for step in body["decisions"] for f in step["fields"]}
    assert notes["missing_items"] == "Không" and notes["intake_decision"] == "accept"
    assert notes["transfer_note"] == "Chuyển bộ phận lý lịch tư pháp"
    assert {s["actor"] for s in body["decisions"]} == {"officer:Vũ Một Cửa"}
    (file,) = body["files"]
    assert file["filename"] == "cccd.pdf"
    assert specialist.get(file["download"]).content == b"%PDF-1.4 sample\n"
    components = {c["code"]: c for c in body["components"]}
    assert (
        components["identity_card_copy"]["name"] and components["identity_card_copy"]["files"] == []
    )
    assert body["outcome"] is None

    # citizens have their own page
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/view").status_code == 403
