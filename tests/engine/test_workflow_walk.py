"""toantrinh.engine.workflow.walk visits what SpiffWorkflow's iterators visit, in the same order.

The model has what changes a walk: a parallel split and join, an embedded subprocess with
its own parallel branches, a non-interrupting boundary timer, a loop back through an
exclusive gateway and predicted (MAYBE/LIKELY) branches. It runs with plain
SpiffWorkflow (no engine), as ``BpmnWorkflow`` and as ``DossierWorkflow``; after every
step every kind of walk is compared with SpiffWorkflow's own iterator.
"""

from __future__ import annotations

import logging

import pytest
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskIterator, TaskState

import toantrinh.engine.workflow as walk_module
from toantrinh.engine.workflow import DossierTask, DossierWorkflow, walk

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs" targetNamespace="urn:test">
  <bpmn:process id="walk_test" isExecutable="true">
    <bpmn:startEvent id="Begin"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="Split"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:subProcess id="Appraise"><bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing>
      <bpmn:startEvent id="SubStart"><bpmn:outgoing>S1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:parallelGateway id="SubSplit"><bpmn:incoming>S1</bpmn:incoming>
        <bpmn:outgoing>S2</bpmn:outgoing><bpmn:outgoing>S3</bpmn:outgoing></bpmn:parallelGateway>
      <bpmn:scriptTask id="CheckA"><bpmn:incoming>S2</bpmn:incoming><bpmn:outgoing>S4</bpmn:outgoing>
        <bpmn:script>a = rounds * 2</bpmn:script></bpmn:scriptTask>
      <bpmn:scriptTask id="CheckB"><bpmn:incoming>S3</bpmn:incoming><bpmn:outgoing>S5</bpmn:outgoing>
        <bpmn:script>b = rounds + 1</bpmn:script></bpmn:scriptTask>
      <bpmn:parallelGateway id="SubJoin"><bpmn:incoming>S4</bpmn:incoming><bpmn:incoming>S5</bpmn:incoming>
        <bpmn:outgoing>S6</bpmn:outgoing></bpmn:parallelGateway>
      <bpmn:userTask id="SubReview"><bpmn:incoming>S6</bpmn:incoming><bpmn:outgoing>S7</bpmn:outgoing></bpmn:userTask>
      <bpmn:endEvent id="SubEnd"><bpmn:incoming>S7</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="S1" sourceRef="SubStart" targetRef="SubSplit"/>
      <bpmn:sequenceFlow id="S2" sourceRef="SubSplit" targetRef="CheckA"/>
      <bpmn:sequenceFlow id="S3" sourceRef="SubSplit" targetRef="CheckB"/>
      <bpmn:sequenceFlow id="S4" sourceRef="CheckA" targetRef="SubJoin"/>
      <bpmn:sequenceFlow id="S5" sourceRef="CheckB" targetRef="SubJoin"/>
      <bpmn:sequenceFlow id="S6" sourceRef="SubJoin" targetRef="SubReview"/>
      <bpmn:sequenceFlow id="S7" sourceRef="SubReview" targetRef="SubEnd"/>
    </bpmn:subProcess>
    <bpmn:userTask id="Pay"><bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="Remind" attachedToRef="Pay" cancelActivity="false">
      <bpmn:outgoing>F9</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>"PT0S"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:scriptTask id="Reminded"><bpmn:incoming>F9</bpmn:incoming><bpmn:outgoing>F10</bpmn:outgoing>
      <bpmn:script>reminded = True</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="ReminderEnd"><bpmn:incoming>F10</bpmn:incoming></bpmn:endEvent>
    <bpmn:parallelGateway id="Join"><bpmn:incoming>F4</bpmn:incoming><bpmn:incoming>F5</bpmn:incoming>
      <bpmn:outgoing>F6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:scriptTask id="Count"><bpmn:incoming>F6</bpmn:incoming><bpmn:outgoing>F7</bpmn:outgoing>
      <bpmn:script>rounds = rounds + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Again" default="F8"><bpmn:incoming>F7</bpmn:incoming>
      <bpmn:outgoing>F8</bpmn:outgoing><bpmn:outgoing>F11</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="Sign"><bpmn:incoming>F8</bpmn:incoming><bpmn:outgoing>F12</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="Done"><bpmn:incoming>F12</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Begin" targetRef="Split"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Split" targetRef="Appraise"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Split" targetRef="Pay"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Appraise" targetRef="Join"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Pay" targetRef="Join"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Join" targetRef="Count"/>
    <bpmn:sequenceFlow id="F7" sourceRef="Count" targetRef="Again"/>
    <bpmn:sequenceFlow id="F8" sourceRef="Again" targetRef="Sign"/>
    <bpmn:sequenceFlow id="F11" sourceRef="Again" targetRef="Split">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">rounds &lt; 3</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F9" sourceRef="Remind" targetRef="Reminded"/>
    <bpmn:sequenceFlow id="F10" sourceRef="Reminded" targetRef="ReminderEnd"/>
    <bpmn:sequenceFlow id="F12" sourceRef="Sign" targetRef="Done"/>
  </bpmn:process>
