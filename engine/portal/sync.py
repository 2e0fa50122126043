"""Dossier synchronisation with the National Public Service Portal, through an outbox.

1. :func:`record_statuses` reads the engine's committed events (``engine/onestop/tail.py``)
   and writes what the portal must hear — a dossier's national status at each change —
   as ``portal_outbox`` rows, in one transaction with the cursor: a status is recorded
   once, and never lost, whatever the portal is doing.
2. :func:`deliver` sends the outbox in order, per dossier; a failure leaves the row for a
   later pass with exponential back-off (and holds that dossier's later rows, so the
   portal never sees an older status after a newer one). The portal being down never
   blocks a step: the engine does not wait for any of this.
3. :func:`receive_new` starts the dossiers citizens submitted on the portal, once each
   (``portal_inbound`` keeps the portal's code, unique), and acknowledges them.

Local procedure → national code: ``data/portal_codes.json`` (``TOANTRINH_PORTAL_CODES``),
else the ``code`` of procedure.json. Event → national status: ``data/portal_statuses.json``
(``TOANTRINH_PORTAL_STATUSES``); both are assumptions to confirm (connector.py).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.bpmn import datafiles
from toantrinh.engine import clock
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.onestop.results import task_table
from toantrinh.engine.onestop.tail import TailedEvent, advance, read_events
from toantrinh.engine.persistence import Dossier, DossierEvent, ProcessModel, ReadyTask
from toantrinh.engine.portal.connector import InboundDossier, PortalConnector, PortalError
from toantrinh.engine.service import EngineError

log = logging.getLogger("toantrinh.portal")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_BACKOFF = 3600
ACTOR = "portal:dvcqg"


class PortalOutbox(Base):
    """One message to the portal: a dossier record or a step of its progress."""

    __tablename__ = "portal_outbox"
    __table_args__ = (Index("ix_portal_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # the event it reports: a status is recorded once per event
    event_id: Mapped[int] = mapped_column(Integer, unique=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="SET NULL"))
    receipt_code: Mapped[str] = mapped_column(String(40), index=True)
    national_code: Mapped[str | None] = mapped_column(String(40))
    status_key: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending → sent; pending → dead (the portal refused the content: an operator looks)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "receipt_code": self.receipt_code,
            "national_code": self.national_code,
            "status_key": self.status_key,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }


class PortalInbound(Base):
    """A dossier received from the portal: its code there, and ours."""

    __tablename__ = "portal_inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_code: Mapped[str] = mapped_column(String(60), unique=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="SET NULL"))
    receipt_code: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # started | refused | acknowledged
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ------------------------------------------------------------------------ mappings
@lru_cache(maxsize=4)
def _json(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text("utf-8"))


def statuses() -> dict[str, dict[str, str]]:
    path = os.environ.get("TOANTRINH_PORTAL_STATUSES") or str(
        datafiles.path("data", "portal_statuses.json")
    )
    return _json(path)["statuses"]


def local_codes() -> dict[str, str]:
    path = os.environ.get("TOANTRINH_PORTAL_CODES") or str(
        datafiles.path("data", "portal_codes.json")
    )
    return dict(_json(path).get("codes", {}))


def national_code(model: ProcessModel) -> str | None:
    """The portal's procedure code (MaTTHC) of a local procedure."""
    return local_codes().get(model.slug) or (model.procedure or {}).get("code")


def local_model(session: Session, code: str) -> ProcessModel | None:
    """The local procedure of a national code (the mapping file, then procedure.json)."""
    for slug, mapped in local_codes().items():
        if mapped == code:
            return session.scalar(select(ProcessModel).where(ProcessModel.slug == slug))
    for model in session.scalars(select(ProcessModel)):
        if (model.procedure or {}).get("code") == code:
            return model
    return None


def _step_kind(dossier: Dossier, bpmn_id: str | None) -> str | None:
    task = task_table(dossier.version).tasks.get(bpmn_id or "")
    return (task.step or {}).get("kind") if task else None


def waiting_status(session: Session, dossier: Dossier) -> str | None:
    """What the dossier waits for now, when it waits for the citizen."""
    rows = session.execute(
        select(ReadyTask.bpmn_id, ReadyTask.lane).where(ReadyTask.dossier_id == dossier.id)
    )
    for bpmn_id, lane in rows:
        kind = _step_kind(dossier, bpmn_id)
        if lane == "citizen" and kind == "pay":
            return "payment_requested"
        if lane == "citizen" and kind == "submit" and _received(session, dossier):
            return "supplement_requested"
    return None


