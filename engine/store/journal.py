"""The dossier journal (nhật ký thao tác hồ sơ): a step stored as what was done, not as
the state it left.

A dossier's state (its task tree and data, 5–15 KB of JSON) used to be dumped and
rewritten at every step: on PostgreSQL the dump, the compressed out-of-line write of the
new value and the old one's clean-up were most of what a step cost beyond SpiffWorkflow's
own stepping. A step that only completes a user task (or starts a dossier) is now kept as
its *command* instead: one small row of ``dossier_journal`` — the task, the form data as
validated, the instant, the registry answers it got, and the instant the statutory clock
set the deadline timers to when the step moved them (``due``) — written in the same transaction as
the dossier's conditional ``UPDATE`` and its events, so it is exactly as durable. The
state is dumped (a *snapshot*, ``dossier.state`` at ``dossier.state_version``) only:

* when the journal since the last snapshot would reach ``TOANTRINH_JOURNAL_MAX`` rows
  (default 8; ``0`` turns the journal off and every step dumps the state, as before);
* when the dossier ends (completed or cancelled) or fails, and for every other kind of
  operation (timers, messages, retries, deferred service tasks, migrations, cancel);
* when the model version's scripts use sets, whose order of iteration is not the same
  from one process to the next (a replay could take another branch);
* by :meth:`toantrinh.engine.service.Engine.settle_journals` (the scheduler's pass), for dossiers
  idle for ``TOANTRINH_JOURNAL_SETTLE_AFTER`` seconds (default 60), so that a dossier
  a citizen or an officer comes back to hours later loads from one snapshot.

Loading a dossier is its snapshot (nothing, for a dossier never dumped: the spec's fresh
workflow) followed by a *replay* of the journal's operations (:func:`replay`), read in
the same statement. Replay runs the same code as the original step: ``engine/workflow.py``
makes task ids and timestamps a function of the operation (:class:`~toantrinh.engine.workflow.
Operation`), the engine clock stands still at the operation's instant, registry calls
give back their recorded answers. The process that committed a step keeps the workflow
in its cache (``engine/store/statecache.py``) and replays nothing.

``TOANTRINH_VERIFY_JOURNAL=1`` (set by the test suite) rebuilds every journaled dossier
from the database after each commit and compares its state with the workflow the step
left, task by task.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState

from toantrinh.engine.workflow import (
    DossierWorkflow,
    Operation,
    ReplayError,
    operating,
    run_steps,
    settle,
)


def _int_setting(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


#: journal rows a dossier may hold before its next step dumps a snapshot (0: no journal)
JOURNAL_MAX = _int_setting("TOANTRINH_JOURNAL_MAX", 8)
#: seconds a dossier with journal rows stays untouched before the scheduler settles it
SETTLE_AFTER = _int_setting("TOANTRINH_JOURNAL_SETTLE_AFTER", 60)


def verifying() -> bool:
    return os.environ.get("TOANTRINH_VERIFY_JOURNAL", "") == "1"


def start_entry(
    operation: Operation, seed: bytes, data_text: str, defer: bool, due: datetime | None = None
) -> str:
    """The journal's record of a dossier's start; ``data_text``: the initial data as the
    state serializer encodes task data (dates and decimals typed, so they come back as
    such)."""
    head = f'{{"op":"start","v":0,"at":"{operation.at.isoformat()}","seed":"{seed.hex()}"'
    return _finish(head, operation, data_text, defer, due)


def complete_entry(
    operation: Operation,
    version: int,
    task_id: str,
    data_text: str,
    defer: bool,
    due: datetime | None = None,
) -> str:
    """The journal's record of a completed user task (``task_id``: the task's UUID as text;
    ``version``: the dossier's ``lock_version`` the operation started from; ``due``: the
    instant the step set the deadline timers to, when the statutory clock moved them)."""
    head = (
        f'{{"op":"complete","v":{int(version)},"at":"{operation.at.isoformat()}","task":"{task_id}"'
    )
    return _finish(head, operation, data_text, defer, due)


def _finish(
    head: str, operation: Operation, data_text: str, defer: bool, due: datetime | None
) -> str:
    parts = [head, ',"data":', data_text]
    if defer:
        parts.append(',"defer":true')
    if due is not None:
        parts.append(f',"due":"{due.isoformat()}"')
    if operation.calls:
        parts.append(',"calls":')
        parts.append(json.dumps(operation.calls, ensure_ascii=False, separators=(",", ":")))
    parts.append("}")
    return "".join(parts)


def row_text(entries: list[str]) -> str:
    """A journal row's text: the operations one commit did on one dossier, in order."""
    return "[" + ",".join(entries) + "]"


