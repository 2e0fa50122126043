"""Structured logs: one JSON object a line, with the request id, the dossier id and the
duration on every line that concerns them, and the traceback of every failure.

:func:`configure` installs the format on the root logger (``TOANTRINH_LOG_FORMAT=json``,
the default, or ``text``); the command line calls it at start, gunicorn's workers too.
The context is kept in context variables, so a line logged anywhere while a request or a
dossier step runs carries them: the API sets the request id (``X-Request-Id``, made when
the caller sent none) and the duration of its request line; the engine notes the dossier
it loads or saves (:func:`note_dossier`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("toantrinh_request_id", default=None)
dossier_id: ContextVar[int | None] = ContextVar("toantrinh_dossier_id", default=None)

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ContextFilter(logging.Filter):
    """Puts the request id and the dossier id of the current context on each record
    (unless the call gave its own in ``extra``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        if getattr(record, "dossier_id", None) is None:
            record.dossier_id = dossier_id.get()
        return True


class _Json(JsonFormatter):
    def process_log_record(self, log_record: dict[str, Any]) -> dict[str, Any]:
        # a line says only what concerns it: no empty context keys
        for key in ("request_id", "dossier_id", "duration_ms"):
            if log_record.get(key) is None:
                log_record.pop(key, None)
        return log_record


def formatter(kind: str = "json") -> logging.Formatter:
    if kind == "text":
        return logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(dossier_id)s]: %(message)s"
        )
    return _Json(
        FIELDS,
        rename_fields={
            "asctime": "time",
            "levelname": "level",
            "name": "logger",
            "exc_info": "traceback",
        },
        json_ensure_ascii=False,
    )


def handler(stream: Any = None, kind: str = "json") -> logging.Handler:
    """A handler writing this module's format (to stderr by default)."""
    out = logging.StreamHandler(stream or sys.stderr)
    out.setFormatter(formatter(kind))
    out.addFilter(ContextFilter())
    return out


def configure(kind: str = "json", level: str | int = "INFO") -> None:
    """The root logger writes structured lines; called once at a process's start."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_toantrinh", False)]:
        root.removeHandler(old)
    new = handler(kind=kind)
    new._toantrinh = True  # type: ignore[attr-defined]
    root.addHandler(new)
    root.setLevel(level)


def note_dossier(dossier: int | None) -> None:
    """The dossier the current context works on (the engine calls it when it loads or
    saves one); the lines logged after carry its id."""
    if dossier is not None:
        dossier_id.set(dossier)


@contextmanager
def context(request: str | None = None, dossier: int | None = None) -> Iterator[None]:
    """A fresh logging context (a request, a scheduler item), reset when it ends."""
    tokens = (request_id.set(request), dossier_id.set(dossier))
    try:
        yield
    finally:
        request_id.reset(tokens[0])
        dossier_id.reset(tokens[1])
