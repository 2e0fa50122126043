"""Files attached to a dossier: upload, list, download (engine/attachments.py)."""

from __future__ import annotations

import shlex
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint

from toantrinh.api.auth import Principal, current_principal, requires
from toantrinh.api.context import get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.files import file_response
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.api.schemas import (
    AttachmentSchema,
    ComponentSchema,
    DocumentSchema,
    KeepAttachmentSchema,
)
from toantrinh.engine import attachments as filelib
from toantrinh.engine import clock
from toantrinh.engine.warehouse import find_valid

blp = Blueprint(
    "attachments",
    __name__,
    url_prefix="/api/v1/dossiers",
    description="Tệp đính kèm thành phần hồ sơ: tải lên, xem danh sách, tải về",
)

_UPLOAD_BODY = {
    "required": True,
    "description": "Một tệp PDF, PNG, JPEG, TIFF hoặc WebP (kiểu đọc theo nội dung tệp)",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "component": {
                        "type": "string",
                        "description": "mã thành phần hồ sơ (x-component của biểu mẫu)",
                    },
                },
            }
        }
    },
}


def _limits() -> filelib.Limits:
    config = current_app.config
    command = config.get("TOANTRINH_UPLOAD_SCAN") or ()
    return filelib.Limits(
        max_bytes=int(config.get("TOANTRINH_ATTACHMENT_MAX_BYTES", filelib.DEFAULT_MAX_BYTES)),
        max_per_dossier=int(
            config.get("TOANTRINH_ATTACHMENTS_PER_DOSSIER", filelib.DEFAULT_MAX_PER_DOSSIER)
        ),
        scan_command=tuple(shlex.split(command) if isinstance(command, str) else command),
        scan_seconds=float(
            config.get("TOANTRINH_UPLOAD_SCAN_SECONDS", filelib.DEFAULT_SCAN_SECONDS)
        ),
    )


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
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def upload_attachment(dossier_id: int):
    """Tải lên một tệp của hồ sơ; mã tệp (TL-…) điền vào trường thành phần hồ sơ của biểu mẫu."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    if request.mimetype != "multipart/form-data":
        raise ApiProblem(
            415, "Gửi tệp dạng multipart/form-data, trường 'file'.", kind="unsupported-media-type"
        )
    upload = request.files.get("file")
    if upload is None:
        raise ApiProblem(
            422,
            "Thiếu tệp.",
            kind="validation",
            errors=[{"field": "file", "message": "Trường này là bắt buộc."}],
        )
    component = (request.form.get("component") or "").strip() or None
    row = get_engine().attach(
        dossier_id,
        upload.read(),
        filename=upload.filename,
        component=component,
        actor=principal.actor,
        limits=_limits(),
    )
    return _view(row, principal), 201


@blp.get(f"/{ID_RULE}/attachments")
@requires("citizen", "officer", "admin")
@blp.response(200, AttachmentSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_attachments(dossier_id: int):
    """Các tệp đã nộp kèm hồ sơ (không kèm nội dung)."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    engine = get_engine()
    rows = engine.attachments(dossier_id)
    kept = engine.kept_attachments([row.code for row in rows])
    return [{**_view(row, principal), "kept_as": kept.get(row.code)} for row in rows]


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
    kinds = engine.component_types(dossier)
    own = principal.role == "citizen" and principal.identity_number == dossier.applicant_id
    held: dict[str, list[dict[str, Any]]] = {}
    if own:
        for doc in find_valid(engine.session, dossier.applicant_id, at=clock.now()):
            held.setdefault(doc.document_type, []).append(
                {
                    "result_code": doc.result_code,
                    "title": doc.title,
                    "issued_at": doc.issued_at.isoformat(),
                    "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
                }
            )
    return [
        {
            "component": component,
            "fields": fields,
            "attachments": [f.code for f in files if f.component == component],
            "document_type": kinds[component],
            "held": held.get(kinds[component], []) if own else None,
        }
        for component, fields in sorted(engine.components(dossier).items())
    ]


@blp.get(f"/{ID_RULE}/attachments/<string(length=19):code>")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Nội dung tệp (kiểu như khi tải lên)")
@blp.alt_response(404, response="NOT_FOUND")
def download_attachment(dossier_id: int, code: str):
    """Tải về nội dung một tệp của hồ sơ."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    engine = get_engine()
    row = engine.attachment(dossier_id, code, with_content=True)
    return file_response(engine.file_content(row), row.media_type, row.filename, row.sha256)


@blp.post(f"/{ID_RULE}/attachments/<string(length=19):code>/keep")
@requires("officer", "admin")
@blp.arguments(KeepAttachmentSchema, required=False)
@blp.response(201, DocumentSchema)
@blp.alt_response(200, schema=DocumentSchema, description="tệp đã được lưu vào kho từ trước")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def keep_attachment(args: dict[str, Any], dossier_id: int, code: str):
    """Lưu một tệp đã kiểm tra vào kho dữ liệu điện tử của người nộp (bản số hóa), để các
    hồ sơ sau dùng mã kết quả (KQ-…) thay vì nộp lại."""
    principal = current_principal()
    load_dossier(dossier_id, principal)
    doc, created = get_engine().keep_attachment(
        dossier_id, code, actor=principal.actor, valid_until=(args or {}).get("valid_until")
    )
    return doc.to_dict(), 201 if created else 200


@blp.get(f"/{ID_RULE}/documents/<string(minlength=4, maxlength=64):result_code>/file")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Tệp của giấy tờ số hóa mà hồ sơ dùng")
@blp.alt_response(404, response="NOT_FOUND")
def dossier_document_file(dossier_id: int, result_code: str):
    """Tải về tệp của một giấy tờ trong kho dữ liệu mà hồ sơ này dùng thay cho tệp nộp kèm
    (hoặc đã được lưu vào kho từ hồ sơ này)."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    engine = get_engine()
    doc = engine.used_document(dossier, result_code)
    return file_response(engine.file_content(doc), doc.media_type, doc.filename, doc.content_hash)
