"""Officer assignment (engine/assignments.py): a dossier's lead and co-handlers, the
agency's officers, and delegations while an officer is away. Policy: a leader of the
dossier's agency (or an admin) assigns; the lead may change the co-handlers; an officer
declares their own absence, a leader anyone's in the agency."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.api.models import ApiToken
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.engine import assignments, clock
from toantrinh.engine.store.ids import row_id

blp = Blueprint(
    "assignments",
    __name__,
    url_prefix="/api/v1",
    description="Phân công xử lý hồ sơ: người chủ trì, người phối hợp, ủy quyền khi vắng mặt",
)

Actor = validate.Length(min=1, max=200)


class HandlersSchema(Schema):
    lead = fields.String(allow_none=True, validate=Actor, metadata={"description": "officer:<tên>"})
    co_handlers = fields.List(
        fields.String(validate=Actor), load_default=list, validate=validate.Length(max=20)
    )


class DelegationInSchema(Schema):
    officer = fields.String(
        validate=Actor, metadata={"description": "người vắng mặt (mặc định: chính mình)"}
    )
    delegate = fields.String(required=True, validate=Actor)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=1000))


def officers_of(agency: str | None) -> dict[str, list[str]]:
    """The agency's officers (actor → lanes), from their live tokens."""
    now = clock.now()
    rows = db.session.execute(
        select(ApiToken.name, ApiToken.lanes).where(
            ApiToken.role == "officer",
            ApiToken.agency == agency,
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
        )
    )
    out: dict[str, list[str]] = {}
    for name, lanes in rows:
        out.setdefault(f"officer:{name}", [])
        out[f"officer:{name}"] = sorted(set(out[f"officer:{name}"]) | set(lanes or []))
    return out


def _is_leader(principal, agency: str | None) -> bool:
    return principal.role == "admin" or (
        principal.role == "officer" and principal.agency == agency and "leader" in principal.lanes
    )


def _view(dossier, principal) -> dict[str, Any]:
    current = (
        assignments.handlers(db.session, [dossier.id]).get(dossier.id) or assignments.Handlers()
    )
    view = {
        **current.to_dict(),
        "history": assignments.history(db.session, dossier.id),
        "may_assign": _is_leader(principal, dossier.agency),
        "may_change_co_handlers": _is_leader(principal, dossier.agency)
        or (current.lead is not None and current.lead == principal.actor),
    }
    if principal.role != "citizen":
        view["officers"] = [
            {"actor": a, "name": a.split(":", 1)[1], "lanes": lanes}
            for a, lanes in sorted(officers_of(dossier.agency).items())
        ]
        view["delegations"] = [
            d.to_dict() for d in assignments.delegations(db.session, dossier.agency)
        ]
    return view


@blp.get(f"/dossiers/{ID_RULE}/handlers")
@requires("officer", "admin")
@blp.response(200, description="Người chủ trì, người phối hợp, lịch sử phân công")
@blp.alt_response(404, response="NOT_FOUND")
def get_handlers(dossier_id: int):
    """Ai đang xử lý hồ sơ: người chủ trì, người phối hợp, lịch sử phân công, cán bộ của cơ quan."""
    principal = current_principal()
    return _view(load_dossier(dossier_id, principal), principal)


