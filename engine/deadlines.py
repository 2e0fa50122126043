"""The statutory clock of a dossier (thời hạn giải quyết hồ sơ): when it starts, when it
stops, and the due instant it gives.

The rules (the one-stop regulation: Decree 61/2018/NĐ-CP as amended by Decree
107/2021/NĐ-CP, now Decree 118/2025/NĐ-CP which replaced both from 1 July 2025; the
article numbers of the current decree were not confirmed against its text, checked
2026-12-07, docs/onestop.md):

* the time runs from the receipt of a **complete, valid** dossier: the moment a
  ``receive`` step (``tt:step kind="receive"``) completes without sending the dossier
  back to the citizen. A model without a receive step is received when it starts. Until
  then ``due_at`` is the provisional appointment counted from submission;
* while the dossier is **back with the citizen** after receipt — a citizen ``submit``
  step waiting (supplement, bổ sung hoàn thiện hồ sơ) or a citizen ``pay`` step waiting
  (payment of a fee or financial obligation) — the clock stops; the time the agency had
  already used still counts (it is not restarted). The stop is measured in working time
  of the official calendar (``engine/work_calendar.py``) and moves the due instant on by
  as much;
* an **extension** (gia hạn) by an officer, with its reason and the apology letter
  (phiếu xin lỗi và hẹn lại ngày trả kết quả; Mẫu số 04 of Circular 01/2018/TT-VPCP
  under Decree 61/2018), sets a new appointment; later stops move it on in turn.
  An extended dossier stays late for the EMC indicators: it is judged against its
  statutory due instant (:func:`statutory_due`), extensions left out.

Each start, stop and extension is a row of ``deadline_entry`` (the dossier's clock
journal), written in the same transaction as the step that caused it: the engine calls
:func:`follow` from each save. The BPMN timers that stand for the statutory deadline
(:func:`is_deadline_timer`) are set to the dossier's due instant there too, so the
library's "Hết thời hạn giải quyết" timers fire at the appointment, not after a naive
count of calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.engine import clock
from toantrinh.engine.commands import timers
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.persistence import Dossier, ModelVersion, ProcessModel, Timer
from toantrinh.engine.spiff_compat import internal_data, set_internal_data
from toantrinh.engine.work_calendar import WorkCalendar, default_calendar

if TYPE_CHECKING:  # the engine imports this module
    from toantrinh.engine.service import Engine

# the names the library gives the timer of the statutory deadline (lower case prefixes)
DEADLINE_TIMER_NAMES = ("hết thời hạn giải quyết", "quá thời hạn giải quyết")
CAUSES = {
    "supplement": "bổ sung, hoàn thiện hồ sơ",
    "payment": "chờ nộp phí, lệ phí, nghĩa vụ tài chính",
}
MAX_REASON = 2000


class DeadlineError(ValueError):
    """An extension that cannot be made; the message says why (in Vietnamese)."""


class DeadlineEntry(Base):
    """One row of a dossier's clock journal: ``received`` (the clock starts at
    ``started_at``), ``paused`` (from ``started_at`` to ``ended_at``, open while None),
    ``extended`` (a new appointment ``due_after`` from ``started_at``)."""

    __tablename__ = "deadline_entry"
    __table_args__ = (Index("ix_deadline_entry_dossier", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the working seconds a closed pause used (what it moved the due instant by)
    paused_seconds: Mapped[int | None] = mapped_column(Integer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "cause": self.cause,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "actor": self.actor,
            "reason": self.reason,
            "due_before": self.due_before,
            "due_after": self.due_after,
            "paused_seconds": self.paused_seconds,
        }


# ------------------------------------------------------------------ pure arithmetic
@dataclass(frozen=True)
class ClockState:
    """What a dossier's journal says, at ``now``."""

    received_at: datetime | None
    due_at: datetime | None
    statutory_due_at: datetime | None
    paused: timedelta
    paused_since: datetime | None
    pause_cause: str | None
    extended: bool


