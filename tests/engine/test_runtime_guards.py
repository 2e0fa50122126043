"""SpiffWorkflow traps the engine guards: connector errors, dates and decimals, deep trees,
reserved ids; versions stay put while new ones deploy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers.bpmn import TEST_FORMS, loop_process, script_process, service_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine import service as service_module
from toantrinh.engine import workflow as workflow_module
from toantrinh.engine.connectors import ConnectorError, FunctionConnector
from toantrinh.engine.parsing import ModelError
from toantrinh.engine.service import Engine


class Flaky:
    """A registry that is down until told otherwise."""

    def __init__(self):
        self.down = True
        self.calls = 0

    def lookup(self, identity_number):
        self.calls += 1
        if self.down:
            raise ConnectorError(
                "CSDL quốc gia về dân cư không phản hồi (hết thời gian chờ 5 giây)", retryable=True
            )
        return {"full_name": "Nguyễn Văn An", "identity_number": identity_number}


def test_registry_down_fails_the_task_clearly_and_the_dossier_can_be_retried(session):
    flaky = Flaky()
    engine = Engine(
        session,
        connectors=local_connectors(
            population=FunctionConnector("population", {"lookup": flaky.lookup})
        ),
    )
    engine.deploy(service_process("population.lookup"), forms=TEST_FORMS)
    dossier = engine.start("service_test", applicant_id=CITIZEN_ID)
    assert dossier.status == "error"
    assert "population.lookup" in dossier.last_error and "không phản hồi" in dossier.last_error
    assert "NameError" not in dossier.last_error
    assert dossier.error_retryable and dossier.retry_at is not None
    flaky.down = False
    dossier = engine.retry(dossier.id, actor="system:retry")
    assert dossier.status == "in_progress" and dossier.last_error is None
    assert engine.data(dossier)["result"]["full_name"] == "Nguyễn Văn An"
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Review"]
    assert [e.kind for e in engine.events(dossier.id)].count("task_failed") == 1


def test_connector_bug_is_reported_as_itself_not_as_a_script_name_error(session):
    def broken(identity_number):
        raise KeyError("ho_ten")

    engine = Engine(
        session,
        connectors=local_connectors(population=FunctionConnector("population", {"lookup": broken})),
    )
    engine.deploy(service_process("population.lookup"), forms=TEST_FORMS)
    dossier = engine.start("service_test", applicant_id=CITIZEN_ID)
    assert dossier.status == "error"
    assert "KeyError" in dossier.last_error and "population.lookup" in dossier.last_error


def test_unknown_operation_is_not_retryable(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy(service_process("land.parcel"), forms=TEST_FORMS)
    dossier = engine.start("service_test", applicant_id=CITIZEN_ID)
    assert dossier.status == "error" and not dossier.error_retryable
    assert "land.parcel" in dossier.last_error


def test_dates_and_decimals_in_task_data_survive_a_reload(session_factory):
    with session_factory() as session:
        engine = Engine(session)
        engine.deploy(script_process("fee_total = fee * 2"), forms=TEST_FORMS)
        dossier_id = engine.start(
            "script_test",
            data={"born": dt.date(2020, 2, 29), "fee": Decimal("100000.50"), "at": dt.time(8, 30)},
            trusted_data=True,
        ).id
    with session_factory() as session:
        engine = Engine(session)
        dossier = engine.get(dossier_id)
        data = service_module.current_data(engine.workflow(dossier))
        assert data["born"] == dt.date(2020, 2, 29)
        assert data["fee_total"] == Decimal("200001.00")
        assert data["at"] == dt.time(8, 30)
        assert engine.data(dossier)["fee_total"] == "200001.00"  # JSON view for APIs


def test_a_dossier_whose_task_tree_grows_too_deep_stops_with_a_clear_error(session, monkeypatch):
    monkeypatch.setattr(workflow_module, "MAX_TREE_DEPTH", 40)
    # as if the tree could not be compacted
    monkeypatch.setattr(workflow_module, "COMPACT_DEPTH", 10_000)
    engine = Engine(session)
    engine.deploy(loop_process(), forms=TEST_FORMS)
    dossier = engine.start("loop_test")
    with pytest.raises(service_module.EngineError) as info:
        for _ in range(50):
            (task,) = engine.ready_tasks(dossier.id)
            engine.complete_task(dossier.id, task["id"], {"again": True})
    assert "quá sâu" in str(info.value)
    session.rollback()
    assert engine.get(dossier.id).status == "in_progress"  # last good state kept, loadable
    assert len(engine.ready_tasks(dossier.id)) == 1


def test_reserved_element_ids_are_refused_at_deploy(session):
    xml = script_process("x = 1").replace("StartEvent_1", "Start")
    with pytest.raises(ModelError) as info:
        Engine(session).deploy(xml, forms=TEST_FORMS)
    assert "dành riêng" in str(info.value)


def test_same_content_deploys_once_and_running_dossiers_keep_their_version(session):
    engine = Engine(session)
    first = engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    again = engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    assert first.created and not again.created and again.version.id == first.version.id
    old = engine.start("script_test")
    second = engine.deploy(script_process("x = 2"), forms=TEST_FORMS)
    assert second.created and second.version.number == 2
    new = engine.start("script_test")
    assert engine.data(old)["x"] == 1 and engine.data(new)["x"] == 2
    assert old.version.number == 1 and new.version.number == 2
    (task,) = engine.ready_tasks(old.id)
    engine.complete_task(old.id, task["id"], {})
    assert engine.get(old.id).status == "completed" and engine.get(old.id).version.number == 1


def test_a_missing_form_is_refused_at_deploy(session):
    with pytest.raises(ModelError) as info:
        Engine(session).deploy(script_process("x = 1"))
    assert "test-empty" in str(info.value)


def test_deferred_service_tasks_run_on_a_worker_not_in_the_request(session_factory):
    from toantrinh.engine.scheduler import tick

    queued: list[int] = []
    with session_factory() as session:
        engine = Engine(
            session, connectors=local_connectors(), defer_services=True, on_deferred=queued.append
        )
        engine.deploy(service_process("population.lookup"), forms=TEST_FORMS)
        dossier = engine.start("service_test", applicant_id=CITIZEN_ID)
        assert dossier.needs_advance and dossier.status == "in_progress"
        assert queued == [dossier.id]
        assert engine.ready_tasks(dossier.id) == []
        assert "service_called" not in [e.kind for e in engine.events(dossier.id)]
    with session_factory() as session:
        assert tick(session, local_connectors()).advanced == 1
    with session_factory() as session:
        engine = Engine(session, connectors=local_connectors())
        dossier = engine.get(dossier.id)
        assert not dossier.needs_advance
        assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Review"]
        assert engine.data(dossier)["result"]["full_name"] == "Nguyễn Văn An"
        kinds = [e.kind for e in engine.events(dossier.id)]
        assert kinds.index("service_queued") < kinds.index("service_called")
    with session_factory() as session:
        assert tick(session, local_connectors()).advanced == 0


def test_migrating_a_running_dossier_to_a_compatible_version(session):
    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    engine.deploy(
        script_process("x = 1").replace('name="Xem kết quả"', 'name="Xem lại kết quả"'),
        forms=TEST_FORMS,
    )
    dossier = engine.migrate(dossier.id, 2, actor="modeller:an")
    assert dossier.version.number == 2
    (task,) = engine.ready_tasks(dossier.id)
    assert task["name"] == "Xem lại kết quả"
    engine.complete_task(dossier.id, task["id"], {})
    assert engine.get(dossier.id).status == "completed"
    assert [e.detail for e in engine.events(dossier.id) if e.kind == "dossier_migrated"] == [
        {"from": 1, "to": 2}
    ]


def test_migration_is_refused_when_the_dossier_history_has_no_counterpart(session):
    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    from tests.helpers.bpmn import HEAD

    without_script = (
        HEAD
        + """
  <bpmn:process id="script_test" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )
    engine.deploy(without_script, forms=TEST_FORMS)
    with pytest.raises(service_module.MigrationRefused) as info:
        engine.migrate(dossier.id, 2)
    assert "Tính toán" in str(info.value)
    session.rollback()
    assert engine.get(dossier.id).version.number == 1


