"""The dossier workflow: SpiffWorkflow's ``BpmnWorkflow`` with a cheaper tree walk.

SpiffWorkflow finds the tasks it acts on by walking the task tree with ``TaskIterator``:
the ready tasks at every pass of ``do_engine_steps``, the waiting tasks after every
completed task, the first unfinished task in ``is_completed``. Each visited node costs a
list ``pop(0)``, a list concatenation, a filter object's method call and a walk up the
parents to keep a depth count — about 60 % of a bare SpiffWorkflow run of the criminal
record certificate is spent there (cProfile, ``bench/engine.py``'s model).

:func:`walk` visits the same tasks in the same order, with the same rules for what it
descends into (the states below which a branch is not entered, the subprocesses it
enters, ``end_at_spec``), as a plain stack over the task maps. :class:`DossierWorkflow`
uses it for the walks the engine's steps make; any query it does not know (an event
filter, a lane, a timestamp, breadth first) goes to SpiffWorkflow's own iterator.

Order is what matters here: ``do_engine_steps`` runs the ready tasks in the order the
walk returns them, and a waiting join is updated in tree order; a different order could
run the scripts of parallel branches differently. With ``TOANTRINH_VERIFY_WALK=1`` (set
by the test suite) every walk runs in lockstep with SpiffWorkflow's iterator and fails on
the first task where the two differ, so every dossier the suite drives checks it.

**Deterministic operations.** SpiffWorkflow names each new task with ``uuid4()`` and
stamps every state change with ``time.time()``. Inside :func:`operating` (one operation
on one dossier: a start, a completed task) both come from the :class:`Operation` instead:
task ids derived from the operation's seed, its instant and a counter, timestamps from
its instant plus a microsecond per change. Replaying the same operation on the same
state therefore builds the same tasks, with the same ids and timestamps, which is what
lets a dossier's journal (``engine/store/journal.py``) stand in for a state dump at each step.
Outside an operation SpiffWorkflow's own ``uuid4`` and clock are used, as before.
"""

from __future__ import annotations

import logging
import os
import struct
import time
from collections.abc import Iterator
from contextvars import ContextVar
from copy import copy, deepcopy
from datetime import datetime
from hashlib import blake2b
from typing import Any
from uuid import UUID, uuid4

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.specs.data_object import DataObject
from SpiffWorkflow.spiff.specs.defaults import ServiceTask
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskIterator, TaskState

from toantrinh.engine import clock, event_subprocesses, spiff_compat

# SpiffWorkflow logs every task state change at INFO, and while its loggers' own level is
# unset (0, below INFO) it adds to each record the task's data and, for the workflow, a
# list of every task of the tree (a walk at every start and end of a workflow), whether
# or not a handler ever takes the record. A dossier's history is its event log; these
# loggers are set to WARNING unless the deployment has set them.
for _name in ("spiff.task", "spiff.workflow"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)
_TASK_LOG = logging.getLogger("spiff.task")
_DATA_LOG = logging.getLogger("spiff.data")
_MUTABLE = (dict, list, set)  # what DeepMerge.merge copies

_READY_ONLY = {"state": TaskState.READY}
# the keyword arguments of TaskIterator/BpmnTaskIterator that walk() implements
_KNOWN = frozenset(
    {"state", "manual", "spec_name", "spec_class", "end_at_spec", "max_depth", "skip_subprocesses"}
)


class Operation:
    """One operation on one dossier's workflow: where its new task ids and timestamps
    come from, and the registry answers it received (recorded as it runs, or given back
    when it is replayed).

    ``seed`` (16 bytes) and ``version`` (the dossier's ``lock_version`` the operation
    started from) with ``at`` make the operation's ids its own: a dossier's later
    operations start from a higher version or a later instant, and a new dossier's
    first one from a random seed.
    """

    __slots__ = ("_base", "_key", "_next_call", "_tasks", "_ticks", "at", "calls", "replaying")

    def __init__(
        self,
        at: datetime,
        seed: bytes,
        version: int,
        calls: list[list[Any]] | None = None,
    ):
        self.at = at
        self._base = at.timestamp()
        self._key = seed + struct.pack("<qq", version, round(self._base * 1_000_000))
        self._tasks = 0
        self._ticks = 0
        # [operation name, answer as JSON text] for each registry call, in order
        self.replaying = calls is not None
        self.calls: list[list[Any]] = [] if calls is None else calls
        self._next_call = 0

    def task_id(self) -> UUID:
        n = self._tasks
        self._tasks = n + 1
        digest = blake2b(self._key + struct.pack("<I", n), digest_size=16).digest()
        return UUID(bytes=digest, version=4)

    def timestamp(self) -> float:
        n = self._ticks
        self._ticks = n + 1
        return self._base + n * 1e-6

    def recorded_call(self, operation: str) -> Any:
        """The answer the original run of this operation got for its next registry call."""
        if self._next_call >= len(self.calls) or self.calls[self._next_call][0] != operation:
            raise ReplayError(f"lệnh gọi '{operation}' không có trong nhật ký của thao tác")
        answer = self.calls[self._next_call][1]
        self._next_call += 1
        return answer

    def all_calls_used(self) -> bool:
        return self._next_call == len(self.calls)