def _received(session: Session, dossier: Dossier) -> bool:
    for (detail,) in session.execute(
        select(DossierEvent.detail).where(
            DossierEvent.dossier_id == dossier.id, DossierEvent.kind == "task_completed"
        )
    ):
        if _step_kind(dossier, (detail or {}).get("bpmn_id")) == "receive":
            return True
    return False


def status_of(session: Session, event: TailedEvent, dossier: Dossier, latest: bool) -> str | None:
    """The national status an event announces (None: nothing to tell the portal)."""
    if event.kind == "dossier_started":
        return "received" if dossier.channel == "in_person" else "submitted"
    if event.kind == "dossier_cancelled":
        return "withdrawn" if (event.actor or "").startswith("citizen:") else "stopped"
    if event.kind == "result_stored":
        return "resolved"
    if event.kind == "dossier_completed":
        return "returned"
    if event.kind != "task_completed":
        return None
    if latest:
        waiting = waiting_status(session, dossier)
        if waiting:
            return waiting
    kind = _step_kind(dossier, (event.detail or {}).get("bpmn_id"))
    return "received" if kind == "receive" else "processing"


# ------------------------------------------------------------------ the outbox
def _stamp(value: datetime | None) -> str:
    return value.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S") if value else ""


def portal_record(
    dossier: Dossier, code: str | None, status_key: str, event: TailedEvent
) -> dict[str, Any]:
    """The DongBoHoSoMC record and the CapNhatTienDoHoSoMC step of one status."""
    status = statuses()[status_key]
    dossier_record = {
        "MaHoSo": dossier.receipt_code,
        "MaTTHC": code or "",
        "TenTTHC": dossier.version.model.name,
        "NgayTiepNhan": _stamp(dossier.created_at),
        "NgayHenTra": _stamp(dossier.due_at),
        "TrangThaiHoSo": status["code"],
        "NgayTra": _stamp(dossier.completed_at),
        "DonViXuLy": dossier.agency or "",
        "HinhThuc": "0",
    }
    progress = {
        "MaHoSo": dossier.receipt_code,
        "NguoiXuLy": _public_actor(event.actor),
        "ThoiDiemXuLy": _stamp(event.at),
        "NoiDungXuLy": event.task_name or status["label"],
        "TrangThai": status["code"],
    }
    return {"dossier": dossier_record, "progress": progress}


def _public_actor(actor: str | None) -> str:
    """Who acted, as the portal may show it: an officer's name, never a citizen's number."""
    if not actor or actor.startswith("citizen:"):
        return "Công dân" if actor else ""
    return actor.split(":", 1)[-1]


