"""BPMN messages cross dossiers (linked procedures, Decree 63/2024/NĐ-CP)."""

from __future__ import annotations

from tests.helpers.bpmn import TEST_FORMS, message_start_process, receiver_process, sender_process
from toantrinh.engine.service import Engine


def _complete_only_task(engine: Engine, dossier_id: int, data: dict) -> None:
    (task,) = engine.ready_tasks(dossier_id)
    engine.complete_task(dossier_id, task["id"], data)


def test_message_reaches_the_waiting_dossier_with_the_same_link(session):
    engine = Engine(session)
    engine.deploy(sender_process(), forms=TEST_FORMS)
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    waiting = engine.start("receiver", applicant_id="001090012345")
    other = engine.start("receiver", applicant_id="001090099999")
    sender = engine.start("sender", linked_to=waiting.id, applicant_id="001090012345")
    assert sender.link_id == waiting.link_id == waiting.receipt_code != other.link_id
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
    sender = engine.start("sender")
    _complete_only_task(engine, sender.id, {"result": "xong"})
    assert engine.route_messages() == 0
    waiting = engine.start("receiver", linked_to=sender.id)
    assert engine.route_messages() == 1
    assert [t["bpmn_id"] for t in engine.ready_tasks(waiting.id)] == ["Review"]


def test_message_start_event_opens_the_linked_dossier(session):
    engine = Engine(session)
    engine.deploy(sender_process("cap_the_bhyt"), forms=TEST_FORMS)
    engine.deploy(message_start_process("cap_the_bhyt"), forms=TEST_FORMS)
    sender = engine.start("sender", applicant_id="001090012345")
    _complete_only_task(engine, sender.id, {"result": "Đã đăng ký thường trú"})
    assert engine.route_messages() == 1
    from sqlalchemy import select

    from toantrinh.engine.persistence import Dossier

    started = session.scalars(select(Dossier).where(Dossier.id != sender.id)).all()
    assert len(started) == 1
    linked = started[0]
    assert linked.link_id == sender.link_id and linked.applicant_id == "001090012345"
    assert [t["bpmn_id"] for t in engine.ready_tasks(linked.id)] == ["Review"]
    assert engine.data(linked)["linked"]["result"] == "Đã đăng ký thường trú"


def test_every_dossier_a_caller_starts_begins_its_own_group(session):
    """A caller's link id never becomes a group's key: two callers giving the same one get
    two groups, and a message of one never reaches the other (issue 27.1)."""
    engine = Engine(session)
    engine.deploy(sender_process(), forms=TEST_FORMS)
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    first = engine.start("receiver", link_id="KS-CHUNG")
    second = engine.start("receiver", link_id="KS-CHUNG")
    sender = engine.start("sender", link_id="KS-CHUNG")
    keys = {first.link_id, second.link_id, sender.link_id}
    assert len(keys) == 3 and "KS-CHUNG" not in keys
    assert engine.data(sender)["link_ref"] == "KS-CHUNG"
    _complete_only_task(engine, sender.id, {"result": "xong"})
    assert engine.route_messages() == 0
    assert engine.ready_tasks(first.id) == engine.ready_tasks(second.id) == []


def test_a_model_cannot_address_another_group_through_its_payload(session):
    """The message's key is its sender's group's, whatever ``link_id`` the payload holds."""
    from sqlalchemy import select

    from toantrinh.engine.persistence import Message

    engine = Engine(session)
    engine.deploy(
        sender_process().replace('"link_id": link_id', '"link_id": target'), forms=TEST_FORMS
    )
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    victim = engine.start("receiver")
    sender = engine.start("sender", data={"target": victim.link_id}, trusted_data=True)
    _complete_only_task(engine, sender.id, {"result": "giả mạo"})
    (message,) = session.scalars(select(Message)).all()
    assert message.link_id == sender.link_id and message.payload["link_id"] == sender.link_id
    assert engine.route_messages() == 0
    assert engine.ready_tasks(victim.id) == []


def test_a_message_two_dossiers_wait_for_is_refused_not_broadcast(session):
    """Two dossiers of one group wait for the same message: it goes to neither; the
    refusal is kept on the message and shown on the sender's history (issue 27.1)."""
    from sqlalchemy import select

    from toantrinh.engine.persistence import Message

    engine = Engine(session)
    engine.deploy(sender_process(), forms=TEST_FORMS)
    engine.deploy(receiver_process(), forms=TEST_FORMS)
    first = engine.start("receiver")
    second = engine.start("receiver", linked_to=first.id)
    sender = engine.start("sender", linked_to=first.id)
    _complete_only_task(engine, sender.id, {"result": "xong"})
    assert engine.route_messages() == 0
    (message,) = session.scalars(select(Message)).all()
    assert message.delivered is False and message.delivered_to == []
    assert message.refused_at is not None
    assert f"{first.id}, {second.id}" in message.last_error
    assert engine.ready_tasks(first.id) == engine.ready_tasks(second.id) == []
    (refused,) = [e for e in engine.events(sender.id) if e.kind == "message_refused"]
    assert refused.detail["candidates"] == [first.id, second.id]
    assert engine.route_messages() == 0  # final: not retried, never delivered later
    session.expire_all()
    assert session.get(Message, message.id).attempts == 1
