"""Public verification of e-results by their result code (xác thực kết quả điện tử):
no authentication, nothing personal; the answer sealed with the deployment's key
(engine/seal.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.api.schemas import JwkSetSchema, ResultQuerySchema, ResultVerificationSchema
from toantrinh.engine import clock
from toantrinh.engine.warehouse import find_by_result_code, public_statement

blp = Blueprint(
    "results",
    __name__,
    url_prefix="/api/v1/results",
    description="Xác thực kết quả điện tử theo mã kết quả (công khai)",
)


@blp.get("/keys")
@blp.response(200, JwkSetSchema)
def seal_keys():
    """Khóa công khai để kiểm tra chữ ký trên các câu trả lời xác thực (JWK)."""
    sealer = current_app.extensions["toantrinh.seal"]
    return {"keys": [sealer.public_jwk()] if sealer else []}


@blp.get("/<string(minlength=4, maxlength=64):result_code>")
@blp.arguments(ResultQuerySchema, location="query")
@blp.response(200, ResultVerificationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def verify_result(args: dict[str, Any], result_code: str):
    """Giấy tờ mang mã kết quả này là gì, do ai cấp, còn hiệu lực không; với
    identity_number: có phải của người đó không. Có chữ ký của hệ thống."""
    doc = find_by_result_code(db.session, result_code)
    if doc is None:
        raise ApiProblem(404, f"Không có kết quả mang mã {result_code}.", kind="not-found")
    statement = public_statement(doc, clock.now(), args.get("identity_number"))
    sealer = current_app.extensions["toantrinh.seal"]
    return {"statement": statement, "seal": sealer.seal(statement) if sealer else None}