def replay(
    workflow: DossierWorkflow | None,
    rows: list[str],
    spec: Any,
    subprocess_specs: dict[str, Any],
    script_engine: Any,
    restore_data,
    set_deadline: Any = None,
) -> DossierWorkflow:
    """The workflow after the journal's operations (``rows``, oldest first) are done again
    on ``workflow`` (the snapshot; ``None`` for a dossier never dumped, whose first
    operation is its start). ``restore_data`` turns a recorded data object back into task
    data; ``set_deadline(workflow, due)`` sets the deadline timers of an operation that
    records the instant the statutory clock moved them to
    (:func:`toantrinh.engine.deadlines.set_deadline_timers`). Raises :class:`ReplayError`
    when an operation cannot be done as it was."""
    for row in rows:
        for entry in json.loads(row):
            workflow = _replay_one(
                workflow, entry, spec, subprocess_specs, script_engine, restore_data
            )
            if "due" in entry:
                if set_deadline is None:
                    raise ReplayError("nhật ký dời hạn giải quyết nhưng không có cách đặt lại")
                set_deadline(workflow, datetime.fromisoformat(entry["due"]))
    if workflow is None:
        raise ReplayError("hồ sơ không có trạng thái lưu và nhật ký không bắt đầu bằng khởi tạo")
    return workflow


def _replay_one(workflow, entry, spec, subprocess_specs, script_engine, restore_data):
    kind = entry.get("op")
    at = datetime.fromisoformat(entry["at"])
    calls = entry.get("calls", [])
    if kind == "start":
        if workflow is not None:
            raise ReplayError("nhật ký khởi tạo một hồ sơ đã có trạng thái")
        operation = Operation(at, bytes.fromhex(entry["seed"]), 0, calls)
    elif kind == "complete":
        if workflow is None:
            raise ReplayError("nhật ký hoàn thành tác vụ của một hồ sơ chưa khởi tạo")
        operation = Operation(at, workflow.task_tree.id.bytes, entry["v"], calls)
    else:
        raise ReplayError(f"thao tác '{kind}' không có trong nhật ký")
    data = restore_data(entry["data"])
    with operating(operation):
        if kind == "start":
            workflow = DossierWorkflow(spec, subprocess_specs, script_engine=script_engine)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.set_data(**data)
        else:
            workflow.script_engine = script_engine
            try:
                task = workflow.get_task_from_id(UUID(entry["task"]))
            except Exception:  # SpiffWorkflow raises TaskNotFoundException
                task = None
            if task is None or task.state != TaskState.READY or not task.task_spec.manual:
                raise ReplayError(f"tác vụ {entry['task']} không chờ xử lý khi chạy lại nhật ký")
            task.set_data(**data)
            task.run()
        run_steps(workflow, bool(entry.get("defer")), [])
        settle(workflow)
    if not operation.all_calls_used():
        raise ReplayError("thao tác chạy lại gọi ít kết nối hơn lần đầu")
    return workflow


def first_difference(expected: Any, found: Any, path: str = "") -> str:
    """Where two JSON values first differ, for a verification failure's message."""
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in sorted(expected.keys() | found.keys()):
            if expected.get(key, _MISSING) != found.get(key, _MISSING):
                return first_difference(
                    expected.get(key, _MISSING), found.get(key, _MISSING), f"{path}/{key}"
                )
    if isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
        for n, (a, b) in enumerate(zip(expected, found, strict=True)):
            if a != b:
                return first_difference(a, b, f"{path}[{n}]")
    return f"{path or '/'}: {expected!r:.200} != {found!r:.200}"


_MISSING = "<không có>"
