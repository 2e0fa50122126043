"""The Celery app: the scheduler (timers, messages, retries) on workers, over Redis.

Run any number of workers and exactly one beat (see docs/deployment.md)::

    celery -A toantrinh.engine.tasks worker -l info
    celery -A toantrinh.engine.tasks beat -l info --schedule /var/lib/toantrinh/celerybeat-schedule

Beat sends ``toantrinh.tick`` every ``TOANTRINH_TICK_INTERVAL`` seconds; one worker
takes each tick (prefetch 1) and runs :func:`toantrinh.engine.scheduler.tick` against the database
in ``DATABASE_URL``. Correctness does not depend on Celery: every dossier step is
conditional on the dossier's ``lock_version`` (and row-locked on PostgreSQL), so when
two workers reach the same due timer or pending message, one commits and the other gets
:class:`~toantrinh.engine.service.ConflictError`, which a task logs and drops. A second beat by
mistake only doubles the ticks; it fires nothing twice.

Tasks are acknowledged after they run (``task_acks_late``) and requeued when the worker
process dies (``task_reject_on_worker_lost``): a worker killed mid-tick leaves its tick
in Redis, and Redis hands it to another worker once ``visibility_timeout`` has passed.
Meanwhile the database rolled back the half-done step, so nothing is lost or doubled.

Settings (environment; defaults in brackets):

- ``TOANTRINH_REDIS_URL`` [``redis://127.0.0.1:6379/0``]: broker and result backend;
- ``TOANTRINH_CELERY_QUEUE`` [``toantrinh``]: the queue tasks go to;
- ``TOANTRINH_TICK_INTERVAL`` [1]: seconds between beat's ticks;
- ``TOANTRINH_TICK_LIMIT`` [100]: dossiers per kind (timers, messages…) per tick;
- ``TOANTRINH_TICK_DRAIN`` [1]: a tick that hit its limit sends the next one at once
  (0: wait for beat);
- ``TOANTRINH_CELERY_VISIBILITY_TIMEOUT`` [300]: seconds before Redis hands an
  unacknowledged task to another worker;
- ``DATABASE_URL``, ``TOANTRINH_REGISTRY_URL`` and the registry settings: as for the app.

An app whose engine defers service tasks hands them over with :func:`enqueue_advance`::

    Engine(session, connectors=..., defer_services=True, on_deferred=enqueue_advance)
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from toantrinh.engine import settings
from toantrinh.engine.catalogue_report import CatalogueParams, RedisStore, run_job
from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.heap import freeze_startup_heap
from toantrinh.engine.models_registry import import_all_models
from toantrinh.engine.notify.dispatch import worker_hook
from toantrinh.engine.registries import build_connectors
from toantrinh.engine.scheduler import tick as scheduler_tick
from toantrinh.engine.service import ConflictError, Engine

log = logging.getLogger("toantrinh.tasks")

SETTINGS = settings.current()  # a Celery worker's settings, read once at its start
REDIS_URL = SETTINGS.redis_url or "redis://127.0.0.1:6379/0"
QUEUE = SETTINGS.celery_queue
TICK_INTERVAL = SETTINGS.tick_interval
TICK_LIMIT = SETTINGS.tick_limit
DRAIN = SETTINGS.tick_drain
VISIBILITY_TIMEOUT = SETTINGS.celery_visibility_timeout

app = Celery("toantrinh", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue=QUEUE,
    result_expires=3600,
    timezone="UTC",
    enable_utc=True,
    broker_connection_retry_on_startup=True,
    broker_transport_options={
        "visibility_timeout": VISIBILITY_TIMEOUT,
        # look for abandoned (unacked) tasks every few seconds, not every 100
        "unacked_restore_interval": max(1, min(10, VISIBILITY_TIMEOUT)),
        "unacked_restore_throttle": 1,
    },
    beat_schedule={
        "toantrinh-tick": {
            "task": "toantrinh.tick",
            "schedule": TICK_INTERVAL,
            # a tick nobody took in time is dropped: the next one does the same work;
            # nobody reads the outcome of beat's ticks, so Redis does not keep it
            "options": {"expires": max(5.0, 5 * TICK_INTERVAL), "ignore_result": True},
        },
    },
)

_resources: dict[str, Any] = {}


@worker_process_init.connect
def _freeze_startup_heap(**_) -> None:
    """A pool process has started: import what every task uses, then keep it out of the
    garbage collector's full passes (engine/heap.py), as the app's workers do."""
    import_all_models()
    log.info("start-up heap frozen: %d objects", freeze_startup_heap())


def _session():
    """A new session on ``DATABASE_URL``; the engine and pool are per worker process."""
    pid = os.getpid()
    if _resources.get("pid") != pid:  # a forked pool child must not share its parent's pool
        import_all_models()
        _resources.clear()
        _resources.update(pid=pid, maker=make_sessionmaker(make_engine()))
    return _resources["maker"]()


def _connectors():
    registry = _resources.get("connectors")
    if registry is None:
        registry = _resources["connectors"] = build_connectors()
    return registry


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lost_race(err: Exception) -> bool:
    """Whether ``err`` means another worker committed first (so this task has nothing to do).

    :class:`ConflictError` is the engine's word for it; SQLite can also refuse to upgrade a
    stale read snapshot to a write ("database is locked") in places the engine does not
    translate, such as a scheduler pass that finds a dossier another worker just finished.
    """
    if isinstance(err, ConflictError):
        return True
    return isinstance(err, OperationalError) and "locked" in str(err.orig).lower()


@contextmanager
def _run(task: str) -> Iterator[tuple[Session, dict[str, Any]]]:
    """A session for one task run; a lost race is logged and dropped, not retried."""
    session = _session()
    outcome: dict[str, Any] = {"worker": _worker()}
    try:
        yield session, outcome
    except (ConflictError, OperationalError) as err:
        if not _lost_race(err):
            raise
        session.rollback()
        log.info("%s: another worker won: %s", task, err)
        outcome["conflict"] = True
    finally:
        session.close()


def _notify(events: list) -> None:
    """Applicant notifications for what a pass committed (never fails the task)."""
    if not events:
        return
    global _NOTIFY
    if _NOTIFY is None:
        _session().close()  # makes the per-process session factory
        _NOTIFY = worker_hook(_resources["maker"], _connectors())
    _NOTIFY(events)


_NOTIFY = None


@app.task(name="toantrinh.tick")
def tick(limit: int | None = None) -> dict[str, Any]:
    """Deferred service tasks, due timers, pending messages, due retries (one pass).

    Returns how many dossiers each part moved and which worker ran it; ``conflict`` when
    the pass stopped early on a race another worker won (the next tick goes on). A pass
    that hit its limit sends the next tick at once instead of waiting for beat, so a
    backlog (thousands of deadlines due at once) drains at the workers' speed.
    """
    limit = limit or TICK_LIMIT
    with _run("tick") as (session, outcome):
        outcome.update(timers=0, messages=0, retries=0, advanced=0, settled=0, follow_up=False)
        events: list = []
        result = scheduler_tick(session, _connectors(), limit=limit, on_event=events.append)
        _notify(events)
        outcome.update(
            timers=result.timers,
            messages=result.messages,
            retries=result.retries,
            advanced=result.advanced,
            settled=result.settled,
        )
        if DRAIN and max(result.timers, result.messages, result.advanced, result.settled) >= limit:
            tick.apply_async(
                kwargs={"limit": limit}, expires=max(5.0, 5 * TICK_INTERVAL), ignore_result=True
            )
            outcome["follow_up"] = True
        if result:
            log.info("tick: %s", outcome)
    return outcome


@app.task(name="toantrinh.route_messages")
def route_messages(limit: int | None = None) -> dict[str, Any]:
    """Deliver pending BPMN messages between dossiers (one pass)."""
    with _run("route_messages") as (session, outcome):
        outcome["messages"] = 0
        outcome["messages"] = Engine(session, connectors=_connectors()).route_messages(
            limit=limit or TICK_LIMIT
        )
    return outcome


@app.task(name="toantrinh.advance_dossier")
def advance_dossier(dossier_id: int) -> dict[str, Any]:
    """Run the service tasks a dossier left for a worker (``Engine(defer_services=True)``).

    Safe to run twice or late: :meth:`Engine.advance` does nothing when the dossier no
    longer needs it, and the scheduler's tick also picks up dossiers whose task was lost.
    """
    with _run("advance_dossier") as (session, outcome):
        outcome.update(dossier_id=dossier_id, status=None)
        dossier = Engine(session, connectors=_connectors()).advance(dossier_id)
        outcome["status"] = dossier.status
    return outcome


def enqueue_advance(dossier_id: int) -> None:
    """``on_deferred`` hook for an app's engine: hand the dossier's service tasks to a worker."""
    advance_dossier.apply_async(args=[dossier_id], queue=QUEUE)


@app.task(name="toantrinh.catalogue_report")
def catalogue_report(params: dict[str, Any], key: str) -> dict[str, Any]:
    """Compute the catalogue report an app asked for and keep it in Redis under its key
    (:mod:`toantrinh.engine.catalogue_report`); the app's pollers read it from there."""
    session = _session()
    try:
        stored = run_job(session, CatalogueParams.from_dict(params), key, RedisStore(REDIS_URL))
    finally:
        session.close()
    return {"key": stored, "worker": _worker()}


def queue_catalogue_report(params: CatalogueParams, key: str) -> None:
    """``send_job`` for an app's :class:`~toantrinh.engine.catalogue_report.Reports` in celery
    mode: the report ``key`` computed by a worker (:func:`catalogue_report`)."""
    catalogue_report.apply_async(kwargs={"params": params.to_dict(), "key": key}, queue=QUEUE)
