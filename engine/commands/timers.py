"""The timers a dossier waits on, their due times, and which of them a refresh fired.

SpiffWorkflow notices a timer only when the host refreshes it
(``BpmnWorkflow.refresh_timers``), and keeps every waiting catch event — its own
timers among them — in the top workflow's ``event_manager``, in state ``WAITING``:

==============================  ==========================================================
where BPMN allows a timer       the task that waits (SpiffWorkflow 3.2)
==============================  ==========================================================
boundary (interrupting or not)  the ``BoundaryEvent`` task, beside the activity
intermediate catch event        the ``IntermediateCatchEvent`` task
event-based gateway branch      the **gateway** task: the parser moves its branches'
                                definitions into the gateway's ``MultipleEventDefinition``
                                and leaves the branch events a ``NoneEventDefinition``
timer start event               the process's ``StartEvent`` task
event sub-process timer start   the ``StartEvent`` task of the sub-process's workflow
==============================  ==========================================================

The due time is the ``event_value`` SpiffWorkflow keeps in the task's internal data: an
ISO instant (duration and date timers, and a gateway's timer branch), or for a cycle
``{"cycles", "next", "duration"}``, whose ``next`` is the next due instant. A cycle timer
stays ``WAITING`` when it fires (it adds a child per cycle and moves ``next`` on); the
others leave ``WAITING`` or set ``event_fired``.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from toantrinh.engine.spiff_compat import internal_data


def has_timer(event_definition: Any) -> bool:
    """Whether a catch event (or an event-based gateway) waits on a timer."""
    if isinstance(event_definition, TimerEventDefinition):
        return True
    return isinstance(event_definition, MultipleEventDefinition) and any(
        isinstance(d, TimerEventDefinition) for d in event_definition.event_definitions
    )


def waiting_timers(workflow: BpmnWorkflow) -> list:
    """The tasks of a dossier that wait on a timer (its subprocesses' included)."""
    return [
        t for t in workflow.event_manager.tasks.values() if has_timer(t.task_spec.event_definition)
    ]


def due_at(task) -> datetime | None:
    """When the timer ``task`` waits on is due, or ``None`` when it has no due time yet."""
    value = internal_data(task, "event_value")
    if value is None:
        return None
    if isinstance(value, dict):  # cycle timer
        if value.get("cycles") == 0:
            return None
        value = value.get("next")
    try:
        return TimerEventDefinition.get_datetime(value)
    except (TypeError, ValueError):
        return None


def before_refresh(tasks: list) -> dict:
    """What :func:`fired` compares against: each timer task's state and due value."""
    return {t.id: (t.state, copy.deepcopy(internal_data(t, "event_value"))) for t in tasks}


def fired(tasks: list, before: dict) -> list:
    """The timer tasks that fired in the refresh after :func:`before_refresh`: they left
    ``WAITING``, or set ``event_fired``, or (a cycle) moved on to their next due time."""
    out = []
    for task in tasks:
        state, value = before[task.id]
        if (
            task.state != TaskState.WAITING
            or internal_data(task, "event_fired")
            or internal_data(task, "event_value") != value
            or state != task.state
        ):
            out.append(task)
    return out
