"""Files attached to a dossier: upload, list, download (engine/attachments.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, current_app, request
from flask_smorest import Blueprint

from api.app import get_engine
from api.auth import Principal, current_principal, requires
from api.errors import ApiProblem
from api.resources.dossiers import ID_RULE, load_dossier
from api.schemas import AttachmentSchema, ComponentSchema
from engine import attachments as filelib

blp = Blueprint("attachments", __name__, url_prefix="/api/v1/dossiers",
                description="Tệp đính kèm thành phần hồ sơ: tải lên, xem danh sách, tải về")

_UPLOAD_BODY = {
    "required": True,
    "description": "Một tệp PDF, PNG, JPEG, TIFF hoặc WebP (kiểu đọc theo nội dung tệp)",
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "component": {"type": "string",
                          "description": "mã thành phần hồ sơ (x-component của biểu mẫu)"}}}}},
}


def _limits() -> filelib.Limits:
    config = current_app.config
    return filelib.Limits(
        max_bytes=int(config.get("TOANTRINH_ATTACHMENT_MAX_BYTES", filelib.DEFAULT_MAX_BYTES)),
        max_per_dossier=int(config.get("TOANTRINH_ATTACHMENTS_PER_DOSSIER",
                                       filelib.DEFAULT_MAX_PER_DOSSIER)))


def _view(row: filelib.DossierAttachment, principal: Principal) -> dict[str, Any]:
    view = row.to_dict()
    if principal.role == "citizen" and view["uploaded_by"] != principal.actor:
        view["uploaded_by"] = None  # officers' names stay inside the agency, as in the events
    return view


@blp.post(f"/{ID_RULE}/attachments")
@requires("citizen", "officer", "admin")
@blp.doc(requestBody=_UPLOAD_BODY)
@blp.response(201, AttachmentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def upload_attachment(dossier_id: int):
    """Tải lên một tệp của hồ sơ; mã tệp (TL-…) điền vào trường thành phần hồ sơ của biểu mẫu."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(415, "Gửi tệp dạng multipart/form-data, trường 'file'.", kind="unsupported-media-type")
    upload = request.files.get("file")
    if upload is None:
        raise ApiProblem(422, "Thiếu tệp.", kind="validation",
                         errors=[{"field": "file", "message": "Trường này là bắt buộc."}])
    component = (request.form.get("component") or "").strip() or None
    row = get_engine().attach(dossier_id, upload.read(), filename=upload.filename,
                              component=component, actor=principal.actor, limits=_limits())
    return _view(row, principal), 201


@blp.get(f"/{ID_RULE}/attachments")
@requires("citizen", "officer", "admin")
@blp.response(200, AttachmentSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_attachments(dossier_id: int):
    """Các tệp đã nộp kèm hồ sơ (không kèm nội dung)."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    return [_view(row, principal) for row in get_engine().attachments(dossier_id)]


@blp.get(f"/{ID_RULE}/components")
@requires("citizen", "officer", "admin")
@blp.response(200, ComponentSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def dossier_components(dossier_id: int):
    """Thành phần hồ sơ mà biểu mẫu của thủ tục yêu cầu, và các tệp đã nộp cho từng thành phần."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    engine = get_engine()
    files = engine.attachments(dossier_id)
    return [{"component": component, "fields": fields,
             "attachments": [f.code for f in files if f.component == component]}
            for component, fields in sorted(engine.components(dossier).items())]


@blp.get(f"/{ID_RULE}/attachments/<string(length=19):code>")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Nội dung tệp (kiểu như khi tải lên)")
@blp.alt_response(404, response="NOT_FOUND")
def download_attachment(dossier_id: int, code: str):
    """Tải về nội dung một tệp của hồ sơ."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    row = get_engine().attachment(dossier_id, code, with_content=True)
    name = quote(row.filename)
    return Response(row.content, mimetype=row.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
        "ETag": f'"{row.sha256}"',
    })
