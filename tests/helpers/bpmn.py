"""Small BPMN documents for engine tests (no diagram; the library models carry DI)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tt="urn:toantrinh:bpmn:1" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Defs" '
    'targetNamespace="urn:test">\n'
)


def script_process(script: str, process_id: str = "script_test") -> str:
    """start → script task → user task → end."""
    return (
        HEAD
        + f"""
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Script" name="Tính toán"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Script"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Script" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def condition_process(condition: str, process_id: str = "condition_test") -> str:
    """start → exclusive gateway with ``condition`` → end / default end."""
    return (
        HEAD
        + f"""
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="Gw" default="F3"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="EndA"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="EndB"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Gw"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Gw" targetRef="EndA">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F3" sourceRef="Gw" targetRef="EndB"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def service_process(operation: str, process_id: str = "service_test") -> str:
    """start → service task (operation) → user task → end."""
    return (
        HEAD
        + f"""
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="Call" name="Gọi CSDL"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id={quoteattr(operation)} resultVariable="result">
        <spiffworkflow:parameters><spiffworkflow:parameter id="identity_number" type="str" value="applicant_id"/></spiffworkflow:parameters>
      </spiffworkflow:serviceTaskOperator></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Call"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def sender_process(message: str = "ket_qua_khai_sinh") -> str:
    """A dossier that ends by throwing ``message``."""
    return (
        HEAD
        + f"""
  <bpmn:message id="Msg" name="{message}"/>
  <bpmn:process id="sender" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Approve" name="Phê duyệt"><bpmn:extensionElements><tt:form ref="test-result"/></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="Send" name="Gửi kết quả sang thủ tục liên thông"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:messageEventDefinition id="MD1" messageRef="Msg"><bpmn:extensionElements>
        <spiffworkflow:messagePayload>{{"result": result, "applicant_id": applicant_id, "link_id": link_id, "receipt_code": receipt_code}}</spiffworkflow:messagePayload>
      </bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Approve"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Approve" targetRef="Send"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def receiver_process(message: str = "ket_qua_khai_sinh") -> str:
    """A dossier that waits for ``message`` and then needs an officer's review."""
    return (
        HEAD
        + f"""
  <bpmn:message id="Msg" name="{message}"/>
  <bpmn:process id="receiver" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Wait" name="Chờ kết quả thủ tục liên thông"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:messageEventDefinition id="MD1" messageRef="Msg"><bpmn:extensionElements>
        <spiffworkflow:messageVariable>linked</spiffworkflow:messageVariable></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Wait"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def message_start_process(message: str = "ket_qua_khai_sinh") -> str:
    """A model whose start event is ``message`` (a linked procedure started by another)."""
    return (
        HEAD
        + f"""
  <bpmn:message id="Msg" name="{message}"/>
  <bpmn:process id="linked_start" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Nhận hồ sơ liên thông"><bpmn:outgoing>F1</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MD1" messageRef="Msg"><bpmn:extensionElements>
        <spiffworkflow:messageVariable>linked</spiffworkflow:messageVariable></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def loop_process() -> str:
    """start → merge → user task → gateway (again? back to merge) → end."""
    return (
        HEAD
        + """
  <bpmn:process id="loop_test" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="Merge"><bpmn:incoming>F1</bpmn:incoming><bpmn:incoming>F4</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="Ask" name="Yêu cầu bổ sung thông tin"><bpmn:extensionElements><tt:form ref="test-again"/></bpmn:extensionElements>
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="Again" default="F5"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing><bpmn:outgoing>F5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Merge"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Merge" targetRef="Ask"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Ask" targetRef="Again"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Again" targetRef="Merge">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">again</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F5" sourceRef="Again" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def journal_process(script: str = 'checked_on = today()\nscore = len(note or "") + 1') -> str:
    """start → Declare (user task) → Call (service task ``counter.next``) → Check (script)
    → Review (user task, a one-hour deadline: a boundary timer to Expired) → end. Every
    kind of work a journaled step replays: form data, a registry answer, a script reading
    the clock, a timer started."""
    return (
        HEAD
        + f"""
  <bpmn:process id="journal_test" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Declare" name="Kê khai"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:serviceTask id="Call" name="Tra cứu CSDL"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id="counter.next" resultVariable="registry">
        <spiffworkflow:parameters><spiffworkflow:parameter id="identity_number" type="str" value="applicant_id"/></spiffworkflow:parameters>
      </spiffworkflow:serviceTaskOperator></bpmn:extensionElements>
      <bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:scriptTask id="Check" name="Kiểm tra"><bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="Review" name="Thẩm định"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F4</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="Deadline" name="Quá hạn thẩm định" attachedToRef="Review">
      <bpmn:outgoing>F6</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F5</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="Expired" name="Hết hạn"><bpmn:incoming>F6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Declare"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Declare" targetRef="Call"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Call" targetRef="Check"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Check" targetRef="Review"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Review" targetRef="EndEvent_1"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Deadline" targetRef="Expired"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


TEST_FORMS = {
    "test-empty": {
        "type": "object",
        "properties": {"note": {"type": "string", "title": "Ghi chú"}},
    },
    "test-result": {
        "type": "object",
        "properties": {
            "result": {"type": "string", "title": "Kết quả"},
            "link_id": {"type": "string", "title": "Mã liên thông"},
        },
        "required": ["result"],
    },
    "test-again": {
        "type": "object",
        "properties": {"again": {"type": "boolean", "title": "Lặp lại"}},
        "required": ["again"],
    },
}
