"""The scheduler's one-stop passes, run after the engine's own in each tick of
``toantrinh worker`` (and of the worker ``toantrinh serve`` starts): sign the new
e-results, expire unpaid orders and reconcile yesterday's payments once a day, record
and deliver the statuses owed to the national portal, take in the dossiers submitted
there, and keep the deadline timers of dossiers waiting for the citizen from firing. Each part runs only when configured (docs/onestop.md) and each failure is logged
and left for the next tick: nothing here can stop the engine's scheduler.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from toantrinh.engine import clock
from toantrinh.engine.deadlines import push_paused_timers
from toantrinh.engine.onestop.documents import DocumentRenderer, DocumentSettings
from toantrinh.engine.onestop.results import queue_new_results, sign_pending
from toantrinh.engine.onestop.signing import SigningSetup
from toantrinh.engine.payments.connector import connector_from_env as payment_connector
from toantrinh.engine.payments.orders import (
    PaymentOrder,
    PaymentReconciliation,
    complete_payment_step,
    expire_due,
    reconcile,
)
from toantrinh.engine.portal.connector import connector_from_env as portal_connector
from toantrinh.engine.portal.sync import deliver, receive_new, record_statuses
from toantrinh.engine.service import ConflictError, Engine, EngineError

log = logging.getLogger("toantrinh.onestop")


@dataclass
class OnestopPasses:
    """What is configured, and one pass over all of it."""

    renderer: DocumentRenderer | None = None
    signing: SigningSetup | None = None
    payments: Any = None  # a PaymentConnector
    portal: Any = None  # a PortalConnector
    connectors: Any = None  # the registries, for dossiers started from the portal
    last: dict[str, Any] = field(default_factory=dict)
    # the scheduler ticks every second when idle: the platforms are asked at most this often
    interval: float = float(os.environ.get("TOANTRINH_ONESTOP_INTERVAL", "5"))
    _next_at: float = 0.0

    def due(self) -> bool:
        """Whether a throttled run (:meth:`tick`) should run now."""
        return time.monotonic() >= self._next_at

    def tick(self, session_factory: Callable[[], Session]) -> dict[str, Any] | None:
        """One pass if ``interval`` seconds passed since the last (the worker's hook)."""
        if not self.due():
            return None
        self._next_at = time.monotonic() + self.interval
        return self(session_factory)

    @classmethod
    def from_env(cls, connectors: Any = None) -> OnestopPasses:
        return cls(
            renderer=DocumentRenderer(DocumentSettings.from_env()),
            signing=SigningSetup.from_env(),
            payments=payment_connector(),
            portal=portal_connector(),
            connectors=connectors,
        )

    def __call__(self, session_factory: Callable[[], Session]) -> dict[str, Any]:
        done: dict[str, Any] = {}
        for name, step in (
            ("results", self._results),
            ("payments", self._payments),
            ("portal", self._portal),
            ("deadlines", self._deadlines),
        ):
            with session_factory() as session:
                try:
                    done[name] = step(session)
                except Exception:  # logged with its traceback; the next tick tries again
                    log.exception("one-stop pass %s failed", name)
                    session.rollback()
        self.last = done
        return done

    def _results(self, session: Session) -> Any:
        if self.signing is None or self.renderer is None:
            return None
        queued = queue_new_results(session)
        return {"queued": queued, "signed": sign_pending(session, self.renderer, self.signing)}

    def _payments(self, session: Session) -> Any:
        if self.payments is None:
            return None
        result = {"expired": expire_due(session, self.payments)}
        yesterday = (clock.now() - timedelta(days=1)).date()
        done = session.scalar(
            select(PaymentReconciliation.id).where(
                PaymentReconciliation.platform == self.payments.name,
                PaymentReconciliation.day == yesterday.isoformat(),
            )
        )
        if done is None:
            result["reconciled"] = len(reconcile(session, self.payments, yesterday).mismatches)
        result["steps"] = self._complete_paid(session)
        return result

    def _complete_paid(self, session: Session) -> int:
        """Paid orders whose payment step was not completed when the notice came (the
        dossier was busy, the process died): complete it now."""
        ids = list(
            session.scalars(
                select(PaymentOrder.id)
                .where(PaymentOrder.status == "paid", PaymentOrder.task_completed_at.is_(None))
                .limit(50)
            )
        )
        session.rollback()
        engine, completed = Engine(session, connectors=self.connectors), 0
        for order_id in ids:
            try:
                completed += complete_payment_step(engine, session.get(PaymentOrder, order_id))
            except (ConflictError, EngineError) as err:
                log.info("payment step of order %s not completed: %s", order_id, err)
                session.rollback()
        return completed

    def _deadlines(self, session: Session) -> Any:
        """Deadline timers of dossiers stopped (with the citizen) moved on before they
        fire (engine/deadlines.py)."""
        return {"moved": push_paused_timers(Engine(session, connectors=self.connectors))}

    def _portal(self, session: Session) -> Any:
        if self.portal is None:
            return None
        received = receive_new(Engine(session, connectors=self.connectors), self.portal)
        recorded = record_statuses(session)
        return {"received": received, "recorded": recorded, **deliver(session, self.portal)}