@blp.put(f"/dossiers/{ID_RULE}/handlers")
@requires("officer", "admin")
@blp.arguments(HandlersSchema)
@blp.response(200, description="Phân công sau khi thay đổi")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def put_handlers(args: dict[str, Any], dossier_id: int):
    """Phân công người chủ trì và người phối hợp (lãnh đạo cơ quan; người chủ trì đổi được
    người phối hợp)."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    current = (
        assignments.handlers(db.session, [dossier.id]).get(dossier.id) or assignments.Handlers()
    )
    lead_keeps_lead = current.lead == principal.actor and args.get("lead") == current.lead
    if not _is_leader(principal, dossier.agency) and not lead_keeps_lead:
        raise forbidden(
            "Chỉ lãnh đạo cơ quan phân công người chủ trì; người chủ trì đổi được người phối hợp."
        )
    try:
        assignments.assign(
            db.session,
            dossier,
            args.get("lead"),
            args.get("co_handlers") or [],
            principal.actor,
            set(officers_of(dossier.agency)),
        )
    except assignments.AssignmentError as err:
        db.session.rollback()
        raise ApiProblem(
            422, str(err), kind="validation", errors=[{"field": "lead", "message": str(err)}]
        ) from err
    db.session.commit()
    return _view(dossier, principal)


@blp.get("/officers")
@requires("officer", "admin")
@blp.response(200, description="Cán bộ của cơ quan (để phân công, ủy quyền)")
def list_officers():
    """Cán bộ của cơ quan mình (quản trị viên: tham số agency)."""
    principal = current_principal()
    agency = principal.agency if principal.role == "officer" else request.args.get("agency")
    return {
        "items": [
            {"actor": a, "name": a.split(":", 1)[1], "lanes": lanes}
            for a, lanes in sorted(officers_of(agency).items())
        ]
    }


@blp.get("/delegations")
@requires("officer", "admin")
@blp.response(200, description="Các ủy quyền đang có hiệu lực hoặc sắp tới của cơ quan")
def list_delegations():
    """Ủy quyền khi vắng mặt của cơ quan (cán bộ: cơ quan mình)."""
    principal = current_principal()
    agency = principal.agency if principal.role == "officer" else None
    return {
        "items": [d.to_dict() for d in assignments.delegations(db.session, agency)],
        "acting_for": assignments.acting_for(db.session, principal.actor),
    }


@blp.post("/delegations")
@requires("officer", "admin")
@blp.arguments(DelegationInSchema)
@blp.response(201, description="Ủy quyền đã tạo")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_delegation(args: dict[str, Any]):
    """Ủy quyền xử lý khi vắng mặt: cán bộ cho chính mình, lãnh đạo cho cán bộ của cơ quan."""
    principal = current_principal()
    officer = args.get("officer") or principal.actor
    if principal.role == "admin":
        raise ApiProblem(
            422,
            "Quản trị viên không thuộc cơ quan nào: dùng tài khoản lãnh đạo cơ quan.",
            kind="validation",
            errors=[{"field": "officer", "message": "không có cơ quan"}],
        )
    if officer != principal.actor and not _is_leader(principal, principal.agency):
        raise forbidden(
            "Cán bộ chỉ ủy quyền cho việc của chính mình; lãnh đạo ủy quyền cho cán bộ của cơ quan."
        )
    try:
        row = assignments.delegate(
            db.session,
            principal.agency,
            officer,
            args["delegate"],
            args["starts_at"],
            args["ends_at"],
            args["reason"],
            principal.actor,
            set(officers_of(principal.agency)),
        )
    except assignments.AssignmentError as err:
        db.session.rollback()
        raise ApiProblem(
            422, str(err), kind="validation", errors=[{"field": "delegate", "message": str(err)}]
        ) from err
    db.session.commit()
    return row.to_dict(), 201


@blp.delete("/delegations/<int(min=1, max=2147483647):delegation_id>")
@requires("officer", "admin")
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def revoke_delegation(delegation_id: int):
    """Thu hồi ủy quyền (người ủy quyền, người tạo, lãnh đạo cơ quan)."""
    principal = current_principal()
    # an id past the integer column's range names no delegation (not an overflow: 500)
    row = db.session.get(assignments.Delegation, delegation_id) if row_id(delegation_id) else None
    if (
        row is None
        or row.revoked_at is not None
        or (principal.role == "officer" and row.agency != principal.agency)
    ):
        raise ApiProblem(404, f"Không có ủy quyền {delegation_id}.", kind="not-found")
    if principal.actor not in (row.officer, row.created_by) and not _is_leader(
        principal, row.agency
    ):
        raise forbidden("Chỉ người ủy quyền, người tạo hoặc lãnh đạo cơ quan thu hồi được.")
    assignments.revoke(db.session, row, principal.actor)
    db.session.commit()
    return None
