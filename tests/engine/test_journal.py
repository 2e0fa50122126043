"""The dossier journal (engine/store/journal.py): a step kept as its command instead of a dump of
the whole state, rebuilt by replaying it — in another process as in this one — to the
very state the step left. (Every journaled commit of the suite is also rebuilt and
compared, TOANTRINH_VERIFY_JOURNAL in tests/conftest.py.)"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from tests.engine.test_cli import ROOT
from tests.helpers.bpmn import TEST_FORMS, journal_process, loop_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine import clock
from toantrinh.engine.commands import timers
from toantrinh.engine.connectors import ConnectorError, FunctionConnector
from toantrinh.engine.persistence import Dossier, DossierJournal, Timer
from toantrinh.engine.safescript.language import ScriptLimitError
from toantrinh.engine.scheduler import tick
from toantrinh.engine.service import ConflictError, DossierStateError, Engine, JournalError
from toantrinh.engine.store import journal
from toantrinh.engine.store.statecache import WORKFLOWS


class Counter:
    """The ``counter`` registry: a new number at every call, so a replay that called it
    again instead of taking the recorded answer would show."""

    def __init__(self):
        self.calls = 0

    def next(self, identity_number):
        self.calls += 1
        return {"number": self.calls, "identity_number": identity_number}

    def connectors(self):
        return local_connectors(counter=FunctionConnector("counter", {"next": self.next}))


def _refusing():
    def refuse(identity_number):
        raise ConnectorError("replay must not call a registry", operation="counter.next")

    return local_connectors(counter=FunctionConnector("counter", {"next": refuse}))


def _journal_rows(session, dossier_id: int) -> list[int]:
    return list(
        session.scalars(
            select(DossierJournal.lock_version)
            .where(DossierJournal.dossier_id == dossier_id)
            .order_by(DossierJournal.lock_version)
        )
    )


def _as_stored(session_factory, dossier_id: int, connectors=None):
    """The dossier as another process sees it: no cached workflow, a new session, and a
    registry that fails if called."""
    WORKFLOWS.clear()
    with session_factory() as other:
        engine = Engine(other, connectors=connectors or _refusing())
        dossier = engine.get(dossier_id)
        workflow = engine.workflow(dossier)
        return dossier, workflow, engine.data(dossier), engine.ready_tasks(dossier_id)


def _start(session, counter: Counter):
    engine = Engine(session, connectors=counter.connectors())
    engine.deploy(journal_process(), forms=TEST_FORMS)
    return engine, engine.start("journal_test", applicant_id=CITIZEN_ID)


def test_a_completed_user_task_is_kept_as_its_command_and_replays_to_the_same_state(
    session, session_factory
):
    counter = Counter()
    engine, dossier = _start(session, counter)
    assert dossier.state == ""  # nothing dumped: its start is in the journal
    assert _journal_rows(session, dossier.id) == [dossier.lock_version]
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "Bản sao giấy khai sinh"})
    session.expire_all()
    dossier = engine.get(dossier.id)
    live = engine.data(dossier)
    rows = _journal_rows(session, dossier.id)
    assert rows == list(range(dossier.state_version + 1, dossier.lock_version + 1))
    assert len(rows) == 2 and counter.calls == 1
    (review,) = engine.ready_tasks(dossier.id)
    due = session.scalar(select(Timer.due_at).where(Timer.dossier_id == dossier.id))

    _, workflow, data, tasks = _as_stored(session_factory, dossier.id)

    assert counter.calls == 1  # the registry's answer came from the journal
    assert data == live
    assert data["registry"] == {"number": 1, "identity_number": CITIZEN_ID}
    assert data["checked_on"] == clock.now().date().isoformat()
    assert data["score"] == len("Bản sao giấy khai sinh") + 1
    assert [t["id"] for t in tasks] == [review["id"]]  # the same task, the same id
    (timer,) = [t for t in workflow.get_tasks() if t.task_spec.name == "Deadline"]
    assert timers.due_at(timer) == due  # the deadline set when it started


# a script the inline tier leaves to a worker process (a loop), reading the clock
WORKER_SCRIPT = (
    "score = 0\nfor i in range(steps):\n    score = score + len(note or '')\nchecked_on = today()"
)


def test_a_script_run_by_a_worker_replays_exactly_with_ten_times_its_budget(
    session, session_factory, monkeypatch
):
    """The worker gets the operation's own date for today() and the data as plain values;
    a replay gets REPLAY_BUDGET times the budget (a slower host must not fail a replay
    of a step that succeeded), and needs it here: at its first budget it would fail."""
    from toantrinh.engine import scripting

    script = WORKER_SCRIPT.replace("steps", "400000")
    scripting.evaluate("[i for i in range(1)]", {})  # a worker is up: the time is the run's
    # the least of three runs: a neighbour's load only ever adds to a run's time, and an
    # inflated figure would let the run at a third of it below succeed
    took = 60.0
    for _ in range(3):
        started = time.monotonic()
        scripting.execute(script, {"note": "x"}, seconds=60)
        took = min(took, time.monotonic() - started)
    engine = Engine(session, connectors=Counter().connectors())
    engine.deploy(journal_process(script), forms=TEST_FORMS)
    dossier = engine.start("journal_test", applicant_id=CITIZEN_ID)
    (declare,) = engine.ready_tasks(dossier.id)
    monkeypatch.setattr(scripting, "MAX_SECONDS", took * 10)
    engine.complete_task(dossier.id, declare["id"], {"note": "Bản sao"})
    session.expire_all()
    live = engine.data(engine.get(dossier.id))
    assert live["score"] == 400000 * len("Bản sao") and "registry" in live
    assert _journal_rows(session, dossier.id)  # the step is journaled, not dumped

    monkeypatch.setattr(scripting, "MAX_SECONDS", took / 3)
    with pytest.raises(ScriptLimitError):  # the step's own budget would not do now
        scripting.execute(script, {"note": "Bản sao"})
    clock.advance(86400)  # another day: the replay still sees the operation's date
    _, _, data, _ = _as_stored(session_factory, dossier.id)
    assert data == live


def test_another_process_steps_a_journaled_dossier_on_from_its_replay(session, session_factory):
    counter = Counter()
    engine, dossier = _start(session, counter)
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "x"})
    WORKFLOWS.clear()
    with session_factory() as other:
        elsewhere = Engine(other, connectors=_refusing())
        (review,) = elsewhere.ready_tasks(dossier.id)
        done = elsewhere.complete_task(dossier.id, review["id"], {"note": "đạt"})
        assert done.status == "completed"
    session.expire_all()
    dossier = engine.get(dossier.id)
    # an ended dossier keeps its whole state and no journal: nothing to replay ever again
    assert dossier.state and dossier.state_version == dossier.lock_version
    assert _journal_rows(session, dossier.id) == []
    assert engine.data(dossier)["note"] == "đạt"


def test_the_state_is_dumped_once_the_journal_would_pass_its_limit(
    session, session_factory, monkeypatch
):
    monkeypatch.setattr(journal, "JOURNAL_MAX", 3)
    engine = Engine(session)
    engine.deploy(loop_process(), forms=TEST_FORMS)
    dossier = engine.start("loop_test")
    lengths = []
    for _ in range(8):
        (task,) = engine.ready_tasks(dossier.id)
        engine.complete_task(dossier.id, task["id"], {"again": True})
        session.expire_all()
        dossier = engine.get(dossier.id)
        rows = _journal_rows(session, dossier.id)
        assert rows == list(range(dossier.state_version + 1, dossier.lock_version + 1))
        lengths.append(len(rows))
    assert max(lengths) == 3 and 0 in lengths  # grows to the limit, then a dump empties it
    _, _, data, tasks = _as_stored(session_factory, dossier.id)
    assert data["again"] is True and len(tasks) == 1


def test_with_the_journal_off_every_step_dumps_the_state(session, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_MAX", 0)
    _, dossier = _start(session, Counter())
    assert dossier.state and _journal_rows(session, dossier.id) == []


def test_a_model_whose_scripts_build_sets_is_never_journaled(session):
    # the order a set of strings is walked in changes from one process to the next
    engine = Engine(session, connectors=Counter().connectors())
    engine.deploy(journal_process("tags = sorted(set([note or 'a']))"), forms=TEST_FORMS)
    dossier = engine.start("journal_test", applicant_id=CITIZEN_ID)
    assert dossier.state and dossier.state_version == dossier.lock_version
    assert _journal_rows(session, dossier.id) == []


def test_a_step_that_fails_dumps_the_state_it_failed_in(session, session_factory):
    def broken(identity_number):
        raise ConnectorError("CSDL tạm ngừng", operation="counter.next", retryable=True)

    engine = Engine(
        session, connectors=local_connectors(counter=FunctionConnector("counter", {"next": broken}))
    )
    engine.deploy(journal_process(), forms=TEST_FORMS)
    dossier = engine.start("journal_test", applicant_id=CITIZEN_ID)
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "x"})
    session.expire_all()
    dossier = engine.get(dossier.id)
    assert dossier.status == "error"
    assert (
        dossier.state_version == dossier.lock_version and _journal_rows(session, dossier.id) == []
    )
    # retried once the registry is back: the dossier goes on from the dumped state
    retried = Engine(session, connectors=Counter().connectors()).retry(dossier.id)
    assert retried.status == "in_progress"


def test_a_missing_journal_row_is_reported_not_replayed_around(session, session_factory):
    engine, dossier = _start(session, Counter())
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "x"})
    first = _journal_rows(session, dossier.id)[0]
    session.execute(
        delete(DossierJournal).where(
            DossierJournal.dossier_id == dossier.id, DossierJournal.lock_version == first
        )
    )
    session.commit()
    with pytest.raises(JournalError, match="không liền mạch"):
        _as_stored(session_factory, dossier.id)


def test_the_suites_check_catches_a_replay_that_differs(session, monkeypatch):
    engine, dossier = _start(session, Counter())
    (declare,) = engine.ready_tasks(dossier.id)
    original = journal._replay_one

    def forgetful(workflow, entry, *args):
        if entry["op"] == "complete":
            return workflow  # the completed task is lost on replay
        return original(workflow, entry, *args)

    monkeypatch.setattr(journal, "_replay_one", forgetful)
    with pytest.raises(AssertionError, match="nhật ký dựng lại trạng thái khác"):
        engine.complete_task(dossier.id, declare["id"], {"note": "x"})


def test_two_officers_completing_one_task_leave_one_journal_row(session, session_factory):
    engine, dossier = _start(session, Counter())
    (declare,) = engine.ready_tasks(dossier.id)
    session.commit()
    with session_factory() as first, session_factory() as second:
        one, two = (
            Engine(first, connectors=Counter().connectors()),
            Engine(second, connectors=Counter().connectors()),
        )
        one.get(dossier.id), two.get(dossier.id)
        one.complete_task(dossier.id, declare["id"], {"note": "một"})
        with pytest.raises((ConflictError, DossierStateError)):  # SQLite: already done
            two.complete_task(dossier.id, declare["id"], {"note": "hai"})
    session.expire_all()
    dossier = engine.get(dossier.id)
    assert len(_journal_rows(session, dossier.id)) == 2  # the start and the winner's step
    assert _as_stored(session_factory, dossier.id)[2]["note"] == "một"


def test_operations_keep_distinct_task_ids_when_the_clock_is_set_back(session, session_factory):
    engine = Engine(session)
    engine.deploy(loop_process(), forms=TEST_FORMS)
    dossier = engine.start("loop_test")
    seen = set()
    try:
        for n in range(4):
            clock.advance(-3600 if n % 2 else 0)  # an operator sets the clock back an hour
            (task,) = engine.ready_tasks(dossier.id)
            assert task["id"] not in seen
            seen.add(task["id"])
            engine.complete_task(dossier.id, task["id"], {"again": True})
    finally:
        clock.set_offset(0)
    _, workflow, _, tasks = _as_stored(session_factory, dossier.id)
    assert len({t.id for t in workflow.get_tasks()}) == len(workflow.get_tasks())
    assert tasks[0]["id"] not in seen


def test_settling_stores_an_idle_dossiers_state_without_changing_its_version(
    session, session_factory
):
    counter = Counter()
    engine, dossier = _start(session, counter)
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "x"})
    session.commit()
    version = engine.get(dossier.id).lock_version
    assert engine.settle_journals(idle_seconds=3600) == 0  # not idle long enough
    assert engine.settle_journals(idle_seconds=0) == 1
    session.expire_all()
    dossier = engine.get(dossier.id)
    assert dossier.lock_version == version and dossier.state_version == version
    assert _journal_rows(session, dossier.id) == []
    # the workflow cached under that version still serves, and a fresh load matches it
    assert WORKFLOWS.holds(engine._db_key, dossier.id, engine._stamp(dossier))
    assert _as_stored(session_factory, dossier.id)[2] == engine.data(dossier)


def test_a_scheduler_pass_settles_the_dossiers_idle_past_the_setting(session, session_factory):
    _, dossier = _start(session, Counter())
    session.commit()
    assert _journal_rows(session, dossier.id)
    with session_factory() as worker:
        assert tick(worker, local_connectors()).settled == 0
    clock.advance(journal.SETTLE_AFTER + 1)
    try:
        with session_factory() as worker:
            assert tick(worker, local_connectors()).settled == 1
    finally:
        clock.set_offset(0)
    session.rollback()  # a new snapshot of the database
    assert _journal_rows(session, dossier.id) == []


def test_dossier_settle_stores_every_journaled_state(db_url, session, session_factory):
    engine, dossier = _start(session, Counter())
    other = engine.start("journal_test", applicant_id=CITIZEN_ID)
    session.commit()
    done = subprocess.run(
        [sys.executable, "-m", "toantrinh.cli.main", "dossier", "settle"],
        cwd=ROOT,
        env={**__import__("os").environ, "DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2 hồ sơ" in done.stdout and "còn 0 dòng" in done.stdout
    session.expire_all()
    for dossier_id in (dossier.id, other.id):
        row = session.get(Dossier, dossier_id)
        assert row.state and row.state_version == row.lock_version
    assert session.scalar(select(DossierJournal.dossier_id)) is None
    assert _as_stored(session_factory, other.id)[3][0]["bpmn_id"] == "Declare"


def test_a_dossiers_operations_stand_still_at_their_instant(session):
    engine, dossier = _start(session, Counter())
    (declare,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, declare["id"], {"note": "x"})
    events = [
        e for e in engine.events(dossier.id) if e.kind in ("task_completed", "service_called")
    ]
    assert len({e.at for e in events}) == 1  # one operation, one instant
    assert events[0].at - dossier.created_at < timedelta(minutes=1)


def test_a_scheduler_pass_with_work_to_do_leaves_settling_for_a_quiet_one(session, session_factory):
    engine, timed = _start(session, Counter())
    (declare,) = engine.ready_tasks(timed.id)
    engine.complete_task(timed.id, declare["id"], {"note": "x"})  # its review has a deadline
    idle = engine.start("journal_test", applicant_id=CITIZEN_ID)
    session.commit()
    clock.advance(2 * 3600)  # the one-hour deadline has passed; both are idle
    try:
        with session_factory() as worker:
            busy = tick(worker, local_connectors())
        assert busy.timers == 1 and busy.settled == 0
        session.rollback()
        assert _journal_rows(session, idle.id)  # left for a quiet pass
        with session_factory() as worker:
            assert tick(worker, local_connectors()).settled == 1
    finally:
        clock.set_offset(0)
    session.rollback()
    assert _journal_rows(session, idle.id) == []
    assert engine.get(timed.id).status == "completed"  # expired: the deadline's end event
