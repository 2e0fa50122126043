"""Small models in the unusual but valid shapes other modelling tools export, each one a
crash the BPMN corpus bench found (issue 27.11, ``bench/bpmn_corpus.py``)."""

from __future__ import annotations

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:tns="urn:unusual" targetNamespace="urn:unusual" id="Defs">\n'
)


def collaboration_without_id() -> str:
    """A pool whose ``<collaboration>`` has no id (bpmn-moddle's fixtures, hand-written
    files): ``toantrinh simplify --format html|bpmn`` raised TypeError."""
    return (
        HEAD
        + """
  <collaboration>
    <participant id="Pool" name="Ủy ban nhân dân xã" processRef="pool_process"/>
  </collaboration>
  <process id="pool_process" isExecutable="true">
    <startEvent id="Start_1"><outgoing>F1</outgoing></startEvent>
    <task id="Receive" name="Tiếp nhận hồ sơ"><incoming>F1</incoming><outgoing>F2</outgoing></task>
    <endEvent id="End_1"><incoming>F2</incoming></endEvent>
    <sequenceFlow id="F1" sourceRef="Start_1" targetRef="Receive"/>
    <sequenceFlow id="F2" sourceRef="Receive" targetRef="End_1"/>
  </process>
</definitions>
"""
    )


def flows_without_ids() -> str:
    """Sequence flows without ids (Activiti's test models): the rewritten model's diagram
    raised TypeError."""
    return (
        HEAD
        + """
  <process id="no_flow_ids" isExecutable="true">
    <startEvent id="Start_1"/>
    <task id="Check" name="Kiểm tra hồ sơ"/>
    <endEvent id="End_1"/>
    <sequenceFlow sourceRef="Start_1" targetRef="Check"/>
    <sequenceFlow sourceRef="Check" targetRef="End_1"/>
  </process>
</definitions>
"""
    )


def message_ref_as_qname(ref: str = "tns:newInvoice") -> str:
    """A message start event whose ``messageRef`` is a QName of this document (BPMN types
    it ``xsd:QName``; Activiti writes ``tns:…``): deploy said TypeError."""
    return (
        HEAD
        + f"""
  <message id="newInvoice" name="hoa_don_moi"/>
  <process id="qname_refs" isExecutable="true">
    <startEvent id="Start_1"><outgoing>F1</outgoing>
      <messageEventDefinition messageRef="{ref}"/></startEvent>
    <task id="Book" name="Ghi sổ"><incoming>F1</incoming><outgoing>F2</outgoing></task>
    <endEvent id="End_1"><incoming>F2</incoming></endEvent>
    <sequenceFlow id="F1" sourceRef="Start_1" targetRef="Book"/>
    <sequenceFlow id="F2" sourceRef="Book" targetRef="End_1"/>
  </process>
</definitions>
"""
    )


def event_subprocess_without_id() -> str:
    """An event sub-process with no id (Activiti): deploy raised ValueError."""
    return (
        HEAD
        + """
  <message id="cancel" name="huy_ho_so"/>
  <process id="no_sub_id" isExecutable="true">
    <startEvent id="Start_1"><outgoing>F1</outgoing></startEvent>
    <task id="Work" name="Xử lý"><incoming>F1</incoming><outgoing>F2</outgoing></task>
    <endEvent id="End_1"><incoming>F2</incoming></endEvent>
    <sequenceFlow id="F1" sourceRef="Start_1" targetRef="Work"/>
    <sequenceFlow id="F2" sourceRef="Work" targetRef="End_1"/>
    <subProcess triggeredByEvent="true">
      <startEvent id="CancelStart" isInterrupting="false"><outgoing>E1</outgoing>
        <messageEventDefinition messageRef="cancel"/></startEvent>
      <endEvent id="CancelEnd"><incoming>E1</incoming></endEvent>
      <sequenceFlow id="E1" sourceRef="CancelStart" targetRef="CancelEnd"/>
    </subProcess>
  </process>
</definitions>
"""
    )