def _shift(
    calendar: WorkCalendar, limit: dict[str, Any], due: datetime, start: datetime, end: datetime
) -> tuple[datetime, timedelta]:
    """``due`` moved on by the stop ``[start, end)``; and the time the stop counts for."""
    if (limit or {}).get("working_days", True):
        used = calendar.working_time(start, end)
        return calendar.add_working_time(due, used), used
    used = max(end - start, timedelta(0))
    return due + used, used


def compute(
    calendar: WorkCalendar,
    limit: dict[str, Any] | None,
    received_at: datetime | None,
    entries: Iterable[DeadlineEntry],
    now: datetime,
) -> ClockState:
    """The due instant from the receipt, the stops and the extensions (oldest first).
    An open stop counts until ``now``. No statutory time (``limit`` without days): no due."""
    entries = sorted(entries, key=lambda e: (e.started_at, e.id or 0))
    base = calendar.due(received_at, limit) if received_at is not None else None
    due, statutory = base, base
    paused, since, cause, extended = timedelta(0), None, None, False
    for entry in entries:
        if entry.kind == "paused" and due is not None:
            end = entry.ended_at or now
            due, used = _shift(calendar, limit or {}, due, entry.started_at, end)
            statutory, _ = _shift(calendar, limit or {}, statutory, entry.started_at, end)
            paused += used
            if entry.ended_at is None:
                since, cause = entry.started_at, entry.cause
        elif entry.kind == "extended" and entry.due_after is not None:
            due, extended = entry.due_after, True
    return ClockState(received_at, due, statutory, paused, since, cause, extended)


def is_deadline_timer(name: str | None) -> bool:
    """Whether a BPMN timer stands for the statutory deadline of the dossier (by its name:
    the library names them "Hết thời hạn giải quyết")."""
    return bool(name) and name.strip().lower().startswith(DEADLINE_TIMER_NAMES)


# --------------------------------------------------------------------- the journal
def entries_of(session: Session, dossier_id: int) -> list[DeadlineEntry]:
    # no autoflush: inside a step, the engine writes the dossier row itself (its lock)
    with session.no_autoflush:
        return list(
            session.scalars(
                select(DeadlineEntry)
                .where(DeadlineEntry.dossier_id == dossier_id)
                .order_by(DeadlineEntry.id)
            )
        )


def _limit(dossier: Dossier) -> dict[str, Any] | None:
    return (dossier.version.model.procedure or {}).get("processing_time")


def _received_at(
    dossier: Dossier, entries: list[DeadlineEntry], has_receive: bool
) -> datetime | None:
    found = next((e.started_at for e in entries if e.kind == "received"), None)
    if found is not None:
        return found
    return None if has_receive else dossier.created_at


