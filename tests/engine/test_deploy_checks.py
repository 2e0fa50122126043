"""What deploy refuses beyond unsafe scripts: broken structure (forceable), call cycles,
identifiers too long for their columns (issue 27.3, 27.4, 27.10)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers.bpmn import HEAD, TEST_FORMS, script_process
from toantrinh.engine import deploy_checks
from toantrinh.engine.parsing import ModelError, StructureError
from toantrinh.engine.persistence import DossierEvent, ModelVersion
from toantrinh.engine.service import Engine
from toantrinh.engine.workflow import MAX_SUBPROCESS_DEPTH


def _user(task_id: str, incoming: str | None, outgoing: str | None, name: str = "Xử lý") -> str:
    inc = f"<bpmn:incoming>{incoming}</bpmn:incoming>" if incoming else ""
    out = f"<bpmn:outgoing>{outgoing}</bpmn:outgoing>" if outgoing else ""
    return (
        f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements>'
        f'<tt:form ref="test-empty"/></bpmn:extensionElements>{inc}{out}</bpmn:userTask>'
    )


def _process(body: str, process_id: str = "checked", extra: str = "") -> str:
    return (
        HEAD
        + extra
        + f'<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
        + "</bpmn:definitions>"
    )


def deadlock() -> str:
    """An exclusive choice joined by a parallel gateway: the join waits forever."""
    return _process(
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="Choice" name="Hồ sơ hợp lệ?" default="F3"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:exclusiveGateway>
    {_user("Accept", "F2", "F4", "Tiếp nhận")}
    {_user("Refuse", "F3", "F5", "Từ chối")}
    <bpmn:parallelGateway id="Join" name="Hợp nhất"><bpmn:incoming>F4</bpmn:incoming>
      <bpmn:incoming>F5</bpmn:incoming><bpmn:outgoing>F6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Choice"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Choice" targetRef="Accept">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">True</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F3" sourceRef="Choice" targetRef="Refuse"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Accept" targetRef="Join"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Refuse" targetRef="Join"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Join" targetRef="EndEvent_1"/>"""
    )


def unreachable_and_dead_end() -> str:
    """``Orphan`` has no incoming flow; ``Stuck`` has no outgoing one."""
    return _process(
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    {_user("Work", "F1", "F2")}
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    {_user("Orphan", None, "F3", "Không ai tới")}
    {_user("Stuck", "F3", None, "Cụt")}
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Work"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Work" targetRef="EndEvent_1"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Orphan" targetRef="Stuck"/>"""
    )


def _calls(process_id: str, called: str) -> str:
    return f"""
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="{process_id}_Start"><bpmn:outgoing>{process_id}_F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="Call_{process_id}" name="Gọi {called}" calledElement="{called}">
      <bpmn:incoming>{process_id}_F1</bpmn:incoming><bpmn:outgoing>{process_id}_F2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="{process_id}_End"><bpmn:incoming>{process_id}_F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="{process_id}_F1" sourceRef="{process_id}_Start" targetRef="Call_{process_id}"/>
    <bpmn:sequenceFlow id="{process_id}_F2" sourceRef="Call_{process_id}" targetRef="{process_id}_End"/>
  </bpmn:process>"""


def self_call() -> str:
    return HEAD + _calls("goi_lai", "goi_lai") + "</bpmn:definitions>"


def mutual_calls() -> str:
    return (
        HEAD
        + _calls("thu_tuc_a", "thu_tuc_b")
        + _calls("thu_tuc_b", "thu_tuc_a")
        + ("</bpmn:definitions>")
    )


# -------------------------------------------------------------- structure (27.3)
@pytest.mark.parametrize(
    ("model", "kinds", "named"),
    [
        (deadlock, {"deadlock"}, ["Choice", "Join"]),
        (unreachable_and_dead_end, {"unreachable", "dead_end"}, ["Orphan", "Stuck"]),
    ],
    ids=["deadlock", "unreachable-dead-end"],
)
def test_deploy_refuses_what_the_simplifier_calls_broken_and_names_the_elements(
    session, model, kinds, named
):
    engine = Engine(session)
    with pytest.raises(StructureError) as refused:
        engine.deploy(model(), forms=TEST_FORMS)
    text = " ".join(refused.value.problems)
    assert {k for k in deploy_checks.REFUSING if f"[{k}:" in text} == kinds
    assert all(element in text for element in named)
    assert "--force" in str(refused.value)
    with pytest.raises(StructureError) as checked:  # validate says the same
        engine.validate_model(model(), forms=TEST_FORMS)
    assert checked.value.problems == refused.value.problems
    assert session.scalars(select(ModelVersion)).all() == []


