"""The engine's clock.

SpiffWorkflow's timer events read ``datetime.now(timezone.utc)`` directly when they
start and when they are refreshed. The engine routes those reads through this clock so
that every part of the system (timers, deadlines, events, metrics) agrees on "now", and
so that an operator can run a simulation or a demo ahead of real time:
``TOANTRINH_CLOCK_OFFSET`` (seconds, may be fractional) shifts the clock of the whole
process. Tests use the same setting to see a 15-day statutory timer fire without
waiting 15 days, through a real restart of the process.

While a dossier operation runs (:func:`frozen`), "now" is that operation's own instant:
every event, deadline and timer it sets agrees on it, and replaying the operation from
the dossier's journal (``engine/store/journal.py``) sees the same time again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime, timedelta

from toantrinh.engine import spiff_compat

_offset = timedelta(seconds=float(os.environ.get("TOANTRINH_CLOCK_OFFSET", "0") or 0))
_frozen: ContextVar[datetime | None] = ContextVar("toantrinh_clock_frozen", default=None)


def now() -> datetime:
    """The current time in UTC, shifted by the configured offset; inside :func:`frozen`,
    the instant it was frozen at."""
    at = _frozen.get()
    if at is not None:
        return at
    return datetime.now(UTC) + _offset


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Within the block (this thread or task), :func:`now` is ``at``."""
    token = freeze(at)
    try:
        yield
    finally:
        thaw(token)


def freeze(at: datetime) -> Token:
    """:func:`now` is ``at`` (in this thread or task) until :func:`thaw` of the token."""
    return _frozen.set(at)


def thaw(token: Token) -> None:
    _frozen.reset(token)


def set_offset(seconds: float) -> None:
    global _offset
    _offset = timedelta(seconds=seconds)


def advance(seconds: float) -> None:
    global _offset
    _offset += timedelta(seconds=seconds)


def offset_seconds() -> float:
    return _offset.total_seconds()


class _ClockDatetime(datetime):
    """``datetime`` whose ``now()`` is the engine clock (used inside SpiffWorkflow's timers)."""

    @classmethod
    def now(cls, tz=None):
        current = now()
        return current.astimezone(tz) if tz is not None else current.replace(tzinfo=None)


spiff_compat.install_timer_clock(_ClockDatetime)
