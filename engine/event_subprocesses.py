"""Event sub-processes run as BPMN says, where SpiffWorkflow 3.2 does not.

SpiffWorkflow starts an event sub-process whose start event is a timer (or none) as one
more branch from the process's start, joined at the process's end (``EndJoin``, spiff_compat):

* it never reads the start event's ``isInterrupting`` (BPMN's default is ``true``), so an
  interrupting event sub-process runs beside the work it should have cancelled;
* the end join waits for that branch, so a dossier whose main flow has ended stays in
  progress until the sub-process's timer fires, and then runs it anyway.

The engine completes those semantics around SpiffWorkflow's steps
(:func:`toantrinh.engine.workflow.run_steps`), so a journal replay does exactly the same:

* when an interrupting event sub-process's start event runs, every other open task of
  its scope (the process or sub-process that holds it) is cancelled first
  (:func:`interrupt_scope`);
* when the rest of a scope has finished and its end join waits only for event
  sub-processes that were never triggered, those are cancelled (their timers with them)
  and the scope completes (:func:`release_untriggered`). One that was triggered runs to
  its end first, as BPMN has it.

Which event sub-processes interrupt is read from the BPMN at deploy
(:func:`interrupting_ids`) and marked on their specs when a version's specs are loaded
(:func:`mark`): SpiffWorkflow's serialized spec does not keep it.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

from toantrinh.engine.spiff_compat import EndJoin, task_state, update_spec

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_MARK = "tt_interrupting"
_UNFINISHED = TaskState.NOT_FINISHED_MASK
_STARTED = TaskState.READY | TaskState.STARTED | TaskState.COMPLETED | TaskState.ERROR


def interrupting_ids(process: etree._Element) -> list[str]:
    """The ids of the process's interrupting event sub-processes (a start event without
    ``isInterrupting="false"``), at any depth."""
    out = []
    for sub in process.iter(f"{{{BPMN_NS}}}subProcess"):
        if sub.get("triggeredByEvent", "false").strip().lower() != "true":
            continue
        starts = sub.findall(f"{{{BPMN_NS}}}startEvent")
        if any(s.get("isInterrupting", "true").strip().lower() != "false" for s in starts):
            out.append(sub.get("id"))
    return out


def mark(subprocess_specs: dict, interrupting: Iterable[str]) -> None:
    """Mark the specs of the interrupting event sub-processes (by id)."""
    wanted = set(interrupting)
    for name, spec in subprocess_specs.items():
        setattr(spec, _MARK, name in wanted)


def _is_event_subprocess(task) -> bool:
    spec = task.task_spec
    return isinstance(spec, SubWorkflowTask) and spec in task.workflow.spec.start.outputs


def interrupt_scope(task) -> None:
    """Before ``task`` runs: if it is the start event of an interrupting event
    sub-process, cancel every other open task of the scope that holds the sub-process."""
    if not isinstance(task.task_spec, StartEvent):
        return
    workflow = task.workflow
    if workflow.parent_task_id is None or not getattr(workflow.spec, _MARK, False):
        return
    holder = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
    scope = holder.workflow
    for other in list(scope.tasks.values()):
        if other is holder or other.id not in scope.tasks or not task_state(other) & _UNFINISHED:
            continue
        parent = other.parent
        if parent is None or not task_state(parent) & _UNFINISHED:  # the top of an open branch
            other.cancel()


def _triggered(task) -> bool:
    sub = task.workflow.top_workflow.subprocesses.get(task.id)
    if sub is None:
        return False
    for inner in sub.tasks.values():
        spec = inner.task_spec
        if isinstance(spec, BpmnStartTask):
            continue
        if isinstance(spec, StartEvent):
            if task_state(inner) & (TaskState.READY | TaskState.COMPLETED):
                return True
        elif task_state(inner) & (_STARTED | TaskState.WAITING):
            return True
    return False


def _under(task, roots: set) -> bool:
    node = task
    while node is not None:
        if node.id in roots:
            return True
        node = node.parent
    return False


def _release_scope(scope) -> bool:
    joins = [
        t
        for t in scope.tasks.values()
        if isinstance(t.task_spec, EndJoin) and task_state(t) == TaskState.WAITING
    ]
    if not joins:
        return False
    idle = [
        t
        for t in scope.tasks.values()
        if task_state(t) & _UNFINISHED and _is_event_subprocess(t) and not _triggered(t)
    ]
    if not idle:
        return False
    ignored = {t.id for t in joins} | {t.id for t in idle}
    for other in scope.tasks.values():
        if task_state(other) & _UNFINISHED and not _under(other, ignored):
            return False  # the scope still has work of its own
    for task in idle:
        task.cancel()
    for join in joins:
        if join.id in scope.tasks:
            update_spec(join)
    return True


def release_untriggered(workflow) -> bool:
    """Cancel the never-triggered event sub-processes of every scope whose other work
    has finished; return whether any was (the scopes' end joins may then run)."""
    scopes = [workflow, *workflow.subprocesses.values()]
    if not any(
        isinstance(s, SubWorkflowTask) for scope in scopes for s in scope.spec.start.outputs
    ):
        return False
    released = False
    for scope in scopes:
        released = _release_scope(scope) or released
    return released