class ReplayError(RuntimeError):
    """Replaying a journaled operation did not go as the operation had gone."""


_OPERATION: ContextVar[Operation | None] = ContextVar("toantrinh_operation", default=None)


def current_operation() -> Operation | None:
    return _OPERATION.get()


class operating:
    """Run the block as ``operation``, the engine clock frozen at its instant (it may be
    entered again later: its counters go on). A plain context manager: it is entered at
    every step, and a generator-based one cost several microseconds each time."""

    __slots__ = ("_clock", "_operation", "_token")

    def __init__(self, operation: Operation):
        self._operation = operation

    def __enter__(self) -> Operation:
        operation = self._operation
        self._token = _OPERATION.set(operation)
        self._clock = clock.freeze(operation.at)
        return operation

    def __exit__(self, *exc) -> None:
        clock.thaw(self._clock)
        _OPERATION.reset(self._token)


def _task_uuid() -> UUID:
    operation = _OPERATION.get()
    return uuid4() if operation is None else operation.task_id()


def _timestamp() -> float:
    operation = _OPERATION.get()
    return time.time() if operation is None else operation.timestamp()


class _SpiffTime:
    """What ``SpiffWorkflow.task`` uses of the ``time`` module: ``time()``."""

    time = staticmethod(_timestamp)


# SpiffWorkflow.task calls uuid4() for every new task and time.time() at every state
# change; both go through the current operation (see the module's docstring)
spiff_compat.install_task_identity(_task_uuid, _SpiffTime)


