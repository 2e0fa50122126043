"""A refusal is not a result (issue 26 item 4): the dossier, public tracking and the
applicant's notice say what the dossier came to, and the applicant reads the officer's
reason; an issued result names its e-result code (item 8)."""

from __future__ import annotations

from tests.api.conftest import deploy_sample
from tests.helpers.people import CITIZEN_ID, ltp_declaration
from toantrinh.engine.notify import compose, notices_for
from toantrinh.engine.persistence import DossierEvent

REASON = (
    "Người yêu cầu đang bị truy nã, chưa đủ điều kiện cấp Phiếu theo Điều 47 Luật Lý lịch tư pháp."
)


def _complete(api, bpmn_id: str, data: dict) -> dict:
    items = api.get("/api/v1/tasks").json()["items"]
    (task,) = [t for t in items if t["bpmn_id"] == bpmn_id]
    response = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def _run(live, tokens, sign: dict) -> dict:
    citizen, desk = live.api(tokens["citizen"]), live.api(tokens["desk"])
    specialist = live.api(tokens["specialist_leader"])
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    _complete(citizen, "Task_Declare", ltp_declaration())
    _complete(citizen, "Task_Pay", {"payment_method": "online"})
    _complete(desk, "Task_Receive", {"intake_decision": "accept"})
    _complete(desk, "Task_Transfer", {})
    _complete(specialist, "Task_Verify", {"has_criminal_record": False})
    _complete(specialist, "Task_Sign", sign)
    _complete(desk, "Task_Deliver", {"delivered_via": "vneid"})
    return dossier


def test_a_refused_dossier_says_refused_with_the_reason_and_an_issued_one_names_its_result(
    live, tokens, session
):
    assert deploy_sample(live.api(tokens["modeller"])).status_code == 201
    citizen = live.api(tokens["citizen"])
    refused = _run(live, tokens, {"decision": "refuse", "refusal_reason": REASON})
    issued = _run(live, tokens, {"decision": "approve"})

    mine = citizen.get(f"/api/v1/dossiers/{refused['id']}").json()
    assert mine["status"] == "completed"
    assert (mine["outcome"], mine["reason"], mine["result_code"]) == ("refused", REASON, None)
    public = live.api().get(f"/api/v1/tracking/{refused['receipt_code']}").json()
    assert public["outcome"] == "refused" and public["status_label"] == "Bị từ chối giải quyết"
    assert public["history"][-1]["step"] == "Bị từ chối giải quyết"
    assert "Đã có kết quả" not in str(public) and REASON not in str(
        public
    )  # no free text in public

    ok = citizen.get(f"/api/v1/dossiers/{issued['id']}").json()
    assert ok["outcome"] == "issued" and ok["reason"] is None
    assert ok["result_code"].startswith("KQ-")
    held = citizen.get(f"/api/v1/warehouse/{CITIZEN_ID}/documents").json()
    assert ok["result_code"] in {d["result_code"] for d in held}
    assert (
        live.api().get(f"/api/v1/tracking/{issued['receipt_code']}").json()["status_label"]
        == "Đã có kết quả"
    )

    # the citizen's list says the same, from one query of the page's last events
    listed = {d["id"]: d["outcome"] for d in citizen.get("/api/v1/dossiers").json()["items"]}
    assert listed == {refused["id"]: "refused", issued["id"]: "issued"}

    # the applicant's notice of the refusal: its own subject, with the reason
    events = session.query(DossierEvent).filter(DossierEvent.dossier_id == refused["id"]).all()
    (notice,) = [n for n in notices_for(session, events, ("dossier_completed",))]
    subject, body = compose(notice)
    assert subject == f"Hồ sơ {refused['receipt_code']} không được giải quyết"
    assert REASON in body and "đã có kết quả" not in body
    assert notice.payload()["outcome"] == "refused" and "reason" not in notice.payload()


def test_a_withdrawn_dossier_says_withdrawn_with_its_reason(live, tokens):
    assert deploy_sample(live.api(tokens["modeller"])).status_code == 201
    citizen = live.api(tokens["citizen"])
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    cancelled = citizen.post(
        f"/api/v1/dossiers/{dossier['id']}/cancel", json={"reason": "Tôi đã nộp nhầm thủ tục"}
    )
    assert cancelled.status_code == 200, cancelled.text
    mine = citizen.get(f"/api/v1/dossiers/{dossier['id']}").json()
    assert (mine["outcome"], mine["reason"]) == ("withdrawn", "Tôi đã nộp nhầm thủ tục")
    assert (
        live.api().get(f"/api/v1/tracking/{dossier['receipt_code']}").json()["outcome"]
        == "withdrawn"
    )
