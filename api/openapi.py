"""OpenAPI 3 document (generated from the marshmallow schemas by flask-smorest) and the
interactive page at ``/api/docs`` (RapiDoc, vendored under ``api/static/vendor``)."""

from __future__ import annotations

import http
from pathlib import Path

from apispec import BasePlugin
from flask import Blueprint, Flask, Response, send_from_directory
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from toantrinh.api.errors import PROBLEM_JSON, handle_http_exception
from toantrinh.api.schemas import ProblemSchema

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

DESCRIPTION = """REST API của Toàn Trình: triển khai mô hình quy trình thủ tục hành chính,
tiếp nhận và xử lý hồ sơ, tra cứu tiến độ theo mã biên nhận, kết nối cơ sở dữ liệu quốc gia,
kho dữ liệu điện tử, báo cáo tái cấu trúc quy trình và số liệu theo cách đo của Hệ thống EMC.

Xác thực: `Authorization: Bearer <mã truy cập>`. Lỗi trả về dạng `application/problem+json`
(RFC 9457) với danh sách `errors` nêu từng trường bị lỗi. Xem docs/api.md và
docs/authorization.md."""


class OperationIds(BasePlugin):
    """Gives every operation an ``operationId`` (client generators name their methods by
    it): ``<blueprint>_<view function>``, with ``_<method>`` when one view answers several
    methods. An id a view sets itself (``@blp.doc(operationId=…)``) is kept."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        name = rule.endpoint.replace(".", "_")
        for method, operation in operations.items():
            operation.setdefault(
                "operationId", name if len(operations) == 1 else f"{name}_{method}"
            )


class ToanTrinhApi(Api):
    """flask-smorest with RFC 9457 problem details for every error."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Lỗi (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_api(app: Flask) -> ToanTrinhApi:
    app.config.setdefault("API_TITLE", "Toàn Trình API")
    app.config.setdefault("API_VERSION", "1.0")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = ToanTrinhApi(
        app, spec_kwargs={"info": {"description": DESCRIPTION}, "extra_plugins": [OperationIds()]}
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã truy cập do quản trị viên cấp (POST /api/v1/auth/tokens)",
        },
    )
    # referenced by hand from api.auth.requires, so register them now (they are lazy)
    for name in ("UNAUTHORIZED", "FORBIDDEN"):
        api.spec.components.get_ref("response", name)
    app.register_blueprint(_docs_blueprint())
    return api


DOCS_PAGE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Toàn Trình API</title>
  <script type="module" src="/api/docs/vendor/rapidoc-min.js"></script>
</head>
<body>
  <rapi-doc spec-url="/api/v1/openapi.json" render-style="read" show-header="false"
            allow-authentication="true" allow-server-selection="false"
            schema-style="table" primary-color="#b71c1c" default-schema-tab="schema">
  </rapi-doc>
</body>
</html>
"""


def _docs_blueprint() -> Blueprint:
    bp = Blueprint("api_docs", __name__)

    @bp.get("/api/docs")
    def docs_page():
        return Response(DOCS_PAGE, mimetype="text/html")

    @bp.get("/api/docs/vendor/<path:name>")
    def docs_vendor(name: str):
        return send_from_directory(VENDOR, name, max_age=86400)

    return bp
