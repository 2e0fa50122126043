"""Who handles a dossier (phân công xử lý hồ sơ): the lead handler (người chủ trì), the
co-handlers (người phối hợp), and delegation while an officer is away (ủy quyền khi vắng
mặt).

* An assignment names officers of the dossier's agency as ``officer:<name>`` — the same
  actor strings the inbox claims and the audit trail use. Each change ends the rows it
  replaces and adds new ones (``dossier_assignment`` keeps the whole history) and is an
  event of the dossier (``handlers_assigned``), so the audit trail shows who assigned
  whom and when.
* A delegation (``officer_delegation``) lets one officer act for another of the same
  agency between two instants; it is an event (``delegation_created``/``_revoked``) too.
* The rule: once a dossier has a lead, its tasks in the ``specialist`` lane (the
  processing, thẩm định / xử lý) are for the lead, the co-handlers and whoever acts for
  one of them now; the desk's and the leaders' steps are not reserved. Without a lead,
  every officer of the lane may take the task, as before.

Who may assign is the policy of engine/access.py (the API applies it): a leader of the
agency or an admin; the lead may change the co-handlers; an officer declares their own
absence, a leader anyone's of the agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from toantrinh.engine import clock
from toantrinh.engine.accounts import officers_of
from toantrinh.engine.db import Base, UTCDateTime
from toantrinh.engine.persistence import Dossier, DossierEvent
from toantrinh.engine.store.ids import row_id

RESERVED_LANES = ("specialist",)
ROLES = ("lead", "co")


class AssignmentError(ValueError):
    """An assignment or delegation that cannot be made; the message says why."""


class Assignment(Base):
    """One officer's part in a dossier, from ``assigned_at`` until ``ended_at``."""

    __tablename__ = "dossier_assignment"
    __table_args__ = (
        Index("ix_dossier_assignment_dossier", "dossier_id", "ended_at"),
        Index("ix_dossier_assignment_officer", "officer", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    officer: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(200))


class Delegation(Base):
    """``delegate`` acts for ``officer`` (away) from ``starts_at`` to ``ends_at``."""

    __tablename__ = "officer_delegation"
    __table_args__ = (Index("ix_officer_delegation_delegate", "delegate", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    officer: Mapped[str] = mapped_column(String(200))
    delegate: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency": self.agency,
            "officer": self.officer,
            "delegate": self.delegate,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "reason": self.reason,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
        }


@dataclass
class Handlers:
    lead: str | None = None
    co_handlers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"lead": self.lead, "co_handlers": self.co_handlers}


def handlers(session: Session, dossier_ids: list[int]) -> dict[int, Handlers]:
    """The current lead and co-handlers of each dossier (missing: none assigned)."""
    out: dict[int, Handlers] = {}
    if not dossier_ids:
        return out
    rows = session.scalars(
        select(Assignment)
        .where(Assignment.dossier_id.in_(dossier_ids), Assignment.ended_at.is_(None))
        .order_by(Assignment.id)
    )
    for row in rows:
        entry = out.setdefault(row.dossier_id, Handlers())
        if row.role == "lead":
            entry.lead = row.officer
        else:
            entry.co_handlers.append(row.officer)
    return out


def history(session: Session, dossier_id: int) -> list[dict[str, Any]]:
    return [
        {
            "officer": r.officer,
            "role": r.role,
            "assigned_by": r.assigned_by,
            "assigned_at": r.assigned_at,
            "ended_at": r.ended_at,
            "ended_by": r.ended_by,
        }
        for r in session.scalars(
            select(Assignment).where(Assignment.dossier_id == dossier_id).order_by(Assignment.id)
        )
    ]


def assign(
    session: Session, dossier: Dossier, lead: str | None, co_handlers: list[str], by: str
) -> Handlers:
    """Make ``lead`` and ``co_handlers`` the dossier's handlers, who must be officers of
    its agency (:func:`~toantrinh.engine.accounts.officers_of`); commits, or rolls back
    and raises :class:`AssignmentError`."""
    try:
        after = _assign(session, dossier, lead, co_handlers, by)
    except AssignmentError:
        session.rollback()
        raise
    session.commit()
    return after


def _assign(
    session: Session, dossier: Dossier, lead: str | None, co_handlers: list[str], by: str
) -> Handlers:
    officers = set(officers_of(session, dossier.agency))
    co = list(dict.fromkeys(c for c in co_handlers if c))
    for name in ([lead] if lead else []) + co:
        if name not in officers:
            raise AssignmentError(f"{name} không phải cán bộ của {dossier.agency}")
    if lead and lead in co:
        raise AssignmentError("người chủ trì không đồng thời là người phối hợp")
    if co and not lead:
        raise AssignmentError("cần người chủ trì trước khi phân công người phối hợp")
    if dossier.status in ("completed", "cancelled"):
        raise AssignmentError("hồ sơ đã kết thúc")
    now = clock.now()
    wanted = {(lead, "lead")} if lead else set()
    wanted |= {(c, "co") for c in co}
    current = list(
        session.scalars(
            select(Assignment).where(
                Assignment.dossier_id == dossier.id, Assignment.ended_at.is_(None)
            )
        )
    )
    kept = set()
    for row in current:
        if (row.officer, row.role) in wanted:
            kept.add((row.officer, row.role))
        else:
            row.ended_at, row.ended_by = now, by
    for officer, role in sorted(wanted - kept, key=lambda p: (p[1] != "lead", p[0])):
        session.add(
            Assignment(
                dossier_id=dossier.id, officer=officer, role=role, assigned_by=by, assigned_at=now
            )
        )
    before = Handlers(
        next((r.officer for r in current if r.role == "lead"), None),
        [r.officer for r in current if r.role == "co"],
    )
    after = Handlers(lead, co)
    session.add(
        DossierEvent(
            dossier_id=dossier.id,
            at=now,
            actor=by,
            kind="handlers_assigned",
            detail={"lead": lead, "co_handlers": co, "before": before.to_dict()},
        )
    )
    return after


def delegate(
    session: Session,
    agency: str,
    officer: str,
    delegate_to: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    by: str,
) -> Delegation:
    """``delegate_to`` acts for ``officer`` between the two instants, both officers of
    ``agency``; commits, or rolls back and raises :class:`AssignmentError`."""
    try:
        row = _delegate(session, agency, officer, delegate_to, starts_at, ends_at, reason, by)
    except AssignmentError:
        session.rollback()
        raise
    session.commit()
    return row


def _delegate(
    session: Session,
    agency: str,
    officer: str,
    delegate_to: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    by: str,
) -> Delegation:
    officers = set(officers_of(session, agency))
    if officer not in officers or delegate_to not in officers:
        raise AssignmentError(f"cả hai phải là cán bộ của {agency}")
    if officer == delegate_to:
        raise AssignmentError("không ủy quyền cho chính mình")
    if ends_at <= starts_at:
        raise AssignmentError("thời điểm kết thúc phải sau thời điểm bắt đầu")
    if ends_at <= clock.now():
        raise AssignmentError("thời gian ủy quyền đã qua")
    row = Delegation(
        agency=agency,
        officer=officer,
        delegate=delegate_to,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=(reason or "").strip() or None,
        created_by=by,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    session.add(
        DossierEvent(
            dossier_id=None,
            at=clock.now(),
            actor=by,
            kind="delegation_created",
            detail={
                "id": row.id,
                "officer": officer,
                "delegate": delegate_to,
                "agency": agency,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "reason": row.reason,
            },
        )
    )
    return row


def revoke(session: Session, row: Delegation, by: str) -> None:
    """End the delegation now (an event of the audit trail); commits."""
    row.revoked_at = clock.now()
    session.add(
        DossierEvent(
            dossier_id=None,
            at=clock.now(),
            actor=by,
            kind="delegation_revoked",
            detail={"id": row.id, "officer": row.officer, "delegate": row.delegate},
        )
    )
    session.commit()


def acting_for(session: Session, actor: str, now: datetime | None = None) -> list[str]:
    """The officers ``actor`` acts for now (their delegations in force)."""
    now = now or clock.now()
    return list(
        session.scalars(
            select(Delegation.officer).where(
                Delegation.delegate == actor,
                Delegation.revoked_at.is_(None),
                Delegation.starts_at <= now,
                Delegation.ends_at > now,
            )
        )
    )


def delegation(session: Session, delegation_id: int) -> Delegation | None:
    """The delegation with that id; ``None`` for an id past the integer column's range,
    which names none (not an overflow)."""
    return session.get(Delegation, delegation_id) if row_id(delegation_id) else None


def delegations(
    session: Session, agency: str | None, officer: str | None = None
) -> list[Delegation]:
    query = select(Delegation).where(
        Delegation.revoked_at.is_(None), Delegation.ends_at > clock.now()
    )
    if agency:
        query = query.where(Delegation.agency == agency)
    if officer:
        query = query.where(or_(Delegation.officer == officer, Delegation.delegate == officer))
    return list(session.scalars(query.order_by(Delegation.starts_at)))


def may_handle(session: Session, actor: str, lane: str | None, dossier_id: int) -> str | None:
    """None when ``actor`` may take a task of ``lane`` in the dossier, else why not."""
    if lane not in RESERVED_LANES:
        return None
    current = handlers(session, [dossier_id]).get(dossier_id)
    if current is None or current.lead is None:
        return None
    allowed = {current.lead, *current.co_handlers}
    if actor in allowed or allowed & set(acting_for(session, actor)):
        return None
    names = ", ".join(a.split(":", 1)[-1] for a in [current.lead, *current.co_handlers])
    return f"hồ sơ đã được phân công cho {names}; chỉ người được phân công hoặc người được ủy quyền xử lý"


def assigned_dossiers(session: Session, actor: str) -> list[int]:
    """The dossiers ``actor`` handles now, directly or for an officer away."""
    people = [actor, *acting_for(session, actor)]
    return list(
        session.scalars(
            select(Assignment.dossier_id)
            .where(Assignment.officer.in_(people), Assignment.ended_at.is_(None))
            .distinct()
        )
    )
