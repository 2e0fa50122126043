"""marshmallow schemas of the REST API; the OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

import toantrinh.api.messages  # noqa: F401  (Vietnamese validation messages)
from toantrinh.api.models import LANES, ROLES

CHANNELS = ("online", "in_person", "postal")
IDENTITY = validate.Regexp(r"^\d{9,12}$", error="Số định danh gồm 9 đến 12 chữ số.")
MAX_ID = 2_147_483_647
Id = validate.Range(min=1, max=MAX_ID)
SLUG = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$",
    error="Mã quy trình chỉ gồm chữ cái, chữ số, '-', '_', '.' (tối đa 120 ký tự).",
)


class FieldErrorSchema(Schema):
    field = fields.String(required=True, metadata={"description": "tên trường bị lỗi (dạng a.b.c)"})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldErrorSchema), required=True)


# ------------------------------------------------------------------------ auth
class TokenCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    agency = fields.String(validate=validate.Length(min=1, max=200), load_default=None)
    lanes = fields.List(
        fields.String(validate=validate.OneOf(LANES)),
        load_default=list,
        validate=validate.Length(max=len(LANES)),
    )
    identity_number = fields.String(validate=IDENTITY, load_default=None)
    expires_in_hours = fields.Float(
        validate=validate.Range(min=0.01, max=24 * 366), load_default=None
    )

    @validates_schema
    def _scope(self, data, **_):
        if data.get("role") == "officer":
            errors = {}
            if not data.get("agency"):
                errors["agency"] = ["Cán bộ phải thuộc một cơ quan."]
            if not data.get("lanes"):
                errors["lanes"] = ["Cán bộ phải có ít nhất một vai trò xử lý (lane)."]
            if errors:
                raise ValidationError(errors)
        if data.get("role") == "citizen" and not data.get("identity_number"):
            raise ValidationError({"identity_number": ["Công dân phải có số định danh cá nhân."]})


class DevLoginSchema(TokenCreateSchema):
    name = fields.String(validate=validate.Length(min=1, max=200), load_default="dev")


class PrincipalSchema(Schema):
    id = fields.String()
    role = fields.String()
    name = fields.String()
    agency = fields.String(allow_none=True)
    lanes = fields.List(fields.String())
    identity_number = fields.String(allow_none=True)


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    agency = fields.String(allow_none=True)
    lanes = fields.List(fields.String())
    identity_number = fields.String(allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    token = fields.String(metadata={"description": "mã truy cập; chỉ hiện một lần khi tạo"})


# ---------------------------------------------------------------------- models
class VersionSchema(Schema):
    number = fields.Integer()
    content_hash = fields.String()
    created_at = fields.DateTime()
    created_by = fields.String(allow_none=True)
    tasks = fields.List(
        fields.Dict(), metadata={"description": "tác vụ người dùng: mã, tên, lane, biểu mẫu"}
    )
    warnings = fields.List(fields.String())


class ModelSummarySchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    process_id = fields.String()
    code = fields.String(allow_none=True)
    name = fields.String()
    name_en = fields.String(allow_none=True)
    latest_version = fields.Integer(allow_none=True)
    procedure = fields.Dict()
    keywords = fields.String(
        metadata={
            "description": "tên, mã, tên viết tắt đã bỏ dấu, chữ thường "
            "(engine/textfold.py): để tìm không phân biệt dấu"
        }
    )


class ModelDetailSchema(ModelSummarySchema):
    versions = fields.List(fields.Nested(VersionSchema))


class BulkMigrationRequestSchema(Schema):
    from_version = fields.Integer(required=True, validate=Id)
    to_version = fields.Integer(required=True, validate=Id)
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "chỉ kiểm tra, không chuyển"}
    )
    limit = fields.Integer(
        load_default=500,
        validate=validate.Range(min=1, max=5000),
        metadata={"description": "số hồ sơ tối đa trong một lần gọi (cũ nhất trước)"},
    )


class BulkMigrationSchema(Schema):
    model = fields.String()
    from_version = fields.Integer()
    to_version = fields.Integer()
    dry_run = fields.Boolean()
    moved = fields.List(
        fields.Dict(),
        metadata={
            "description": "hồ sơ đã chuyển (khi dry_run: chuyển được): dossier_id, receipt_code"
        },
    )
    refused = fields.List(
        fields.Dict(),
        metadata={
            "description": "hồ sơ không chuyển, giữ nguyên: dossier_id, receipt_code, reason"
        },
    )
    more = fields.Boolean(metadata={"description": "còn hồ sơ chưa xét (vượt limit): gọi lại"})


class DeployResultSchema(Schema):
    slug = fields.String()
    version = fields.Integer()
    created = fields.Boolean(
        metadata={"description": "false khi nội dung đã được triển khai (cùng mã băm)"}
    )
    content_hash = fields.String()
    warnings = fields.List(fields.String())


class ValidationResultSchema(Schema):
    valid = fields.Boolean()
    forceable = fields.Boolean(
        metadata={
            "description": "true khi chỉ kiểm tra cấu trúc từ chối mô hình: triển khai được với force"
        }
    )
    process_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    problems = fields.List(fields.String())
    warnings = fields.List(fields.String())
    tasks = fields.List(fields.Dict())


class FormsSchema(Schema):
    version = fields.Integer()
    forms = fields.Dict(keys=fields.String(), values=fields.Dict())


# -------------------------------------------------------------------- dossiers
class DossierStartSchema(Schema):
    model = fields.String(required=True, validate=SLUG)
    version = fields.Integer(validate=Id, load_default=None)
    channel = fields.String(validate=validate.OneOf(CHANNELS), load_default="online")
    applicant_id = fields.String(validate=IDENTITY, load_default=None)
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=200)), load_default=dict)


class DossierQuerySchema(Schema):
    status = fields.String(
        validate=validate.OneOf(("in_progress", "completed", "cancelled", "error"))
    )
    model = fields.String(validate=SLUG)
    attention = fields.Boolean(
        metadata={"description": "chỉ hồ sơ cần cán bộ xử lý: lỗi, không còn tự động thử lại"}
    )
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)


class DossierSummarySchema(Schema):
    id = fields.Integer()
    receipt_code = fields.String()
    model = fields.String()
    model_name = fields.String()
    version = fields.Integer()
    status = fields.String()
    channel = fields.String()
    agency = fields.String(allow_none=True)
    applicant_id = fields.String(allow_none=True)
    full_online = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    needs_attention = fields.Boolean(
        metadata={
            "description": "hồ sơ lỗi không còn được tự động thử lại: cán bộ cần xem và chạy lại"
        }
    )
    retry_at = fields.DateTime(
        allow_none=True, metadata={"description": "lần tự động thử lại kế tiếp"}
    )
    retry_count = fields.Integer(
        metadata={"description": "số lần đã tự động thử lại trong đợt này"}
    )
    outcome = fields.String(
        allow_none=True,
        metadata={
            "description": "kết quả giải quyết: issued, refused, withdrawn, expired (hồ sơ đã kết thúc)"
        },
    )


class DossierSchema(DossierSummarySchema):
    current_tasks = fields.List(
        fields.Dict(), metadata={"description": "các bước đang chờ: id, tên, lane"}
    )
    data = fields.Dict(metadata={"description": "dữ liệu hồ sơ (chỉ người có quyền xem hồ sơ)"})
    reason = fields.String(
        allow_none=True,
        metadata={"description": "lý do của cán bộ khi từ chối, hoặc lý do hủy/rút hồ sơ"},
    )
    result_code = fields.String(
        allow_none=True,
        metadata={
            "description": "mã kết quả điện tử trong kho dữ liệu của người nộp (kiểm tra tại /verify/<mã>)"
        },
    )


class DossierViewSchema(Schema):
    """The dossier read-only beside an officer's task (engine/dossier_view.py)."""

    id = fields.Integer()
    receipt_code = fields.String()
    status = fields.String()
    declared = fields.List(
        fields.Dict(),
        metadata={
            "description": "các bước người nộp đã làm: step, actor, at, fields[name, title, value, label, component]"
        },
    )
    prefilled = fields.List(
        fields.Dict(),
        metadata={
            "description": "thông tin điền sẵn từ CSDL quốc gia: name, title, value, label, source (mã CSDL)"
        },
    )
    components = fields.List(
        fields.Dict(),
        metadata={
            "description": "thành phần hồ sơ: code, name, document_type, given (mã đã điền), files"
        },
    )
    files = fields.List(
        fields.Dict(), metadata={"description": "tệp của hồ sơ, với đường dẫn tải (download)"}
    )
    decisions = fields.List(
        fields.Dict(),
        metadata={
            "description": "các bước cán bộ đã làm: step, kind, actor, at, fields (quyết định, lý do, ghi chú)"
        },
    )
    outcome = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    result_code = fields.String(allow_none=True)


