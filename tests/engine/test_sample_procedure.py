"""The criminal record certificate (Phiếu lý lịch tư pháp) runs through the engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.people import (
    CITIZEN_ID,
    local_connectors,
    ltp_declaration,
    reengineered_ltp_forms,
)
from toantrinh.engine import clock
from toantrinh.engine.forms import FormValidationError
from toantrinh.engine.service import Engine

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "process_models" / "ly-lich-tu-phap"
DECLARATION = ltp_declaration()


@pytest.fixture
def engine(session):
    eng = Engine(session, connectors=local_connectors())
    eng.deploy_folder(FOLDER)
    return eng


def complete(
    engine: Engine, dossier_id: int, bpmn_id: str, data: dict, actor: str = "test"
) -> None:
    ready = {t["bpmn_id"]: t for t in engine.ready_tasks(dossier_id)}
    assert bpmn_id in ready, f"{bpmn_id} not ready; ready: {sorted(ready)}"
    engine.complete_task(dossier_id, ready[bpmn_id]["id"], data, actor=actor)


def test_the_traditional_declaration_has_twenty_three_typed_fields(engine):
    """The library's model is the procedure before re-engineering: nothing is pre-filled."""
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    assert task["bpmn_id"] == "Task_Declare"
    assert len(task["form"]["properties"]) == 23
    assert len(task["typed_fields"]) == 23 and task["prefill"] == {}


def _reengineered(engine) -> None:
    """The same model with the VNeID declaration (population fields pre-filled), as v2."""
    procedure = json.loads((FOLDER / "procedure.json").read_text(encoding="utf-8"))
    bpmn = (FOLDER / procedure["bpmn"]).read_bytes()
    result = engine.deploy(bpmn, procedure=procedure, forms=reengineered_ltp_forms())
    assert result.created and result.version.number == 2


def test_citizen_types_six_of_twenty_three_fields_when_population_database_answers(engine):
    _reengineered(engine)
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    assert len(task["form"]["properties"]) == 23
    assert sorted(task["typed_fields"]) == sorted(
        [
            "certificate_type",
            "purpose",
            "copies",
            "ban_confirmation_request",
            "delivery_method",
            "delivery_address",
        ]
    )
    assert task["prefill"]["full_name"] == "Nguyễn Văn An"
    assert task["prefill"]["residence_history"][0]["address"] == "Xã Kiến Xương, tỉnh Hưng Yên"


def test_prefilled_fields_cannot_be_overwritten_by_the_applicant(engine):
    _reengineered(engine)
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    with pytest.raises(FormValidationError) as refused:  # refused, not silently replaced
        complete(engine, dossier.id, "Task_Declare", dict(DECLARATION, full_name="Tên giả mạo"))
    assert [e.field for e in refused.value.errors] == ["full_name"]
    complete(engine, dossier.id, "Task_Declare", dict(DECLARATION, full_name="Nguyễn Văn An"))
    assert engine.data(engine.get(dossier.id))["full_name"] == "Nguyễn Văn An"


def test_whole_procedure_with_a_resubmission_and_an_overdue_timer(engine, session):
    dossier = engine.start(
        "ly-lich-tu-phap", applicant_id=CITIZEN_ID, actor=f"citizen:{CITIZEN_ID}"
    )
    assert dossier.receipt_code.startswith("LLTP-")
    assert dossier.due_at is not None and dossier.due_at > dossier.created_at
    complete(engine, dossier.id, "Task_Declare", DECLARATION)
    complete(
        engine, dossier.id, "Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}
    )
    complete(
        engine,
        dossier.id,
        "Task_Receive",
        {"intake_decision": "supplement", "missing_items": "Ảnh chụp mờ"},
    )
    complete(engine, dossier.id, "Task_Supplement", {"supplement_note": "Đã chụp lại giấy tờ"})
    complete(engine, dossier.id, "Task_Receive", {"intake_decision": "accept"})
    complete(engine, dossier.id, "Task_Transfer", {})
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Task_Verify"]

    assert engine.fire_due_timers() == 0
    clock.advance(11 * 86400)
    assert engine.fire_due_timers() == 1
    assert sorted(t["bpmn_id"] for t in engine.ready_tasks(dossier.id)) == [
        "Task_Apology",
        "Task_Verify",
    ]
    complete(
        engine,
        dossier.id,
        "Task_Apology",
        {"new_due_date": "2026-12-20", "reason": "Chờ xác minh liên tỉnh"},
    )
    complete(engine, dossier.id, "Task_Verify", {"has_criminal_record": False})
    complete(engine, dossier.id, "Task_Sign", {"decision": "approve"}, actor="leader:giam-doc")
    complete(engine, dossier.id, "Task_Deliver", {"delivered_via": "vneid"})

    dossier = engine.get(dossier.id)
    assert dossier.status == "completed"
    data = engine.data(dossier)
    assert data["result"] == "issued"
    assert data["certificate_number"].startswith("LLTP/")
    kinds = [e.kind for e in engine.events(dossier.id)]
    assert kinds[0] == "dossier_started" and kinds[-1] == "dossier_completed"
    assert kinds.count("timer_fired") == 1
    assert "service_called" in kinds
    leader = [e for e in engine.events(dossier.id) if e.actor == "leader:giam-doc"]
    assert [e.task_name for e in leader] == ["Ký duyệt Phiếu lý lịch tư pháp"]


