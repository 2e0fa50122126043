"""Who may do what to a dossier (docs/authorization.md): the checks the API and the
command line both apply, so that a dossier driven from a terminal obeys the same rules
as one driven over HTTP.

A :class:`Principal` is a role with what scopes it: a citizen's identity number, an
officer's agency and lanes (vai trò xử lý). A refusal is :class:`AccessDenied`
(``forbidden``) or, for a request that a role may make but not in that form, :class:`StartRefused`
(HTTP 422, naming the field). A check that depends on stored facts (a dossier's handlers,
a citizen's consent) reads them through the session it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from toantrinh.engine import accounts, assignments, clock
from toantrinh.engine.accounts import ApiConsent
from toantrinh.engine.errors import AccessDenied, ConflictError, StartRefused
from toantrinh.engine.persistence import Dossier, ReadyTask

CITIZEN_LANE = "citizen"
ONE_STOP_DESK = "one_stop_desk"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role plus what scopes it (agency and lanes, identity number)."""

    id: str
    role: str
    name: str
    agency: str | None = None
    lanes: tuple[str, ...] = field(default_factory=tuple)
    identity_number: str | None = None

    @property
    def actor(self) -> str:
        """The actor string written into audit events."""
        if self.role == "citizen":
            return f"citizen:{self.identity_number}"
        return f"{self.role}:{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "name": self.name,
            "agency": self.agency,
            "lanes": list(self.lanes),
            "identity_number": self.identity_number,
        }


def inbox_scope(query, principal: Principal, *, agency: str | None, lane: str | None):
    """The inbox rows a principal may list, as a filter on a ``select(ReadyTask)``: a
    citizen's own steps, an officer's agency's rows in the officer's lanes (asking for
    another agency or a lane one does not hold is refused), any agency for the others."""
    if principal.role == "citizen":
        return query.join(Dossier, ReadyTask.dossier_id == Dossier.id).where(
            ReadyTask.lane == CITIZEN_LANE, Dossier.applicant_id == principal.identity_number
        )
    if principal.role == "officer":
        if agency and agency != principal.agency:
            raise AccessDenied("Cán bộ chỉ xem hộp công việc của cơ quan mình.")
        if lane and lane not in principal.lanes:
            raise AccessDenied(f"Cán bộ không có vai trò xử lý '{lane}'.")
        return query.where(
            ReadyTask.agency == principal.agency, ReadyTask.lane.in_(principal.lanes)
        )
    if agency:
        return query.where(ReadyTask.agency == agency)
    return query


def dossier_scope(query, principal: Principal):
    """The dossiers a principal may list, as a filter on a ``select(Dossier)``: a citizen's
    own, an officer's agency's, every one for the other roles."""
    if principal.role == "citizen":
        return query.where(Dossier.applicant_id == principal.identity_number)
    if principal.role == "officer":
        return query.where(Dossier.agency == principal.agency)
    return query


class _Dossier(Protocol):
    applicant_id: str | None
    agency: str | None


class _Task(Protocol):
    lane: str | None
    agency: str | None


def can_read_dossier(principal: Principal, dossier: _Dossier) -> bool:
    if principal.role == "admin":
        return True
    if principal.role == "citizen":
        return bool(principal.identity_number) and dossier.applicant_id == principal.identity_number
    if principal.role == "officer":
        return bool(principal.agency) and dossier.agency == principal.agency
    return False


def ensure_dossier_access(principal: Principal, dossier: _Dossier) -> None:
    if not can_read_dossier(principal, dossier):
        if principal.role == "citizen":
            raise AccessDenied("Công dân chỉ xem và thao tác trên hồ sơ của chính mình.")
        raise AccessDenied("Hồ sơ không thuộc cơ quan của cán bộ này.")


def can_act_on_task(principal: Principal, task: _Task, dossier: _Dossier) -> bool:
    if principal.role == "admin":
        return True
    if principal.role == "citizen":
        return task.lane == CITIZEN_LANE and can_read_dossier(principal, dossier)
    if principal.role == "officer":
        return (
            bool(principal.agency)
            and task.agency == principal.agency
            and task.lane in principal.lanes
        )
    return False


def ensure_task_access(principal: Principal, task: _Task, dossier: _Dossier) -> None:
    if not can_act_on_task(principal, task, dossier):
        if principal.role == "citizen":
            raise AccessDenied(
                "Công dân chỉ xử lý các bước dành cho công dân trong hồ sơ của mình."
            )
        raise AccessDenied("Tác vụ không thuộc cơ quan hoặc vai trò xử lý (lane) của cán bộ này.")


def ensure_not_claimed_by_another(principal: Principal, claimed_by: str | None) -> None:
    """A task claimed by someone else is theirs to complete (an admin excepted)."""
    if claimed_by and claimed_by != principal.actor and principal.role != "admin":
        raise ConflictError(f"tác vụ đã được {claimed_by} nhận xử lý")


def ensure_may_handle(session: Session, principal: Principal, task: ReadyTask) -> None:
    """A dossier assigned to a lead: its processing steps are the handlers' (and their
    delegates') — :func:`toantrinh.engine.assignments.may_handle`; officers only."""
    if principal.role != "officer":
        return
    why = assignments.may_handle(session, principal.actor, task.lane, task.dossier_id)
    if why:
        raise AccessDenied(why[0].upper() + why[1:] + ".")


