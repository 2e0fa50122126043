"""Automatic retries of dossiers whose step failed for a reason that may pass (a national
database down or slow: ``ConnectorError(retryable=True)``).

The scheduler retries such a dossier after 1, 2, 4, 8 … minutes (``base`` doubled at
each attempt, at most ``cap``), each delay stretched by up to 10 % according to the
dossier's id so that the dossiers of one outage do not all come back in the same second,
and at most ``max_attempts`` times. Then — and at once for a failure that cannot pass (a
refused script, a model error) — the dossier *needs attention*: it stays in status
``error`` with no ``retry_at``, an officer sees it (``needs_attention`` in the API, the
``attention`` filter of ``GET /api/v1/dossiers``) and retries it by hand once the cause is
fixed, which starts a new round of automatic attempts.

``retry_count`` counts the automatic attempts of the current round; a step that succeeds
sets it back to 0.

Settings (environment, read once per process): ``TOANTRINH_RETRY_BASE`` (seconds,
default 60), ``TOANTRINH_RETRY_CAP`` (seconds, default 3600), ``TOANTRINH_RETRY_MAX``
(attempts, default 10: about five hours of an outage before an officer is asked).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from toantrinh.engine.persistence import Dossier

log = logging.getLogger("toantrinh.retries")

#: the actor of the scheduler's automatic retries
AUTOMATIC = "system:retry"


def _number(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with a cap and a maximum number of attempts."""

    base: float = 60.0
    cap: float = 3600.0
    max_attempts: int = 10
    jitter: float = 0.1

    @classmethod
    def from_env(cls) -> RetryPolicy:
        return cls(
            base=_number("TOANTRINH_RETRY_BASE", 60),
            cap=_number("TOANTRINH_RETRY_CAP", 3600),
            max_attempts=int(_number("TOANTRINH_RETRY_MAX", 10)),
        )

    def delay(self, attempt: int, dossier_id: int | None) -> timedelta:
        """The wait before automatic attempt ``attempt + 1`` (``attempt`` made so far)."""
        seconds = min(self.cap, self.base * 2 ** min(attempt, 40))
        spread = ((dossier_id or 0) * 2654435761 % 1000) / 1000  # Knuth's multiplicative hash
        return timedelta(seconds=seconds * (1 + self.jitter * spread))


POLICY = RetryPolicy.from_env()


def begin(dossier: Dossier, actor: str | None) -> None:
    """Before a retry runs: an automatic attempt counts; one asked for by a person starts
    a new round."""
    count = dossier.retry_count or 0
    dossier.retry_count = count + 1 if actor == AUTOMATIC else 0


def succeeded(dossier: Dossier) -> None:
    if dossier.retry_count:
        dossier.retry_count = 0


def failed(
    dossier: Dossier, retryable: bool, now: datetime, policy: RetryPolicy | None = None
) -> bool:
    """Schedule the next automatic attempt of a failed dossier, if any is left; return
    whether the dossier now needs an officer's attention."""
    policy = policy or POLICY
    attempts = dossier.retry_count or 0
    if retryable and attempts < policy.max_attempts:
        dossier.retry_at = now + policy.delay(attempts, dossier.id)
        return False
    dossier.retry_at = None
    return True


def log_failure(dossier: Dossier, message: str, err: BaseException) -> None:
    """The failure with its traceback, for whoever runs the server."""
    log.warning(
        "hồ sơ %s (%s): bước lỗi: %s", dossier.receipt_code, dossier.id, message, exc_info=err
    )


def cancelled(dossier: Dossier) -> None:
    """A cancelled dossier is retried no more."""
    if dossier.retry_at is not None:
        dossier.retry_at = None


def needs_attention_clause() -> ColumnElement[bool]:
    """Dossiers no automatic retry will move: in error, nothing scheduled."""
    return and_(Dossier.status == "error", Dossier.retry_at.is_(None))


def due(session: Session, now: datetime, limit: int) -> list[int]:
    """The dossiers whose automatic retry is due, earliest first, at most ``limit``.

    ``retry_at`` is set only while a dossier in error waits for its next attempt (a step
    that succeeds, a cancellation and exhausting the attempts clear it), so the scan reads
    ``ix_dossier_retry_due``, which holds only those rows, and nothing else: a filter on
    ``status`` would let SQLite's planner read every dossier in error instead."""
    return list(
        session.scalars(
            select(Dossier.id)
            .where(Dossier.retry_at <= now, Dossier.error_retryable.is_(True))
            .order_by(Dossier.retry_at)
            .limit(limit)
        )
    )
