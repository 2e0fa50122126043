"""Hostile inputs over the real HTTP stack: each is refused with a clear 4xx (or fails
only its own task), the server stays up and an unrelated dossier is unaffected."""

from __future__ import annotations

import json
import time
import unicodedata
from xml.sax.saxutils import escape

import pytest

import toantrinh.engine.workflow as workflow_module
from tests.helpers.bpmn import HEAD, TEST_FORMS, loop_process, script_process
from tests.security.conftest import DECLARATION, assert_problem

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MINIMAL = (
    HEAD
    + """
  <bpmn:process id="minimal" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
)


def _definitions(body: str) -> str:
    return f'<bpmn:definitions xmlns:bpmn="{BPMN}" id="D" targetNamespace="urn:x">{body}</bpmn:definitions>'


def _laughs(levels: int = 10) -> str:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE d [{entities}]>\n' + _definitions(
        f'<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" '
        f'name="&l{levels - 1};"/></bpmn:process>'
    )


HOSTILE_XML = {
    "xxe-file": (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + _definitions(
            '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s">'
            "<bpmn:documentation>&x;</bpmn:documentation></bpmn:startEvent></bpmn:process>"
        )
    ).encode(),
    "xxe-network": (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>\n'
        + _definitions("")
    ).encode(),
    "billion-laughs": _laughs().encode(),
    "quadratic-blowup": (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "'
        + "a" * 50_000
        + '">]>\n'
        + _definitions(
            '<bpmn:process id="p"><bpmn:startEvent id="s" name="'
            + "&a;" * 5_000
            + '"/></bpmn:process>'
        )
    ).encode(),
    "deeply-nested": (
        f'<bpmn:definitions xmlns:bpmn="{BPMN}" id="D">'
        + "<x>" * 50_000
        + "</x>" * 50_000
        + "</bpmn:definitions>"
    ).encode(),
    "not-bpmn": b'<?xml version="1.0"?><html><body>hello</body></html>',
    "not-xml": b"\x00\x01\x02 PK\x03\x04 this is not XML at all \xff\xfe",
    "truncated": MINIMAL.encode()[: len(MINIMAL) // 2],
    "no-process": _definitions("").encode(),
    "utf-16-doctype": (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]>\n'
        + _definitions(
            '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s">'
            "<bpmn:documentation>&x;</bpmn:documentation></bpmn:startEvent>"
            "</bpmn:process>"
        )
    ).encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_XML))
def test_hostile_xml_is_refused_with_422_and_the_server_stays_up(name, live, control):
    modeller = control.admin
    started = time.monotonic()
    response = modeller.post(
        "/api/v1/models",
        data=HOSTILE_XML[name],
        headers={"Content-Type": "application/xml"},
        params={"slug": f"hostile-{name}"},
    )
    assert time.monotonic() - started < 10
    body = assert_problem(response, 422)
    assert body["errors"] and all(e["field"] == "bpmn" for e in body["errors"])
    assert "root:" not in response.text  # no /etc/passwd content echoed back
    # the same body through /validate is a clean "invalid", never a 5xx
    checked = modeller.post(
        "/api/v1/models/validate",
        data=HOSTILE_XML[name],
        headers={"Content-Type": "application/xml"},
    )
    assert checked.status_code == 200 and checked.json()["valid"] is False
    assert modeller.get("/api/v1/models/hostile-" + name).status_code == 404
    control.assert_unharmed()


def test_hostile_xml_in_a_multipart_upload_is_refused_too(live, control):
    files = {"bpmn": ("laughs.bpmn", HOSTILE_XML["billion-laughs"], "application/xml")}
    assert_problem(control.admin.post("/api/v1/models", files=files), 422)
    body = json.dumps({"bpmn": HOSTILE_XML["xxe-file"].decode()})
    assert_problem(
        control.admin.post(
            "/api/v1/models", data=body, headers={"Content-Type": "application/json"}
        ),
        422,
    )
    control.assert_unharmed()


def test_a_50_mb_upload_is_refused_with_413_problem_json(live, control):
    payload = b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>"
    for headers in ({"Content-Type": "application/xml"}, {"Content-Type": "application/json"}):
        response = control.admin.post("/api/v1/models", data=payload, headers=headers)
        assert_problem(response, 413)
    files = {"bpmn": ("big.bpmn", payload, "application/xml")}
    assert_problem(control.admin.post("/api/v1/models", files=files), 413)
    assert_problem(
        control.citizen.post(
            "/api/v1/dossiers", data=payload, headers={"Content-Type": "application/json"}
        ),
        413,
    )
    control.assert_unharmed()


# ---------------------------------------------------------------- unsafe models
def _process(inner: str, extra: str = "") -> str:
    return (
        HEAD
        + extra
        + f"""
  <bpmn:process id="unsafe" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    {inner}
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="X"/>
    <bpmn:sequenceFlow id="F2" sourceRef="X" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def _user_task(ext: str = "", body: str = "") -> str:
    return (
        f'<bpmn:userTask id="X" name="Bước độc"><bpmn:extensionElements><tt:form ref="test-empty"/>{ext}'
        f"</bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>"
        f"{body}</bpmn:userTask>"
    )


ATTACKS = {
    "import": "__import__('os').system('id')",
    "file": "open('/etc/passwd').read()",
    "walk": "().__class__.__base__.__subclasses__()",
}
PLACES = {
    "pre-script": lambda a: _process(
        _user_task(f"<spiffworkflow:preScript>x = {escape(a)}</spiffworkflow:preScript>")
    ),
    "post-script": lambda a: _process(
        _user_task(f"<spiffworkflow:postScript>x = {escape(a)}</spiffworkflow:postScript>")
    ),
    "timer": lambda a: _process(
        '<bpmn:intermediateCatchEvent id="X" name="Chờ"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:timerEventDefinition id="T"><bpmn:timeDuration>'
        f"{escape(a)}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    ),
    "multi-instance": lambda a: _process(
        _user_task(
            body="<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>"
            f"{escape(a)}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>"
        )
    ),
    "message-payload": lambda a: _process(
        '<bpmn:intermediateThrowEvent id="X" name="Gửi"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:messageEventDefinition id="MD" messageRef="Msg"><bpmn:extensionElements>'
        f"<spiffworkflow:messagePayload>{escape(a)}</spiffworkflow:messagePayload></bpmn:extensionElements>"
        "</bpmn:messageEventDefinition></bpmn:intermediateThrowEvent>",
        '<bpmn:message id="Msg" name="m"/>',
    ),
    "service-parameter": lambda a: _process(
        '<bpmn:serviceTask id="X" name="Gọi"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
        'id="population.lookup" resultVariable="r"><spiffworkflow:parameters><spiffworkflow:parameter '
        f'id="identity_number" type="str" value="{escape(a, {chr(34): "&quot;"})}"/></spiffworkflow:parameters>'
        "</spiffworkflow:serviceTaskOperator></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming>"
        "<bpmn:outgoing>F2</bpmn:outgoing></bpmn:serviceTask>"
    ),
    "script-task": lambda a: _process(
        '<bpmn:scriptTask id="X" name="Bước độc"><bpmn:incoming>F1</bpmn:incoming>'
        f"<bpmn:outgoing>F2</bpmn:outgoing><bpmn:script>x = {escape(a)}</bpmn:script></bpmn:scriptTask>"
    ),
    "conditional-event": lambda a: _process(
        '<bpmn:intermediateCatchEvent id="X" name="Chờ"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:conditionalEventDefinition id="CD"><bpmn:condition xsi:type="bpmn:tFormalExpression">'
        f"{escape(a)}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>"
    ),
    # bpmn-js writes a correlation property's retrieval expression as a formalExpression
    # (SpiffWorkflow reads the first child whatever its tag)
    "correlation-property": lambda a: _process(
        '<bpmn:intermediateCatchEvent id="X" name="Chờ"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:messageEventDefinition id="MD" messageRef="Msg"/></bpmn:intermediateCatchEvent>',
        '<bpmn:message id="Msg" name="m"/><bpmn:correlationProperty id="CP" name="Mã liên thông">'
        '<bpmn:correlationPropertyRetrievalExpression messageRef="Msg"><bpmn:formalExpression>'
        f"{escape(a)}</bpmn:formalExpression></bpmn:correlationPropertyRetrievalExpression>"
        "</bpmn:correlationProperty>",
    ),
    "process-correlation": lambda a: _process(
        '<bpmn:intermediateThrowEvent id="X" name="Gửi"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:messageEventDefinition id="MD" messageRef="Msg"><bpmn:extensionElements>'
        "<spiffworkflow:processVariableCorrelation><spiffworkflow:propertyId>CP</spiffworkflow:propertyId>"
        f"<spiffworkflow:expression>{escape(a)}</spiffworkflow:expression>"
        "</spiffworkflow:processVariableCorrelation></bpmn:extensionElements>"
        "</bpmn:messageEventDefinition></bpmn:intermediateThrowEvent>",
        '<bpmn:message id="Msg" name="m"/>',
    ),
    "signal-payload": lambda a: _process(
        '<bpmn:intermediateThrowEvent id="X" name="Gửi"><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2'
        '</bpmn:outgoing><bpmn:signalEventDefinition id="SD" signalRef="Sig"/></bpmn:intermediateThrowEvent>',
        '<bpmn:signal id="Sig" name="s"><bpmn:extensionElements><spiffworkflow:payloadExpression>'
        f"{escape(a)}</spiffworkflow:payloadExpression></bpmn:extensionElements></bpmn:signal>",
    ),
    "completion-condition": lambda a: _process(
        _user_task(
            body="<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality>"
            f"<bpmn:completionCondition>{escape(a)}</bpmn:completionCondition>"
            "</bpmn:multiInstanceLoopCharacteristics>"
        )
    ),
    "loop-condition": lambda a: _process(
        _user_task(
            body="<bpmn:standardLoopCharacteristics><bpmn:loopCondition>"
            f"{escape(a)}</bpmn:loopCondition></bpmn:standardLoopCharacteristics>"
        )
    ),
    # BPMN data assignments: nothing runs them, the deploy checks them all the same
    "data-assignment": lambda a: _process(
        _user_task(
            body='<bpmn:dataInputAssociation id="DIA"><bpmn:assignment><bpmn:from>'
            f"{escape(a)}</bpmn:from><bpmn:to>x</bpmn:to></bpmn:assignment></bpmn:dataInputAssociation>"
        )
    ),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_unsafe_expressions_anywhere_in_a_model_are_refused_at_deploy(place, live, control):
    for attack in sorted(ATTACKS):
        bpmn = PLACES[place](ATTACKS[attack])
        response = control.admin.post(
            "/api/v1/models", json={"bpmn": bpmn, "forms": TEST_FORMS, "slug": f"unsafe-{place}"}
        )
        body = assert_problem(response, 422)
        # each problem names the element it is in and says what is not allowed
        where = (
            "'identity_number'",
            "Bước độc",
            "Chờ",
            "Gửi",
            "Gọi",
            "Mã liên thông",
            "(Sig)",
            "'DIA'",
        )
        assert all(
            any(w in e["message"] for w in where) and "không được phép" in e["message"]
            for e in body["errors"]
        ), (attack, body["errors"])
    assert control.admin.get(f"/api/v1/models/unsafe-{place}").status_code == 404
    control.assert_unharmed()


def test_the_same_places_accept_a_safe_expression(live, control):
    """The deploy-time refusals above are about the attack, not the place."""
    safe = {
        "pre-script": "1 + 1",
        "post-script": "1 + 1",
        "timer": "'P1D'",
        "multi-instance": "2",
        "message-payload": "{'a': 1}",
        "service-parameter": "applicant_id",
        "script-task": "1 + 1",
        "conditional-event": "amount > 0",
        "correlation-property": "link_id",
        "process-correlation": "link_id",
        "signal-payload": "{'a': 1}",
        "completion-condition": "False",
        "loop-condition": "False",
        "data-assignment": "1 + 1",
    }
    assert set(safe) == set(PLACES)
    for place, expression in safe.items():
        response = control.admin.post(
            "/api/v1/models",
            json={"bpmn": PLACES[place](expression), "forms": TEST_FORMS, "slug": f"safe-{place}"},
        )
        assert response.status_code == 201, (place, response.text)
        ignored = [w for w in response.json()["warnings"] if "không được máy chạy" in w]
        # the one place nothing runs is said to be ignored, naming where it is
        assert (place == "data-assignment") == bool(ignored), (place, ignored)
        assert all("'DIA'" in w for w in ignored)


def test_a_procedure_card_with_a_bad_result_document_is_refused_with_422(live, control):
    """Such a card used to deploy and then fail the completion of every dossier (500)."""
    card = {"result_document": {"document_type": "x", "when": "result =", "valid_days": "30"}}
    response = control.admin.post(
        "/api/v1/models",
        json={
            "bpmn": script_process("ok = 1"),
            "forms": TEST_FORMS,
            "slug": "bad-card",
            "procedure": card,
        },
    )
    body = assert_problem(response, 422)
    messages = " | ".join(e["message"] for e in body["errors"])
    assert "result_document.when" in messages and "result_document.valid_days" in messages
    assert control.admin.get("/api/v1/models/bad-card").status_code == 404
    checked = control.admin.post(  # the modeller's check says the same before a deploy
        "/api/v1/models/validate",
        json={"bpmn": script_process("ok = 1"), "forms": TEST_FORMS, "procedure": card},
    )
    assert checked.status_code == 200 and checked.json()["valid"] is False
    assert any("result_document.valid_days" in p for p in checked.json()["problems"])
    control.assert_unharmed()


def test_runaway_script_fails_only_its_own_dossier_over_http(live, control):
    script = "x = 0\nfor i in range(900000):\n    for j in range(900000):\n        x = x + 1"
    deployed = control.admin.post(
        "/api/v1/models",
        json={"bpmn": script_process(script), "forms": TEST_FORMS, "slug": "runaway"},
    )
    assert deployed.status_code == 201, deployed.text
    started = time.monotonic()
    response = control.admin.post("/api/v1/dossiers", json={"model": "runaway"})
    assert time.monotonic() - started < 15
    assert response.status_code == 201, response.text
    dossier = response.json()
    assert dossier["status"] == "error" and "thời gian" in dossier["last_error"]
    events = control.admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assert [e["task_name"] for e in events if e["kind"] == "task_failed"] == ["Tính toán"]
    control.assert_unharmed()


def parallel_loop_process() -> str:
    """A loop in one branch while the other branch waits: the open task near the root keeps
    the whole loop in the task tree, so the tree grows with every round."""
    return (
        HEAD
        + """
  <bpmn:process id="parallel_loop" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="Split"><bpmn:incoming>F0</bpmn:incoming>
      <bpmn:outgoing>FH</bpmn:outgoing><bpmn:outgoing>F1</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="Hold" name="Chờ ý kiến cơ quan phối hợp"><bpmn:extensionElements><tt:form ref="test-empty"/>
      </bpmn:extensionElements><bpmn:incoming>FH</bpmn:incoming><bpmn:outgoing>FH2</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="Merge"><bpmn:incoming>F1</bpmn:incoming><bpmn:incoming>F4</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="Ask" name="Yêu cầu bổ sung thông tin"><bpmn:extensionElements><tt:form ref="test-again"/>
      </bpmn:extensionElements><bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="Again" default="F5"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing><bpmn:outgoing>F5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:parallelGateway id="Join"><bpmn:incoming>FH2</bpmn:incoming><bpmn:incoming>F5</bpmn:incoming>
      <bpmn:outgoing>F6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="StartEvent_1" targetRef="Split"/>
    <bpmn:sequenceFlow id="FH" sourceRef="Split" targetRef="Hold"/>
    <bpmn:sequenceFlow id="FH2" sourceRef="Hold" targetRef="Join"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Split" targetRef="Merge"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Merge" targetRef="Ask"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Ask" targetRef="Again"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Again" targetRef="Merge">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">again</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F5" sourceRef="Again" targetRef="Join"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Join" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def _ask(api, dossier_id: int) -> dict:
    tasks = api.get(f"/api/v1/dossiers/{dossier_id}/tasks").json()
    return next(t for t in tasks if t["bpmn_id"] == "Ask")


def test_a_loop_past_the_depth_limit_is_refused_with_a_clear_error_over_http(
    live, control, monkeypatch
):
    monkeypatch.setattr(workflow_module, "MAX_TREE_DEPTH", 45)
    deployed = control.admin.post(
        "/api/v1/models", json={"bpmn": parallel_loop_process(), "forms": TEST_FORMS}
    )
    assert deployed.status_code == 201, deployed.text
    dossier = control.admin.post("/api/v1/dossiers", json={"model": "parallel_loop"}).json()
    refused = None
    for _ in range(40):
        task = _ask(control.admin, dossier["id"])
        response = control.admin.post(
            f"/api/v1/tasks/{task['id']}/complete", json={"data": {"again": True}}
        )
        if response.status_code != 200:
            refused = response
            break
    assert refused is not None, "the loop was never stopped"
    body = assert_problem(refused, 400)
    assert "quá sâu" in body["detail"]
    # nothing of the refused step was kept; the dossier still loads and lists its tasks
    assert control.admin.get(f"/api/v1/dossiers/{dossier['id']}").status_code == 200
    events = control.admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    completed = sum(1 for e in events if e["kind"] == "task_completed")
    ready = sorted(
        t["bpmn_id"] for t in control.admin.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
    )
    assert ready == ["Ask", "Hold"]
    again = control.admin.post(
        f"/api/v1/tasks/{_ask(control.admin, dossier['id'])['id']}/complete",
        json={"data": {"again": True}},
    )
    assert_problem(again, 400)
    events = control.admin.get(f"/api/v1/dossiers/{dossier['id']}/events").json()
    assert sum(1 for e in events if e["kind"] == "task_completed") == completed
    control.assert_unharmed()


def _loop_until_refused(engine, dossier_id: int, rounds: int, seconds: float):
    """Complete 'Ask' with again=True up to ``rounds`` times; the EngineError that stopped it."""
    from toantrinh.engine.service import EngineError

    started = time.monotonic()
    for done in range(rounds):
        task = next(t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == "Ask")
        try:
            engine.complete_task(dossier_id, task["id"], {"again": True})
        except EngineError as err:
            engine.session.rollback()
            return done, err
        assert time.monotonic() - started < seconds, f"{done} rounds took over {seconds}s"
    return rounds, None


@pytest.fixture
def sqlite_engine(tmp_path):
    """An engine on a private SQLite file: the depth guard does not depend on the backend,
    and these runs are long, so they run once."""
    from tests.reliability.conftest import prepare_schema
    from toantrinh.engine.db import make_engine, make_sessionmaker
    from toantrinh.engine.service import Engine

    url = f"sqlite:///{tmp_path / 'depth.db'}"
    prepare_schema(url)
    db = make_engine(url)
    session = make_sessionmaker(db)()
    yield Engine(session)
    session.close()
    db.dispose()


@pytest.mark.slow
def test_the_real_depth_limit_stops_a_growing_tree_before_spiffworkflow_breaks(sqlite_engine):
    """At the production MAX_TREE_DEPTH the guard fires: no RecursionError, no silent stop,
    and the dossier can still leave the loop."""
    engine = sqlite_engine
    engine.deploy(parallel_loop_process(), forms=TEST_FORMS)
    dossier = engine.start("parallel_loop")
    rounds, error = _loop_until_refused(engine, dossier.id, workflow_module.MAX_TREE_DEPTH, 120)
    assert error is not None and "quá sâu" in str(error), rounds
    for task in engine.ready_tasks(dossier.id):
        engine.complete_task(
            dossier.id, task["id"], {"again": False} if task["bpmn_id"] == "Ask" else {}
        )
    assert engine.get(dossier.id).status == "completed"


@pytest.mark.slow
def test_a_plain_loop_runs_past_spiffworkflows_recursion_depth_or_stops_cleanly(sqlite_engine):
    """350 rounds of "request more information" (deeper than Python's recursion limit if the
    tree kept every round): each round either commits or is refused with the clear error."""
    engine = sqlite_engine
    engine.deploy(loop_process(), forms=TEST_FORMS)
    dossier = engine.start("loop_test")
    rounds, error = _loop_until_refused(engine, dossier.id, 350, 120)
    assert error is None or "quá sâu" in str(error)
    kinds = [e.kind for e in engine.events(dossier.id)]
    assert kinds.count("task_completed") == rounds
    (task,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, task["id"], {"again": False})
    assert engine.get(dossier.id).status == "completed"


# ---------------------------------------------------------------- form data
def _declare(control) -> str:
    tasks = control.citizen.get(f"/api/v1/dossiers/{control.dossier_id}/tasks").json()
    return next(t["id"] for t in tasks if t["bpmn_id"] == "Task_Declare")


WRONG_FORM_DATA = [
    ({**DECLARATION, "copies": "hai"}, {"copies"}),
    ({**DECLARATION, "copies": [1, 2]}, {"copies"}),
    ({**DECLARATION, "copies": {"$gt": 0}}, {"copies"}),
    ({**DECLARATION, "certificate_type": None}, {"certificate_type"}),
    ({**DECLARATION, "purpose": "x" * 20_001}, {"purpose"}),
    ({**DECLARATION, "is_admin": True, "__class__": "x"}, {"is_admin", "__class__"}),
    ({**DECLARATION, "delivery_method": "drone"}, {"delivery_method"}),
    ({"copies": 1}, {"certificate_type", "purpose"}),
]


def test_wrong_form_data_is_refused_with_422_naming_each_field(live, control):
    task_id = _declare(control)
    for data, fields in WRONG_FORM_DATA:
        response = control.citizen.post(f"/api/v1/tasks/{task_id}/complete", json={"data": data})
        body = assert_problem(response, 422)
        assert fields <= {e["field"] for e in body["errors"]}, (fields, body["errors"])
    events = control.admin.get(f"/api/v1/dossiers/{control.dossier_id}/events").json()
    assert not [e for e in events if e["kind"] == "task_completed"]
    control.assert_unharmed()


MALFORMED_JSON = [
    '{"data": {"purpose": "' + "x" * (9 * 1024 * 1024) + '"}}',
    '{"data": [1, 2, 3]}',
    '{"data": "not an object"}',
    '{"data": {"purpose": "unterminated',
    "[]",
    "null",
    '{"data": {"purpose": NaN}}',
    '{"data": {"copies": 1e999999}}',
]


def test_malformed_json_bodies_are_refused_with_4xx(live, control):
    task_id = _declare(control)
    for body in MALFORMED_JSON:
        response = control.citizen.post(
            f"/api/v1/tasks/{task_id}/complete",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500, (
            body[:60],
            response.status_code,
            response.text[:300],
        )
        assert response.headers["Content-Type"].startswith("application/problem+json")
    control.assert_unharmed()


def test_json_bodies_that_break_the_decoder_are_refused_with_4xx(live, control):
    task_id = _declare(control)
    statuses = []
    for body in (
        '{"data": ' * 5_000 + "{}" + "}" * 5_000,
        '{"data": {"copies": 1' + "0" * 5_000 + "}}",
    ):
        response = control.citizen.post(
            f"/api/v1/tasks/{task_id}/complete",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        statuses.append(response.status_code)
    control.assert_unharmed()
    assert all(400 <= status < 500 for status in statuses), statuses


NON_UTF8 = [
    b'{"data": {"purpose": "\xff\xfe\xfa invalid utf-8"}}',
    '{"data": {"purpose": "Xin việc"}}'.encode("utf-16"),
    '{"data": {"purpose": "Đơn xin cấp"}}'.encode("cp1258", errors="replace"),
]


def test_non_utf8_bodies_are_refused_with_4xx(live, control):
    task_id = _declare(control)
    for raw in NON_UTF8:
        response = control.citizen.post(
            f"/api/v1/tasks/{task_id}/complete",
            data=raw,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        assert 400 <= response.status_code < 500, (
            raw[:40],
            response.status_code,
            response.text[:300],
        )
        assert response.headers["Content-Type"].startswith("application/problem+json")
        started = control.citizen.post(
            "/api/v1/dossiers", data=raw, headers={"Content-Type": "application/json"}
        )
        assert 400 <= started.status_code < 500, (raw[:40], started.status_code)
    control.assert_unharmed()


def test_decomposed_vietnamese_is_stored_composed_and_matches_composed_text(live, control):
    nfd = unicodedata.normalize("NFD", "Bổ sung hồ sơ xin việc tại Đà Nẵng")
    mixed = unicodedata.normalize("NFC", "Nguyễn ") + unicodedata.normalize("NFD", "Thị Thu Hương")
    assert nfd != unicodedata.normalize("NFC", nfd)
    task_id = _declare(control)
    response = control.citizen.post(
        f"/api/v1/tasks/{task_id}/complete",
        json={
            "data": {
                **DECLARATION,
                "purpose": nfd,
                "delivery_method": "postal",
                "delivery_address": mixed,
            }
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["purpose"] == unicodedata.normalize("NFC", nfd)
    assert data["delivery_address"] == unicodedata.normalize("NFC", mixed)
    raw = control.citizen.get(f"/api/v1/dossiers/{control.dossier_id}").content.decode("utf-8")
    assert unicodedata.normalize("NFD", "Hương") not in raw
    # a decomposed Vietnamese path segment is a clean 404/422, never a 500
    assert control.admin.get(
        "/api/v1/models/" + unicodedata.normalize("NFD", "lý-lịch")
    ).status_code in (404, 422)


# ---------------------------------------------------------------- start data


def _start_form_model() -> str:
    """start (with a form: ``note``) → review → end."""
    return (
        HEAD
        + """
  <bpmn:process id="start_form" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements><tt:form ref="test-empty"/>
      </bpmn:extensionElements><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Review" name="Xem hồ sơ"><bpmn:extensionElements><tt:form ref="test-empty"/>
      </bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def test_start_data_outside_the_start_form_is_refused_with_422_naming_the_field(live, control):
    # no start form: only applicant and link ids may come with the start
    sneaky = control.citizen.post(
        "/api/v1/dossiers", json={"model": "ly-lich-tu-phap", "data": {"intake_decision": "accept"}}
    )
    assert "intake_decision" in {e["field"] for e in assert_problem(sneaky, 422)["errors"]}
    deployed = control.admin.post(
        "/api/v1/models", json={"bpmn": _start_form_model(), "forms": TEST_FORMS}
    )
    assert deployed.status_code == 201, deployed.text
    for data, field in (
        ({"note": "x" * 30_000}, "note"),
        ({"note": 5}, "note"),
        ({"note": "ok", "again": True}, "again"),
    ):
        response = control.admin.post(
            "/api/v1/dossiers", json={"model": "start_form", "data": data}
        )
        assert field in {e["field"] for e in assert_problem(response, 422)["errors"]}, data
    control.assert_unharmed()


def test_decomposed_vietnamese_start_data_is_stored_composed(live, control):
    deployed = control.admin.post(
        "/api/v1/models", json={"bpmn": _start_form_model(), "forms": TEST_FORMS}
    )
    assert deployed.status_code == 201, deployed.text
    nfd = unicodedata.normalize("NFD", "Hồ sơ nộp tại Đà Nẵng")
    response = control.admin.post(
        "/api/v1/dossiers", json={"model": "start_form", "data": {"note": nfd}}
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["note"] == unicodedata.normalize("NFC", nfd) != nfd
