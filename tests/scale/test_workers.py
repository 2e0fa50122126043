"""Several Celery workers over one database: every timer fires once, every message is
delivered once, and a worker killed mid-task loses nothing."""

from __future__ import annotations

import time

import pytest
from celery.result import AsyncResult
from sqlalchemy import func, select

from tests.helpers.bpmn import TEST_FORMS, receiver_process, sender_process, service_process
from tests.scale.conftest import (
    QUEUE,
    start_timer_dossiers,
    statuses,
    timer_fired_counts,
    wait_until,
)
from toantrinh.engine import tasks
from toantrinh.engine.persistence import DossierEvent, Message
from toantrinh.engine.service import Engine
from toantrinh.engine.tasks import advance_dossier, enqueue_advance, route_messages, tick


def _race(task, rounds: int, per_round: int, done, timeout: float = 60) -> list[dict]:
    """Send ``per_round`` copies of ``task`` at once, round after round, until ``done()``."""
    results: list[dict] = []
    deadline = time.monotonic() + timeout
    for _ in range(rounds):
        sent: list[AsyncResult] = [
            task.apply_async(kwargs={"limit": 40}, queue=QUEUE) for _ in range(per_round)
        ]
        results += [r.get(timeout=max(1.0, deadline - time.monotonic())) for r in sent]
        if done():
            break
    return results


def test_two_workers_racing_for_the_same_due_timers_fire_each_once(sessions, two_workers):
    ids = start_timer_dossiers(sessions, 120)
    time.sleep(1.2)  # the timers ("PT1S") are due

    results = _race(
        tick,
        rounds=20,
        per_round=4,
        done=lambda: set(statuses(sessions, ids).values()) == {"completed"},
    )

    assert set(statuses(sessions, ids).values()) == {"completed"}
    assert timer_fired_counts(sessions) == dict.fromkeys(ids, 1)
    # each dossier was moved by exactly one committed step, whichever worker took it (a
    # pass that stopped early on a lost SQLite race does not report what it moved before)
    if not any(r.get("conflict") for r in results):
        assert sum(r["timers"] for r in results) == len(ids)
    # both workers took ticks over the same due timers (four at once, 40 dossiers each)
    assert len({r["worker"] for r in results}) == 2


def test_a_message_routed_by_two_workers_is_delivered_once(sessions, two_workers):
    links = [f"LT-{i:03d}" for i in range(30)]
    with sessions() as session:
        engine = Engine(session)
        engine.deploy(receiver_process(), slug="receiver", forms=TEST_FORMS)
        engine.deploy(sender_process(), slug="sender", forms=TEST_FORMS)
        receivers = {link: engine.start("receiver").id for link in links}
        for link in links:
            sender = engine.start("sender", linked_to=receivers[link])
            (task,) = engine.ready_tasks(sender.id)
            engine.complete_task(sender.id, task["id"], {"result": f"KQ {link}"}, actor="test")

    def all_delivered() -> bool:
        with sessions() as session:
            return not session.scalar(select(func.count()).where(Message.delivered.is_(False)))

    results = _race(route_messages, rounds=20, per_round=4, done=all_delivered)

    assert all_delivered()
    if not any(r.get("conflict") for r in results):
        assert sum(r["messages"] for r in results) == len(links)
    with sessions() as session:
        received = dict(
            session.execute(
                select(DossierEvent.dossier_id, func.count())
                .where(DossierEvent.kind == "message_received")
                .group_by(DossierEvent.dossier_id)
            ).all()
        )
        assert received == dict.fromkeys(receivers.values(), 1)
        delivered_to = [
            m.delivered_to for m in session.scalars(select(Message).order_by(Message.id))
        ]
        assert sorted(d for targets in delivered_to for d in targets) == sorted(receivers.values())
        engine = Engine(session)
        for link, dossier_id in receivers.items():
            (task,) = engine.ready_tasks(dossier_id)
            assert task["bpmn_id"] == "Review"
            assert engine.data(engine.get(dossier_id))["linked"]["result"] == f"KQ {link}"


