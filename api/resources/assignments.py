"""Officer assignment (engine/assignments.py): a dossier's lead and co-handlers, the
agency's officers, and delegations while an officer is away. Policy (engine/access.py):
a leader of the dossier's agency (or an admin) assigns; the lead may change the
co-handlers; an officer declares their own absence, a leader anyone's in the agency."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from toantrinh.api.auth import current_principal, requires
from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.engine import assignments
from toantrinh.engine.access import (
    ensure_may_assign,
    ensure_may_delegate,
    ensure_may_revoke_delegation,
    leads_agency,
    may_change_co_handlers,
    may_see_delegation,
)
from toantrinh.engine.accounts import officers_of

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


def _view(dossier, principal) -> dict[str, Any]:
    current = (
        assignments.handlers(db.session, [dossier.id]).get(dossier.id) or assignments.Handlers()
    )
    view = {
        **current.to_dict(),
        "history": assignments.history(db.session, dossier.id),
        "may_assign": leads_agency(principal, dossier.agency),
        "may_change_co_handlers": may_change_co_handlers(principal, dossier.agency, current.lead),
    }
    if principal.role != "citizen":
        view["officers"] = [
            {"actor": a, "name": a.split(":", 1)[1], "lanes": lanes}
            for a, lanes in sorted(officers_of(db.session, dossier.agency).items())
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
    ensure_may_assign(principal, dossier.agency, current.lead, args.get("lead"))
    try:
        assignments.assign(
            db.session, dossier, args.get("lead"), args.get("co_handlers") or [], principal.actor
        )
    except assignments.AssignmentError as err:
        raise ApiProblem(
            422, str(err), kind="validation", errors=[{"field": "lead", "message": str(err)}]
        ) from err
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
            for a, lanes in sorted(officers_of(db.session, agency).items())
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
    ensure_may_delegate(principal, officer)
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
        )
    except assignments.AssignmentError as err:
        raise ApiProblem(
            422, str(err), kind="validation", errors=[{"field": "delegate", "message": str(err)}]
        ) from err
    return row.to_dict(), 201


@blp.delete("/delegations/<int(min=1, max=2147483647):delegation_id>")
@requires("officer", "admin")
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def revoke_delegation(delegation_id: int):
    """Thu hồi ủy quyền (người ủy quyền, người tạo, lãnh đạo cơ quan)."""
    principal = current_principal()
    row = assignments.delegation(db.session, delegation_id)
    if row is None or not may_see_delegation(principal, row):
        raise ApiProblem(404, f"Không có ủy quyền {delegation_id}.", kind="not-found")
    ensure_may_revoke_delegation(principal, row)
    assignments.revoke(db.session, row, principal.actor)
    return None
