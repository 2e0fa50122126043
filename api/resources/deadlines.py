"""The statutory clock of a dossier (engine/deadlines.py): its due instant, the time it
stood still, its extensions, and the apology letter an extension prints."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.files import file_response
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.engine import accounts, clock, deadlines
from toantrinh.engine.onestop import notices
from toantrinh.engine.onestop.documents import DocumentError

blp = Blueprint(
    "deadlines",
    __name__,
    url_prefix="/api/v1",
    description="Thời hạn giải quyết hồ sơ: tạm dừng khi chờ công dân, gia hạn, phiếu xin lỗi",
)

# who may move an appointment: the desk that gives it, the leader who answers for it
EXTENDERS = ("one_stop_desk", "leader")


class EntrySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "received, paused, extended"})
    cause = fields.String(allow_none=True, metadata={"description": "supplement, payment"})
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    actor = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    due_before = fields.DateTime(allow_none=True)
    due_after = fields.DateTime(allow_none=True)
    paused_seconds = fields.Integer(allow_none=True)


class DeadlineSchema(Schema):
    state = fields.String(metadata={"description": "not_received, running, paused, ended, none"})
    received_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    statutory_due_at = fields.DateTime(
        allow_none=True, metadata={"description": "hạn theo quy định (không tính gia hạn)"}
    )
    paused_seconds = fields.Integer(metadata={"description": "thời gian làm việc đã tạm dừng"})
    paused_since = fields.DateTime(allow_none=True)
    pause_cause = fields.String(allow_none=True)
    extended = fields.Boolean()
    processing_time = fields.Dict()
    entries = fields.List(fields.Nested(EntrySchema))
    can_extend = fields.Boolean()


class ExtensionSchema(Schema):
    due_at = fields.AwareDateTime(
        required=True, metadata={"description": "ngày giờ hẹn mới (có múi giờ)"}
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=deadlines.MAX_REASON))


def _may_extend(principal, dossier) -> bool:
    if principal.role == "admin":
        return True
    return (
        principal.role == "officer"
        and principal.agency == dossier.agency
        and any(lane in principal.lanes for lane in EXTENDERS)
    )


def _view(dossier, principal) -> dict[str, Any]:
    engine = get_engine()
    info = engine._loaded(dossier.version).info
    state = deadlines.state_of(db.session, dossier, info)
    entries = deadlines.entries_of(db.session, dossier.id)
    if dossier.status in ("completed", "cancelled"):
        label = "ended"
    elif state.received_at is None:
        label = "not_received"
    elif state.paused_since is not None:
        label = "paused"
    else:
        label = "running" if dossier.due_at else "none"
    return {
        "state": label,
        "received_at": state.received_at,
        "due_at": dossier.due_at,
        "statutory_due_at": state.statutory_due_at,
        "paused_seconds": int(state.paused.total_seconds()),
        "paused_since": state.paused_since,
        "pause_cause": state.pause_cause,
        "extended": state.extended,
        "processing_time": (dossier.version.model.procedure or {}).get("processing_time") or {},
        "entries": [e.to_dict() for e in entries],
        "can_extend": label in ("running", "paused", "not_received")
        and _may_extend(principal, dossier),
    }


@blp.get(f"/dossiers/{ID_RULE}/deadline")
@requires("citizen", "officer", "admin")
@blp.response(200, DeadlineSchema)
@blp.alt_response(404, response="NOT_FOUND")
def deadline(dossier_id: int):
    """Thời hạn giải quyết: ngày hẹn trả, thời gian tạm dừng (chờ bổ sung, chờ nộp phí), gia hạn."""
    principal = current_principal()
    return _view(load_dossier(dossier_id, principal), principal)


@blp.post(f"/dossiers/{ID_RULE}/deadline/extensions")
@requires("officer", "admin")
@blp.arguments(ExtensionSchema)
@blp.response(201, DeadlineSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def extend(args: dict[str, Any], dossier_id: int):
    """Gia hạn, hẹn lại ngày trả kết quả (Bộ phận Một cửa, lãnh đạo cơ quan): kèm lý do, in
    phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    if not _may_extend(principal, dossier):
        raise forbidden(
            "Chỉ Bộ phận Một cửa hoặc lãnh đạo cơ quan giải quyết được hẹn lại ngày trả kết quả."
        )
    try:
        deadlines.extend(get_engine(), dossier.id, args["due_at"], args["reason"], principal.actor)
    except deadlines.DeadlineError as err:
        raise ApiProblem(
            422,
            str(err),
            kind="validation",
            errors=[{"field": "due_at" if "ngày" in str(err) else "reason", "message": str(err)}],
        ) from err
    db.session.expire_all()
    return _view(get_engine().get(dossier.id), principal), 201


@blp.get(f"/dossiers/{ID_RULE}/deadline/apology")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Phiếu xin lỗi và hẹn lại ngày trả kết quả (PDF)")
@blp.alt_response(404, response="NOT_FOUND")
def apology(dossier_id: int):
    """In phiếu xin lỗi và hẹn lại ngày trả kết quả của lần gia hạn gần nhất."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    extension = next(
        (e for e in reversed(deadlines.entries_of(db.session, dossier.id)) if e.kind == "extended"),
        None,
    )
    if extension is None:
        raise ApiProblem(404, "Hồ sơ chưa được hẹn lại ngày trả kết quả.", kind="not-found")
    engine = get_engine()
    renderer = current_app.extensions["toantrinh.documents"]
    context = notices.notice_context(
        dossier,
        engine.data(dossier),
        [],
        officer=principal.name if principal.role == "officer" else None,
        at=clock.now(),
        qr_text=renderer.tracking_qr_text(dossier.receipt_code),
    )
    context["extension"] = extension.to_dict()
    try:
        pdf = renderer.pdf(
            "apology.html", context, title="Phiếu xin lỗi và hẹn lại ngày trả kết quả"
        )
    except DocumentError as err:
        raise ApiProblem(500, str(err), kind="document") from err
    accounts.record_event(
        db.session, "notice_issued", principal.actor, {"kind": "apology"}, dossier_id=dossier.id
    )
    return file_response(
        pdf,
        "application/pdf",
        f"apology-{dossier.receipt_code}.pdf",
        hashlib.sha256(pdf).hexdigest(),
    )
