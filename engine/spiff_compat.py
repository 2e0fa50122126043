"""SpiffWorkflow helpers that read its task maps directly (see docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState


def _ready_manual_tasks(workflow: BpmnWorkflow) -> list:
    """The workflow's ready user tasks, its subprocesses' included — what
    ``get_tasks(state=READY, manual=True)`` returns, by a scan of the task maps instead
    of a walk of the tree (order aside)."""
    tasks = [t for t in workflow.tasks.values() if t._state == TaskState.READY]
    for sub in workflow.subprocesses.values():
        tasks.extend(t for t in sub.tasks.values() if t._state == TaskState.READY)
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