class DocumentNeededSchema(Schema):
    """A dossier component and whether the applicant supplies it (engine/documents_needed.py)."""

    code = fields.String()
    name = fields.String()
    document_type = fields.String(allow_none=True)
    required = fields.Boolean()
    status = fields.String(metadata={"description": "form, online_form, not_needed, supply"})
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        attribute="fields",
        metadata={"description": "các trường biểu mẫu của người nộp hỏi thành phần này"},
    )
    source = fields.Dict(
        allow_none=True, metadata={"description": "CSDL nắm giữ giấy tờ (khi not_needed)"}
    )
    given = fields.List(
        fields.String(), metadata={"description": "mã tệp/mã kết quả đã nộp (hồ sơ)"}
    )
    missing = fields.Boolean(metadata={"description": "bắt buộc, phải nộp và chưa nộp (hồ sơ)"})


class DossierPageSchema(Schema):
    items = fields.List(fields.Nested(DossierSummarySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class EventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    kind = fields.String()
    task_name = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    detail = fields.Dict()


class AttachmentSchema(Schema):
    code = fields.String(
        metadata={"description": "mã tệp, điền vào trường x-component của biểu mẫu"}
    )
    dossier_id = fields.Integer()
    component = fields.String(allow_none=True)
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    kept_as = fields.String(
        allow_none=True,
        metadata={
            "description": "mã kết quả (KQ-…) của bản đã lưu vào kho dữ liệu từ tệp này, nếu có"
        },
    )


class ComponentSchema(Schema):
    component = fields.String(metadata={"description": "mã thành phần hồ sơ"})
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        attribute="fields",
        metadata={"description": "biểu mẫu.trường mang thành phần này"},
    )
    attachments = fields.List(fields.String(), metadata={"description": "mã các tệp đã nộp"})
    document_type = fields.String(
        metadata={"description": "loại giấy tờ của thành phần (loại của kho dữ liệu điện tử)"}
    )
    held = fields.List(
        fields.Dict(),
        allow_none=True,
        metadata={
            "description": "giấy tờ còn hiệu lực loại này trong kho dữ liệu của người nộp "
            "(result_code, title, issued_at, valid_until); chỉ người nộp thấy, "
            "người khác nhận null"
        },
    )


class KeepAttachmentSchema(Schema):
    valid_until = fields.AwareDateTime(
        load_default=None,
        metadata={"description": "giấy tờ hết hiệu lực lúc này (bỏ trống: không thời hạn)"},
    )


class FileInfoSchema(Schema):
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()


class DocumentSchema(Schema):
    id = fields.Integer()
    applicant_id = fields.String()
    document_type = fields.String()
    title = fields.String()
    issuer = fields.String()
    issued_at = fields.String()
    valid_until = fields.String(allow_none=True)
    content_hash = fields.String()
    result_code = fields.String()
    source_dossier_id = fields.String(allow_none=True)
    data = fields.Dict()
    file = fields.Nested(
        FileInfoSchema,
        allow_none=True,
        metadata={"description": "tệp của giấy tờ số hóa (tải về: …/documents/{result_code}/file)"},
    )


class CancelSchema(Schema):
    reason = fields.String(validate=validate.Length(max=2000), load_default="")


class MigrationRequestSchema(Schema):
    version = fields.Integer(
        required=True, validate=Id, metadata={"description": "số phiên bản đích của cùng quy trình"}
    )
    dry_run = fields.Boolean(
        load_default=False, metadata={"description": "chỉ kiểm tra, không chuyển"}
    )


class MigrationSchema(Schema):
    dossier_id = fields.Integer()
    receipt_code = fields.String()
    from_version = fields.Integer()
    to_version = fields.Integer()
    migrated = fields.Boolean(metadata={"description": "false khi chỉ kiểm tra (dry_run)"})


# ----------------------------------------------------------------------- tasks
class InboxQuerySchema(Schema):
    lane = fields.String(validate=validate.Length(min=1, max=200))
    agency = fields.String(validate=validate.Length(min=1, max=200))
    dossier_id = fields.Integer(validate=Id)
    claimed = fields.String(
        validate=validate.OneOf(("any", "mine", "unclaimed", "assigned")),
        load_default="any",
        metadata={"description": "assigned: hồ sơ mình được phân công (hoặc được ủy quyền)"},
    )
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)


