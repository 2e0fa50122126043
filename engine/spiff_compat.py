"""Where the engine reaches past SpiffWorkflow's public interface — in one place.

SpiffWorkflow 3 gives no public way to do some of what the engine needs: read a task's
state without the property's overhead in hot scans, read the internal data a timer keeps
(its due value, whether it fired), force a task back to READY on a retry, re-run a join's
update, make task ids and timestamps deterministic inside an operation, and make timers
read the engine clock. Each of those is a function or a patch here, and :data:`INTERNALS`
lists every private name the engine relies on — this module's helpers and the hot loops
of ``engine/workflow.py`` and ``engine/serialization.py``, which read ``_state``,
``_parent`` and ``_children`` directly for speed.

:func:`verify` checks them all against the installed SpiffWorkflow; it runs at import and
in ``tests/engine/test_spiff_compat.py``, so an upgrade that renames or drops one fails
at once instead of corrupting dossiers. pyproject.toml pins SpiffWorkflow to the minor
version this was checked on; before moving the pin, run that test and read
docs/operations.md "Upgrading the engine or its SpiffWorkflow".
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import SpiffWorkflow
import SpiffWorkflow.bpmn.specs.control as _spiff_control
import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer
import SpiffWorkflow.task as _spiff_task
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

# the SpiffWorkflow minor version these internals were checked on (pyproject.toml pins it)
CHECKED_ON = "3.2"

# private attributes read on live tasks (instance attributes, set by Task.__init__)
TASK_ATTRIBUTES = ("_state", "_parent", "_children")
# private methods called, with the parameters the engine passes
INTERNALS: dict[type, dict[str, tuple[str, ...]]] = {
    Task: {
        "_set_state": ("self", "value"),
        "_get_internal_data": ("self", "name", "default"),
        "_set_internal_data": ("self", "kwargs"),
    },
    TaskSpec: {"_update": ("self", "my_task")},
}
# module globals the engine replaces (patches below)
PATCHED_GLOBALS = ((_spiff_task, ("uuid4", "time")), (_spiff_timer, ("datetime",)))
# private classes the engine recognises tasks by (``EndJoin`` below)
PRIVATE_CLASSES = ((_spiff_control, ("_EndJoin",)),)


def verify() -> list[str]:
    """What of :data:`INTERNALS` the installed SpiffWorkflow lacks (empty: all there)."""
    problems = []
    for cls, methods in INTERNALS.items():
        for name, params in methods.items():
            method = getattr(cls, name, None)
            if not callable(method):
                problems.append(f"{cls.__name__}.{name} is gone")
                continue
            found = tuple(inspect.signature(method).parameters)[: len(params)]
            if found != params:
                problems.append(f"{cls.__name__}.{name}{found} is not {name}{params}")
    source = inspect.getsource(Task.__init__)
    problems.extend(
        f"Task.{name} is no longer set by Task.__init__"
        for name in TASK_ATTRIBUTES
        if f"self.{name} " not in source
    )
    for module, names in PATCHED_GLOBALS + PRIVATE_CLASSES:
        problems.extend(
            f"{module.__name__}.{name} is gone" for name in names if not hasattr(module, name)
        )
    return problems


_PROBLEMS = verify()
if _PROBLEMS:  # loud: a silent mismatch would corrupt dossiers' states
    raise ImportError(
        f"SpiffWorkflow {getattr(SpiffWorkflow, '__version__', '?')} changed internals the "
        f"engine relies on (checked on {CHECKED_ON}): " + "; ".join(_PROBLEMS)
    )


# the join SpiffWorkflow puts before a process's end, waiting for every branch (private)
EndJoin: type = _spiff_control._EndJoin


# ---------------------------------------------------------------- patches
def install_timer_clock(datetime_class: type) -> None:
    """SpiffWorkflow's timers call ``datetime.now()``: make it the engine clock."""
    _spiff_timer.datetime = datetime_class


def install_task_identity(uuid4: Callable[[], Any], time_module: Any) -> None:
    """``SpiffWorkflow.task`` calls ``uuid4()`` for every new task and ``time.time()`` at
    every state change: route both through the current operation (engine/workflow.py)."""
    _spiff_task.uuid4 = uuid4
    _spiff_task.time = time_module


# ---------------------------------------------------------------- accessors
def task_state(task: Task) -> int:
    """The task's state without the property (hot scans)."""
    return task._state


def force_state(task: Task, state: int) -> None:
    """Set a task's state past SpiffWorkflow's transition checks (a retried task)."""
    task._set_state(state)


def internal_data(task: Task, name: str, default: Any = None) -> Any:
    """A value SpiffWorkflow keeps inside a task (a timer's ``event_value``, ``event_fired``)."""
    return task._get_internal_data(name, default)


def set_internal_data(task: Task, **values: Any) -> None:
    """Change values SpiffWorkflow keeps inside a task (a timer's ``event_value``)."""
    task._set_internal_data(**values)


def update_spec(task: Task) -> None:
    """Run the task's spec update again (a join whose inputs changed)."""
    task.task_spec._update(task)


# ---------------------------------------------------------------- reads of task maps
def _ready_manual_tasks(workflow: BpmnWorkflow) -> list:
    """The workflow's ready user tasks, its subprocesses' included — what
    ``get_tasks(state=READY, manual=True)`` returns, by a scan of the task maps instead
    of a walk of the tree (order aside)."""
    tasks = [t for t in workflow.tasks.values() if task_state(t) == TaskState.READY]
    for sub in workflow.subprocesses.values():
        tasks.extend(t for t in sub.tasks.values() if task_state(t) == TaskState.READY)
    return [t for t in tasks if t.task_spec.manual]


def _message_names(event_definition) -> list[str]:
    if isinstance(event_definition, MessageEventDefinition):
        return [event_definition.name]
    if isinstance(event_definition, MultipleEventDefinition):
        return [
            d.name
            for d in event_definition.event_definitions
            if isinstance(d, MessageEventDefinition)
        ]
    return []


def current_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The dossier's data now: the data of its open tasks, or of its last task."""
    open_tasks = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED)
    data: dict[str, Any] = {}
    if open_tasks:
        for task in open_tasks:
            data.update(task.data)
    elif workflow.last_task is not None:
        data.update(workflow.last_task.data)
    else:
        data.update(workflow.task_tree.data)
    return data


def document_type_of(components: dict[str, dict[str, str | None]] | None, component: str) -> str:
    """The e-data warehouse's type for a dossier component: the ``documentType`` its
    ``tt:component`` declares, else its code."""
    return ((components or {}).get(component) or {}).get("document_type") or component
