"""Every place BPMN allows a timer: scheduled as a ``timer`` row, fired once by the
scheduler, across a restart (issue 27.2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers.bpmn import TEST_FORMS
from tests.helpers.timers import CASES, HOUR
from toantrinh.engine import clock, service
from toantrinh.engine.persistence import Message, Timer
from toantrinh.engine.service import Engine
from toantrinh.engine.store.statecache import WORKFLOWS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DAY = 86400


@pytest.fixture(autouse=True)
def _clock():
    before = clock.offset_seconds()
    yield
    clock.set_offset(before)


@pytest.fixture
def restart(session_factory):
    """A new engine as a new process has it; its session is closed after the test (an
    open one would hold PostgreSQL's locks against the next test's cleanup)."""
    sessions = []

    def make() -> Engine:
        WORKFLOWS.clear()
        service._SPEC_CACHE.clear()
        sessions.append(session_factory())
        return Engine(sessions[-1])

    yield make
    for session in sessions:
        session.close()


def _deploy_and_start(engine: Engine, kind: str):
    xml, _ = CASES[kind]
    slug = engine.deploy(xml, forms=TEST_FORMS).version.model.slug
    return engine.start(slug, applicant_id="001090012345")


def _timers(session, dossier_id: int) -> list[Timer]:
    session.expire_all()
    return list(session.scalars(select(Timer).where(Timer.dossier_id == dossier_id)))


def _ready(engine: Engine, dossier_id: int) -> list[str]:
    return sorted(t["bpmn_id"] for t in engine.ready_tasks(dossier_id))


def _complete(engine: Engine, dossier_id: int, bpmn_id: str) -> None:
    (task,) = [t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
    engine.complete_task(dossier_id, task["id"], {}, actor="test")


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_of_timer_is_scheduled_and_fires_once_after_a_restart(session, restart, kind):
    engine = Engine(session)
    dossier = _deploy_and_start(engine, kind)
    (row,) = _timers(session, dossier.id)
    due = row.due_at
    wait = due - clock.now()
    if kind == "boundary-interrupting-date":  # tomorrow, at midnight
        assert timedelta(0) < wait <= timedelta(days=1)
    else:
        assert timedelta(minutes=59) < wait <= timedelta(hours=1)
    assert engine.fire_due_timers() == 0  # not yet due

    clock.advance(wait.total_seconds() + 1)
    later = restart()
    assert later.fire_due_timers() == 1
    assert _ready(later, dossier.id) == sorted(CASES[kind][1])
    assert later.fire_due_timers() == 0  # once
    fired = [e for e in later.events(dossier.id) if e.kind == "timer_fired"]
    assert len(fired) == 1
    left = _timers(later.session, dossier.id)
    if kind == "boundary-non-interrupting-cycle":  # R2/PT1H: the second one, an hour on
        assert [t.due_at for t in left] == [due + timedelta(hours=1)]
    else:
        assert left == []
    assert later.get(dossier.id).status == "in_progress"


def test_a_cycle_timer_fires_each_time_and_then_stops(session):
    engine = Engine(session)
    dossier = _deploy_and_start(engine, "boundary-non-interrupting-cycle")
    for n in (1, 2):
        clock.advance(HOUR + 1)
        assert engine.fire_due_timers() == 1
        assert _ready(engine, dossier.id) == ["Remind"] * n + ["Work"]
    assert _timers(session, dossier.id) == []
    clock.advance(10 * HOUR)
    assert engine.fire_due_timers() == 0
    assert _ready(engine, dossier.id) == ["Remind", "Remind", "Work"]
    assert [e.kind for e in engine.events(dossier.id)].count("timer_fired") == 2


def test_the_message_branch_of_an_event_based_gateway_cancels_its_deadline(session):
    engine = Engine(session)
    dossier = _deploy_and_start(engine, "event-based-gateway")
    assert len(_timers(session, dossier.id)) == 1
    session.add(Message(name="tra_loi", link_id=dossier.link_id, payload={"ok": True}))
    session.commit()
    assert engine.route_messages() == 1
    assert _ready(engine, dossier.id) == ["Work"]
    assert _timers(session, dossier.id) == []
    clock.advance(2 * HOUR)
    assert engine.fire_due_timers() == 0
    assert _ready(engine, dossier.id) == ["Work"]


@pytest.mark.parametrize(
    "kind", ["event-subprocess-interrupting", "event-subprocess-non-interrupting"]
)
def test_a_dossier_whose_work_ends_first_completes_without_its_event_subprocess(session, kind):
    """SpiffWorkflow's end join waits for an event sub-process's timer: the dossier
    stayed in progress and ran the sub-process later (issue 27.2)."""
    engine = Engine(session)
    dossier = _deploy_and_start(engine, kind)
    _complete(engine, dossier.id, "Work")
    assert engine.get(dossier.id).status == "completed"
    assert _timers(session, dossier.id) == []
    clock.advance(2 * HOUR)
    assert engine.fire_due_timers() == 0


def test_an_interrupting_event_subprocess_cancels_the_work_it_interrupts(session):
    """SpiffWorkflow ignores ``isInterrupting``: Work stayed ready beside Late."""
    engine = Engine(session)
    dossier = _deploy_and_start(engine, "event-subprocess-interrupting")
    clock.advance(HOUR + 1)
    assert engine.fire_due_timers() == 1
    assert _ready(engine, dossier.id) == ["Late"]
    _complete(engine, dossier.id, "Late")
    assert engine.get(dossier.id).status == "completed"


def test_a_non_interrupting_event_subprocess_lets_both_finish(session):
    engine = Engine(session)
    dossier = _deploy_and_start(engine, "event-subprocess-non-interrupting")
    clock.advance(HOUR + 1)
    assert engine.fire_due_timers() == 1
    _complete(engine, dossier.id, "Work")
    assert engine.get(dossier.id).status == "in_progress"  # the triggered one runs on
    _complete(engine, dossier.id, "Remind")
    assert engine.get(dossier.id).status == "completed"


def _tick_in_a_new_process(db_url: str, offset: float) -> dict:
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tests", "helpers", "drive.py"), db_url, "tick"],
        capture_output=True,
        text=True,
        env={**os.environ, "TOANTRINH_CLOCK_OFFSET": str(offset)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_timers_fire_in_another_process_reading_the_database(db_url, session):
    """The scheduler of a new process (``toantrinh worker`` after a restart) fires every
    kind of timer from the database alone, each once."""
    engine = Engine(session)
    kinds = [k for k in CASES if k != "boundary-non-interrupting-cycle"]
    dossiers = {kind: _deploy_and_start(engine, kind).id for kind in kinds}
    ahead = clock.offset_seconds() + 2 * DAY
    assert _tick_in_a_new_process(db_url, ahead)["timers"] == len(kinds)
    assert _tick_in_a_new_process(db_url, ahead)["timers"] == 0
    fresh = Engine(session)
    session.expire_all()
    WORKFLOWS.clear()
    assert {k: _ready(fresh, i) for k, i in dossiers.items()} == {
        k: sorted(CASES[k][1]) for k in kinds
    }