def test_force_deploys_a_deliberate_model_and_keeps_the_findings_as_warnings(session):
    engine = Engine(session)
    result = engine.deploy(unreachable_and_dead_end(), forms=TEST_FORMS, force=True)
    assert result.created
    assert any("[unreachable:" in w and "Orphan" in w for w in result.warnings)
    (event,) = session.scalars(
        select(DossierEvent).where(DossierEvent.kind == "model_deployed")
    ).all()
    assert event.detail["forced"] is True and event.detail["warnings"] == result.warnings
    dossier = engine.start("checked")
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Work"]


def test_every_library_model_passes_the_structural_checks(session):
    from toantrinh.engine.service import LIBRARY_DIR, deploy_library

    results = deploy_library(Engine(session), LIBRARY_DIR)
    assert results and all(r.created for r in results)


# --------------------------------------------------------------- call cycles (27.4)
def test_a_process_that_calls_itself_is_refused_at_deploy(session):
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(self_call())
    assert not isinstance(refused.value, StructureError)  # never forceable
    (problem,) = refused.value.problems
    assert "goi_lai (gọi qua 'Call_goi_lai') → goi_lai" in problem


def test_a_cycle_through_another_called_process_is_refused_naming_it(session):
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(mutual_calls(), process_id="thu_tuc_a", force=True)
    (problem,) = refused.value.problems
    assert "thu_tuc_a (gọi qua 'Call_thu_tuc_a') → thu_tuc_b (gọi qua 'Call_thu_tuc_b')" in problem


def test_a_called_process_is_looked_up_in_its_own_file_not_among_deployed_models(session):
    """``calledElement`` never reaches another deployed model, so deployed models cannot
    form a cycle between them: a call to a process the file lacks is refused."""
    engine = Engine(session)
    lone_b = HEAD + _calls("thu_tuc_b", "thu_tuc_a") + "</bpmn:definitions>"
    with pytest.raises(ModelError) as refused:
        engine.deploy(lone_b)
    assert "thu_tuc_a" in refused.value.problems[0] and "not found" in refused.value.problems[0]


@pytest.mark.timeout(60)
def test_a_cycle_deployed_before_the_check_stops_at_the_depth_cap(session, monkeypatch):
    """A version stored before cycles were refused: the dossier stops with a clear error
    instead of hanging the server (and SQLite's write lock)."""
    from toantrinh.engine import parsing

    monkeypatch.setattr(deploy_checks, "call_cycles", lambda spec, subs: [])
    engine = Engine(session)
    engine.deploy(self_call())
    monkeypatch.undo()
    parsing._parse_cached.cache_clear()  # the parse that skipped the check is not kept
    dossier = engine.start("goi_lai")
    assert dossier.status == "error"
    assert f"lồng quá {MAX_SUBPROCESS_DEPTH} cấp" in dossier.last_error
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)  # the database is writable


# ------------------------------------------------------------------ lengths (27.10)
def _long(n: int) -> str:
    return "a" * n


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda x: x.replace('id="script_test"', f'id="{_long(4 * 1024 * 1024)}"'), "process id"),
        (lambda x: x.replace('id="Review"', f'id="R{_long(200)}"'), "id của phần tử <userTask>"),
        (lambda x: x.replace('name="Xem kết quả"', f'name="{"Xem " * 126}"'), "tên của phần tử"),
        (lambda x: x.replace('ref="test-empty"', f'ref="{_long(201)}"'), "tt:form"),
        (
            lambda x: x.replace(
                '<bpmn:process id="script_test" isExecutable="true">',
                '<bpmn:process id="script_test" isExecutable="true">'
                '<bpmn:extensionElements><tt:procedure code="'
                + _long(41)
                + '"/></bpmn:extensionElements>',
            ),
            "tt:procedure code",
        ),
    ],
    ids=["process-id-4MB", "element-id", "element-name", "form-id", "procedure-code"],
)
def test_identifiers_longer_than_their_columns_are_refused_at_deploy(session, edit, expected):
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(edit(script_process("x = 1")), forms=TEST_FORMS)
    assert any(expected in p and "tối đa" in p for p in refused.value.problems), (
        refused.value.problems
    )


