"""Tokens: who am I, create and revoke tokens (admin), dev login (development only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_smorest import Blueprint

from toantrinh.api.auth import current_principal, requires, token_cache
from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.api.models import ApiToken
from toantrinh.api.schemas import DevLoginSchema, PrincipalSchema, TokenCreateSchema, TokenSchema
from toantrinh.engine import accounts
from toantrinh.web.views import dev_login_enabled

blp = Blueprint(
    "auth", __name__, url_prefix="/api/v1/auth", description="Mã truy cập (bearer token) và vai trò"
)

DEV_LOGIN_HOURS = 12


def _token_view(row: ApiToken, token: str | None = None) -> dict[str, Any]:
    view = {
        "id": row.id,
        "name": row.name,
        "role": row.role,
        "agency": row.agency,
        "lanes": list(row.lanes or []),
        "identity_number": row.identity_number,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
    }
    if token:
        view["token"] = token
    return view


def _create(args: dict[str, Any], created_by: str, hours: float | None) -> tuple[str, ApiToken]:
    return accounts.issue_token(
        db.session,
        name=args["name"],
        role=args["role"],
        agency=args["agency"] if args["role"] == "officer" else None,
        lanes=args["lanes"] if args["role"] == "officer" else [],
        identity_number=args["identity_number"] if args["role"] == "citizen" else None,
        created_by=created_by,
        expires_in=timedelta(hours=hours) if hours else None,
    )


@blp.get("/me")
@requires()
@blp.response(200, PrincipalSchema)
def me():
    """Người đang gọi: vai trò, cơ quan, lane, số định danh."""
    return current_principal().to_dict()


@blp.post("/tokens")
@requires("admin")
@blp.arguments(TokenCreateSchema)
@blp.response(201, TokenSchema)
def create_token(args: dict[str, Any]):
    """Cấp mã truy cập cho một vai trò (mã chỉ hiện một lần)."""
    token, row = _create(args, current_principal().actor, args["expires_in_hours"])
    return _token_view(row, token), 201


@blp.delete("/tokens/<int(min=1, max=2147483647):token_id>")
@requires("admin")
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def revoke_token(token_id: int):
    """Thu hồi một mã truy cập."""
    row = accounts.token(db.session, token_id)
    if row is None:
        raise ApiProblem(404, f"Không có mã truy cập {token_id}.", kind="not-found")
    accounts.revoke_token(db.session, row, current_principal().actor)
    token_cache().pop(row.token_hash)  # other processes drop it within their cache's TTL
    return ""


@blp.post("/dev-login")
@blp.arguments(DevLoginSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(404, response="NOT_FOUND")
def dev_login(args: dict[str, Any]):
    """Đăng nhập thử (chỉ khi TOANTRINH_DEV_LOGIN=1): cấp mã 12 giờ cho vai trò bất kỳ."""
    if not dev_login_enabled():
        raise ApiProblem(404, "Đăng nhập thử không được bật trên máy chủ này.", kind="not-found")
    token, row = _create(args, "dev-login", args["expires_in_hours"] or DEV_LOGIN_HOURS)
    return _token_view(row, token), 201