def test_refusal_branch_ends_with_refused_result(engine):
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    for bpmn_id, data in [
        ("Task_Declare", DECLARATION),
        ("Task_Pay", {"payment_method": "online"}),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
        ("Task_Verify", {"has_criminal_record": True}),
        ("Task_Sign", {"decision": "refuse", "refusal_reason": "Thông tin chưa đủ căn cứ"}),
        ("Task_Deliver", {"delivered_via": "postal"}),
    ]:
        complete(engine, dossier.id, bpmn_id, data)
    assert engine.get(dossier.id).status == "completed"
    assert engine.data(engine.get(dossier.id))["result"] == "refused"


def test_validation_errors_name_each_field(engine):
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    with pytest.raises(FormValidationError) as info:
        engine.complete_task(
            dossier.id,
            task["id"],
            {
                **{k: v for k, v in DECLARATION.items() if k != "purpose"},
                "certificate_type": "so_3",
                "copies": "hai",
                "favourite_colour": "đỏ",
            },
        )
    fields = {e.field: e.message for e in info.value.errors}
    assert set(fields) == {"certificate_type", "copies", "purpose", "favourite_colour"}
    assert fields["purpose"] == "Cần nhập “Mục đích sử dụng Phiếu”."
    assert fields["copies"].endswith("phải là số nguyên.")  # the project's words, by title
    assert fields["favourite_colour"] == "Trường “favourite_colour” không có trong biểu mẫu."
    # nothing reached the workflow: the same task is still ready, no completion event
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Task_Declare"]
    assert "task_completed" not in [e.kind for e in engine.events(dossier.id)]


def test_decomposed_vietnamese_input_is_stored_composed(engine):
    import unicodedata

    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    purpose = unicodedata.normalize("NFD", "Bổ sung hồ sơ xin việc ở Đà Nẵng")
    complete(engine, dossier.id, "Task_Declare", dict(DECLARATION, purpose=purpose))
    stored = engine.data(engine.get(dossier.id))["purpose"]
    assert stored == unicodedata.normalize("NFC", purpose) and stored != purpose


def _drive(url: str, action: str, args: dict | None = None, env: dict | None = None) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "helpers" / "drive.py"),
            url,
            action,
            json.dumps(args or {}),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_dossier_survives_a_process_restart_between_every_step(db_url, session_factory):
    """Every step below runs in a new Python process: nothing survives but the database."""
    assert _drive(db_url, "deploy", {"folder": "process_models/ly-lich-tu-phap"})["version"] == 1
    dossier = _drive(db_url, "start", {"model": "ly-lich-tu-phap", "applicant": CITIZEN_ID})[
        "dossier"
    ]
    steps = [
        ("Task_Declare", DECLARATION),
        ("Task_Pay", {"payment_method": "online"}),
        ("Task_Receive", {"intake_decision": "supplement", "missing_items": "Ảnh chụp mờ"}),
        ("Task_Supplement", {"supplement_note": "Bổ sung"}),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
    ]
    for bpmn_id, data in steps:
        assert _drive(db_url, "complete", {"dossier": dossier, "task": bpmn_id, "data": data}) == {
            "ok": True
        }
    # restart with the clock 11 days ahead: the statutory-deadline timer fires in the new process
    eleven_days = {"TOANTRINH_CLOCK_OFFSET": str(11 * 86400)}
    assert _drive(db_url, "tick", env=eleven_days)["timers"] == 1
    assert _drive(db_url, "tick", env=eleven_days)["timers"] == 0  # fired once, never twice
    status = _drive(db_url, "status", {"dossier": dossier})
    assert sorted(status["ready"]) == ["Task_Apology", "Task_Verify"]
    for bpmn_id, data in [
        ("Task_Apology", {"new_due_date": "2026-12-20", "reason": "Chờ xác minh"}),
        ("Task_Verify", {"has_criminal_record": False}),
        ("Task_Sign", {"decision": "approve"}),
        ("Task_Deliver", {"delivered_via": "vneid"}),
    ]:
        assert _drive(db_url, "complete", {"dossier": dossier, "task": bpmn_id, "data": data}) == {
            "ok": True
        }
    status = _drive(db_url, "status", {"dossier": dossier})
    assert status["status"] == "completed"
    assert status["data"]["result"] == "issued"
    assert status["events"].count("task_completed") == 10


def test_an_issued_certificate_is_kept_in_the_applicants_e_data_warehouse(engine, session):
    from toantrinh.engine.warehouse import find_valid

    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    for bpmn_id, data in [
        ("Task_Declare", DECLARATION),
        ("Task_Pay", {"payment_method": "online"}),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
        ("Task_Verify", {"has_criminal_record": False}),
        ("Task_Sign", {"decision": "approve"}),
        ("Task_Deliver", {"delivered_via": "vneid"}),
    ]:
        complete(engine, dossier.id, bpmn_id, data)
    (document,) = find_valid(session, CITIZEN_ID, "criminal_record_certificate")
    number = engine.data(engine.get(dossier.id))["certificate_number"]
    assert document.title == f"Phiếu lý lịch tư pháp số {number}"
    assert document.issuer == "Công an cấp tỉnh" and document.source_dossier_id == str(dossier.id)
    assert document.data["full_name"] == "Nguyễn Văn An"
    assert (document.valid_until - document.issued_at).days == 180
    assert "result_stored" in [e.kind for e in engine.events(dossier.id)]