</bpmn:definitions>
"""

MASKS = [
    TaskState.ANY_MASK,
    TaskState.READY,
    TaskState.WAITING,
    TaskState.STARTED,
    TaskState.COMPLETED,
    TaskState.CANCELLED,
    TaskState.MAYBE | TaskState.LIKELY,
    TaskState.PREDICTED_MASK,
    TaskState.DEFINITE_MASK,
    TaskState.FINISHED_MASK,
    TaskState.NOT_FINISHED_MASK,
    TaskState.READY | TaskState.WAITING | TaskState.STARTED,
]


@pytest.fixture(scope="module")
def specs():
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(MODEL.encode())
    return parser.get_spec("walk_test"), parser.get_subprocess_specs("walk_test")


def _run(cls, specs, check=None) -> list[str]:
    """Drive the model to its end, completing the first ready user task each time; the
    names of the tasks in the order they completed."""
    spec, subs = specs
    workflow = cls(spec, subs)
    workflow.data["rounds"] = 0
    for task in workflow.get_tasks(state=TaskState.READY):
        task.set_data(rounds=0)
    workflow.do_engine_steps()
    completed: list[str] = []
    seen: set = set()
    for _ in range(100):
        workflow.refresh_timers()
        workflow.do_engine_steps()
        if check is not None:
            check(workflow)
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        ready[0].run()
        workflow.do_engine_steps()
    assert workflow.is_completed()
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if task.id not in seen:
            seen.add(task.id)
            completed.append(task.task_spec.name)
    return completed


def _compare_every_walk(workflow) -> int:
    """Every supported walk against SpiffWorkflow's iterator; how many were compared."""
    roots = [workflow.task_tree, *(sp.task_tree for sp in workflow.subprocesses.values())]
    names = sorted({t.task_spec.name for t in workflow.get_tasks(state=TaskState.ANY_MASK)})
    compared = 0
    for root in roots:
        for state in MASKS:
            for manual in (None, True, False):
                theirs = list(BpmnTaskIterator(root, state=state, manual=manual))
                mine = list(
                    walk(root, state=state, manual=manual, subprocesses=workflow.subprocesses)
                )
                assert mine == theirs, (root, state, manual)
                own = list(TaskIterator(root, state=state, manual=manual))
                assert list(walk(root, state=state, manual=manual)) == own
                compared += 2
            for end in ("Join", "Again", "SubJoin"):
                theirs = list(BpmnTaskIterator(root, state=state, end_at_spec=end))
                mine = list(
                    walk(root, state=state, end_at_spec=end, subprocesses=workflow.subprocesses)
                )
                assert mine == theirs, (root, state, end)
                compared += 1
            theirs = list(BpmnTaskIterator(root, state=state, skip_subprocesses=True))
            mine = list(
                walk(root, state=state, skip_subprocesses=True, subprocesses=workflow.subprocesses)
            )
            assert mine == theirs
            for depth in (0, 1, 3):
                theirs = list(TaskIterator(root, state=state, max_depth=depth))
                assert list(walk(root, state=state, max_depth=depth)) == theirs
            compared += 4
        for name in names:
            theirs = list(BpmnTaskIterator(root, spec_name=name))
            assert list(walk(root, spec_name=name, subprocesses=workflow.subprocesses)) == theirs
            compared += 1
        theirs = list(BpmnTaskIterator(root, spec_class=CatchingEvent))
        assert (
            list(walk(root, spec_class=CatchingEvent, subprocesses=workflow.subprocesses)) == theirs
        )
    return compared


def test_every_walk_matches_spiffworkflow_at_every_step(specs):
    compared = []
    done = _run(BpmnWorkflow, specs, check=lambda wf: compared.append(_compare_every_walk(wf)))
    # the run went three times round the loop, each time through the subprocess and the
    # timer branch: seven user tasks, a check before each and one at the end
    assert done.count("SubReview") == 3 and done.count("Reminded") == 3
    assert len(compared) == 8
    assert sum(compared) > 2000


