"""Request budgets per caller (Flask-Limiter), so that no one caller can take the service
for everyone else.

A caller is its token when it sends a valid one, else its address. Public callers and
citizens get a budget across the whole API; staff tokens (officers, modellers,
reformers, admins, and the integration tokens of provincial portals, which act for many
citizens at once) have none unless ``TOANTRINH_RATE_LIMIT_STAFF`` sets one. Public
tracking by receipt code and public verification of a result code each have their own,
smaller budget per address (``TOANTRINH_RATE_LIMIT_TRACKING``): the code is the only key
to either, and guessing codes is what that budget stops. Uploading a file to a dossier has its own budget per citizen too
(``TOANTRINH_RATE_LIMIT_UPLOADS``, 100 an hour): each file is up to 8 MiB kept in the
database or the file store, and the general budget would let one caller fill the disk.

Counters live in ``TOANTRINH_RATE_LIMIT_STORAGE`` (default ``memory://``, per process;
several app processes share one budget only through Redis, e.g. the
``TOANTRINH_REDIS_URL`` the workers use). A storage outage lets requests through
(logged) rather than refusing the service. Over budget: 429, ``Retry-After``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter

from toantrinh.api.auth import authenticate

STAFF_ROLES = ("officer", "modeller", "reformer", "admin")
# the public lookups by a code (a receipt code, a result code): a budget per address
LOOKUPS = ("tracking.track", "results.verify_result")
UPLOAD = "attachments.upload_attachment"


def _caller() -> str:
    """The counter's key: the address for public tracking, else the token, else the address."""
    principal = None if request.endpoint in LOOKUPS else authenticate()
    if principal is not None:
        return f"token:{principal.id}"
    return f"addr:{request.remote_addr or '-'}"


def _budget() -> str:
    principal = authenticate()
    config = current_app.config
    if principal is None:
        return config["TOANTRINH_RATE_LIMIT_PUBLIC"]
    if principal.role in STAFF_ROLES:
        return config["TOANTRINH_RATE_LIMIT_STAFF"]
    return config["TOANTRINH_RATE_LIMIT_CITIZEN"]


def _exempt() -> bool:
    """Web pages, their assets and the health check are not API calls; staff have no
    budget unless one is set."""
    if not request.path.startswith("/api/") or request.path == "/api/v1/health":
        return True
    if not current_app.config["TOANTRINH_RATE_LIMIT_STAFF"]:
        principal = authenticate()
        return principal is not None and principal.role in STAFF_ROLES
    return False


def _route_budget() -> str:
    """The budget of a route that has its own: the public lookups, or uploading a file."""
    if request.endpoint in LOOKUPS:
        return current_app.config["TOANTRINH_RATE_LIMIT_TRACKING"]
    return current_app.config["TOANTRINH_RATE_LIMIT_UPLOADS"]


def _no_route_budget() -> bool:
    if request.endpoint in LOOKUPS:
        return False
    if request.endpoint == UPLOAD:
        return _exempt()  # staff upload at the desk for many applicants
    return True


def _retry_after_where_meant(response: Response) -> Response:
    """Flask-Limiter writes ``Retry-After`` (the end of the budget's window) on every
    response of a budgeted route, and raises any the response had to it: keep it on a
    429 only, and put back the one a response set itself (``g.retry_after``: a file
    that could not be scanned yet, 60 s), which a client would otherwise read as an hour."""
    own = g.pop("retry_after", None)
    if own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_rate_limits(app: Flask) -> Limiter:
    """This app's limiter (one per app: the test suite builds many apps in one process)."""
    # registered before the limiter's own, so that it runs after it (Flask runs them last
    # registered first)
    app.after_request(_retry_after_where_meant)
    settings = app.extensions["toantrinh.settings"]
    defaults = {
        "TOANTRINH_RATE_LIMIT_PUBLIC": settings.rate_limit_public,
        "TOANTRINH_RATE_LIMIT_CITIZEN": settings.rate_limit_citizen,
        "TOANTRINH_RATE_LIMIT_STAFF": settings.rate_limit_staff,
        "TOANTRINH_RATE_LIMIT_TRACKING": settings.rate_limit_tracking,
        "TOANTRINH_RATE_LIMIT_UPLOADS": settings.rate_limit_uploads,
        "RATELIMIT_ENABLED": settings.rate_limit,
        "RATELIMIT_STORAGE_URI": settings.rate_limit_storage,
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)
    return Limiter(
        key_func=_caller,
        app=app,
        # one budget per caller across the API
        application_limits=[_budget],
        application_limits_exempt_when=_exempt,
        # and the tracking route's own (per address) and the upload route's (per caller)
        default_limits=[_route_budget],
        default_limits_exempt_when=_no_route_budget,
        key_prefix="toantrinh",
        headers_enabled=True,
        swallow_errors=True,
    )