@pytest.mark.slow
def test_worker_killed_mid_tick_loses_nothing_after_restart(sessions, start_worker):
    ids = start_timer_dossiers(sessions, 200)
    time.sleep(1.2)
    # a short visibility timeout, so Redis hands the unacknowledged tick out again soon
    # prefork: the parent process receives (and would acknowledge early) while a child runs
    queue = f"{QUEUE}-kill"
    first = start_worker("doomed", queue, pool="prefork", TOANTRINH_CELERY_VISIBILITY_TIMEOUT="3")
    tick.apply_async(kwargs={"limit": 1000}, queue=queue)
    assert wait_until(
        lambda: sum(timer_fired_counts(sessions).values()) >= 15, timeout=60, interval=0.02
    )
    first.kill()
    fired_at_kill = sum(timer_fired_counts(sessions).values())
    assert fired_at_kill < len(ids), "the worker finished before it could be killed"

    # no new tick is sent: only the redelivered one can finish the work
    restarted = start_worker(
        "restarted", queue, pool="prefork", TOANTRINH_CELERY_VISIBILITY_TIMEOUT="3"
    )
    assert wait_until(lambda: set(statuses(sessions, ids).values()) == {"completed"}, timeout=60)
    assert timer_fired_counts(sessions) == dict.fromkeys(ids, 1)
    # its pool process ran all that with its start-up heap frozen (engine/tasks.py)
    assert "start-up heap frozen" in restarted.log.read_text(errors="replace")


def test_deferred_service_tasks_run_once_on_workers(sessions, two_workers):
    with sessions() as session:
        engine = Engine(session, defer_services=True)
        engine.deploy(service_process("population.lookup"), slug="service", forms=TEST_FORMS)
        ids = [engine.start("service", applicant_id="001090012345").id for _ in range(10)]
        assert all(engine.get(i).needs_advance for i in ids)
        assert all(engine.ready_tasks(i) == [] for i in ids)  # nothing ran in the "request"

    # every dossier handed to both workers at once
    sent = [advance_dossier.apply_async(args=[i], queue=QUEUE) for i in ids for _ in range(2)]
    outcomes = [r.get(timeout=60) for r in sent]

    assert len({o["worker"] for o in outcomes}) == 2
    with sessions() as session:
        called = dict(
            session.execute(
                select(DossierEvent.dossier_id, func.count())
                .where(DossierEvent.kind == "service_called")
                .group_by(DossierEvent.dossier_id)
            ).all()
        )
        assert called == dict.fromkeys(ids, 1)
        engine = Engine(session)
        for dossier_id in ids:
            dossier = engine.get(dossier_id)
            assert not dossier.needs_advance and dossier.status == "in_progress"
            assert engine.data(dossier)["result"]["full_name"] == "Nguyễn Văn An"
            assert [t["bpmn_id"] for t in engine.ready_tasks(dossier_id)] == ["Review"]


def test_beat_alone_drives_the_workers(sessions, start_worker, start_beat):
    ids = start_timer_dossiers(sessions, 20)
    queue = f"{QUEUE}-beat"
    start_worker("beaten", queue, TOANTRINH_TICK_DRAIN="0")
    start_beat(queue, TOANTRINH_TICK_INTERVAL="0.5")
    # nothing but beat's ticks reach the worker
    assert wait_until(lambda: set(statuses(sessions, ids).values()) == {"completed"}, timeout=60)
    assert timer_fired_counts(sessions) == dict.fromkeys(ids, 1)


def test_a_full_tick_drains_the_backlog_without_waiting_for_beat(sessions, start_worker):
    ids = start_timer_dossiers(sessions, 60)
    time.sleep(1.2)
    queue = f"{QUEUE}-drain"
    start_worker("drainer", queue, TOANTRINH_TICK_DRAIN="1")
    first = tick.apply_async(kwargs={"limit": 10}, queue=queue).get(timeout=60)
    assert first["timers"] == 10 and first["follow_up"] is True

    # one tick of 10 and no beat: only the follow-ups can fire the other 50
    assert wait_until(lambda: set(statuses(sessions, ids).values()) == {"completed"}, timeout=60)
    assert timer_fired_counts(sessions) == dict.fromkeys(ids, 1)


def test_an_app_hands_service_tasks_to_workers_after_commit(sessions, two_workers, monkeypatch):
    monkeypatch.setattr(tasks, "QUEUE", QUEUE)
    with sessions() as session:
        engine = Engine(session, defer_services=True, on_deferred=enqueue_advance)
        engine.deploy(service_process("population.lookup"), slug="service", forms=TEST_FORMS)
        ids = [engine.start("service", applicant_id="001090012345").id for _ in range(5)]

    def advanced() -> bool:
        with sessions() as session:
            engine = Engine(session)
            return all(not engine.get(i).needs_advance for i in ids)

    assert wait_until(advanced, timeout=60)
    with sessions() as session:
        engine = Engine(session)
        for dossier_id in ids:
            assert [t["bpmn_id"] for t in engine.ready_tasks(dossier_id)] == ["Review"]