def refusal_in_batch(
    session: Session, principal: Principal, task: ReadyTask, dossier: _Dossier
) -> AccessDenied | ConflictError | None:
    """Why ``principal`` may not complete this task as one item of a batch, each item
    answered on its own (the error's ``status``): the task is not theirs, another officer
    claimed it, or the dossier's lead and co-handlers hold it; ``None`` if they may."""
    if not can_act_on_task(principal, task, dossier):
        return AccessDenied("Tác vụ không thuộc cơ quan hoặc vai trò xử lý (lane) của cán bộ này.")
    if task.claimed_by and task.claimed_by != principal.actor and principal.role != "admin":
        return ConflictError(f"tác vụ đã được {task.claimed_by} nhận xử lý")
    if principal.role == "officer":
        why = assignments.may_handle(session, principal.actor, task.lane, task.dossier_id)
        if why:
            return AccessDenied(why)
    return None


def start_terms(
    principal: Principal, applicant_id: str | None, channel: str
) -> tuple[str | None, str | None]:
    """(applicant, receiving agency) of a dossier this principal starts: a citizen
    applies online for themself; the one-stop desk receives any channel for an
    applicant it names, in its agency; an admin as asked; other roles do not start."""
    if principal.role == "citizen":
        if applicant_id not in (None, principal.identity_number):
            raise AccessDenied("Công dân chỉ nộp hồ sơ cho chính mình.")
        if channel != "online":
            raise StartRefused(
                "Công dân tự nộp qua API là nộp trực tuyến.",
                "channel",
                "Công dân chỉ nộp trực tuyến (online).",
            )
        return principal.identity_number, None
    if principal.role == "officer":
        if ONE_STOP_DESK not in principal.lanes:
            raise AccessDenied("Chỉ Bộ phận Một cửa tiếp nhận hồ sơ.")
        if not applicant_id:
            raise StartRefused(
                "Cần số định danh của người nộp.", "applicant_id", "Trường này là bắt buộc."
            )
        return applicant_id, principal.agency
    if principal.role == "admin":
        return applicant_id, None
    raise AccessDenied(f"Vai trò '{principal.role}' không được phép thực hiện thao tác này.")


def leads_agency(principal: Principal, agency: str | None) -> bool:
    """An admin, or an officer of ``agency`` in the leaders' lane (lãnh đạo cơ quan)."""
    return principal.role == "admin" or (
        principal.role == "officer" and principal.agency == agency and "leader" in principal.lanes
    )


def may_change_co_handlers(principal: Principal, agency: str | None, lead: str | None) -> bool:
    """A leader of the dossier's agency, or its lead (``lead``)."""
    return leads_agency(principal, agency) or (lead is not None and lead == principal.actor)


def ensure_may_assign(
    principal: Principal, agency: str | None, lead: str | None, new_lead: str | None
) -> None:
    """A leader of the dossier's agency assigns its handlers; its lead (``lead``) may
    change the co-handlers, keeping the lead as it is."""
    lead_keeps_lead = lead == principal.actor and new_lead == lead
    if not leads_agency(principal, agency) and not lead_keeps_lead:
        raise AccessDenied(
            "Chỉ lãnh đạo cơ quan phân công người chủ trì; người chủ trì đổi được người phối hợp."
        )


def ensure_may_delegate(principal: Principal, officer: str) -> None:
    """An officer declares their own absence; a leader anyone's in the agency."""
    if officer != principal.actor and not leads_agency(principal, principal.agency):
        raise AccessDenied(
            "Cán bộ chỉ ủy quyền cho việc của chính mình; lãnh đạo ủy quyền cho cán bộ của cơ quan."
        )


def may_see_delegation(principal: Principal, delegation: assignments.Delegation) -> bool:
    """A delegation in force, of the officer's agency (any agency's for an admin)."""
    return delegation.revoked_at is None and not (
        principal.role == "officer" and delegation.agency != principal.agency
    )


def ensure_may_revoke_delegation(principal: Principal, delegation: assignments.Delegation) -> None:
    """The officer who delegated, whoever recorded it, or a leader of its agency."""
    if principal.actor not in (delegation.officer, delegation.created_by) and not leads_agency(
        principal, delegation.agency
    ):
        raise AccessDenied("Chỉ người ủy quyền, người tạo hoặc lãnh đạo cơ quan thu hồi được.")


def ensure_may_refund(principal: Principal, agency: str | None) -> None:
    """A payment is refunded by a leader of the agency it was paid to (or an admin)."""
    if principal.role == "officer" and (
        agency != principal.agency or "leader" not in principal.lanes
    ):
        raise AccessDenied("Chỉ lãnh đạo của cơ quan giải quyết được hoàn tiền.")


def authorise_personal_read(
    session: Session, principal: Principal, identity_number: str, registry: str
) -> ApiConsent | None:
    """Reading what ``registry`` holds about a person (Decree 13/2023/NĐ-CP; Law on Data
    60/2024/QH15): ``None`` for the person themself; for anyone else the consent in force
    (:func:`toantrinh.engine.accounts.active_consent`), or :class:`AccessDenied`."""
    if principal.role == "citizen":
        if principal.identity_number != identity_number:
            raise AccessDenied("Công dân chỉ xem dữ liệu của chính mình.")
        return None
    consent = accounts.active_consent(
        session, identity_number, registry, principal.agency, clock.now()
    )
    if consent is None:
        raise AccessDenied(
            f"Chưa có sự đồng ý còn hiệu lực của công dân cho việc đọc dữ liệu '{registry}'."
        )
    return consent


def visible_consents(session: Session, principal: Principal) -> list[ApiConsent]:
    """A citizen's own consents; every one for the other roles."""
    if principal.role == "citizen":
        return accounts.consents_of(session, principal.identity_number)
    return accounts.all_consents(session)
