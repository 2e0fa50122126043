"""The shapes the unit of work passes between load, step and commit, and the dossier
statuses and data keys every room shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from toantrinh.engine.connectors import ConnectorError
from toantrinh.engine.scripting import ScriptLimitError, ServiceCallError, UnsafeScriptError
from toantrinh.engine.serialization import StateSerializer
from toantrinh.engine.store import journal
from toantrinh.engine.workflow import (
    Operation,
)

RESERVED_KEYS = ("receipt_code", "dossier_id", "channel")


START_KEYS = ("applicant_id", "link_id")


TERMINAL = ("completed", "cancelled")


_NO_FORM: dict[str, Any] = {"type": "object"}  # a task without a form takes no fields


@dataclass
class _Stored:
    """A dossier as the database holds it: its state at ``state_version`` (empty before
    its first dump) and the journal rows after it, up to ``lock_version``."""

    lock_version: int
    state_version: int
    state: str
    journal: list[str]


@dataclass
class _Step:
    """A step that may be kept in the dossier's journal instead of a dump of its state:
    its operation and what the journal records of it (engine/store/journal.py)."""

    operation: Operation
    data_text: str  # the data the step put in, as the state serializer encodes it
    task_id: str | None = None  # the user task completed; None for the dossier's start
    version: int = 0  # the lock_version the step started from
    seed: bytes = b""  # a start's random seed

    def entry(self, defer: bool, due: datetime | None = None) -> str:
        """The journal's record of the step; ``due``: the instant the step set the
        dossier's deadline timers to (engine/deadlines.py), if it moved them."""
        if self.task_id is None:
            return journal.start_entry(self.operation, self.seed, self.data_text, defer, due)
        return journal.complete_entry(
            self.operation, self.version, self.task_id, self.data_text, defer, due
        )


@dataclass
class _Indexes:
    """What a dossier's index rows say (or must say): the inbox (task id → who claimed
    it), its timers (task id → due, name) and the message names it waits for."""

    ready: dict[str, Any] = field(default_factory=dict)
    timers: dict[str, tuple[datetime, str | None]] = field(default_factory=dict)
    subs: set[str] = field(default_factory=set)


_SERIALIZER = StateSerializer()


def _describe_error(err: Exception) -> tuple[str, bool, str | None]:
    """(message, retryable, task name) for an exception raised while stepping."""
    task_name = None
    original: BaseException = err
    if isinstance(err, WorkflowTaskException):
        task = getattr(err, "task", None)
        if task is not None:
            task_name = task.task_spec.bpmn_name or task.task_spec.name
        original = err.__cause__ or err.__context__ or err
    if isinstance(original, ServiceCallError):
        original = original.original
    if isinstance(err, ServiceCallError):
        original = err.original
    if isinstance(original, ConnectorError):
        return (f"Lỗi kết nối '{original.operation}': {original}", original.retryable, task_name)
    if isinstance(original, UnsafeScriptError | ScriptLimitError):
        return (f"Kịch bản bị chặn: {original}", False, task_name)
    if isinstance(original, SpiffWorkflowException | WorkflowTaskException):
        return (f"Lỗi quy trình: {original}", False, task_name)
    return (f"{type(original).__name__}: {original}", False, task_name)
