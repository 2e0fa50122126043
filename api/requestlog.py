"""One structured log line per request (engine/logs.py): method, path, status, duration,
the request id (``X-Request-Id``: the caller's when it sent a sane one, else made here, and
always sent back) and the dossier the request concerned (its URL's, else the one the engine
loaded or saved). Every line logged while the request runs carries the same ids."""

from __future__ import annotations

import logging
import re
import time
from contextlib import suppress
from uuid import uuid4

from flask import Flask, Response, g, request

from toantrinh.engine import logs

log = logging.getLogger("toantrinh.api.request")
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def init_request_log(app: Flask) -> None:
    # registered before the other after_request hooks, so that it runs last (Flask runs
    # them last registered first) and measures the whole request
    app.before_request(_start)
    app.after_request(_line)
    app.teardown_request(_reset)


def _start() -> None:
    g.toantrinh_started = time.perf_counter()
    given = request.headers.get("X-Request-Id", "")
    rid = given if _SANE_ID.fullmatch(given) else uuid4().hex
    dossier = (request.view_args or {}).get("dossier_id")
    g.toantrinh_log_tokens = (
        logs.request_id.set(rid),
        logs.dossier_id.set(dossier if isinstance(dossier, int) else None),
    )


def _line(response: Response) -> Response:
    rid = logs.request_id.get()
    if rid:
        response.headers["X-Request-Id"] = rid
    started = g.get("toantrinh_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration,
        },
    )
    return response


def _reset(_exc: BaseException | None) -> None:
    tokens = g.pop("toantrinh_log_tokens", None)
    if tokens:
        with suppress(ValueError):  # set in another context (never in Flask's own flow)
            logs.request_id.reset(tokens[0])
            logs.dossier_id.reset(tokens[1])
