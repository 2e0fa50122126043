"""Rows of the inbox and timer indexes kept across a change of model version.

A step rewrites only the index rows whose task appeared or went away (engine/service.py,
``Engine._write_indexes``); a migration to another version keeps the same tasks, so
their rows would keep the old version's task names and lanes. :func:`retitle` brings
them to the target version's, keeping who claimed each task and since when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection

from toantrinh.engine.persistence import ReadyTask, Timer

_READY = (
    update(ReadyTask.__table__)
    .where(
        ReadyTask.__table__.c.dossier_id == bindparam("d"),
        ReadyTask.__table__.c.task_id == bindparam("t"),
    )
    .values(name=bindparam("name"), lane=bindparam("lane"), bpmn_id=bindparam("bpmn_id"))
)
_TIMER = (
    update(Timer.__table__)
    .where(
        Timer.__table__.c.dossier_id == bindparam("d"), Timer.__table__.c.task_id == bindparam("t")
    )
    .values(name=bindparam("name"))
)


def retitle(
    conn: Connection,
    dossier_id: int,
    ready: dict[str, dict[str, Any]],
    timers: dict[str, tuple[datetime, str | None]],
) -> None:
    """Give the dossier's existing inbox and timer rows the names (and lanes) the
    workflow now calls for; rows that do not exist yet are inserted at commit anyway."""
    if ready:
        conn.execute(
            _READY,
            [
                {
                    "d": dossier_id,
                    "t": task_id,
                    "name": row["name"],
                    "lane": row["lane"],
                    "bpmn_id": row["bpmn_id"],
                }
                for task_id, row in ready.items()
            ],
        )
    if timers:
        conn.execute(
            _TIMER,
            [
                {"d": dossier_id, "t": task_id, "name": name}
                for task_id, (_, name) in timers.items()
            ],
        )