def walk(
    root: Task,
    state: int = TaskState.ANY_MASK,
    manual: bool | None = None,
    spec_name: str | None = None,
    spec_class: type | None = None,
    end_at_spec: str | None = None,
    max_depth: int = 1000,
    skip_subprocesses: bool = False,
    subprocesses: dict | None = None,
) -> Iterator[Task]:
    """The tasks under ``root`` (itself included) that match, depth first.

    With ``subprocesses`` (the top workflow's map of subprocess workflows, as
    ``BpmnTaskIterator`` uses) the walk enters a subprocess before the children of the
    task that started it; without, it stays in ``root``'s workflow (``TaskIterator``).
    A task's children are read when the task is reached, before it is returned, as the
    iterators do: a task the caller adds below a returned task is not visited.
    """
    if state & TaskState.PREDICTED_MASK:
        min_state = TaskState.MAYBE
    elif state & TaskState.DEFINITE_MASK:
        min_state = TaskState.FUTURE
    else:
        min_state = TaskState.COMPLETED
    enter_finished = not state <= TaskState.FINISHED_MASK
    stack: list[tuple[Task, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        task, depth = pop()
        task_state = task._state
        sub = subprocesses.get(task.id) if subprocesses else None  # most have none
        if (
            (task._children or sub is not None)
            and (task_state >= min_state or sub is not None)
            and depth < max_depth
            and task.task_spec.name != end_at_spec
        ):
            lookup = task.workflow.tasks.get
            for child_id in reversed(task._children):
                push((lookup(child_id), depth + 1))
            # a finished subprocess is not entered when only unfinished tasks are wanted
            if (
                sub is not None
                and not skip_subprocesses
                and (enter_finished or task_state < TaskState.FINISHED_MASK)
            ):
                push((sub.task_tree, depth + 1))
        if not task_state & state:
            continue
        spec = task.task_spec
        if manual is not None and spec.manual != manual:
            continue
        if spec_name is not None and spec.name != spec_name:
            continue
        if spec_class is not None and not isinstance(spec, spec_class):
            continue
        yield task


_verify: bool | None = None


def _verifying() -> bool:
    """``TOANTRINH_VERIFY_WALK=1``, read once (the walks run thousands of times a second)."""
    global _verify
    if _verify is None:
        _verify = os.environ.get("TOANTRINH_VERIFY_WALK", "") == "1"
    return _verify


def _lockstep(mine: Iterator[Task], theirs: Iterator[Task]) -> Iterator[Task]:
    """``mine``, checked task by task against ``theirs`` as the caller consumes it."""
    for task in mine:
        other = next(theirs, None)
        if other is not task:
            raise AssertionError(f"tree walk differs from SpiffWorkflow's: {task} != {other}")
        yield task
    other = next(theirs, None)
    if other is not None:
        raise AssertionError(f"tree walk ended before SpiffWorkflow's, which goes on to {other}")


class DossierTask(Task):
    """SpiffWorkflow's ``Task``, whose state changes build a log record only for a
    logger that takes it, and which inherits its parent's data by a plain copy when it
    has none of its own.

    ``Task._set_state`` formats its message and gathers the record's extras (the state's
    name looked up twice, the parent found) before the logger's level is looked at: about
    a tenth of a dossier's stepping, for records the WARNING level above drops. The state
    change itself is SpiffWorkflow's; with ``spiff.task`` at INFO or DEBUG, its own method
    runs and logs as it does. A dossier's tasks are of this class (:func:`adopt`), and
    the children they add are too.
    """

    def _set_state(self, value: int) -> None:
        if value != self._state:
            if _TASK_LOG.isEnabledFor(logging.INFO):
                super()._set_state(value)
            else:
                self.last_state_change = _timestamp()
                self._state = value
        elif _TASK_LOG.isEnabledFor(logging.DEBUG):
            super()._set_state(value)

    def _inherit_data(self) -> None:
        # SpiffWorkflow deep-merges the parent's data into the task's; into a task that
        # has none yet (nearly always) that is a copy, key by key, of the parent's, the
        # mutable values copied one level down, as DeepMerge.merge does
        data = self.data
        parent = self.parent
        if data or parent is None:
            super()._inherit_data()
            return
        inherited = parent.data
        data.update(inherited)
        for key, value in inherited.items():
            kind = type(value)  # most values are strings and numbers: no isinstance for them
            if kind is str or kind is int or kind is bool or kind is float or value is None:
                continue
            if isinstance(value, _MUTABLE):
                data[key] = copy(value)

    def _add_child(self, task_spec, state: int = TaskState.MAYBE) -> Task:
        child = super()._add_child(task_spec, state)
        child.__class__ = DossierTask
        return child


class DossierDataObject(DataObject):
    """SpiffWorkflow's ``DataObject`` (a dossier component a task reads), whose read
    builds its log record only for a logger that takes it: SpiffWorkflow gathers the
    record's extras (a dict of every state's name built to name one) at every read,
    about 30 µs, before the ``spiff.data`` logger's level is looked at."""

    def get(self, my_task) -> None:
        workflow = my_task.workflow
        while workflow is not None and self.bpmn_id not in workflow.spec.data_objects:
            workflow = workflow.parent_workflow
        if (
            _DATA_LOG.isEnabledFor(logging.INFO)
            or workflow is None
            or self.bpmn_id not in workflow.data_objects
        ):
            super().get(my_task)  # logs, or raises SpiffWorkflow's own error
            return
        my_task.data[self.bpmn_id] = deepcopy(workflow.data_objects[self.bpmn_id])


def adopt_specs(spec, subprocess_specs: dict) -> None:
    """Make the data objects of these (just parsed or loaded) specs
    :class:`DossierDataObject`: the same objects, the subclass's ``get``."""
    for process in [spec, *subprocess_specs.values()]:
        for data_object in process.data_objects.values():
            if type(data_object) is DataObject:
                data_object.__class__ = DossierDataObject
        for task_spec in process.task_specs.values():
            for ref in getattr(task_spec, "data_input_associations", ()):
                if type(ref) is DataObject:
                    ref.__class__ = DossierDataObject


def adopt(tasks) -> None:
    """Make these tasks (of a workflow SpiffWorkflow has just built) dossier tasks: the
    same objects, the same attributes, the subclass's methods."""
    for task in tasks:
        task.__class__ = DossierTask


class DossierWorkflow(BpmnWorkflow):
    """``BpmnWorkflow`` whose own tree walks go through :func:`walk` and whose tasks are
    :class:`DossierTask`."""

    def __init__(self, spec, subprocess_specs=None, script_engine=None, **kwargs):
        super().__init__(spec, subprocess_specs, script_engine, **kwargs)
        adopt(self.tasks.values())  # none yet when deserializing: the converter adopts

    def create_subprocess(self, my_task: Task, spec_name: str):
        depth = my_task.workflow.depth + 1
        if depth > MAX_SUBPROCESS_DEPTH:
            # a process that calls itself (deployed before cycles were refused, issue
            # 27.4) would nest sub-processes without end, holding the database's lock
            raise WorkflowTaskException(
                f"quy trình con lồng quá {MAX_SUBPROCESS_DEPTH} cấp (vòng gọi quy trình?)",
                task=my_task,
            )
        subprocess = super().create_subprocess(my_task, spec_name)
        adopt(subprocess.tasks.values())
        return subprocess

    def get_tasks_iterator(self, first_task: Task | None = None, **kwargs: Any):
        if not kwargs.keys() <= _KNOWN:
            return super().get_tasks_iterator(first_task, **kwargs)
        if first_task is None and kwargs == _READY_ONLY:
            # do_engine_steps asks for the ready tasks at every pass, and most of the time
            # finds one (the user task a dossier waits on) or none: a scan of the task
            # maps, with no tree to follow, answers then; the order of two or more is
            # the walk's to give
            ready = [t for t in self.tasks.values() if t._state == TaskState.READY]
            for sub in self.subprocesses.values():
                ready.extend(t for t in sub.tasks.values() if t._state == TaskState.READY)
            if len(ready) <= 1:
                if _verifying():
                    return _lockstep(iter(ready), super().get_tasks_iterator(None, **kwargs))
                return iter(ready)
        root = first_task or self.task_tree
        mine = walk(root, subprocesses=self.top_workflow.subprocesses, **kwargs)
        if _verifying():
            return _lockstep(mine, super().get_tasks_iterator(first_task, **kwargs))
        return mine

    def _walk_own(self, state: int) -> Iterator[Task]:
        """The tasks of this workflow alone (``TaskIterator``, no subprocesses)."""
        mine = walk(self.task_tree, state=state)
        if _verifying():
            return _lockstep(mine, TaskIterator(self.task_tree, state=state))
        return mine

    def update_waiting_tasks(self) -> None:
        # SpiffWorkflow calls this after every completed task. Most of the time nothing
        # waits; a walk would then return nothing (it changes nothing itself, and only the
        # updates of the tasks it returns could make others wait), so a scan of the task
        # map, with no tree to follow, answers for it.
        waiting = TaskState.WAITING
        none_waiting = True
        for task in self.tasks.values():  # a plain loop: half the time of any(generator)
            if task._state == waiting:
                none_waiting = False
                break
        if none_waiting and not _verifying():
            return
        for task in self._walk_own(waiting):
            if none_waiting:
                raise AssertionError(f"{task} waits, but the scan of the task map found none")
            task.task_spec._update(task)

    def is_completed(self) -> bool:
        # SpiffWorkflow walks the tree for a first unfinished task; every task of the tree
        # is in the task map, so a scan of the map, with no tree to follow, answers
        if not self.completed:
            unfinished = TaskState.NOT_FINISHED_MASK
            done = not any(t._state & unfinished for t in self.tasks.values())
            if _verifying() and done != (next(self._walk_own(unfinished), None) is None):
                raise AssertionError("the scan of the task map and the walk disagree")
            self.completed = done
        return self.completed


# Sub-processes (embedded, called, event) nested deeper than this stop the dossier with
# a clear error: no procedure nests more than a few, and a call cycle nests forever.
MAX_SUBPROCESS_DEPTH = 20
# SpiffWorkflow walks the task tree recursively in places; past ~1,000 levels Python's
# recursion limit stops it, and some callers swallow the error (spiff-arena #1530).
# A dossier whose tree grows past this depth is stopped with a clear error instead.
MAX_TREE_DEPTH = 800
# Past this depth the completed part of the task tree above all open work is dropped
# (the dossier's history lives in its events), so that a dossier that loops through
# "request more information" 100 times loads and steps as fast as a fresh one.
COMPACT_DEPTH = 40


def _own_depth(workflow) -> int:
    best, stack = 0, [(workflow.task_tree, 1)]
    while stack:
        task, depth = stack.pop()
        best = max(best, depth)
        stack.extend((child, depth + 1) for child in task.children)
    return best


def tree_depth(workflow: BpmnWorkflow) -> int:
    """Levels from the root to the deepest task, subprocesses' trees included."""
    return max([_own_depth(workflow), *(_own_depth(s) for s in workflow.subprocesses.values())])


def compact(workflow: BpmnWorkflow) -> int:
    """Drop the completed tasks above the deepest completed ancestor of all open tasks.

    Returns how many tasks were dropped. Only the top-level workflow is compacted, and
    not at all when a subprocess hangs on the part that would be dropped.
    """
    open_tasks = [t for t in workflow.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
    if not open_tasks:
        return 0
    common: list | None = None
    for task in open_tasks:
        chain, node = [], task.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        chain.reverse()  # root first
        if common is None:
            common = chain
        else:
            n = 0
            while n < min(len(common), len(chain)) and common[n] is chain[n]:
                n += 1
            common = common[:n]
    cut = next((t for t in reversed(common or []) if t.state == TaskState.COMPLETED), None)
    if cut is None or cut is workflow.task_tree:
        return 0
    keep: set = set()
    stack = [cut]
    while stack:
        node = stack.pop()
        keep.add(node.id)
        stack.extend(node.children)
    dropped = [tid for tid in workflow.tasks if tid not in keep]
    if any(tid in workflow.subprocesses for tid in dropped):
        return 0  # a subprocess hangs on the part to drop: keep the tree whole
    for tid in dropped:
        del workflow.tasks[tid]
    cut._parent = None
    workflow.task_tree = cut
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None
    return len(dropped)


def compact_completed(workflow: BpmnWorkflow) -> list[str]:
    """Reduce a completed workflow to its last task, which holds the final data, and
    return the BPMN ids of the tasks it had completed, in the tree's order.

    A completed dossier never steps again: what is read of it is its data (and its
    history, from its events). Its task tree — 13 KB of JSON for a criminal record
    certificate, written out of line on PostgreSQL — shrinks to a few hundred bytes of
    state besides the data, and its path is kept as the returned list (the engine puts
    it in the ``dossier_completed`` event)."""
    steps: list[str] = []
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id and bpmn_id not in steps:
            steps.append(bpmn_id)
    last = workflow.last_task
    if last is None or last.workflow is not workflow or not workflow.is_completed():
        return steps
    last._parent = None
    last._children = []
    workflow.tasks = {last.id: last}
    workflow.task_tree = last
    workflow.subprocesses = {}
    return steps


class Deferred(Exception):
    """Raised inside ``do_engine_steps`` to stop before a service task (worker mode)."""


def run_steps(workflow: BpmnWorkflow, defer_services: bool, completed: list) -> Task | None:
    """SpiffWorkflow's engine steps; each task they complete is appended to ``completed``.

    With ``defer_services`` the steps stop before the first service task, which is
    returned (for a worker to run), the timers refreshed. Whatever a script, a condition
    or a registry raises is raised."""

    def before(task) -> None:
        if defer_services and isinstance(task.task_spec, ServiceTask):
            raise Deferred(task)
        event_subprocesses.interrupt_scope(task)

    try:
        workflow.do_engine_steps(will_complete_task=before, did_complete_task=completed.append)
        # a scope whose end waits only for event sub-processes never triggered ends
        while event_subprocesses.release_untriggered(workflow):
            workflow.do_engine_steps(will_complete_task=before, did_complete_task=completed.append)
    except Deferred as deferred:
        workflow.refresh_timers()
        return deferred.args[0]
    return None


class TreeTooDeep(Exception):
    """A task tree deeper than :data:`MAX_TREE_DEPTH`, even once compacted."""

    def __init__(self, depth: int, limit: int):
        super().__init__(f"{depth} > {limit}")
        self.depth, self.limit = depth, limit


def settle(workflow: BpmnWorkflow, check_completion: bool = True) -> list:
    """What follows every step: the completed top of a deep tree dropped (:func:`compact`)
    and its depth checked (:class:`TreeTooDeep`), whether the workflow has completed
    noted, the events it threw taken out (or they would be kept with its state and sent
    again). Returns the thrown events."""
    # a tree is never deeper than it has tasks: most dossiers need no walk at all
    limit = min(COMPACT_DEPTH, MAX_TREE_DEPTH)
    small = len(workflow.tasks) <= limit and all(
        len(sub.tasks) <= limit for sub in workflow.subprocesses.values()
    )
    depth = 0 if small else tree_depth(workflow)
    if depth > COMPACT_DEPTH and compact(workflow):
        depth = tree_depth(workflow)
    if depth > MAX_TREE_DEPTH:
        raise TreeTooDeep(depth, MAX_TREE_DEPTH)
    if check_completion:
        workflow.is_completed()
    return workflow.get_events()