def test_dossier_workflow_runs_the_model_as_spiffworkflow_does(specs, monkeypatch):
    monkeypatch.setattr(walk_module, "_verify", True)  # every walk in lockstep with Spiff's
    expected = _run(BpmnWorkflow, specs)
    assert expected.count("Count") == 3 and expected.count("SubReview") == 3
    assert "Reminded" in expected
    assert _run(DossierWorkflow, specs) == expected


def test_the_lockstep_check_catches_a_walk_in_another_order(specs, monkeypatch):
    monkeypatch.setattr(walk_module, "_verify", True)
    real = walk_module.walk

    def reversed_walk(*args, **kwargs):
        return iter(list(real(*args, **kwargs))[::-1])

    monkeypatch.setattr(walk_module, "walk", reversed_walk)
    spec, subs = specs
    with pytest.raises(AssertionError, match="tree walk differs"):
        workflow = DossierWorkflow(spec, subs)
        workflow.get_tasks(state=TaskState.ANY_MASK)


def test_unknown_filters_go_to_spiffworkflow(specs):
    spec, subs = specs
    workflow = DossierWorkflow(spec, subs)
    iterator = workflow.get_tasks_iterator(lane="citizen")
    assert isinstance(iterator, BpmnTaskIterator)
    assert list(iterator) == []


def _all_tasks(workflow) -> list:
    return [
        *workflow.tasks.values(),
        *(t for sub in workflow.subprocesses.values() for t in sub.tasks.values()),
    ]


def test_every_task_of_a_dossier_workflow_is_a_dossier_task(specs):
    """Built, added as children, in a new subprocess, and loaded from a state."""
    from toantrinh.engine.serialization import StateSerializer

    seen: list[int] = []

    def check(workflow) -> None:
        tasks = _all_tasks(workflow)
        assert all(type(t) is DossierTask for t in tasks), [
            t for t in tasks if type(t) is not DossierTask
        ]
        seen.append(len(workflow.subprocesses))

    assert _run(DossierWorkflow, specs, check=check)
    assert max(seen) >= 1  # the subprocess's tasks were checked too
    spec, subs = specs
    serializer = StateSerializer()
    workflow = DossierWorkflow(spec, subs)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.set_data(rounds=0)
    workflow.do_engine_steps()
    loaded = serializer.load_state(serializer.dump_state(workflow), spec, subs)
    assert loaded.subprocesses and all(type(t) is DossierTask for t in _all_tasks(loaded))
    assert '"typename":"Task"' in serializer.dump_state(loaded)  # named as SpiffWorkflow's


def test_dossier_tasks_log_their_state_changes_when_the_logger_takes_them(specs, caplog):
    """At WARNING (the engine's default) no record is built; at INFO SpiffWorkflow's own
    records come, with their extras, as they do for its Task."""
    spiff_log = logging.getLogger("spiff.task")
    level = spiff_log.level
    try:
        spiff_log.setLevel(logging.WARNING)
        with caplog.at_level(logging.WARNING, logger="spiff.task"):
            _run(DossierWorkflow, specs)
        assert not [r for r in caplog.records if r.name == "spiff.task"]
        spiff_log.setLevel(logging.INFO)
        with caplog.at_level(logging.INFO, logger="spiff.task"):
            _run(DossierWorkflow, specs)
        changes = [r for r in caplog.records if r.getMessage().startswith("State changed to")]
        assert len(changes) > 50
        assert {"COMPLETED", "READY"} <= {r.state for r in changes}  # the extras are there
    finally:
        spiff_log.setLevel(level)


def test_dossier_tasks_inherit_data_as_spiffworkflow_tasks_do(specs):
    """DossierTask copies a parent's data into a task without data itself; every task's
    data, at the end of a run through loops, joins and a subprocess, is SpiffWorkflow's."""
    finals = []
    for cls in (BpmnWorkflow, DossierWorkflow):
        kept = {}

        def keep(workflow, kept=kept) -> None:
            for task in _all_tasks(workflow):
                kept.setdefault(task.task_spec.name, []).append(dict(task.data))

        _run(cls, specs, check=keep)
        finals.append(kept)
    assert finals[0] == finals[1]
    assert any(len(v) > 1 and v[0] != v[-1] for v in finals[1].values())  # data moved on