@pytest.mark.slow
def test_a_dossier_looping_two_hundred_times_keeps_a_small_state_and_its_data(session):
    engine = Engine(session)
    engine.deploy(loop_process(), forms=TEST_FORMS)
    dossier = engine.start("loop_test", data={"ho_so": "Nguyễn Văn Ánh"}, trusted_data=True)
    sizes = []
    for _ in range(200):
        (task,) = engine.ready_tasks(dossier.id)
        engine.complete_task(dossier.id, task["id"], {"again": True})
        sizes.append(len(engine.get(dossier.id).state))
    assert max(sizes[100:]) <= 1.2 * max(sizes[40:60])  # bounded, not growing with history
    assert (
        workflow_module.tree_depth(engine.workflow(engine.get(dossier.id)))
        <= workflow_module.COMPACT_DEPTH + 5
    )
    (task,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, task["id"], {"again": False})
    dossier = engine.get(dossier.id)
    assert dossier.status == "completed"
    assert engine.data(dossier)["ho_so"] == "Nguyễn Văn Ánh"
    assert [e.kind for e in engine.events(dossier.id)].count("task_completed") == 201


def test_start_data_from_a_client_is_limited_to_what_the_model_accepts(session):
    from toantrinh.engine.forms import FormValidationError

    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    with pytest.raises(FormValidationError) as info:
        engine.start(
            "script_test", applicant_id=CITIZEN_ID, data={"intake_decision": "accept", "note": "x"}
        )
    assert [e.field for e in info.value.errors] == ["intake_decision", "note"]
    with pytest.raises(FormValidationError) as info:
        engine.start("script_test", applicant_id=CITIZEN_ID, data={"applicant_id": "079190000001"})
    assert info.value.errors[0].field == "applicant_id"
    dossier = engine.start("script_test", applicant_id=CITIZEN_ID, data={"link_id": "LT-1"})
    # a caller's link id is a reference; the group's key is the engine's (correlation.py)
    assert engine.data(dossier)["link_ref"] == "LT-1"
    assert engine.data(dossier)["link_id"] == dossier.link_id == dossier.receipt_code


