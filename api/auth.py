"""Bearer-token authentication, roles and the permission checks of docs/authorization.md.

A token is a random string shown once; the database keeps its SHA-256 digest
(:class:`toantrinh.api.models.ApiToken`). ``TOANTRINH_ADMIN_TOKEN`` (environment or app config)
is a seed admin token that needs no row, so a fresh deployment can create the others.
A verified token is remembered by the process for a few seconds (:func:`token_cache`), so
that a request does not read its token row again (issue 7).
"""

from __future__ import annotations

import copy
import functools
import hmac
from collections.abc import Callable

from flask import current_app, g, request

from toantrinh.api.cache import TtlCache
from toantrinh.api.context import db
from toantrinh.api.errors import ApiProblem
from toantrinh.engine import accounts, clock
from toantrinh.engine.access import (  # noqa: F401 — the API's names for the shared checks
    CITIZEN_LANE,
    Principal,
    can_act_on_task,
    can_read_dossier,
    ensure_dossier_access,
    ensure_task_access,
)
from toantrinh.engine.accounts import hash_token


def _seed_admin_token() -> str | None:
    return current_app.config.get("TOANTRINH_ADMIN_TOKEN") or None


def token_cache() -> TtlCache:
    """Tokens this process verified in the last ``TOANTRINH_TOKEN_CACHE_SECONDS`` (default
    5; 0 turns the cache off): digest → (principal, the token's expiry). A revocation made
    through another process is seen within that time, one made through this one at once."""
    cache = current_app.extensions.get("toantrinh.tokens")
    if cache is None:
        ttl = current_app.config.get("TOANTRINH_TOKEN_CACHE_SECONDS", 5)
        cache = current_app.extensions.setdefault("toantrinh.tokens", TtlCache(float(ttl)))
    return cache


def _verify(digest: str) -> Principal | None:
    cache = token_cache()
    hit = cache.get(digest)
    if hit is None:
        row = accounts.token_by_digest(db.session, digest)
        if row is None or row.revoked_at is not None:
            return None
        hit = (
            Principal(
                id=str(row.id),
                role=row.role,
                name=row.name,
                agency=row.agency,
                lanes=tuple(row.lanes or ()),
                identity_number=row.identity_number,
            ),
            row.expires_at,
        )
        cache.put(digest, hit)
    principal, expires_at = hit
    return principal if expires_at is None or expires_at > clock.now() else None


def authenticate() -> Principal | None:
    """The principal of the current request, or None when no valid token was sent."""
    if "principal" in g:
        return g.principal
    principal = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        digest = hash_token(token)
        seed = _seed_admin_token()
        if seed and hmac.compare_digest(digest, hash_token(seed)):
            principal = Principal(id="seed-admin", role="admin", name="seed-admin")
        else:
            principal = _verify(digest)
    g.principal = principal
    return principal


def current_principal() -> Principal:
    principal = authenticate()
    if principal is None:
        raise ApiProblem(
            401,
            "Cần mã truy cập hợp lệ (tiêu đề Authorization: Bearer <mã>).",
            kind="unauthenticated",
        )
    return principal


def forbidden(detail: str) -> ApiProblem:
    return ApiProblem(403, detail, kind="forbidden")


def requires(*roles: str) -> Callable:
    """Allow the view to principals with one of ``roles`` (any authenticated role if none).

    Also documents the bearer requirement and the 401/403 answers in OpenAPI.
    """

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles and principal.role not in roles:
                raise forbidden(
                    f"Vai trò '{principal.role}' không được phép thực hiện thao tác này."
                )
            return func(*args, **kwargs)

        apidoc = copy.deepcopy(getattr(func, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = [{"bearerAuth": []}]
        responses = manual.setdefault("responses", {})
        responses["401"] = {"$ref": "#/components/responses/UNAUTHORIZED"}
        responses["403"] = {"$ref": "#/components/responses/FORBIDDEN"}
        wrapper._apidoc = apidoc
        wrapper._roles = roles
        return wrapper

    return decorator


# ----------------------------------------------------------------- permission checks
# The checks themselves are engine/access.py's, shared with the command line; a refusal
# there (AccessDenied, StartRefused) answers 403/422 through api/errors.py.
