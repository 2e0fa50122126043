"""The engine's clock.

SpiffWorkflow's timer events read ``datetime.now(timezone.utc)`` directly when they
start and when they are refreshed. The engine routes those reads through this clock so
that every part of the system (timers, deadlines, events, metrics) agrees on "now", and
so that an operator can run a simulation or a demo ahead of real time:
``TOANTRINH_CLOCK_OFFSET`` (seconds, may be fractional) shifts the clock of the whole
process. Tests use the same setting to see a 15-day statutory timer fire without
waiting 15 days, through a real restart of the process.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer

_offset = timedelta(seconds=float(os.environ.get("TOANTRINH_CLOCK_OFFSET", "0") or 0))


def now() -> datetime:
    """The current time in UTC, shifted by the configured offset."""
    return datetime.now(UTC) + _offset


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


_spiff_timer.datetime = _ClockDatetime
