"""Errors as ``application/problem+json`` (RFC 9457).

Every 4xx/5xx answer has ``type``, ``title``, ``status``, ``detail`` and ``errors``: a list
of ``{field, message}`` naming each offending field (empty when no field is at fault).
Engine errors map by their ``kind`` (engine/errors.py); marshmallow/webargs validation errors, form
validation errors and model problems are flattened into ``errors``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, json
from werkzeug.exceptions import HTTPException

from toantrinh.engine.access import AccessDenied, StartRefused
from toantrinh.engine.attachments import AttachmentError
from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.deploy_checks import FORCE_HINT
from toantrinh.engine.errors import HTTP_STATUS, EngineError
from toantrinh.engine.filestore import FileStoreError
from toantrinh.engine.forms import FormValidationError
from toantrinh.engine.parsing import ModelError, NotBpmnError, StructureError

log = logging.getLogger("toantrinh.api")

# the problem type (urn:toantrinh:problem:<kind>) of an engine error, by the error's kind;
# its status is engine.errors.HTTP_STATUS[kind]
PROBLEM_KINDS = {
    "not-found": "not-found",
    "conflict": "conflict",
    "dossier-state": "dossier-state",
    "migration-refused": "dossier-state",
}

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:toantrinh:problem:"

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    406: "Không đáp ứng được định dạng yêu cầu",
    409: "Xung đột trạng thái",
    413: "Nội dung gửi lên quá lớn",
    415: "Kiểu nội dung không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi máy chủ",
    502: "Lỗi kết nối hệ thống bên ngoài",
    503: "Dịch vụ tạm thời không khả dụng",
}

DETAILS = {
    400: "Yêu cầu không đúng định dạng.",
    401: "Cần mã truy cập hợp lệ (tiêu đề Authorization: Bearer <mã>).",
    403: "Tài khoản này không được phép thực hiện thao tác này.",
    404: "Không tìm thấy tài nguyên được yêu cầu.",
    405: "Địa chỉ này không hỗ trợ phương thức HTTP đã dùng.",
    406: "Máy chủ không trả được định dạng được yêu cầu.",
    413: "Nội dung gửi lên vượt quá giới hạn cho phép.",
    415: "Kiểu nội dung (Content-Type) không được hỗ trợ.",
    422: "Dữ liệu gửi lên không hợp lệ; xem danh sách lỗi theo từng trường.",
    429: "Đã vượt số yêu cầu cho phép trong một khoảng thời gian; thử lại sau (xem Retry-After).",
    500: "Đã có lỗi không mong muốn; sự cố đã được ghi lại.",
}

# webargs/marshmallow messages that are not reachable through field defaults
_MESSAGES = {
    "Invalid JSON body.": "Nội dung JSON không hợp lệ.",
    "Unknown field.": "Trường không được phép.",
    "Invalid input type.": "Kiểu dữ liệu đầu vào không hợp lệ.",
    "Missing data for required field.": "Trường này là bắt buộc.",
}


class ApiProblem(Exception):
    """Raised by views: becomes a problem+json answer."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.kind = kind
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {
        "type": f"{TYPE_BASE}{kind}" if kind else "about:blank",
        "title": TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail or DETAILS.get(status, TITLES.get(status, "Lỗi")),
        "errors": errors or [],
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="toantrinh"')
    return response


def flatten_messages(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """marshmallow's nested ``{field: [msg]}`` → ``[{field: "a.b", message}]``."""
    out: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "body"
            out.extend(flatten_messages(value, name))
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, dict | list | tuple):
                out.extend(flatten_messages(item, prefix))
            else:
                out.append(
                    {"field": prefix or "body", "message": _MESSAGES.get(str(item), str(item))}
                )
    else:
        out.append(
            {"field": prefix or "body", "message": _MESSAGES.get(str(messages), str(messages))}
        )
    return out


_LOCATIONS = ("json", "query", "form", "files", "view_args", "headers", "path")


def validation_errors(messages: Any) -> list[dict[str, str]]:
    """Flatten webargs messages, dropping the location level (``json``, ``query``…)."""
    if isinstance(messages, dict) and messages and set(messages) <= set(_LOCATIONS):
        out: list[dict[str, str]] = []
        for value in messages.values():
            out.extend(flatten_messages(value))
        return out
    return flatten_messages(messages)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = validation_errors(data["messages"]) if "messages" in data else data.get("errors") or []
    detail = data.get("message") or DETAILS.get(status)
    if status >= 500:
        detail = DETAILS[500]
    kind = (
        "validation"
        if status == 422 or (status == 400 and errors)
        else "rate-limited"
        if status == 429
        else None
    )
    return problem_response(status, detail, errors=errors, kind=kind, headers=data.get("headers"))


def _api_problem(err: ApiProblem) -> Response:
    return problem_response(
        err.status, err.detail, errors=err.errors, kind=err.kind, headers=err.headers
    )


def _form_invalid(err: FormValidationError) -> Response:
    return problem_response(
        422,
        "Dữ liệu biểu mẫu không hợp lệ.",
        kind="form-validation",
        errors=[e.to_dict() for e in err.errors],
    )


def _attachment_refused(err: AttachmentError) -> Response:
    response = problem_response(
        HTTP_STATUS[err.kind],
        f"Không nhận tệp: {err}.",
        kind="attachment",
        errors=[{"field": err.field, "message": str(err)}],
    )
    if err.kind == "unavailable":  # the malware scanner is down: nothing kept, send it again
        response.headers["Retry-After"] = g.retry_after = "60"  # (api/ratelimit.py)
    return response


def _file_store(err: FileStoreError) -> Response:
    # a file the database names is missing or damaged in the file store (logged where
    # it was found), or the store does not answer: said as it is, never a stack trace
    response = problem_response(HTTP_STATUS[err.kind], str(err), kind="file-store")
    if err.kind == "unavailable":  # the store does not answer: nothing was kept, send it again
        response.headers["Retry-After"] = g.retry_after = "60"
    return response


def _model_invalid(err: ModelError) -> Response:
    # a file that is not BPMN at all says so, with the parser's reason, in the detail itself
    detail = (
        f"Tệp không phải là BPMN hợp lệ: {'; '.join(err.problems)}"
        if isinstance(err, NotBpmnError)
        else "Mô hình quy trình không hợp lệ."
    )
    return problem_response(
        422,
        detail,
        kind="model-invalid",
        errors=[{"field": "bpmn", "message": p} for p in err.problems],
    )


def _model_unsound(err: StructureError) -> Response:
    # the structural checks alone refuse it: said how to deploy it anyway
    return problem_response(
        422,
        f"Kiểm tra cấu trúc từ chối mô hình quy trình; {FORCE_HINT}.",
        kind="model-unsound",
        errors=[{"field": "bpmn", "message": p} for p in err.problems],
    )


def _access_denied(err: AccessDenied) -> Response:
    return problem_response(403, str(err), kind="forbidden")


def _start_refused(err: StartRefused) -> Response:
    return problem_response(
        422, str(err), kind="validation", errors=[{"field": err.field, "message": err.message}]
    )


def _engine(err: EngineError) -> Response:
    status = HTTP_STATUS[err.kind]
    return problem_response(status, str(err), kind=PROBLEM_KINDS.get(err.kind, "engine"))


def _connector(err: ConnectorError) -> Response:
    log.warning("connector error %s: %s", err.operation, err)
    if not err.retryable:
        return problem_response(404, str(err), kind="registry-record")
    return problem_response(502, str(err), kind="registry-unavailable")


# the answer to each kind of error; Flask picks the handler of the nearest class in an
# error's MRO, so the order here does not matter
HANDLERS = (
    (ApiProblem, _api_problem),
    (FormValidationError, _form_invalid),
    (AttachmentError, _attachment_refused),
    (FileStoreError, _file_store),
    (ModelError, _model_invalid),
    (StructureError, _model_unsound),
    (AccessDenied, _access_denied),
    (StartRefused, _start_refused),
    (EngineError, _engine),
    (ConnectorError, _connector),
)


def register_error_handlers(app: Flask) -> None:
    """Answer every error of ``HANDLERS`` as problem+json."""
    for error, handler in HANDLERS:
        app.register_error_handler(error, handler)