def test_a_lane_name_longer_than_the_inbox_column_is_refused(session):
    lanes = (
        '<bpmn:laneSet id="Lanes"><bpmn:lane id="Lane_1" name="'
        + "Bộ phận " * 30
        + '"><bpmn:flowNodeRef>Review</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    )
    xml = script_process("x = 1").replace(
        '<bpmn:process id="script_test" isExecutable="true">',
        '<bpmn:process id="script_test" isExecutable="true">' + lanes,
    )
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(xml, forms=TEST_FORMS)
    assert "<lane>" in refused.value.problems[0] and "tối đa 200" in refused.value.problems[0]


@pytest.mark.parametrize(
    ("procedure", "field"),
    [
        ({"code": "1." + "0" * 40}, "code"),
        ({"name": {"vi": "Thủ tục " * 70}}, "name.vi"),
        ({"agency": "Ủy ban " * 40}, "agency"),
        ({"slug": "s" * 121}, "slug"),
        ({"result_document": {"document_type": "t" * 65}}, "document_type"),
    ],
)
def test_procedure_fields_longer_than_their_columns_are_refused(session, procedure, field):
    with pytest.raises(ModelError) as refused:
        Engine(session).deploy(script_process("x = 1"), forms=TEST_FORMS, procedure=procedure)
    (problem,) = refused.value.problems
    assert problem.startswith("procedure.json") and field in problem and "tối đa" in problem
    assert session.scalars(select(ModelVersion)).all() == []


# ------------------------------------------------ false alarms of the structural checks
def test_parallel_branches_ending_at_one_end_event_are_not_unsynchronised(session):
    """Each token ends at the end event; nothing after it runs twice. The check called it
    a lack of synchronisation (Activiti's terminate-end tests, SpiffWorkflow's data)."""
    xml = _process(
        f"""
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="Fork"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:parallelGateway>
    {_user("A", "F2", "F4")}
    {_user("B", "F3", "F5")}
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F4</bpmn:incoming><bpmn:incoming>F5</bpmn:incoming>
      <bpmn:terminateEventDefinition/></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Fork"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Fork" targetRef="A"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Fork" targetRef="B"/>
    <bpmn:sequenceFlow id="F4" sourceRef="A" targetRef="EndEvent_1"/>
    <bpmn:sequenceFlow id="F5" sourceRef="B" targetRef="EndEvent_1"/>"""
    )
    assert Engine(session).deploy(xml, forms=TEST_FORMS).created


def test_sequence_flows_without_ids_do_not_make_their_targets_unreachable(session):
    """``id`` is optional in BPMN and Activiti omits it on flows; the simplifier keys
    flows by id, so they fell together: 191 of the corpus's refusals were this."""
    xml = script_process("x = 1")
    for flow in ("F1", "F2", "F3"):
        xml = xml.replace(f'<bpmn:sequenceFlow id="{flow}" ', "<bpmn:sequenceFlow ")
    xml = xml.replace("<bpmn:outgoing>F1</bpmn:outgoing>", "").replace(
        "<bpmn:incoming>F1</bpmn:incoming>", ""
    )
    for flow in ("F2", "F3"):
        xml = xml.replace(f"<bpmn:outgoing>{flow}</bpmn:outgoing>", "").replace(
            f"<bpmn:incoming>{flow}</bpmn:incoming>", ""
        )
    assert 'id="F' not in xml
    result = Engine(session).deploy(xml, forms=TEST_FORMS)
    assert result.created and not any("[unreachable" in w for w in result.warnings)
