"""The scheduler: fire due timers, deliver messages, retry failed connector calls, store
the states of idle journaled dossiers (engine/store/journal.py).

SpiffWorkflow only notices that a timer has passed when the host refreshes it, and it
routes no message beyond one workflow; this loop does both for every dossier, from the
timer and message indexes. Several schedulers (processes or hosts) may run at once over
one PostgreSQL: each dossier step is conditional on the dossier's ``lock_version`` (and
row-locked on PostgreSQL), so a timer is fired once and a message delivered once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from toantrinh.engine.commands.retries import AUTOMATIC
from toantrinh.engine.connectors import ConnectorRegistry
from toantrinh.engine.persistence import DossierEvent
from toantrinh.engine.service import (
    ConflictError,
    Engine,
    EngineError,
    iter_pending_advances,
    iter_pending_retries,
)

log = logging.getLogger("toantrinh.scheduler")


@dataclass
class TickResult:
    timers: int = 0
    messages: int = 0
    retries: int = 0
    advanced: int = 0
    settled: int = 0

    def __bool__(self) -> bool:
        return bool(self.timers or self.messages or self.retries or self.advanced or self.settled)


def tick(
    session: Session,
    connectors: ConnectorRegistry,
    limit: int = 100,
    on_event: Callable[[DossierEvent], None] | None = None,
) -> TickResult:
    """One pass: deferred service tasks, due timers, pending messages, due retries; when
    there were none, the states of dossiers idle with journal rows.

    ``on_event`` receives every event the pass committed (for notifications).
    """
    engine = Engine(session, connectors=connectors, on_event=on_event)
    result = TickResult()
    for dossier_id in list(iter_pending_advances(session, limit)):
        session.rollback()
        try:
            engine.advance(dossier_id)
            result.advanced += 1
        except (ConflictError, EngineError) as err:
            log.info("advance of dossier %s skipped: %s", dossier_id, err)
            session.rollback()
    result.timers = engine.fire_due_timers(limit=limit)
    result.messages = engine.route_messages(limit=limit)
    for dossier_id in list(iter_pending_retries(session, limit=limit)):
        session.rollback()
        try:
            engine.retry(dossier_id, actor=AUTOMATIC)
            result.retries += 1
        except (ConflictError, EngineError) as err:
            log.info("retry of dossier %s skipped: %s", dossier_id, err)
            session.rollback()
    if not result:
        # housekeeping, when the pass found nothing else to do: a dossier with a timer or a
        # message due is about to be loaded and stored by its own step anyway
        result.settled = engine.settle_journals(limit=limit)
    session.rollback()
    return result


def run_forever(
    session_factory: Callable[[], Session],
    connectors: ConnectorRegistry,
    interval: float = 1.0,
    stop: threading.Event | None = None,
    on_events: Callable[[list[DossierEvent]], None] | None = None,
    passes: list[Callable[[Callable[[], Session]], object]] | None = None,
) -> None:
    """Tick until stopped; ``on_events`` gets each pass's committed events afterwards;
    ``passes`` run after each tick with the session factory (the one-stop work,
    engine/onestop/passes.py), each catching its own failures."""
    stop = stop or threading.Event()
    while not stop.is_set():
        session = session_factory()
        result = TickResult()
        events: list[DossierEvent] = []
        try:
            result = tick(session, connectors, on_event=events.append if on_events else None)
            if result:
                log.info(
                    "timers=%d messages=%d retries=%d settled=%d",
                    result.timers,
                    result.messages,
                    result.retries,
                    result.settled,
                )
        except Exception:  # keep the loop alive; the failure is logged with its traceback
            log.exception("scheduler tick failed")
        finally:
            session.close()
        if on_events and events:
            on_events(events)
        for extra in passes or ():
            extra(session_factory)
        if not result:
            stop.wait(interval)


def start_thread(
    session_factory, connectors, interval: float = 1.0
) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        args=(session_factory, connectors, interval, stop),
        name="toantrinh-scheduler",
        daemon=True,
    )
    thread.start()
    return thread, stop
