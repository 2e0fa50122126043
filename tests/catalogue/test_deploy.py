"""A drafted model deploys in the real engine and runs a dossier to its end, through the
supplement loop, the refusal branch and the deadline timer (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.catalogue.records import FLAT_CHANNELS, FLAT_PERMIT, STRUCTURED
from tests.conftest import ROOT
from toantrinh.engine import clock
from toantrinh.engine.service import Engine
from toantrinh.simplifier.records import import_record

APPLICANT = "001090012345"


@pytest.fixture
def eng(session):
    return Engine(session, forms_dir=ROOT / "forms")


def _deploy(eng, tmp_path, raw, vocab, catalogue) -> str:
    imported = import_record(raw, vocab, catalogue)
    folder = tmp_path / imported.code
    folder.mkdir()
    for name, text in imported.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = eng.deploy_folder(folder)
    assert result.created
    return result.version.model.slug


def _complete(eng, dossier_id: int, bpmn_id: str, data: dict | None = None) -> None:
    ready = {t["bpmn_id"]: t for t in eng.ready_tasks(dossier_id)}
    assert bpmn_id in ready, f"{bpmn_id} not ready; ready: {sorted(ready)}"
    eng.complete_task(
        dossier_id,
        ready[bpmn_id]["id"],
        data or {},
        actor=f"{ready[bpmn_id]['lane'] or 'citizen'}:test",
    )


PAY = {"payment_reference": "GD-1", "amount": 50000}


def test_drafted_model_runs_through_supplement_payment_approval_to_the_e_result(
    eng, tmp_path, vocab, catalogue
):
    slug = _deploy(eng, tmp_path, FLAT_PERMIT, vocab, catalogue)
    dossier = eng.start(slug, applicant_id=APPLICANT, actor=f"citizen:{APPLICANT}")
    for bpmn_id, data in [
        ("Step_0", None),
        ("Step_1", {"intake_decision": "supplement", "missing_items": "Bản sao Giấy khai sinh"}),
        ("Task_Supplement", {"supplement_note": "Đã nộp bổ sung"}),
        ("Step_1", {"intake_decision": "accept"}),
        ("Task_Pay", PAY),
        ("Step_2", {"decision": "approve"}),
        ("Step_3", None),
        ("Step_4", None),
    ]:
        _complete(eng, dossier.id, bpmn_id, data)
    done = eng.get(dossier.id)
    assert done.status == "completed", done.last_error
    assert eng.data(done)["result"] == "issued"


def test_drafted_model_refusal_branch_ends_refused(eng, tmp_path, vocab, catalogue):
    slug = _deploy(eng, tmp_path, FLAT_PERMIT, vocab, catalogue)
    dossier = eng.start(slug, applicant_id=APPLICANT, actor=f"citizen:{APPLICANT}")
    for bpmn_id, data in [
        ("Step_0", None),
        ("Step_1", {"intake_decision": "accept"}),
        ("Task_Pay", PAY),
        ("Step_2", {"decision": "refuse", "refusal_reason": "Không đủ điều kiện"}),
    ]:
        _complete(eng, dossier.id, bpmn_id, data)
    done = eng.get(dossier.id)
    assert done.status == "completed" and eng.data(done)["result"] == "refused"


def test_the_deadline_timer_fires_after_the_statutory_time(eng, tmp_path, vocab, catalogue):
    slug = _deploy(eng, tmp_path, FLAT_PERMIT, vocab, catalogue)
    dossier = eng.start(slug, applicant_id=APPLICANT, actor=f"citizen:{APPLICANT}")
    for bpmn_id, data in [
        ("Step_0", None),
        ("Step_1", {"intake_decision": "accept"}),
        ("Task_Pay", PAY),
    ]:
        _complete(eng, dossier.id, bpmn_id, data)
    clock.advance(6 * 24 * 3600)
    eng.fire_due_timers()
    assert "Task_Apology" not in {t["bpmn_id"] for t in eng.ready_tasks(dossier.id)}
    clock.advance(2 * 24 * 3600)  # 5 working days: the timer is P7D
    eng.fire_due_timers()
    ready = {t["bpmn_id"] for t in eng.ready_tasks(dossier.id)}
    assert {"Task_Apology", "Step_2"} <= ready


def test_a_structured_record_drafts_a_model_that_deploys_and_runs(eng, tmp_path, vocab, catalogue):
    slug = _deploy(eng, tmp_path, STRUCTURED, vocab, catalogue)
    dossier = eng.start(slug, applicant_id=APPLICANT, actor=f"citizen:{APPLICANT}")
    for bpmn_id, data in [
        ("Step_0", None),
        ("Task_Receive", None),
        ("Task_Pay", {"payment_reference": "GD-2", "amount": 20000}),
        ("Step_1", {"decision": "approve"}),
        ("Step_2", None),
    ]:
        _complete(eng, dossier.id, bpmn_id, data)
    assert eng.get(dossier.id).status == "completed"


def test_one_submission_task_for_every_channel_runs_once(eng, tmp_path, vocab, catalogue):
    slug = _deploy(eng, tmp_path, FLAT_CHANNELS, vocab, catalogue)
    dossier = eng.start(slug, applicant_id=APPLICANT, actor=f"citizen:{APPLICANT}")
    _complete(eng, dossier.id, "Step_0")
    # no second submission for another channel: the reception comes next
    assert {t["bpmn_id"] for t in eng.ready_tasks(dossier.id)} == {"Step_4"}
    for bpmn_id, data in [
        ("Step_4", None),
        ("Step_5", None),
        ("Task_Deliver", {"delivery_method": "Trực tuyến"}),
    ]:
        _complete(eng, dossier.id, bpmn_id, data)
    done = eng.get(dossier.id)
    assert done.status == "completed", done.last_error
    assert eng.data(done)["result"] == "issued"