def record_statuses(session: Session, limit: int = 500) -> int:
    """Outbox rows for the statuses the events after the ``portal`` cursor announce;
    commits. Returns how many were recorded."""
    events, cursor = read_events(session, "portal", limit)
    last_of: dict[int, int] = {}
    for event in events:
        if event.dossier_id is not None:
            last_of[event.dossier_id] = event.id
    recorded = 0
    previous: dict[int, str | None] = {}
    for event in events:
        if event.dossier_id is None:
            continue
        dossier = session.get(Dossier, event.dossier_id)
        if dossier is None:
            continue
        key = status_of(session, event, dossier, latest=last_of[event.dossier_id] == event.id)
        if key is None:
            continue
        if event.dossier_id not in previous:
            previous[event.dossier_id] = session.scalar(
                select(PortalOutbox.status_key)
                .where(PortalOutbox.dossier_id == dossier.id)
                .order_by(PortalOutbox.id.desc())
                .limit(1)
            )
        if previous[event.dossier_id] == key and key == "processing":
            continue  # one "processing" for a run of internal steps
        previous[event.dossier_id] = key
        code = national_code(dossier.version.model)
        if session.scalar(select(PortalOutbox.id).where(PortalOutbox.event_id == event.id)):
            continue
        session.add(
            PortalOutbox(
                event_id=event.id,
                dossier_id=dossier.id,
                receipt_code=dossier.receipt_code,
                national_code=code,
                status_key=key,
                payload=portal_record(dossier, code, key, event),
                status="pending",
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
        )
        recorded += 1
    advance(cursor, events)
    session.commit()
    return recorded


def deliver(session: Session, connector: PortalConnector, limit: int = 100) -> dict[str, int]:
    """Send the due outbox rows, oldest first; a dossier whose earlier row is still
    pending waits. Each row commits on its own."""
    now = clock.now()
    rows = list(
        session.scalars(
            select(PortalOutbox)
            .where(PortalOutbox.status == "pending")
            .order_by(PortalOutbox.id)
            .limit(limit)
        )
    )
    held: set[str] = set()
    sent = failed = 0
    for row in rows:
        if row.receipt_code in held:
            continue
        if row.next_attempt_at and row.next_attempt_at > now:
            held.add(row.receipt_code)
            continue
        row.attempts += 1
        try:
            connector.push_dossier(row.payload["dossier"], updating=row.status_key != "submitted")
            connector.push_progress(row.payload["progress"])
        except PortalError as err:
            row.last_error = str(err)
            if err.retryable:
                row.next_attempt_at = now + timedelta(seconds=min(MAX_BACKOFF, 5 * 2**row.attempts))
            else:
                row.status = "dead"
            held.add(row.receipt_code)
            failed += 1
        else:
            row.status, row.sent_at, row.last_error = "sent", clock.now(), None
            sent += 1
        session.commit()
    return {"sent": sent, "failed": failed}


def receive_new(engine: Any, connector: PortalConnector) -> dict[str, int]:
    """Start the dossiers submitted on the portal that are not here yet, and acknowledge
    them (an acknowledgement lost is sent again next time: the start is not repeated)."""
    session: Session = engine.session
    try:
        inbound = connector.new_dossiers()
    except PortalError as err:
        log.info("portal: new dossiers not fetched: %s", err)
        return {"started": 0, "refused": 0}
    started = refused = 0
    for item in inbound:
        row = session.scalar(
            select(PortalInbound).where(PortalInbound.portal_code == item.portal_code)
        )
        if row is None:
            row = _start(engine, item)
            started += row.status == "started"
            refused += row.status == "refused"
        if row.status == "started" and row.receipt_code:
            try:
                connector.acknowledge(item.portal_code, row.receipt_code)
            except PortalError as err:
                log.info("portal: acknowledgement of %s failed: %s", item.portal_code, err)
                continue
            row.status = "acknowledged"
            session.commit()
    return {"started": started, "refused": refused}


def _start(engine: Any, item: InboundDossier) -> PortalInbound:
    session: Session = engine.session
    model = local_model(session, item.procedure_code)
    row = PortalInbound(portal_code=item.portal_code, received_at=clock.now(), status="refused")
    if model is None:
        row.error = f"không có quy trình ứng với mã thủ tục {item.procedure_code}"
    else:
        try:
            dossier = engine.start(
                model.slug,
                applicant_id=item.applicant_id,
                channel="online",
                actor=ACTOR,
                data=item.data or None,
            )
        except EngineError as err:
            session.rollback()
            row.error = str(err)
        else:
            row.dossier_id, row.receipt_code, row.status = (
                dossier.id,
                dossier.receipt_code,
                "started",
            )
    session.add(row)
    session.commit()
    return row


def outbox_summary(session: Session) -> dict[str, Any]:
    counts = dict(
        session.execute(
            select(PortalOutbox.status, func.count()).group_by(PortalOutbox.status)
        ).all()
    )
    oldest = session.scalar(
        select(func.min(PortalOutbox.created_at)).where(PortalOutbox.status == "pending")
    )
    return {
        "pending": counts.get("pending", 0),
        "sent": counts.get("sent", 0),
        "dead": counts.get("dead", 0),
        "oldest_pending": oldest.isoformat() if oldest else None,
    }


def recent_outbox(session: Session, limit: int = 50) -> list[PortalOutbox]:
    """The outbox's newest messages, newest first."""
    return list(session.scalars(select(PortalOutbox).order_by(PortalOutbox.id.desc()).limit(limit)))


def recent_inbound(session: Session, limit: int = 50) -> list[PortalInbound]:
    """The dossiers last received from the portal, newest first."""
    return list(
        session.scalars(select(PortalInbound).order_by(PortalInbound.id.desc()).limit(limit))
    )


def sync_status(session: Session, dossier: Dossier) -> dict[str, Any]:
    """How far the portal has heard of a dossier: ``state`` (``dead`` if a message was
    refused for good, ``pending`` while one waits, ``synced``, or ``none``), its national
    code, its receipt code, the portal's code if it came from the portal, its messages."""
    rows = list(
        session.scalars(
            select(PortalOutbox)
            .where(PortalOutbox.dossier_id == dossier.id)
            .order_by(PortalOutbox.id)
        )
    )
    inbound_row = session.scalar(
        select(PortalInbound).where(PortalInbound.dossier_id == dossier.id)
    )
    pending = [r for r in rows if r.status == "pending"]
    state = (
        "dead"
        if any(r.status == "dead" for r in rows)
        else "pending"
        if pending
        else "synced"
        if rows
        else "none"
    )
    return {
        "state": state,
        "national_code": national_code(dossier.version.model),
        "receipt_code": dossier.receipt_code,
        "from_portal": inbound_row.portal_code if inbound_row else None,
        "messages": [r.to_dict() for r in rows],
    }
