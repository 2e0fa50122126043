"""One small model for each place BPMN allows a timer (issue 27.2).

Each model, once its timer is due, makes a user task ``Late`` ready (or, for the
non-interrupting ones, ``Remind`` beside the task still open); ``Work`` is the user task
the dossier waits on otherwise. Timers are one hour (``PT1H``) unless said otherwise.
"""

from __future__ import annotations

from tests.helpers.bpmn import HEAD

HOUR = 3600


def _user(task_id: str, name: str, incoming: str, outgoing: str | None) -> str:
    out = f"<bpmn:outgoing>{outgoing}</bpmn:outgoing>" if outgoing else ""
    return (
        f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements>'
        '<tt:form ref="test-empty"/></bpmn:extensionElements>'
        f"<bpmn:incoming>{incoming}</bpmn:incoming>{out}</bpmn:userTask>"
    )


def _timer(kind: str, expression: str) -> str:
    return (
        f'<bpmn:timerEventDefinition><bpmn:{kind} xsi:type="bpmn:tFormalExpression">'
        f"{expression}</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


def _model(process_id: str, body: str, messages: str = "") -> str:
    return (
        HEAD
        + messages
        + f'\n  <bpmn:process id="{process_id}" isExecutable="true">\n{body}\n  </bpmn:process>\n'
        + "</bpmn:definitions>\n"
    )


def boundary(interrupting: bool, definition: str, process_id: str) -> str:
    """start → Work (with a boundary timer) → end; the timer leads to Late or Remind."""
    target = "Late" if interrupting else "Remind"
    cancel = "true" if interrupting else "false"
    return _model(
        process_id,
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    {_user("Work", "Xử lý hồ sơ", "F1", "F2")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:boundaryEvent id="Deadline" name="Quá hạn" attachedToRef="Work"
      cancelActivity="{cancel}"><bpmn:outgoing>F3</bpmn:outgoing>{definition}</bpmn:boundaryEvent>
    {_user(target, "Xử lý quá hạn", "F3", "F4")}
    <bpmn:endEvent id="LateEnd"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Work"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Work" targetRef="Done"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Deadline" targetRef="{target}"/>
    <bpmn:sequenceFlow id="F4" sourceRef="{target}" targetRef="LateEnd"/>""",
    )


def intermediate(process_id: str = "timer_intermediate") -> str:
    """start → wait one hour → Late → end."""
    return _model(
        process_id,
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Wait" name="Chờ một giờ"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing>{_timer("timeDuration", '"PT1H"')}</bpmn:intermediateCatchEvent>
    {_user("Late", "Xử lý sau thời hạn", "F2", "F3")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Wait"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="Late"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Late" targetRef="Done"/>""",
    )


def event_gateway(process_id: str = "timer_event_gateway") -> str:
    """start → event-based gateway: the message ``tra_loi`` (→ Work) or one hour (→ Late)."""
    return _model(
        process_id,
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:eventBasedGateway id="Either" name="Trả lời hoặc quá hạn"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:eventBasedGateway>
    <bpmn:intermediateCatchEvent id="Answer" name="Có trả lời"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing><bpmn:messageEventDefinition id="MD" messageRef="Msg">
      <bpmn:extensionElements><spiffworkflow:messageVariable>answer</spiffworkflow:messageVariable>
      </bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Deadline" name="Quá hạn trả lời"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F5</bpmn:outgoing>{_timer("timeDuration", '"PT1H"')}</bpmn:intermediateCatchEvent>
    {_user("Work", "Xử lý trả lời", "F4", "F6")}
    {_user("Late", "Xử lý quá hạn", "F5", "F7")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F6</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="LateEnd"><bpmn:incoming>F7</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Either"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Either" targetRef="Answer"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Either" targetRef="Deadline"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Answer" targetRef="Work"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Deadline" targetRef="Late"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Work" targetRef="Done"/>
    <bpmn:sequenceFlow id="F7" sourceRef="Late" targetRef="LateEnd"/>""",
        messages='  <bpmn:message id="Msg" name="tra_loi"/>',
    )


def timer_start(process_id: str = "timer_start") -> str:
    """A timer start event (one hour after the dossier is started) → Late → end."""
    return _model(
        process_id,
        f"""
    <bpmn:startEvent id="StartEvent_1" name="Sau một giờ"><bpmn:outgoing>F1</bpmn:outgoing>
      {_timer("timeDuration", '"PT1H"')}</bpmn:startEvent>
    {_user("Late", "Xử lý sau thời hạn", "F1", "F2")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Late"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Late" targetRef="Done"/>""",
    )


def event_subprocess(interrupting: bool, process_id: str) -> str:
    """start → Work → end, with an event sub-process whose timer start (one hour) leads to
    Late (interrupting: Work is cancelled) or Remind (Work stays open)."""
    target = "Late" if interrupting else "Remind"
    flag = "true" if interrupting else "false"
    return _model(
        process_id,
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    {_user("Work", "Xử lý hồ sơ", "F1", "F2")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Work"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Work" targetRef="Done"/>
    <bpmn:subProcess id="Watch" name="Theo dõi thời hạn" triggeredByEvent="true">
      <bpmn:startEvent id="WatchStart" name="Quá một giờ" isInterrupting="{flag}">
        <bpmn:outgoing>E1</bpmn:outgoing>{_timer("timeDuration", '"PT1H"')}</bpmn:startEvent>
      {_user(target, "Xử lý quá hạn", "E1", "E2")}
      <bpmn:endEvent id="WatchEnd"><bpmn:incoming>E2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="E1" sourceRef="WatchStart" targetRef="{target}"/>
      <bpmn:sequenceFlow id="E2" sourceRef="{target}" targetRef="WatchEnd"/>
    </bpmn:subProcess>""",
    )


# kind -> (model, the user tasks ready once the timer has fired once)
CASES: dict[str, tuple[str, list[str]]] = {
    "boundary-interrupting": (
        boundary(True, _timer("timeDuration", '"PT1H"'), "timer_boundary"),
        ["Late"],
    ),
    "boundary-non-interrupting-duration": (
        boundary(False, _timer("timeDuration", '"PT1H"'), "timer_boundary_ni"),
        ["Remind", "Work"],
    ),
    "boundary-non-interrupting-cycle": (
        boundary(False, _timer("timeCycle", '"R2/PT1H"'), "timer_boundary_cycle"),
        ["Remind", "Work"],
    ),
    "boundary-interrupting-date": (
        boundary(True, _timer("timeDate", "add_days(today(), 1)"), "timer_boundary_date"),
        ["Late"],
    ),
    "intermediate-catch": (intermediate(), ["Late"]),
    "event-based-gateway": (event_gateway(), ["Late"]),
    "timer-start-event": (timer_start(), ["Late"]),
    "event-subprocess-interrupting": (event_subprocess(True, "timer_event_sub"), ["Late"]),
    "event-subprocess-non-interrupting": (
        event_subprocess(False, "timer_event_sub_ni"),
        ["Remind", "Work"],
    ),
}
