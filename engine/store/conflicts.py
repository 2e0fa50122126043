"""Which database errors mean that a step lost its race for a dossier.

Two steps on one dossier both start from its ``lock_version``; the loser's writes meet
the winner's. Which error the loser gets depends on the database and the timing: its
conditional ``UPDATE`` finds no row (``StaleDataError``), or one of its inserts meets the
winner's row on a key that only a step of the same dossier from the same version can
write — the journal's ``(dossier_id, lock_version)``, the inbox's ``(dossier_id,
task_id)`` — (``IntegrityError``), or PostgreSQL detects a deadlock or a serialization
failure, or SQLite refuses to upgrade a stale snapshot ("database is locked").
Every one of them is a conflict (HTTP 409), never a 500 (issue 27.8).

The error is classified by the table the database names (PostgreSQL's diagnostics,
SQLite's message), never by the statement's text: on PostgreSQL a commit's writes are one
statement naming most tables, so matching "ready_task" in ``str(err)`` misread a journal
collision as a conflict only when the statement happened to touch the inbox, and as a
500 otherwise.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

# tables whose unique keys only a concurrent step on the same dossier can collide on
STEP_TABLES = frozenset({"dossier_journal", "ready_task", "timer", "message_subscription"})
# PostgreSQL: serialization_failure, deadlock_detected
_RETRYABLE_STATES = frozenset({"40001", "40P01"})
_SQLITE_UNIQUE = re.compile(r"constraint failed: (\w+)\.(\w+)")


def collided_on(err: IntegrityError) -> tuple[str | None, str | None]:
    """(table, column or constraint) of a unique-key violation, as the database says."""
    diag = getattr(err.orig, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):
        return diag.table_name, diag.constraint_name
    found = _SQLITE_UNIQUE.search(str(err.orig))
    return (found.group(1), found.group(2)) if found else (None, None)


def receipt_collision(err: Exception) -> bool:
    """A new dossier drew a receipt code another one took meanwhile."""
    if not isinstance(err, IntegrityError):
        return False
    table, key = collided_on(err)
    return table == "dossier" and key is not None and "receipt_code" in key


def lost_race(err: Exception) -> bool:
    """Whether ``err`` (raised while committing a step) says another step on the same
    dossier committed first."""
    if isinstance(err, IntegrityError):
        return collided_on(err)[0] in STEP_TABLES
    if isinstance(err, OperationalError):
        if getattr(err.orig, "sqlstate", None) in _RETRYABLE_STATES:
            return True
        return "locked" in str(err.orig).lower()  # SQLite: a stale snapshot
    return isinstance(err, DBAPIError) and getattr(err.orig, "sqlstate", None) in (
        _RETRYABLE_STATES
    )
