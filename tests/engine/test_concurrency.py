"""Two officers completing the same task at once: exactly one succeeds."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration
from toantrinh.engine import forms as formlib
from toantrinh.engine.service import ConflictError, Engine

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
    from toantrinh.engine.service import NotFoundError

    # done already: whoever comes second lost the race for it (409 conflict, issue 27.8)
    with pytest.raises(ConflictError):
        engine.complete_task(dossier.id, task["id"], data)
    with pytest.raises(NotFoundError):
        engine.complete_task(dossier.id, "00000000-0000-0000-0000-000000000000", data)
    with pytest.raises(NotFoundError):
        engine.complete_task(dossier.id, "not-a-uuid", data)


def _message_wait_model() -> str:
    """start → Submit (user task) → wait for a message → Review → end: completing Submit
    leaves the inbox empty, so the step writes no inbox row, only its journal row."""
    from tests.helpers.bpmn import receiver_process

    submit = (
        '<bpmn:userTask id="Submit" name="Nộp"><bpmn:extensionElements>'
        '<tt:form ref="test-empty"/></bpmn:extensionElements>'
        "<bpmn:incoming>F0</bpmn:incoming><bpmn:outgoing>F1</bpmn:outgoing></bpmn:userTask>"
        '<bpmn:sequenceFlow id="F0" sourceRef="StartEvent_1" targetRef="Submit"/>'
    )
    return (
        receiver_process()
        .replace(
            "<bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>",
            "<bpmn:outgoing>F0</bpmn:outgoing></bpmn:startEvent>" + submit,
        )
        .replace('sourceRef="StartEvent_1" targetRef="Wait"', 'sourceRef="Submit" targetRef="Wait"')
    )


def test_a_loser_that_reads_the_winners_inbox_gets_a_conflict_not_a_500(db_url, session_factory):
    """The winner, in another process, commits between the loser's read of the dossier
    and its read of the inbox rows (PostgreSQL: each statement sees the latest commits).
    The loser steps the workflow its process cached and has no inbox or timer row to
    write; its journal row meets the winner's on (dossier_id, lock_version): an
    IntegrityError, a 500 whenever the statement did not name the inbox (issue 27.8)."""
    import json
    import os
    import subprocess
    import sys

    from tests.helpers.bpmn import TEST_FORMS

    loser = Engine(session_factory())
    loser.deploy(_message_wait_model(), forms=TEST_FORMS)
    dossier = loser.start("receiver")  # this process now holds its workflow
    (task,) = loser.ready_tasks(dossier.id)
    loser.session.rollback()
    loser_read, winner_done = threading.Event(), threading.Event()
    read_indexes = loser._read_indexes

    def after_the_winner(ids):  # the dossier row read: now the winner commits
        loser_read.set()
        winner_done.wait(60)
        return read_indexes(ids)

    loser._read_indexes = after_the_winner
    outcome: list[BaseException | str] = []

    def lose() -> None:
        try:
            loser.complete_task(dossier.id, task["id"], {})
            outcome.append("ok")
        except BaseException as err:  # what it was is the assertion
            outcome.append(err)

    thread = threading.Thread(target=lose)
    thread.start()
    assert loser_read.wait(20)
    drive = Path(__file__).resolve().parents[1] / "helpers" / "drive.py"
    args = json.dumps({"dossier": dossier.id, "task": "Submit", "data": {}})
    winner = subprocess.run(
        [sys.executable, str(drive), db_url, "complete", args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    winner_done.set()
    thread.join(60)
    loser.session.close()
    assert winner.returncode == 0 and '"ok": true' in winner.stdout, winner.stderr
    (err,) = outcome
    assert isinstance(err, ConflictError), repr(err)


@pytest.mark.parametrize("officers", [6])
def test_every_loser_of_a_race_for_one_task_gets_a_conflict(session_factory, officers):
    """Several officers complete the same task at once, step after step: one wins each
    time, every other one gets ConflictError (409 ``conflict``), whatever it met."""
    setup = Engine(session_factory(), connectors=local_connectors())
    setup.deploy_folder(FOLDER)
    steps = [
        ("Task_Declare", ltp_declaration()),
        ("Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
        ("Task_Verify", {"has_criminal_record": False}),
        ("Task_Sign", {"decision": "approve"}),
        ("Task_Deliver", {"delivered_via": "vneid"}),
    ]
    outcomes: list[str] = []
    for _ in range(2):
        dossier_id = setup.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
        for bpmn_id, data in steps:
            setup.session.rollback()  # a new snapshot: the last round's winner
            (task,) = [t for t in setup.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
            barrier = threading.Barrier(officers, timeout=20)

            def officer(dossier_id=dossier_id, task_id=task["id"], data=data, barrier=barrier):
                session = session_factory()
                engine = Engine(session, connectors=local_connectors())
                try:
                    barrier.wait()
                    engine.complete_task(dossier_id, task_id, data, actor="officer")
                    outcomes.append("ok")
                except ConflictError:
                    outcomes.append("conflict")
                except Exception as err:  # anything else fails the test
                    outcomes.append(f"{type(err).__name__}: {err}")
                finally:
                    session.close()

            threads = [threading.Thread(target=officer) for _ in range(officers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
    setup.session.close()
    rounds = 2 * len(steps)
    assert sorted(set(outcomes)) == ["conflict", "ok"], [
        o for o in outcomes if o not in ("ok", "conflict")
    ]
    assert outcomes.count("ok") == rounds and len(outcomes) == rounds * officers