class TaskSchema(Schema):
    id = fields.String(metadata={"description": "mã tác vụ (UUID)"})
    dossier_id = fields.Integer()
    receipt_code = fields.String()
    model = fields.String()
    bpmn_id = fields.String()
    name = fields.String()
    lane = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    created_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    claimed_by = fields.String(allow_none=True)
    claimed_at = fields.DateTime(allow_none=True)
    lead = fields.String(allow_none=True, metadata={"description": "người chủ trì xử lý hồ sơ"})
    co_handlers = fields.List(fields.String(), metadata={"description": "người phối hợp"})


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class TaskDetailSchema(TaskSchema):
    step = fields.Dict()
    form_ref = fields.String(allow_none=True)
    form = fields.Dict(allow_none=True)
    prefill = fields.Dict()
    typed_fields = fields.List(fields.String())


class TaskCompleteSchema(Schema):
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=200)), load_default=dict)


# -------------------------------------------------------------------- tracking
class TrackingStepSchema(Schema):
    at = fields.DateTime()
    step = fields.String()


class ResultStatementSchema(Schema):
    result_code = fields.String()
    document_type = fields.String()
    title = fields.String()
    issuer = fields.String()
    issued_at = fields.String(metadata={"format": "date-time"})
    valid_until = fields.String(allow_none=True, metadata={"format": "date-time"})
    digitized_copy = fields.Boolean()
    content_hash = fields.String(
        metadata={"description": "SHA-256 của tệp (bản số hóa) hoặc của dữ liệu giấy tờ"}
    )
    status = fields.String(validate=validate.OneOf(["valid", "expired", "not_yet_valid"]))
    checked_at = fields.String(metadata={"format": "date-time"})
    holder_matches = fields.Boolean(metadata={"description": "chỉ khi có identity_number"})


class SealSchema(Schema):
    alg = fields.String()
    kid = fields.String()
    signature = fields.String(
        metadata={
            "description": "Ed25519 (base64url) trên statement "
            "dạng JSON khóa sắp xếp, không khoảng trắng, UTF-8"
        }
    )


class ResultVerificationSchema(Schema):
    statement = fields.Nested(ResultStatementSchema)
    seal = fields.Nested(SealSchema, allow_none=True)


class ResultQuerySchema(Schema):
    identity_number = fields.String(validate=IDENTITY, load_default=None)


class JwkSchema(Schema):
    kty = fields.String()
    crv = fields.String()
    x = fields.String()
    kid = fields.String()
    alg = fields.String()
    use = fields.String()


class JwkSetSchema(Schema):
    keys = fields.List(fields.Nested(JwkSchema))


class TrackingSchema(Schema):
    receipt_code = fields.String()
    procedure = fields.String()
    status = fields.String()
    status_label = fields.String()
    outcome = fields.String(
        allow_none=True,
        metadata={"description": "issued, refused, withdrawn, expired; null while in progress"},
    )
    received_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    current_steps = fields.List(fields.String())
    history = fields.List(fields.Nested(TrackingStepSchema))
