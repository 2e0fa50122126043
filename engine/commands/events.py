"""Commands the scheduler drives: settling journals, firing due timers, routing messages
(and the starts they trigger).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from toantrinh.engine import clock
from toantrinh.engine.commands import correlation, retries, timers
from toantrinh.engine.errors import ConflictError, JournalError
from toantrinh.engine.persistence import (
    Dossier,
    DossierJournal,
    Message,
    ProcessModel,
    Timer,
)
from toantrinh.engine.spiff_compat import internal_data
from toantrinh.engine.store import journal
from toantrinh.engine.store.records import _SERIALIZER, TERMINAL
from toantrinh.engine.store.statements import _DELETE_SETTLED, _STORE_SNAPSHOT
from toantrinh.engine.store.unit_of_work import _retry_stale_snapshot

log = logging.getLogger("toantrinh.engine")


def iter_pending_advances(session: Session, limit: int = 100) -> Iterable[int]:
    return session.scalars(
        select(Dossier.id)
        .where(Dossier.needs_advance.is_(True))
        .order_by(Dossier.updated_at)
        .limit(limit)
    )


def iter_pending_retries(
    session: Session, now: datetime | None = None, limit: int = 100
) -> Iterable[int]:
    """The dossiers whose automatic retry is due, earliest first (engine/commands/retries.py)."""
    return retries.due(session, now or clock.now(), limit)


class EventCommands:
    """What the scheduler drives: journals to settle, due timers, messages to route.
    Part of :class:`toantrinh.engine.service.Engine`."""

    def settle_journals(self, limit: int = 100, idle_seconds: float | None = None) -> int:
        """Store the state of dossiers that have journal rows and have not moved for
        ``idle_seconds`` (default ``TOANTRINH_JOURNAL_SETTLE_AFTER``), at most ``limit``
        of them, each in its own transaction: a dossier an officer or a citizen comes back
        to later then loads from its stored state alone (engine/store/journal.py). Its
        ``lock_version`` does not change (nor, therefore, any cached workflow): the state
        is the same, stored another way. Returns how many were stored."""
        idle = journal.SETTLE_AFTER if idle_seconds is None else idle_seconds
        cutoff = clock.now() - timedelta(seconds=idle)
        ids = list(
            self.session.scalars(
                select(DossierJournal.dossier_id)
                .join(Dossier, Dossier.id == DossierJournal.dossier_id)
                .where(Dossier.updated_at <= cutoff)
                .group_by(DossierJournal.dossier_id)
                .order_by(DossierJournal.dossier_id)
                .limit(limit)
            )
        )
        self.session.rollback()
        settled = 0
        for dossier_id in ids:
            try:
                settled += self._settle(dossier_id)
            except (ConflictError, JournalError) as err:
                self._discard()
                log.warning("hồ sơ %s: chưa lưu được trạng thái: %s", dossier_id, err)
        return settled

    @_retry_stale_snapshot
    def _settle(self, dossier_id: int) -> int:
        dossier = self.get(dossier_id)
        if dossier.lock_version == dossier.state_version:
            self.session.rollback()  # stored meanwhile
            return 0
        with self._reading(dossier) as workflow:
            state = _SERIALIZER.dump_state(workflow)
        conn = self.session.connection()
        stored = conn.execute(
            _STORE_SNAPSHOT,
            {"_id": dossier.id, "_version": dossier.lock_version, "state": state},
        ).rowcount
        if stored != 1:  # a step committed meanwhile: its own save decides
            self.session.rollback()
            return 0
        conn.execute(_DELETE_SETTLED, {"d": dossier.id, "v": dossier.lock_version})
        self.session.commit()
        self._stored.clear()
        return 1

    def fire_due_timers(self, limit: int = 100, now: datetime | None = None) -> int:
        """Fire the timers that are due; return how many dossiers moved."""
        now = now or clock.now()
        ids = list(
            self.session.scalars(
                select(Timer.dossier_id)
                .where(Timer.due_at <= now)
                .group_by(Timer.dossier_id)
                .order_by(func.min(Timer.due_at))
                .limit(limit)
            )
        )
        return self._sweep(ids, self._fire_timers)

    def _sweep(self, ids: list[int], step: Callable[[int], int]) -> int:
        """Run ``step`` on each id, each in its own transaction; a lost race skips that one
        (another worker has done it)."""
        self.session.rollback()
        done = 0
        for item in ids:
            try:
                done += step(item)
            except ConflictError:
                continue
        return done

    @_retry_stale_snapshot
    def _fire_timers(self, dossier_id: int) -> int:
        dossier = self.get(dossier_id, for_update=True)
        if dossier.status in TERMINAL:  # its last save removed its timers already
            self.session.rollback()
            return 0
        workflow = self._checkout(dossier)
        waiting = timers.waiting_timers(workflow)
        before = timers.before_refresh(waiting)
        workflow.refresh_timers()
        fired = timers.fired(waiting, before)
        if not fired:
            self.session.rollback()
            return 0
        for task in fired:
            self._event(
                dossier,
                "timer_fired",
                "system:timer",
                task_id=str(task.id),
                task_name=task.task_spec.bpmn_name or task.task_spec.name,
                detail={"due": internal_data(task, "event_value")},
            )
        self._advance(dossier, workflow, "system:timer")
        self._save(dossier, workflow)
        self._commit()
        return 1

    def route_messages(self, limit: int = 100) -> int:
        """Deliver pending BPMN messages to the dossiers that wait for them."""
        ids = list(
            self.session.scalars(
                select(Message.id)
                .where(Message.delivered.is_(False), Message.refused_at.is_(None))
                .order_by(Message.id)
                .limit(limit)
            )
        )
        return self._sweep(ids, self._deliver)

    @_retry_stale_snapshot
    def _deliver(self, message_id: int) -> int:
        stmt = select(Message).where(Message.id == message_id)
        if self._dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        message = self.session.scalar(stmt)
        if message is None or message.delivered or message.refused_at is not None:
            self.session.rollback()
            return 0
        payload = message.payload or {}
        try:
            waiting = correlation.waiting_recipient(self.session, message)
        except correlation.AmbiguousMessage as err:
            self._refuse_message(message, err)
            return 0
        recipients: list[int] = []
        for dossier_id in [waiting] if waiting is not None else []:
            dossier = self.get(dossier_id)
            workflow = self._checkout(dossier)
            if self._catch(workflow, message.name, payload):
                self._event(
                    dossier,
                    "message_received",
                    "system:messages",
                    detail={"message": message.name, "from": message.source_dossier_id},
                )
                self._advance(dossier, workflow, "system:messages")
                self._save(dossier, workflow)
                recipients.append(dossier.id)
        if not recipients:
            recipients = self._start_by_message(message, payload)
        if recipients:
            message.delivered, message.delivered_at, message.delivered_to = (
                True,
                clock.now(),
                recipients,
            )
        else:
            message.attempts += 1
            message.last_error = "chưa có hồ sơ hoặc quy trình nào chờ thông điệp này"
        self._commit()
        return 1 if recipients else 0

    def _refuse_message(self, message: Message, err: correlation.AmbiguousMessage) -> None:
        """Keep a message that matched several waiting dossiers out of every one of them,
        said on the message and on the dossier that threw it."""
        log.warning("message %s refused: %s", message.id, err)
        message.refused_at, message.last_error = clock.now(), str(err)
        message.attempts += 1
        if message.source_dossier_id is not None:
            self._event_by_id(
                message.source_dossier_id,
                "message_refused",
                "system:messages",
                detail={"message": message.name, "candidates": err.candidates, "error": str(err)},
            )
        self._commit()

    def _catch(self, workflow: BpmnWorkflow, name: str, payload: dict[str, Any]) -> bool:
        for task in list(workflow.event_manager.tasks.values()):
            definition = task.task_spec.event_definition
            for candidate in [definition, *getattr(definition, "event_definitions", [])]:
                if isinstance(candidate, MessageEventDefinition) and candidate.name == name:
                    event = BpmnEvent(candidate, payload=dict(payload))
                    return workflow.event_manager.catch(event, internal=False) > 0
        return False

    def _start_by_message(self, message: Message, payload: dict[str, Any]) -> list[int]:
        started = []
        models = self.session.scalars(select(ProcessModel).order_by(ProcessModel.id))
        for pm in models:
            mv = pm.latest
            if mv is None or message.name not in self._loaded(mv).info.message_starts:
                continue
            applicant = payload.get("applicant_id") if isinstance(payload, dict) else None
            source = (
                self.session.get(Dossier, message.source_dossier_id)
                if message.source_dossier_id
                else None
            )
            dossier = self._new_dossier(
                pm, mv, applicant, source.channel if source else "online", None, message.link_id
            )
            workflow = self._new_workflow(mv)
            initial = {
                "receipt_code": dossier.receipt_code,
                "channel": dossier.channel,
                "applicant_id": applicant,
                "link_id": dossier.link_id,
            }
            for task in workflow.get_tasks(state=TaskState.READY):
                task.set_data(**initial)
            workflow.do_engine_steps()
            self._event(
                dossier,
                "dossier_started",
                "system:messages",
                detail={
                    "model": pm.slug,
                    "version": mv.number,
                    "by_message": message.name,
                    "from": message.source_dossier_id,
                },
            )
            if self._catch(workflow, message.name, payload):
                self._event(
                    dossier,
                    "message_received",
                    "system:messages",
                    detail={"message": message.name, "from": message.source_dossier_id},
                )
            self._advance(dossier, workflow, "system:messages")
            self._save(dossier, workflow)
            started.append(dossier.id)
        return started
