"""Process models (mô hình quy trình) and their versions: deploy, list, read, validate,
move running dossiers between versions."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, validate

from toantrinh.api.auth import current_principal, requires
from toantrinh.api.context import get_engine
from toantrinh.api.errors import ApiProblem, flatten_messages
from toantrinh.api.resources.common import registry_rows
from toantrinh.api.schemas import (
    SLUG,
    BulkMigrationRequestSchema,
    BulkMigrationSchema,
    DeployResultSchema,
    DocumentNeededSchema,
    FormsSchema,
    ModelDetailSchema,
    ModelSummarySchema,
    ValidationResultSchema,
)
from toantrinh.engine.parsing import ModelError, ModelInfo, StructureError
from toantrinh.engine.persistence import ProcessModel
from toantrinh.engine.textfold import matches, procedure_keywords

blp = Blueprint(
    "models",
    __name__,
    url_prefix="/api/v1/models",
    description="Mô hình quy trình thủ tục hành chính và các phiên bản",
)

XML_TYPES = ("application/xml", "text/xml", "application/bpmn+xml")
VERSION_RULE = "<int(min=1, max=2147483647):number>"


class _Names(Schema):
    class Meta:
        unknown = INCLUDE

    vi = fields.String(validate=validate.Length(min=1, max=500))
    en = fields.String(validate=validate.Length(max=500), allow_none=True)


class _ProcessingTime(Schema):
    class Meta:
        unknown = INCLUDE

    days = fields.Integer(validate=validate.Range(min=0, max=3650), allow_none=True)
    working_days = fields.Boolean()


class ProcedureSchema(Schema):
    """The procedure card (``procedure.json``); unknown keys are kept as they are."""

    class Meta:
        unknown = INCLUDE

    slug = fields.String(validate=SLUG)
    code = fields.String(validate=validate.Length(max=40), allow_none=True)
    name = fields.Nested(_Names)
    agency = fields.String(validate=validate.Length(max=200), allow_none=True)
    process_id = fields.String(validate=validate.Length(min=1, max=200), allow_none=True)
    receipt_prefix = fields.String(validate=validate.Length(max=20), allow_none=True)
    processing_time = fields.Nested(_ProcessingTime, allow_none=True)


class DeployJsonSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    bpmn = fields.String(required=True, validate=validate.Length(min=1))
    slug = fields.String(validate=SLUG, load_default=None)
    force = fields.Boolean(load_default=False)
    procedure = fields.Dict(load_default=None, allow_none=True)
    forms = fields.Dict(
        keys=fields.String(), values=fields.Dict(), load_default=None, allow_none=True
    )


_FORCE = (
    "triển khai cả khi kiểm tra cấu trúc (bế tắc, phần tử không tới được, điểm cụt…) "
    "từ chối mô hình; các phát hiện được giữ làm cảnh báo của phiên bản"
)
_MODEL_BODY = {
    "required": True,
    "description": "BPMN 2.0 XML, kèm procedure.json (tùy chọn) và biểu mẫu (tùy chọn)",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["bpmn"],
                "properties": {
                    "bpmn": {"type": "string", "format": "binary", "description": "tệp .bpmn"},
                    "procedure": {
                        "type": "string",
                        "description": "procedure.json (tệp hoặc chuỗi JSON)",
                    },
                    "forms": {"type": "string", "description": "JSON: {mã biểu mẫu: JSON Schema}"},
                    "slug": {"type": "string"},
                    "force": {"type": "boolean", "description": _FORCE},
                },
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["bpmn"],
                "properties": {
                    "bpmn": {"type": "string", "description": "nội dung XML"},
                    "procedure": {"type": "object"},
                    "forms": {"type": "object"},
                    "slug": {"type": "string"},
                    "force": {"type": "boolean", "description": _FORCE},
                },
            }
        },
        "application/xml": {"schema": {"type": "string"}},
    },
}
_SLUG_QUERY = [
    {
        "in": "query",
        "name": "slug",
        "schema": {"type": "string"},
        "required": False,
        "description": "mã quy trình khi gửi XML thô",
    },
    {
        "in": "query",
        "name": "procedure",
        "schema": {"type": "string"},
        "required": False,
        "description": "procedure.json (chuỗi JSON) khi gửi XML thô",
    },
    {
        "in": "query",
        "name": "force",
        "schema": {"type": "boolean"},
        "required": False,
        "description": _FORCE,
    },
]


def _json_field(raw: str | bytes | None, name: str) -> Any:
    if raw is None or raw == "" or raw == b"":
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise ApiProblem(
            422,
            f"'{name}' không phải JSON hợp lệ.",
            kind="validation",
            errors=[{"field": name, "message": f"JSON không hợp lệ: {err}"}],
        ) from err


def _checked(schema: Schema, value: Any, name: str) -> Any:
    try:
        return schema.load(value)
    except ValidationError as err:
        raise ApiProblem(
            422,
            f"'{name}' không hợp lệ.",
            kind="validation",
            errors=flatten_messages(err.messages, name),
        ) from err


def _force_flag() -> bool:
    """``force`` from the JSON body, the multipart form or the query string."""
    if request.mimetype == "application/json":
        value = (request.get_json(silent=True) or {}).get("force", False)
        return value is True
    raw = request.form.get("force") if request.mimetype == "multipart/form-data" else None
    raw = raw if raw is not None else request.args.get("force", "")
    if raw.strip().lower() not in ("", "true", "false", "1", "0"):
        raise ApiProblem(
            422,
            "'force' phải là true hoặc false.",
            kind="validation",
            errors=[{"field": "force", "message": "Phải là true hoặc false."}],
        )
    return raw.strip().lower() in ("true", "1")


def read_model_upload() -> tuple[bytes, dict[str, Any] | None, str | None, dict[str, Any] | None]:
    """(bpmn, procedure, slug, forms) from a multipart, JSON or raw XML body."""
    mimetype = request.mimetype
    if mimetype == "multipart/form-data":
        upload = request.files.get("bpmn") or request.files.get("file")
        if upload is None:
            raise ApiProblem(
                422,
                "Thiếu tệp BPMN.",
                kind="validation",
                errors=[{"field": "bpmn", "message": "Trường này là bắt buộc."}],
            )
        bpmn = upload.read()
        proc_file = request.files.get("procedure")
        procedure = _json_field(
            proc_file.read() if proc_file else request.form.get("procedure"), "procedure"
        )
        forms_file = request.files.get("forms")
        forms = _json_field(forms_file.read() if forms_file else request.form.get("forms"), "forms")
        slug = request.form.get("slug") or None
    elif mimetype == "application/json":
        body = request.get_json(silent=True)
        if body is None:
            raise ApiProblem(
                400,
                "Nội dung JSON không hợp lệ.",
                kind="validation",
                errors=[{"field": "body", "message": "Nội dung JSON không hợp lệ."}],
            )
        loaded = _checked(DeployJsonSchema(), body, "body")
        bpmn, procedure, forms, slug = (
            loaded["bpmn"].encode("utf-8"),
            loaded["procedure"],
            loaded["forms"],
            loaded["slug"],
        )
    elif mimetype in XML_TYPES:
        bpmn = request.get_data()
        procedure = _json_field(request.args.get("procedure"), "procedure")
        forms, slug = None, request.args.get("slug") or None
    else:
        raise ApiProblem(
            415,
            "Gửi BPMN dạng multipart/form-data, application/json hoặc application/xml.",
            kind="unsupported-media-type",
        )
    if not bpmn:
        raise ApiProblem(
            422,
            "Tệp BPMN rỗng.",
            kind="validation",
            errors=[{"field": "bpmn", "message": "Tệp BPMN rỗng."}],
        )
    if procedure is not None:
        if not isinstance(procedure, dict):
            raise ApiProblem(
                422,
                "'procedure' phải là một đối tượng JSON.",
                kind="validation",
                errors=[{"field": "procedure", "message": "Phải là một đối tượng."}],
            )
        procedure = _checked(ProcedureSchema(), procedure, "procedure")
    if forms is not None and not (
        isinstance(forms, dict) and all(isinstance(v, dict) for v in forms.values())
    ):
        raise ApiProblem(
            422,
            "'forms' phải là {mã biểu mẫu: JSON Schema}.",
            kind="validation",
            errors=[{"field": "forms", "message": "Phải là một đối tượng các biểu mẫu."}],
        )
    if slug is not None:
        _checked(
            Schema.from_dict({"slug": fields.String(validate=SLUG)})(), {"slug": slug}, "query"
        )
    return bpmn, procedure, slug, forms


def _tasks(info: ModelInfo) -> list[dict[str, Any]]:
    return [
        {
            "bpmn_id": t.bpmn_id,
            "name": t.name,
            "type": t.type,
            "lane": t.lane,
            "form": t.form,
            "step": t.step,
        }
        for t in info.tasks.values()
    ]


def model_summary(pm: ProcessModel) -> dict[str, Any]:
    return {
        "id": pm.id,
        "slug": pm.slug,
        "process_id": pm.process_id,
        "code": pm.code,
        "name": pm.name,
        "name_en": pm.name_en,
        "latest_version": pm.latest.number if pm.latest else None,
        "procedure": pm.procedure or {},
        "keywords": procedure_keywords(
            slug=pm.slug, code=pm.code, name=pm.name, name_en=pm.name_en, procedure=pm.procedure
        ),
    }


def _version_view(version) -> dict[str, Any]:
    info = ModelInfo.from_json(version.info)
    return {
        "number": version.number,
        "content_hash": version.content_hash,
        "created_at": version.created_at,
        "created_by": version.created_by,
        "tasks": _tasks(info),
        "warnings": info.warnings,
    }


def _version(slug: str, number: int):
    pm = get_engine().get_model(slug)
    version = next((v for v in pm.versions if v.number == number), None)
    if version is None:
        raise ApiProblem(
            404, f"Quy trình '{pm.slug}' không có phiên bản {number}.", kind="not-found"
        )
    return version


_SEARCH_QUERY = [
    {
        "in": "query",
        "name": "q",
        "schema": {"type": "string", "maxLength": 200},
        "required": False,
        "description": "tìm theo tên, mã thủ tục, tên viết tắt (aliases); không phân biệt dấu "
        "và hoa thường: 'ly lich', 'LLTP', '1.001193'",
    }
]


@blp.get("")
@requires()
@blp.doc(parameters=_SEARCH_QUERY)
@blp.response(200, ModelSummarySchema(many=True))
def list_models():
    """Danh sách quy trình (mỗi quy trình kèm phiên bản mới nhất); ``q`` lọc theo tên, mã, tên viết tắt."""
    query = request.args.get("q", "")[:200]
    summaries = (model_summary(pm) for pm in get_engine().process_models())
    return [s for s in summaries if matches(query, s["keywords"])]


@blp.post("")
@requires("modeller", "admin")
@blp.doc(requestBody=_MODEL_BODY, parameters=_SLUG_QUERY)
@blp.response(201, DeployResultSchema, description="Đã tạo phiên bản mới")
@blp.alt_response(
    200, schema=DeployResultSchema, description="Nội dung đã được triển khai trước đó"
)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
def deploy_model():
    """Triển khai một phiên bản (cùng nội dung chỉ triển khai một lần)."""
    bpmn, procedure, slug, forms = read_model_upload()
    result = get_engine().deploy(
        bpmn,
        slug=slug,
        procedure=procedure,
        forms=forms,
        actor=current_principal().actor,
        force=_force_flag(),
    )
    body = {
        "slug": result.version.model.slug,
        "version": result.version.number,
        "created": result.created,
        "content_hash": result.version.content_hash,
        "warnings": result.warnings,
    }
    return body, 201 if result.created else 200


@blp.post("/validate")
@requires("modeller", "admin")
@blp.doc(requestBody=_MODEL_BODY, parameters=_SLUG_QUERY)
@blp.response(200, ValidationResultSchema)
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
def validate_model():
    """Kiểm tra mô hình như khi triển khai, không lưu gì; trả về danh sách vấn đề."""
    bpmn, procedure, slug, forms = read_model_upload()
    try:
        info = get_engine().validate_model(bpmn, forms=forms, procedure=procedure, slug=slug)
    except ModelError as err:
        return {
            "valid": False,
            "forceable": isinstance(err, StructureError),
            "process_id": None,
            "name": None,
            "problems": err.problems,
            "warnings": [],
            "tasks": [],
        }
    return {
        "valid": True,
        "forceable": False,
        "process_id": info.process_id,
        "name": info.name,
        "problems": [],
        "warnings": info.warnings,
        "tasks": _tasks(info),
    }


@blp.get("/<slug>")
@requires()
@blp.response(200, ModelDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_model(slug: str):
    """Một quy trình và các phiên bản của nó."""
    pm = get_engine().get_model(slug)
    return dict(model_summary(pm), versions=[_version_view(v) for v in pm.versions])


@blp.get(f"/<slug>/versions/{VERSION_RULE}/bpmn")
@requires()
@blp.response(200, content_type="application/xml", description="BPMN 2.0 XML của phiên bản")
@blp.alt_response(404, response="NOT_FOUND")
def get_bpmn(slug: str, number: int):
    """BPMN XML của một phiên bản."""
    return Response(_version(slug, number).bpmn, mimetype="application/xml")


@blp.get(f"/<slug>/versions/{VERSION_RULE}/forms")
@requires()
@blp.response(200, FormsSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_forms(slug: str, number: int):
    """Các biểu mẫu (JSON Schema) của một phiên bản."""
    version = _version(slug, number)
    return {"version": version.number, "forms": version.forms or {}}


@blp.get(f"/<slug>/versions/{VERSION_RULE}/documents")
@requires()
@blp.response(200, DocumentNeededSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def get_documents(slug: str, number: int):
    """Giấy tờ người nộp phải nộp, kê khai trực tuyến hoặc không phải nộp (CSDL đã có)."""
    return get_engine().documents_needed(_version(slug, number), registry_rows())


@blp.post("/<slug>/migrate-running")
@requires("modeller", "admin")
@blp.arguments(BulkMigrationRequestSchema)
@blp.response(200, BulkMigrationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def migrate_running(args: dict[str, Any], slug: str):
    """Chuyển mọi hồ sơ đang chạy của một phiên bản sang phiên bản khác (ví dụ bản sửa lỗi).

    Từng hồ sơ một, mỗi hồ sơ một giao dịch: hồ sơ chuyển được thì chuyển; hồ sơ không
    chuyển an toàn được thì giữ nguyên và được liệt kê kèm lý do. `dry_run` chỉ kiểm tra."""
    report = get_engine().migrate_running(
        slug,
        args["from_version"],
        args["to_version"],
        actor=current_principal().actor,
        dry_run=args["dry_run"],
        limit=args["limit"],
    )
    return {
        "model": report.model,
        "from_version": report.from_version,
        "to_version": report.to_version,
        "dry_run": report.dry_run,
        "moved": report.moved,
        "refused": report.refused,
        "more": report.more,
    }
