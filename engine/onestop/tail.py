"""Reading the engine's committed events in order, for the passes that act after a step
(signing results, pushing statuses to the national portal).

The ``dossier_event`` table is written in the same transaction as every step, so it is
already the outbox of everything that happened: a pass keeps a cursor (the last event id
it has handled) and reads the events after it. On PostgreSQL ids are drawn before commit,
so an event with a smaller id may commit after a larger one was read: the ids skipped are
kept as *gaps* and read again on the next passes, for :data:`GAP_SECONDS`, after which a
gap is taken for a rolled-back transaction. On SQLite one writer at a time commits ids in
order and there are no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.engine import clock
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.persistence import DossierEvent

GAP_SECONDS = 300
MAX_GAP = 1000


class EventCursor(Base):
    """How far one consumer of the event log has read (its name: ``results``, ``portal``)."""

    __tablename__ = "onestop_cursor"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    # ids below last_id not yet seen: {"<id>": "<first noticed, ISO>"}
    gaps: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class TailedEvent:
    id: int
    dossier_id: int | None
    kind: str
    at: datetime
    actor: str | None
    task_name: str | None
    detail: dict[str, Any]


def read_events(
    session: Session, name: str, limit: int = 500
) -> tuple[list[TailedEvent], EventCursor]:
    """The events after the cursor ``name`` (and any gap now committed), oldest first,
    with the cursor row locked for this transaction (one reader per name at a time).
    Advance it with :func:`advance` in the same transaction as what the events caused."""
    cursor = session.get(EventCursor, name, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(name=name, last_id=0, gaps={})
        session.add(cursor)
        session.flush()
    columns = (
        DossierEvent.id,
        DossierEvent.dossier_id,
        DossierEvent.kind,
        DossierEvent.at,
        DossierEvent.actor,
        DossierEvent.task_name,
        DossierEvent.detail,
    )
    rows = list(
        session.execute(
            select(*columns)
            .where(DossierEvent.id > cursor.last_id)
            .order_by(DossierEvent.id)
            .limit(limit)
        )
    )
    gap_ids = [int(g) for g in (cursor.gaps or {})]
    if gap_ids:
        rows += list(session.execute(select(*columns).where(DossierEvent.id.in_(gap_ids))))
    rows.sort(key=lambda r: r[0])
    return [TailedEvent(*row) for row in rows], cursor


def advance(cursor: EventCursor, events: list[TailedEvent], now: datetime | None = None) -> None:
    """Move the cursor past ``events``: remember the ids skipped as gaps, forget the gaps
    filled and the ones older than :data:`GAP_SECONDS`."""
    now = now or clock.now()
    seen = {e.id for e in events}
    gaps = {k: v for k, v in (cursor.gaps or {}).items() if int(k) not in seen}
    last = cursor.last_id
    for event_id in sorted(seen):
        if event_id > last:
            if event_id - last <= MAX_GAP:  # a jump (a restored backup) is not a gap
                for missing in range(last + 1, event_id):
                    gaps[str(missing)] = now.isoformat()
            last = event_id
    horizon = now - timedelta(seconds=GAP_SECONDS)
    cursor.gaps = {k: v for k, v in gaps.items() if datetime.fromisoformat(v) > horizon}
    cursor.last_id = last
    cursor.updated_at = now
