"""BPMN messages cross dossiers (linked procedures, Decree 63/2024/NĐ-CP)."""

from __future__ import annotations

from engine.service import Engine
from tests.helpers.bpmn import TEST_FORMS, message_start_process, receiver_process, sender_process


def _complete_only_task(engine: Engine, dossier_id: int, data: dict) -> None:
    (task,) = engine.ready_tasks(dossier_id)
    engine.complete_task(dossier_id, task["id"], data)


def test_message_reaches_the_waiting_dossier_with_the_same_link(session):
    engine = Engine(session)
    engine.deploy(sender_process(), forms=TEST_FORMS)
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    waiting = engine.start("receiver", link_id="KS-001", applicant_id="001090012345")
    other = engine.start("receiver", link_id="KS-999", applicant_id="001090099999")
    sender = engine.start("sender", link_id="KS-001", applicant_id="001090012345")
    assert engine.ready_tasks(waiting.id) == []

    _complete_only_task(engine, sender.id, {"result": "Đã đăng ký khai sinh"})
    assert engine.get(sender.id).status == "completed"
    assert engine.route_messages() == 1
    assert engine.route_messages() == 0  # delivered once

    assert [t["bpmn_id"] for t in engine.ready_tasks(waiting.id)] == ["Review"]
    data = engine.data(engine.get(waiting.id))
    assert data["linked"]["result"] == "Đã đăng ký khai sinh"
    assert data["linked"]["receipt_code"] == sender.receipt_code
    assert data["receipt_code"] == engine.get(waiting.id).receipt_code  # its own, not the sender's
    assert engine.ready_tasks(other.id) == []
    received = [e for e in engine.events(waiting.id) if e.kind == "message_received"]
    assert received[0].detail["from"] == sender.id


def test_message_is_kept_until_a_recipient_exists(session):
    engine = Engine(session)
    engine.deploy(sender_process(), forms=TEST_FORMS)
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    sender = engine.start("sender", link_id="KS-002")
    _complete_only_task(engine, sender.id, {"result": "xong"})
    assert engine.route_messages() == 0
    waiting = engine.start("receiver", link_id="KS-002")
    assert engine.route_messages() == 1
    assert [t["bpmn_id"] for t in engine.ready_tasks(waiting.id)] == ["Review"]


def test_message_start_event_opens_the_linked_dossier(session):
    engine = Engine(session)
    engine.deploy(sender_process("cap_the_bhyt"), forms=TEST_FORMS)
    engine.deploy(message_start_process("cap_the_bhyt"), forms=TEST_FORMS)
    sender = engine.start("sender", link_id="LT-63-0001", applicant_id="001090012345")
    _complete_only_task(engine, sender.id, {"result": "Đã đăng ký thường trú"})
    assert engine.route_messages() == 1
    from sqlalchemy import select

    from engine.persistence import Dossier

    started = session.scalars(select(Dossier).where(Dossier.id != sender.id)).all()
    assert len(started) == 1
    linked = started[0]
    assert linked.link_id == "LT-63-0001" and linked.applicant_id == "001090012345"
    assert [t["bpmn_id"] for t in engine.ready_tasks(linked.id)] == ["Review"]
    assert engine.data(linked)["linked"]["result"] == "Đã đăng ký thường trú"