def test_a_start_form_validates_and_normalises_start_data(session):
    import unicodedata

    from toantrinh.engine.forms import FormValidationError

    engine = Engine(session)
    xml = script_process("x = 1").replace(
        '<bpmn:startEvent id="StartEvent_1">',
        '<bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements><tt:form ref="test-start"/>'
        "</bpmn:extensionElements>",
    )
    forms = dict(
        TEST_FORMS,
        **{
            "test-start": {
                "type": "object",
                "properties": {"purpose": {"type": "string", "maxLength": 100}},
            }
        },
    )
    engine.deploy(xml, forms=forms)
    with pytest.raises(FormValidationError):
        engine.start("script_test", data={"purpose": "x" * 101})
    nfd = unicodedata.normalize("NFD", "Xin việc ở Đà Nẵng")
    dossier = engine.start("script_test", data={"purpose": nfd})
    assert engine.data(dossier)["purpose"] == unicodedata.normalize("NFC", nfd)


def test_a_start_form_takes_a_warehouse_document_of_the_components_type(session):
    from toantrinh.engine.forms import FormValidationError
    from toantrinh.engine.warehouse import store_result

    engine = Engine(session)
    xml = script_process("x = 1").replace(
        '<bpmn:startEvent id="StartEvent_1">',
        '<bpmn:dataObject id="DO_ID"><bpmn:extensionElements>'
        '<tt:component code="identity_card_copy" documentType="identity_card"/>'
        "</bpmn:extensionElements></bpmn:dataObject>"
        '<bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements><tt:form ref="test-start"/>'
        "</bpmn:extensionElements>",
    )
    field = {"type": "string", "x-component": "identity_card_copy"}
    forms = dict(
        TEST_FORMS,
        **{"test-start": {"type": "object", "properties": {"id_file": field}}},
    )
    engine.deploy(xml, forms=forms)
    card = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="identity_card",
        title="Căn cước",
        issuer="Bộ Công an",
        data={},
    )
    other = store_result(
        session,
        applicant_id=CITIZEN_ID,
        document_type="birth_certificate",
        title="Giấy khai sinh",
        issuer="UBND",
        data={},
    )
    session.commit()
    # no dossier yet, so no file of one; a document of another type; someone else's
    for value, applicant in (
        ("TL-0000000000000000", CITIZEN_ID),
        (other.result_code, CITIZEN_ID),
        (card.result_code, "001099000001"),
    ):
        with pytest.raises(FormValidationError) as refused:
            engine.start("script_test", applicant_id=applicant, data={"id_file": value})
        assert [e.field for e in refused.value.errors] == ["id_file"]
    dossier = engine.start(
        "script_test", applicant_id=CITIZEN_ID, data={"id_file": card.result_code}
    )
    assert engine.data(dossier)["id_file"] == card.result_code
