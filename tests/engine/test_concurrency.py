"""Two officers completing the same task at once: exactly one succeeds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from engine import forms as formlib
from engine.service import ConflictError, Engine
from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration

FOLDER = Path(__file__).resolve().parents[2] / "process_models" / "ly-lich-tu-phap"


def test_concurrent_completion_of_one_task_conflicts(session_factory, monkeypatch):
    setup = Engine(session_factory(), connectors=local_connectors())
    setup.deploy_folder(FOLDER)
    started = setup.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    dossier_id, version_before = started.id, started.lock_version
    (task,) = setup.ready_tasks(dossier_id)
    setup.session.close()

    # Both requests must have loaded the dossier before either saves: hold them at the
    # form validation step (after the load, before the save) until both arrive.
    barrier = threading.Barrier(2, timeout=20)
    original = formlib.validate_submission

    def validate_then_wait(*args, **kwargs):
        result = original(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(formlib, "validate_submission", validate_then_wait)
    outcomes: list[str] = []

    def officer(purpose: str) -> None:
        session = session_factory()
        engine = Engine(session, connectors=local_connectors())
        try:
            engine.complete_task(
                dossier_id,
                task["id"],
                ltp_declaration(purpose=purpose),
            )
            outcomes.append("ok")
        except ConflictError as err:
            assert "cập nhật" in str(err)
            outcomes.append("conflict")
        finally:
            session.close()

    threads = [threading.Thread(target=officer, args=(p,)) for p in ("Xin việc", "Du học")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict", "ok"]

    with session_factory() as check_session:
        check = Engine(check_session, connectors=local_connectors())
        events = [e for e in check.events(dossier_id) if e.kind == "task_completed"]
        assert len(events) == 1
        assert [t["bpmn_id"] for t in check.ready_tasks(dossier_id)] == ["Task_Pay"]
        assert check.get(dossier_id).lock_version == version_before + 1


def test_completing_a_task_that_is_no_longer_ready_is_refused(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(FOLDER)
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    (task,) = engine.ready_tasks(dossier.id)
    data = ltp_declaration(purpose="Xin việc")
    engine.complete_task(dossier.id, task["id"], data)
    from engine.service import DossierStateError, NotFoundError

    with pytest.raises(DossierStateError):
        engine.complete_task(dossier.id, task["id"], data)
    with pytest.raises(NotFoundError):
        engine.complete_task(dossier.id, "00000000-0000-0000-0000-000000000000", data)
    with pytest.raises(NotFoundError):
        engine.complete_task(dossier.id, "not-a-uuid", data)
