"""After a migration the inbox shows the target version's task names; the audit trail
records what each step changed, personal data masked (issue 27 item 15)."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.api.conftest import ADMIN_TOKEN, LLTP
from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration
from toantrinh.engine.audit import mask, personal_kind, record
from toantrinh.engine.persistence import ReadyTask, Timer
from toantrinh.engine.service import Engine

# the traditional declaration, typed in full (the library models the procedure before
# re-engineering)
DECLARATION = ltp_declaration()
BPMN = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
PROCEDURE = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))
PAY = 'name="Nộp phí cấp Phiếu lý lịch tư pháp"'
PAY_V2 = 'name="Nộp phí (trực tuyến) cấp Phiếu lý lịch tư pháp"'
TIMER = 'name="Quá thời hạn giải quyết (10 ngày)"'
TIMER_V2 = 'name="Quá thời hạn giải quyết (10 ngày làm việc)"'


def test_the_inbox_shows_the_target_version_s_names_after_a_migration(live, tokens):
    modeller, citizen = live.api(tokens["modeller"]), live.api(tokens["citizen"])
    assert (
        modeller.post("/api/v1/models", json={"bpmn": BPMN, "procedure": PROCEDURE}).status_code
        == 201
    )
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    (declare,) = dossier["current_tasks"]
    assert citizen.post(f"/api/v1/tasks/{declare['id']}/complete", json={"data": DECLARATION}).ok
    (pay,) = citizen.get("/api/v1/tasks").json()["items"]
    assert pay["name"] == "Nộp phí cấp Phiếu lý lịch tư pháp"
    assert citizen.post(f"/api/v1/tasks/{pay['id']}/claim").status_code == 200
    v2 = modeller.post(
        "/api/v1/models", json={"bpmn": BPMN.replace(PAY, PAY_V2), "procedure": PROCEDURE}
    )
    assert v2.status_code == 201 and v2.json()["version"] == 2

    moved = modeller.post(f"/api/v1/dossiers/{dossier['id']}/migrate", json={"version": 2})
    assert moved.status_code == 200, moved.text
    (after,) = citizen.get("/api/v1/tasks").json()["items"]
    assert (after["id"], after["name"]) == (
        pay["id"],
        "Nộp phí (trực tuyến) cấp Phiếu lý lịch tư pháp",
    )
    assert after["claimed_by"] == f"citizen:{CITIZEN_ID}"  # the claim is kept
    current = live.api(ADMIN_TOKEN).get(f"/api/v1/dossiers/{dossier['id']}").json()["current_tasks"]
    assert [t["name"] for t in current] == ["Nộp phí (trực tuyến) cấp Phiếu lý lịch tư pháp"]


def test_a_waiting_timer_takes_the_target_version_s_name(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy(BPMN, procedure=PROCEDURE)
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    for step, data in (
        ("Task_Declare", DECLARATION),
        ("Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
    ):
        (task,) = [t for t in engine.ready_tasks(dossier.id) if t["bpmn_id"] == step]
        engine.complete_task(dossier.id, task["id"], data)
    assert session.scalars(select(Timer.name)).all() == ["Quá thời hạn giải quyết (10 ngày)"]
    engine.deploy(BPMN.replace(TIMER, TIMER_V2), procedure=PROCEDURE)
    engine.migrate(dossier.id, 2)
    session.expire_all()
    assert session.scalars(select(Timer.name)).all() == [
        "Quá thời hạn giải quyết (10 ngày làm việc)"
    ]
    assert session.scalars(select(ReadyTask.name)).all() == ["Xác minh, lập Phiếu lý lịch tư pháp"]


def test_the_audit_trail_keeps_each_step_s_values_with_personal_data_masked(live, tokens):
    admin, citizen = live.api(ADMIN_TOKEN), live.api(tokens["citizen"])
    assert (
        admin.post("/api/v1/models", json={"bpmn": BPMN, "procedure": PROCEDURE}).status_code == 201
    )
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    (declare,) = dossier["current_tasks"]
    assert citizen.post(f"/api/v1/tasks/{declare['id']}/complete", json={"data": DECLARATION}).ok
    events = admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    (done,) = [e for e in events if e["kind"] == "task_completed"]
    changes = done["detail"]["changes"]
    # what the citizen decided, as submitted
    assert changes["purpose"] == {"old": None, "new": "Bổ sung hồ sơ xin việc"}
    assert changes["copies"]["new"] == 1 and changes["delivery_method"]["new"] == "vneid"
    # the identity copied in from the population registry, masked
    assert changes["identity_number"]["new"] == "*********345"
    assert changes["full_name"]["new"] == "***" and changes["date_of_birth"]["new"] == "***"
    assert changes["permanent_address"]["new"] == "***"
    trail = json.dumps(events, ensure_ascii=False)
    assert "Nguyễn Văn An" not in trail and CITIZEN_ID not in trail.replace(
        f"citizen:{CITIZEN_ID}", ""
    )
    assert "1990-03-15" not in trail and "Hào Nam" not in trail
    # the citizen still sees no internal detail
    own = citizen.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assert all(e["detail"] == {} for e in own)


def test_the_personal_data_rule_is_data_and_a_form_can_say_it_itself():
    assert personal_kind("phone") == "phone" and mask("0912345678", "phone") == "*******678"
    assert mask("an.nv@example.vn", "email") == "a***@***.vn"
    assert personal_kind("mother_full_name") == "personal"  # a pattern of the catalogue
    assert personal_kind("purpose") is None
    assert personal_kind("purpose", {"x-personal": True}) == "personal"
    assert personal_kind("full_name", {"x-personal": False}) is None
    rows = [{"full_name": "Lê Thị Lan", "capital_share": 40}]
    schema = {"type": "array", "items": {"type": "object", "properties": {"full_name": {}}}}
    assert record("members", rows, schema) == [{"full_name": "***", "capital_share": 40}]
    assert record("note", "x" * 5000).endswith("(5000 ký tự)")
