"""One-stop documents: the desk's printed forms of a dossier (receipt and appointment
slip, supplement request, refusal notice) and the signed PDF of an e-result, with the
public check of a signed PDF (engine/onestop/)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.files import file_response
from toantrinh.api.resources.common import ID_RULE, load_dossier
from toantrinh.engine import accounts, clock
from toantrinh.engine.onestop import notices, signing
from toantrinh.engine.onestop.documents import DocumentError
from toantrinh.engine.onestop.results import result_file, stored_result_code
from toantrinh.engine.warehouse import find_by_result_code

blp = Blueprint(
    "onestop",
    __name__,
    url_prefix="/api/v1",
    description="Biểu mẫu một cửa (giấy tiếp nhận, phiếu bổ sung, phiếu từ chối) "
    "và kết quả điện tử có chữ ký số",
)


class NoticeQuerySchema(Schema):
    reason = fields.String(metadata={"description": "lý do (phiếu từ chối, phiếu bổ sung)"})
    items = fields.String(metadata={"description": "nội dung cần bổ sung, mỗi dòng một mục"})


class SignatureSchema(Schema):
    result_code = fields.String()
    status = fields.String(metadata={"description": "pending, signed, failed, refused, none"})
    signer = fields.String(allow_none=True)
    signed_at = fields.String(allow_none=True)
    sha256 = fields.String(allow_none=True)


_PDF_BODY = {
    "required": True,
    "description": "Tệp PDF cần kiểm tra chữ ký số",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


def _renderer():
    return current_app.extensions["toantrinh.documents"]


def _signing() -> signing.SigningSetup | None:
    return current_app.extensions["toantrinh.signing"]


@blp.get(f"/dossiers/{ID_RULE}/notices/<any(receipt, 'supplement-request', refusal):kind>")
@requires("citizen", "officer", "admin")
@blp.arguments(NoticeQuerySchema, location="query")
@blp.response(200, description="Biểu mẫu PDF")
@blp.alt_response(404, response="NOT_FOUND")
def notice(args: dict[str, Any], dossier_id: int, kind: str):
    """In giấy tiếp nhận hồ sơ và hẹn trả kết quả, phiếu yêu cầu bổ sung hoặc phiếu từ chối
    (mẫu của quy định một cửa, tỉnh thay được mẫu)."""
    principal = current_principal()
    dossier = load_dossier(dossier_id, principal)
    if kind != "receipt" and principal.role == "citizen":
        raise forbidden("Phiếu bổ sung, phiếu từ chối do Bộ phận Một cửa lập.")
    engine = get_engine()
    renderer = _renderer()
    info_components = engine.component_types(dossier)
    files = {a.component for a in engine.attachments(dossier.id) if a.component}
    components = [
        {
            "name": name.replace("_", " "),
            "form": "Bản điện tử" if name in files else "Dữ liệu điện tử",
        }
        for name in sorted(info_components)
    ]
    context = notices.notice_context(
        dossier,
        engine.data(dossier),
        components,
        officer=principal.name if principal.role == "officer" else None,
        at=clock.now(),
        qr_text=renderer.tracking_qr_text(dossier.receipt_code),
        tracking_url=f"{renderer.settings.public_url}/track/{dossier.receipt_code}"
        if renderer.settings.public_url
        else "",
        overrides={"reason": args.get("reason"), "items": args.get("items")},
    )
    try:
        pdf = notices.render_notice(renderer, kind, context)
    except DocumentError as err:
        raise ApiProblem(500, str(err), kind="document") from err
    accounts.record_event(
        db.session, "notice_issued", principal.actor, {"kind": kind}, dossier_id=dossier.id
    )
    digest = hashlib.sha256(pdf).hexdigest()
    return file_response(pdf, "application/pdf", f"{kind}-{dossier.receipt_code}.pdf", digest)


@blp.get("/results/<string(minlength=4, maxlength=64):result_code>/signature")
@blp.response(200, SignatureSchema)
@blp.alt_response(404, response="NOT_FOUND")
def signature_status(result_code: str):
    """Kết quả đã được ký số chưa, ai ký, lúc nào, và SHA-256 của tệp PDF đã ký (công khai)."""
    if find_by_result_code(db.session, result_code) is None:
        raise ApiProblem(404, f"Không có kết quả mang mã {result_code}.", kind="not-found")
    row = result_file(db.session, result_code)
    if row is None:
        return {"result_code": result_code, "status": "none"}
    view = row.to_dict()
    view.pop("error")
    return view


@blp.get("/results/<string(minlength=4, maxlength=64):result_code>/document")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Kết quả điện tử (PDF có chữ ký số)")
@blp.alt_response(404, response="NOT_FOUND")
def signed_document(result_code: str):
    """Tải kết quả điện tử đã ký số: người được cấp, cán bộ của cơ quan cấp."""
    principal = current_principal()
    doc = find_by_result_code(db.session, result_code)
    if doc is None:
        raise ApiProblem(404, f"Không có kết quả mang mã {result_code}.", kind="not-found")
    if principal.role == "citizen" and doc.applicant_id != principal.identity_number:
        raise forbidden("Công dân chỉ tải kết quả của chính mình.")
    if principal.role == "officer" and doc.issuer != principal.agency:
        raise forbidden("Kết quả không do cơ quan của cán bộ này cấp.")
    row = result_file(db.session, result_code, with_content=True)
    if row is None or row.status != "signed":
        raise ApiProblem(404, f"Kết quả {result_code} chưa được ký số.", kind="not-found")
    return file_response(row.content, "application/pdf", f"{result_code}.pdf", row.sha256)


@blp.post("/results/<string(minlength=4, maxlength=64):result_code>/signature")
@blp.doc(requestBody=_PDF_BODY)
@blp.response(200, description="Kết quả kiểm tra chữ ký số của tệp")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def check_signature(result_code: str):
    """Kiểm tra một tệp PDF kết quả (công khai): chữ ký số còn nguyên vẹn, người ký được tin
    cậy và chưa bị thu hồi, và tệp có đúng là bản đã cấp cho mã kết quả này không."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiProblem(
            422,
            "Cần tệp PDF (trường file).",
            kind="validation",
            errors=[{"field": "file", "message": "bắt buộc"}],
        )
    if find_by_result_code(db.session, result_code) is None:
        raise ApiProblem(404, f"Không có kết quả mang mã {result_code}.", kind="not-found")
    content = upload.read()
    setup = _signing() or signing.SigningSetup(signers=[])
    report = signing.validate_pdf(content, setup).to_dict()
    row = result_file(db.session, result_code)
    digest = hashlib.sha256(content).hexdigest()
    report["sha256"] = digest
    report["issued_copy"] = bool(row and row.sha256 == digest)
    report["ok"] = report["problem"] is None and report["signed"] and report["issued_copy"]
    if report["signed"] and report["problem"] is None and not report["issued_copy"]:
        report["problem"] = "chữ ký hợp lệ nhưng tệp không phải bản đã cấp cho mã kết quả này"
    return report


@blp.get(f"/dossiers/{ID_RULE}/result")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Mã kết quả của hồ sơ và trạng thái ký số")
@blp.alt_response(404, response="NOT_FOUND")
def dossier_result(dossier_id: int):
    """Kết quả điện tử của hồ sơ (nếu đã có): mã kết quả và trạng thái ký số — để người
    được cấp và cán bộ tải bản PDF đã ký."""
    dossier = load_dossier(dossier_id, current_principal())
    code = stored_result_code(db.session, dossier.id)
    if not code:
        return {"result_code": None, "status": "none"}
    row = result_file(db.session, code)
    view = row.to_dict() if row is not None else {"result_code": code, "status": "none"}
    view.pop("error", None)
    return view
