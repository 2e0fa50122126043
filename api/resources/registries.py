"""National databases (cơ sở dữ liệu quốc gia), the citizen's consents, and the e-data
warehouse (kho dữ liệu điện tử).

Reading what a registry or the warehouse holds about a person is allowed to that person,
and to officers and administrators only while the person's consent for that registry is
recorded and in force (Decree 13/2023/NĐ-CP on personal data protection; Law on Data
60/2024/QH15). Every such read is written to the audit trail.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from toantrinh.api.auth import current_principal, forbidden, requires
from toantrinh.api.context import connectors, db, get_engine
from toantrinh.api.errors import ApiProblem
from toantrinh.api.files import file_response
from toantrinh.api.resources.common import registry_rows
from toantrinh.api.schemas import IDENTITY, DocumentSchema, Id
from toantrinh.engine import accounts, clock
from toantrinh.engine.access import authorise_personal_read, visible_consents
from toantrinh.engine.registries.catalog import load_catalog
from toantrinh.engine.warehouse import find_by_result_code, find_valid

blp = Blueprint(
    "registries",
    __name__,
    url_prefix="/api/v1",
    description="Cơ sở dữ liệu quốc gia, sự đồng ý của công dân, kho dữ liệu điện tử",
)

WAREHOUSE = "edata_warehouse"
PERSON_RULE = "<string(minlength=9, maxlength=12):identity_number>"
REGISTRY_RULE = "<string(minlength=1, maxlength=64):registry_id>"


class RegistrySchema(Schema):
    id = fields.String()
    name_vi = fields.String()
    name_en = fields.String()
    owner = fields.String()
    connected = fields.Boolean(metadata={"description": "triển khai này đã kết nối"})
    scope_published = fields.Boolean(
        metadata={"description": "chủ quản đã công bố phạm vi dữ liệu"}
    )
    available = fields.Boolean(
        metadata={"description": "có bộ kết nối đang cấu hình trong ứng dụng"}
    )
    fields_ = fields.List(fields.String(), data_key="fields")
    document_types = fields.List(fields.String())


class RecordSchema(Schema):
    registry = fields.String()
    identity_number = fields.String()
    consent_id = fields.Integer(allow_none=True)
    record = fields.Dict()


class ConsentCreateSchema(Schema):
    registry = fields.String(required=True, validate=validate.Length(min=1, max=64))
    purpose = fields.String(required=True, validate=validate.Length(min=3, max=500))
    agency = fields.String(
        validate=validate.Length(min=1, max=200),
        load_default=None,
        metadata={"description": "chỉ cơ quan này được đọc (bỏ trống: mọi cơ quan)"},
    )
    dossier_id = fields.Integer(validate=Id, load_default=None)
    expires_at = fields.AwareDateTime(load_default=None)


class ConsentSchema(Schema):
    id = fields.Integer()
    identity_number = fields.String()
    registry = fields.String(attribute="registry_id")
    purpose = fields.String()
    agency = fields.String(allow_none=True)
    dossier_id = fields.Integer(allow_none=True)
    granted_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class DocumentQuerySchema(Schema):
    document_type = fields.String(validate=validate.Length(min=1, max=64), load_default=None)


def _check_identity(identity_number: str) -> None:
    try:
        IDENTITY(identity_number)
    except ValidationError as err:
        raise ApiProblem(
            422,
            "Số định danh không hợp lệ.",
            kind="validation",
            errors=[{"field": "identity_number", "message": str(err.messages[0])}],
        ) from err


def _known_registries() -> set[str]:
    return set(load_catalog().registries) | {WAREHOUSE}


@blp.get("/registries")
@requires()
@blp.response(200, RegistrySchema(many=True))
def list_registries():
    """Danh mục cơ sở dữ liệu với cờ đã kết nối và đã công bố phạm vi dữ liệu."""
    return registry_rows()


@blp.get(f"/registries/{REGISTRY_RULE}/records/{PERSON_RULE}")
@requires("citizen", "officer", "admin")
@blp.response(200, RecordSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(502, response="BAD_GATEWAY")
def read_record(registry_id: str, identity_number: str):
    """Dữ liệu một cơ sở dữ liệu giữ về một công dân (cần sự đồng ý nếu không phải chính mình)."""
    principal = current_principal()
    _check_identity(identity_number)
    if registry_id not in load_catalog().registries:
        raise ApiProblem(
            404, f"Không có cơ sở dữ liệu '{registry_id}' trong danh mục.", kind="not-found"
        )
    if registry_id not in connectors():
        raise ApiProblem(
            404, f"Triển khai này chưa kết nối cơ sở dữ liệu '{registry_id}'.", kind="not-found"
        )
    consent = authorise_personal_read(db.session, principal, identity_number, registry_id)
    record = connectors().call(f"{registry_id}.lookup", {"identity_number": identity_number})
    accounts.record_event(
        db.session,
        "registry_read",
        principal.actor,
        {
            "registry": registry_id,
            "subject": identity_number,
            "consent_id": consent.id if consent else None,
        },
    )
    return {
        "registry": registry_id,
        "identity_number": identity_number,
        "consent_id": consent.id if consent else None,
        "record": record,
    }


@blp.post("/consents")
@requires("citizen")
@blp.arguments(ConsentCreateSchema)
@blp.response(201, ConsentSchema)
def grant_consent(args: dict[str, Any]):
    """Công dân đồng ý cho cơ quan đọc dữ liệu của mình ở một cơ sở dữ liệu, cho một mục đích."""
    principal = current_principal()
    if args["registry"] not in _known_registries():
        raise ApiProblem(
            422,
            "Cơ sở dữ liệu không có trong danh mục.",
            kind="validation",
            errors=[
                {"field": "registry", "message": f"Không có '{args['registry']}' trong danh mục."}
            ],
        )
    if args["expires_at"] is not None and args["expires_at"] <= clock.now():
        raise ApiProblem(
            422,
            "Thời hạn đồng ý đã qua.",
            kind="validation",
            errors=[{"field": "expires_at", "message": "Phải là thời điểm trong tương lai."}],
        )
    if args["dossier_id"] is not None:
        dossier = get_engine().find(args["dossier_id"])
        if dossier is None or dossier.applicant_id != principal.identity_number:
            raise ApiProblem(
                422,
                "Hồ sơ không phải của người đồng ý.",
                kind="validation",
                errors=[{"field": "dossier_id", "message": "Không có hồ sơ này của ông/bà."}],
            )
    consent = accounts.grant_consent(
        db.session,
        principal.identity_number,
        args["registry"],
        args["purpose"],
        agency=args["agency"],
        dossier_id=args["dossier_id"],
        expires_at=args["expires_at"],
        by=principal.actor,
    )
    return consent, 201


@blp.get("/consents")
@requires("citizen", "admin")
@blp.response(200, ConsentSchema(many=True))
def list_consents():
    """Các sự đồng ý: công dân thấy của mình, quản trị viên thấy tất cả."""
    return visible_consents(db.session, current_principal())


@blp.delete("/consents/<int(min=1, max=2147483647):consent_id>")
@requires("citizen")
@blp.response(200, ConsentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def revoke_consent(consent_id: int):
    """Rút lại sự đồng ý (từ lúc này cơ quan không đọc được nữa)."""
    principal = current_principal()
    consent = accounts.consent(db.session, consent_id)
    if consent is None:
        raise ApiProblem(404, f"Không có sự đồng ý {consent_id}.", kind="not-found")
    if consent.identity_number != principal.identity_number:
        raise forbidden("Chỉ người đã đồng ý mới rút lại được.")
    accounts.revoke_consent(db.session, consent, principal.actor)
    return consent


@blp.get(f"/warehouse/{PERSON_RULE}/documents")
@requires("citizen", "officer", "admin")
@blp.arguments(DocumentQuerySchema, location="query", as_kwargs=True)
@blp.response(200, DocumentSchema(many=True))
def warehouse_documents(identity_number: str, document_type: str | None = None):
    """Giấy tờ, kết quả còn hiệu lực trong kho dữ liệu điện tử của một công dân."""
    principal = current_principal()
    _check_identity(identity_number)
    consent = authorise_personal_read(db.session, principal, identity_number, WAREHOUSE)
    docs = [
        d.to_dict() for d in find_valid(db.session, identity_number, document_type, at=clock.now())
    ]
    if consent is not None:
        accounts.record_event(
            db.session,
            "warehouse_read",
            principal.actor,
            {"subject": identity_number, "consent_id": consent.id},
        )
    return docs


@blp.get(f"/warehouse/{PERSON_RULE}/documents/<string(minlength=4, maxlength=64):result_code>/file")
@requires("citizen", "officer", "admin")
@blp.response(200, description="Tệp của giấy tờ số hóa (kiểu như khi tải lên)")
@blp.alt_response(404, response="NOT_FOUND")
def warehouse_document_file(identity_number: str, result_code: str):
    """Tải về tệp của một giấy tờ số hóa trong kho dữ liệu điện tử của một công dân."""
    principal = current_principal()
    _check_identity(identity_number)
    consent = authorise_personal_read(db.session, principal, identity_number, WAREHOUSE)
    doc = find_by_result_code(db.session, result_code, with_content=True)
    if doc is None or doc.applicant_id != identity_number or not doc.has_file:
        raise ApiProblem(
            404, f"Kho dữ liệu không có tệp của giấy tờ {result_code}.", kind="not-found"
        )
    if consent is not None:
        accounts.record_event(
            db.session,
            "warehouse_read",
            principal.actor,
            {"subject": identity_number, "consent_id": consent.id, "result_code": result_code},
        )
    return file_response(
        get_engine().file_content(doc), doc.media_type, doc.filename, doc.content_hash
    )
