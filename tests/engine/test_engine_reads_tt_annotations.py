"""The engine reads the ``tt:`` annotations with the shared BPMN core's reader
(bpmn/annotations.py, issue 23 item 3): the step kinds it keeps are the simplifier's, and a
value outside the vocabulary is a deploy warning instead of being kept silently."""

from __future__ import annotations

from tests.helpers.bpmn import HEAD
from toantrinh.engine.parsing import parse_model


def _model(step: str) -> str:
    return (
        HEAD
        + f"""
  <bpmn:process id="annotated" isExecutable="true">
    <bpmn:extensionElements><tt:procedure code="1.000001"/></bpmn:extensionElements>
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Move" name="Chuyển hồ sơ"><bpmn:extensionElements>{step}<tt:form ref="test-empty"/>
      </bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Move"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Move" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def test_step_kinds_are_read_as_the_shared_vocabulary_spells_them():
    info = parse_model(
        _model('<tt:step kind="Transfer" actor="one_stop_desk" duration=" PT1H "/>')
    ).info
    assert info.code == "1.000001"
    move = info.tasks["Move"]
    assert move.form == "test-empty"
    assert move.step == {"kind": "handoff", "actor": "one_stop_desk", "duration": "PT1H"}
    assert not [w for w in info.warnings if "tt:" in w]


def test_a_value_outside_the_vocabulary_is_a_deploy_warning():
    info = parse_model(_model('<tt:step kind="teleport" actor="one_stop_desk"/>')).info
    assert info.tasks["Move"].step == {"actor": "one_stop_desk"}
    assert any("'Chuyển hồ sơ' (Move)" in w and "“teleport”" in w for w in info.warnings), (
        info.warnings
    )