def state_of(
    session: Session,
    dossier: Dossier,
    info: Any,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> ClockState:
    """The clock of one dossier now (``info``: the model version's task table)."""
    entries = entries_of(session, dossier.id)
    received = _received_at(dossier, entries, _has_receive(info))
    end = dossier.completed_at or now or clock.now()
    return compute(calendar or default_calendar(), _limit(dossier), received, entries, end)


def statutory_due(session: Session, dossiers: list[Any]) -> dict[int, datetime | None]:
    """The due instant each dossier (rows with ``id``, ``version_id``, ``created_at``,
    ``completed_at``, ``due_at``) is judged against for the EMC: stops counted,
    extensions left out. A dossier never extended keeps its ``due_at`` (which its clock
    kept); the others are computed again from their journal, with one query for all."""
    out: dict[int, datetime | None] = {d.id: d.due_at for d in dossiers}
    ids = [d.id for d in dossiers]
    extended: set[int] = set()
    for start in range(0, len(ids), 500):
        extended.update(
            session.scalars(
                select(DeadlineEntry.dossier_id).where(
                    DeadlineEntry.dossier_id.in_(ids[start : start + 500]),
                    DeadlineEntry.kind == "extended",
                )
            )
        )
    if not extended:
        return out
    by_dossier: dict[int, list[DeadlineEntry]] = {}
    for entry in session.scalars(
        select(DeadlineEntry).where(DeadlineEntry.dossier_id.in_(sorted(extended)))
    ):
        by_dossier.setdefault(entry.dossier_id, []).append(entry)
    rows = [d for d in dossiers if d.id in extended]
    limits = dict(
        session.execute(
            select(ModelVersion.id, ProcessModel.procedure)
            .join(ProcessModel, ModelVersion.model_id == ProcessModel.id)
            .where(ModelVersion.id.in_({d.version_id for d in rows}))
        ).all()
    )
    calendar = default_calendar()
    for row in rows:
        entries = by_dossier[row.id]
        received = (
            next((e.started_at for e in entries if e.kind == "received"), None) or row.created_at
        )
        limit = (limits.get(row.version_id) or {}).get("processing_time")
        state = compute(calendar, limit, received, entries, row.completed_at or clock.now())
        out[row.id] = state.statutory_due_at
    return out


_HAS_RECEIVE: dict[int, tuple[Any, bool]] = {}


def _has_receive(info: Any) -> bool:
    found = _HAS_RECEIVE.get(id(info))
    if found is None or found[0] is not info:
        found = _HAS_RECEIVE[id(info)] = (
            info,
            any((t.step or {}).get("kind") == "receive" for t in info.tasks.values()),
        )
    return found[1]


def _may_be_received(info: Any, workflow: Any) -> bool:
    """Whether the dossier may have been received (its clock started), read from the
    workflow without a query: a receive step completed, or the model has none, or the
    tree was compacted (its completed top dropped, ``engine/workflow.py``). A citizen
    step before any receipt is the submission, never a stop."""
    if not _has_receive(info) or workflow.task_tree.task_spec.name != workflow.spec.start.name:
        return True
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            if (
                task.state == TaskState.COMPLETED
                and _kind(info, getattr(task.task_spec, "bpmn_id", None)) == "receive"
            ):
                return True
    return False


def _step_entries(engine: Engine, dossier_id: int) -> list[DeadlineEntry]:
    """The dossier's clock entries, read for every dossier of the operation at once (a
    batch steps fifty dossiers in one transaction): one query, not one per dossier."""
    session = engine.session
    # Flask-SQLAlchemy hands the engine a scoped session: its transaction is the session's
    transaction = (session if hasattr(session, "get_transaction") else session()).get_transaction()
    cache = getattr(engine, "_deadline_cache", None)
    if cache is None or cache[0] is not transaction:
        cache = (transaction, {})
        engine._deadline_cache = cache
    known = cache[1]
    if dossier_id not in known:
        wanted = {dossier_id, *(i for i in engine._indexes if i not in known)}
        for i in wanted:
            known[i] = []
        with session.no_autoflush:
            for entry in session.scalars(
                select(DeadlineEntry)
                .where(DeadlineEntry.dossier_id.in_(sorted(wanted)))
                .order_by(DeadlineEntry.id)
            ):
                known[entry.dossier_id].append(entry)
    return known[dossier_id]


def _kind(info: Any, bpmn_id: str | None) -> str | None:
    task = info.tasks.get(bpmn_id or "")
    return (task.step or {}).get("kind") if task else None


def _citizen_wait(info: Any, ready: dict[str, dict[str, Any]]) -> str | None:
    """``payment`` or ``supplement`` when a citizen step waits among ``ready``."""
    found = None
    for row in ready.values():
        if row.get("lane") != "citizen":
            continue
        kind = _kind(info, row.get("bpmn_id"))
        if kind == "pay":
            return "payment"
        if kind == "submit":
            found = "supplement"
    return found


def follow(engine: Engine, dossier: Dossier, workflow: Any, indexes: Any) -> bool:
    """The engine's hook at each save of a dossier: start, stop or restart its clock as
    the step left it, keep ``due_at``, and set its deadline timers to it. Returns whether
    a timer of the workflow was changed (a journaled step then records ``due_at``, which
    its replay sets the timers to).

    Nothing here may flush: the engine writes the dossier row itself, at commit, with its
    optimistic lock, and the clock's rows with it (a lazy load of the procedure would
    otherwise flush them early; on SQLite an early INSERT queues for a write lock that a
    racing step holds and fails as "database is locked" instead of the loser's conflict)."""
    with engine.session.no_autoflush:
        return _follow(engine, dossier, workflow, indexes)


def _follow(engine: Engine, dossier: Dossier, workflow: Any, indexes: Any) -> bool:
    session = engine.session
    info = engine._loaded(dossier.version).info
    now = clock.now()
    step = _this_step(engine, dossier)
    new = (
        dossier.id is None
        or dossier in session.new
        or any(e["kind"] == "dossier_started" for e in step)
    )
    done = {
        _kind(info, (e.get("detail") or {}).get("bpmn_id"))
        for e in step
        if e["kind"] == "task_completed"
    }
    # a citizen's step done in this operation may end a stop
    was_waiting = bool(done & {"pay", "submit"})
    waiting = (
        None if dossier.status in ("completed", "cancelled") else _citizen_wait(info, indexes.ready)
    )
    received_now = "receive" in done
    if not new and (
        received_now or ((waiting or was_waiting) and _may_be_received(info, workflow))
    ):
        entries = _step_entries(engine, dossier.id)
        changed = False
        has_receive = _has_receive(info)
        received = _received_at(dossier, entries, has_receive)
        if received is None and received_now and waiting != "supplement":
            entry = DeadlineEntry(
                dossier_id=dossier.id,
                kind="received",
                started_at=now,
                actor=_actor(engine, dossier),
            )
            session.add(entry)
            entries.append(entry)
            received, changed = now, True
        open_pause = next((e for e in entries if e.kind == "paused" and e.ended_at is None), None)
        if received is not None:
            if waiting and open_pause is None and dossier.status not in ("completed", "cancelled"):
                entry = DeadlineEntry(
                    dossier_id=dossier.id,
                    kind="paused",
                    cause=waiting,
                    started_at=now,
                    due_before=dossier.due_at,
                )
                session.add(entry)
                entries.append(entry)
                changed = True
            elif not waiting and open_pause is not None:
                open_pause.ended_at = now
                calendar = default_calendar()
                limit = _limit(dossier) or {}
                if limit.get("working_days", True):
                    used = calendar.working_time(open_pause.started_at, now)
                else:
                    used = max(now - open_pause.started_at, timedelta(0))
                open_pause.paused_seconds = int(used.total_seconds())
                changed = True
        if changed:
            state = compute(default_calendar(), _limit(dossier), received, entries, now)
            if open_pause is not None and open_pause.ended_at is not None:
                open_pause.due_after = state.due_at
            if state.due_at != dossier.due_at and state.due_at is not None:
                engine._event(
                    dossier,
                    "deadline_changed",
                    "system:clock",
                    detail={
                        "due_at": state.due_at.isoformat(),
                        "before": dossier.due_at.isoformat() if dossier.due_at else None,
                        "cause": waiting or ("received" if received == now else "resumed"),
                    },
                )
                dossier.due_at = state.due_at
    return align_timers(dossier, workflow, indexes)


def _this_step(engine: Engine, dossier: Dossier) -> list[dict[str, Any]]:
    """The events the operation being saved wrote for the dossier: the tail of the
    engine's pending events (a batch saves its dossiers one after the other)."""
    out = []
    for e in reversed(engine._pending_events):
        if e["dossier_id"] != dossier.id:
            break
        out.append(e)
    return out


def _actor(engine: Engine, dossier: Dossier) -> str | None:
    return next(
        (e["actor"] for e in _this_step(engine, dossier) if e["kind"] == "task_completed"), None
    )


def align_timers(dossier: Dossier, workflow: Any, indexes: Any) -> bool:
    """Set each waiting deadline timer of the workflow (and its index row) to
    ``dossier.due_at``; whether one changed."""
    if dossier.due_at is None or dossier.status in ("completed", "cancelled"):
        return False
    changed = set_deadline_timers(workflow, dossier.due_at)
    for task in changed:
        indexes.timers[str(task.id)] = (dossier.due_at, task.task_spec.bpmn_name)
    return bool(changed)


def set_deadline_timers(workflow: Any, due: datetime) -> list:
    """Set each waiting deadline timer of ``workflow`` not yet due at ``due`` to it (a
    cycle timer is left alone); the timer tasks changed. A step does it after its clock
    moved, and the journal's replay of that step again (engine/store/journal.py)."""
    changed = []
    for task in timers.waiting_timers(workflow):
        name = task.task_spec.bpmn_name
        if not is_deadline_timer(name) or isinstance(internal_data(task, "event_value"), dict):
            continue
        if timers.due_at(task) == due:
            continue
        set_internal_data(task, event_value=due.isoformat())
        changed.append(task)
    return changed


# ------------------------------------------------------------------ extension
def extend(
    engine: Engine, dossier_id: int, new_due: datetime, reason: str, actor: str
) -> DeadlineEntry:
    """Move the appointment of a dossier to ``new_due`` with a reason (the apology letter
    states it); commits. Refused when the dossier has ended, the new instant is not later
    than the current appointment, or not within working hours of a working day."""
    reason = (reason or "").strip()
    if not reason:
        raise DeadlineError(
            "cần nêu lý do gia hạn (ghi trong phiếu xin lỗi và hẹn lại ngày trả kết quả)"
        )
    if len(reason) > MAX_REASON:
        raise DeadlineError(f"lý do quá dài (tối đa {MAX_REASON} ký tự)")
    if new_due.tzinfo is None:
        raise DeadlineError("ngày hẹn mới phải có múi giờ")
    dossier = engine.get(dossier_id, for_update=True)
    if dossier.status in ("completed", "cancelled"):
        engine.session.rollback()
        raise DeadlineError("hồ sơ đã kết thúc, không gia hạn được")
    if dossier.due_at is not None and new_due <= dossier.due_at:
        engine.session.rollback()
        raise DeadlineError("ngày hẹn mới phải sau ngày hẹn hiện tại")
    calendar = default_calendar()
    local = new_due.astimezone(calendar.zone)
    if not calendar.is_working_day(local.date()) or not any(
        a <= local.time() <= b for a, b in calendar.hours
    ):
        engine.session.rollback()
        raise DeadlineError("ngày hẹn mới phải trong giờ làm việc của một ngày làm việc")
    workflow = engine._checkout(dossier)
    now = clock.now()
    entry = DeadlineEntry(
        dossier_id=dossier.id,
        kind="extended",
        started_at=now,
        actor=actor,
        reason=reason,
        due_before=dossier.due_at,
        due_after=new_due,
    )
    engine.session.add(entry)
    engine._event(
        dossier,
        "deadline_extended",
        actor,
        detail={
            "due_at": new_due.isoformat(),
            "before": dossier.due_at.isoformat() if dossier.due_at else None,
            "reason": reason,
        },
    )
    dossier.due_at = new_due
    engine._save(dossier, workflow)
    engine._commit()
    return entry


def push_paused_timers(
    engine: Engine, horizon: timedelta = timedelta(hours=1), limit: int = 50
) -> int:
    """Deadline timers of stopped dossiers that would fire within ``horizon``: moved on to
    the due instant as the stop stands now (the scheduler's pass). Returns how many."""
    session = engine.session
    now = clock.now()
    rows = list(
        session.execute(
            select(Timer.dossier_id, Timer.name)
            .join(
                DeadlineEntry,
                (DeadlineEntry.dossier_id == Timer.dossier_id)
                & (DeadlineEntry.kind == "paused")
                & DeadlineEntry.ended_at.is_(None),
            )
            .where(Timer.due_at <= now + horizon)
            .limit(limit * 4)
        )
    )
    ids = sorted({d for d, name in rows if is_deadline_timer(name)})[:limit]
    session.rollback()
    moved = 0
    for dossier_id in ids:
        dossier = engine.get(dossier_id, for_update=True)
        info = engine._loaded(dossier.version).info
        state = state_of(session, dossier, info, now)
        dossier.due_at = (
            max(state.due_at, now + horizon + timedelta(minutes=1)) if state.due_at else None
        )
        workflow = engine._checkout(dossier)
        engine._save(dossier, workflow)
        engine._commit()
        moved += 1
    return moved
