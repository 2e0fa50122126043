"""Batches of dossier operations in one transaction, the per-process workflow cache,
the index rows written by difference, and the serializer's reuse of finished tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event, func, select

from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration
from tests.reliability.conftest import STEPS
from toantrinh.engine import forms as formlib
from toantrinh.engine.persistence import Dossier, MessageSubscription, ReadyTask, Timer
from toantrinh.engine.serialization import StateSerializer
from toantrinh.engine.service import Engine, EngineError
from toantrinh.engine.store.statecache import WORKFLOWS

FOLDER = Path(__file__).resolve().parents[2] / "process_models" / "ly-lich-tu-phap"
DECLARE = ltp_declaration()
PAY = {"payment_method": "online", "payment_reference": "VNPAY-1"}


@pytest.fixture
def engine(session):
    eng = Engine(session, connectors=local_connectors())
    eng.deploy_folder(FOLDER)
    return eng


def _task(engine: Engine, dossier_id: int, bpmn_id: str) -> str:
    (task,) = [t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
    return task["id"]


def _index_rows(session, dossier_id: int) -> tuple[set, set, set]:
    return (
        set(session.scalars(select(ReadyTask.task_id).where(ReadyTask.dossier_id == dossier_id))),
        set(session.scalars(select(Timer.task_id).where(Timer.dossier_id == dossier_id))),
        set(
            session.scalars(
                select(MessageSubscription.name).where(MessageSubscription.dossier_id == dossier_id)
            )
        ),
    )


def _expected_rows(engine: Engine, dossier: Dossier) -> tuple[set, set, set]:
    wanted = engine._index_state(dossier, engine.workflow(dossier))
    return set(wanted.ready), set(wanted.timers), wanted.subs


def test_start_many_then_a_batch_of_completions_writes_every_dossier_and_its_inbox(engine, session):
    dossiers = engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * 4)
    ids = [d.id for d in dossiers]
    assert len({d.receipt_code for d in dossiers}) == 4
    items = [(i, _task(engine, i, "Task_Declare"), DECLARE) for i in ids]
    outcomes = engine.complete_tasks(items, actor="citizen")
    assert [o.ok for o in outcomes] == [True] * 4
    session.expire_all()
    for dossier_id in ids:
        dossier = engine.get(dossier_id)
        assert engine.data(dossier)["purpose"] == DECLARE["purpose"]
        assert [t["bpmn_id"] for t in engine.ready_tasks(dossier_id)] == ["Task_Pay"]
        assert _index_rows(session, dossier_id) == _expected_rows(engine, dossier)
    # the appraisal step waits on a 10-working-day timer: the batch writes timer rows too
    for bpmn_id, data in [
        ("Task_Pay", PAY),
        ("Task_Receive", {"intake_decision": "accept"}),
        ("Task_Transfer", {}),
    ]:
        items = [(i, _task(engine, i, bpmn_id), data) for i in ids]
        assert all(o.ok for o in engine.complete_tasks(items, actor="officer"))
    session.expire_all()
    for dossier_id in ids:
        dossier = engine.get(dossier_id)
        ready, timers, _ = _index_rows(session, dossier_id)
        assert len(timers) == 1
        assert (ready, timers, _) == _expected_rows(engine, dossier)


def test_a_batch_item_that_cannot_be_done_changes_nothing_and_the_others_go_ahead(engine, session):
    ids = [d.id for d in engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * 3)]
    versions = {i: engine.get(i).lock_version for i in ids}
    bad_data = {**DECLARE, "copies": "nhiều"}
    outcomes = engine.complete_tasks(
        [
            (ids[0], _task(engine, ids[0], "Task_Declare"), DECLARE),
            (ids[1], _task(engine, ids[1], "Task_Declare"), bad_data),
            (ids[2], "00000000-0000-0000-0000-000000000000", DECLARE),
        ]
    )
    assert [(o.ok, o.status) for o in outcomes] == [(True, 200), (False, 422), (False, 404)]
    assert outcomes[1].errors[0]["field"] == "copies"
    session.expire_all()
    assert engine.get(ids[0]).lock_version == versions[ids[0]] + 1
    for dossier_id in ids[1:]:
        assert engine.get(dossier_id).lock_version == versions[dossier_id]
        assert [t["bpmn_id"] for t in engine.ready_tasks(dossier_id)] == ["Task_Declare"]


def test_a_batch_that_loses_a_race_finishes_one_by_one(
    engine, session, session_factory, db_url, monkeypatch
):
    ids = [d.id for d in engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * 3)]
    tasks = {i: _task(engine, i, "Task_Declare") for i in ids}
    session.commit()

    def someone_else_completes(dossier_id: int) -> None:
        other = session_factory()
        try:
            Engine(other, connectors=local_connectors()).complete_task(
                dossier_id, tasks[dossier_id], DECLARE, actor="other"
            )
        finally:
            other.close()

    if db_url.startswith("sqlite"):
        # SQLite: the batch holds the write lock from its first read, so nobody can
        # commit in between; the race is lost before the batch starts instead
        someone_else_completes(ids[1])
    else:
        # PostgreSQL: another request commits after the batch has read the dossiers
        original, fired = formlib.validate_submission, []

        def validate(*args, **kwargs):
            if not fired:
                fired.append(True)
                someone_else_completes(ids[1])
            return original(*args, **kwargs)

        monkeypatch.setattr(formlib, "validate_submission", validate)
    outcomes = engine.complete_tasks([(i, tasks[i], DECLARE) for i in ids], actor="batch")
    assert [(o.ok, o.status) for o in outcomes] == [(True, 200), (False, 409), (True, 200)]
    session.expire_all()
    events = {i: [e.actor for e in engine.events(i) if e.kind == "task_completed"] for i in ids}
    assert events == {ids[0]: ["batch"], ids[1]: ["other"], ids[2]: ["batch"]}


def test_start_many_is_all_or_none_and_names_the_bad_request(engine, session):
    with pytest.raises(EngineError, match="hồ sơ thứ 2"):
        engine.start_many(
            "ly-lich-tu-phap",
            [{"applicant_id": CITIZEN_ID}, {"applicant_id": CITIZEN_ID, "channel": "fax"}],
        )
    assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    with pytest.raises(formlib.FormValidationError) as err:
        engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID, "data": {"x": 1}}])
    assert err.value.errors[0].field == "0.x"
    with pytest.raises(EngineError, match="mỗi hồ sơ"):
        engine.complete_tasks([(1, "a", {}), (1, "b", {})])


def test_a_cached_workflow_is_never_used_once_the_database_moved_on(
    engine, session, session_factory
):
    dossier_id = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
    engine.complete_task(dossier_id, _task(engine, dossier_id, "Task_Declare"), DECLARE)
    stamp = engine._stamp(engine.get(dossier_id))
    stale = WORKFLOWS.take(engine._db_key, dossier_id, stamp)
    assert stale is not None  # the commit left its workflow in the cache

    # another process (no shared cache) takes the next step
    other = session_factory()
    WORKFLOWS.clear()
    Engine(other, connectors=local_connectors()).complete_task(
        dossier_id, _task(Engine(other), dossier_id, "Task_Pay"), PAY, actor="other"
    )
    other.close()
    WORKFLOWS.clear()
    WORKFLOWS.put(engine._db_key, dossier_id, stamp, stale)  # this process's old state

    session.rollback()  # end the read transaction (and SQLite's snapshot) of the first step
    misses = WORKFLOWS.misses
    dossier = engine.get(dossier_id)
    assert dossier.lock_version == stamp[1] + 1
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier_id)] == ["Task_Receive"]
    assert WORKFLOWS.misses > misses  # the stale entry was dropped, the state loaded
    engine.complete_task(
        dossier_id, _task(engine, dossier_id, "Task_Receive"), {"intake_decision": "accept"}
    )
    assert engine.data(engine.get(dossier_id))["payment_reference"] == "VNPAY-1"


def test_a_refused_step_leaves_no_half_stepped_workflow_behind(engine, session):
    dossier_id = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
    task_id = _task(engine, dossier_id, "Task_Declare")
    with pytest.raises(formlib.FormValidationError):
        engine.complete_task(dossier_id, task_id, {**DECLARE, "copies": 0})
    engine.complete_task(dossier_id, task_id, DECLARE)
    session.expire_all()
    dossier = engine.get(dossier_id)
    assert engine.data(dossier)["copies"] == 1
    assert (
        engine.workflow(dossier).get_task_from_id(__import__("uuid").UUID(task_id)).state
        == __import__("SpiffWorkflow").util.task.TaskState.COMPLETED
    )


def test_completing_a_task_takes_few_statements(engine, session, db_engine, monkeypatch):
    monkeypatch.setenv("TOANTRINH_VERIFY_JOURNAL", "0")  # the suite's own check, not counted
    dossier_id = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
    task_id = _task(engine, dossier_id, "Task_Declare")
    session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper())

    event.listen(db_engine, "before_cursor_execute", count)
    try:
        engine.complete_task(dossier_id, task_id, DECLARE)
    finally:
        event.remove(db_engine, "before_cursor_execute", count)
    # read the dossier, its index rows; write events, the dossier (the optimistic lock),
    # the step's journal row, the inbox difference; BEGIN/COMMIT where the driver sends
    # them as statements
    body = [s for s in statements if s not in ("BEGIN", "COMMIT")]
    assert len(body) <= 7, statements


def test_reused_task_dicts_are_checked_against_fresh_ones(engine):
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    workflow = engine.workflow(dossier)
    serializer = StateSerializer()
    first = serializer.dump_state(workflow)
    assert serializer.dump_state(workflow) == first  # reused dicts, same text
    finished = next(t for t in workflow.tasks.values() if t.task_spec.name == "Start")
    finished.data["tampered"] = True  # nothing in the engine does this to a finished task
    with pytest.raises(AssertionError, match="changed, its signature did not"):
        serializer.dump_state(workflow)


def test_task_id_texts_are_kept_bounded_and_out_of_the_collectors_sight(monkeypatch):
    import gc
    import uuid

    from toantrinh.engine import serialization

    monkeypatch.setattr(serialization, "_ID_TEXTS", {})
    monkeypatch.setattr(serialization, "_ID_TEXTS_MAX", 8)
    ids = [uuid.uuid4() for _ in range(20)]
    assert [serialization._uuid_text(i) for i in ids] == [str(i) for i in ids]
    assert serialization._uuid_text(ids[-1]) is serialization._uuid_text(ids[-1])  # kept
    assert 0 < len(serialization._ID_TEXTS) <= 8
    assert not gc.is_tracked(serialization._ID_TEXTS)


def test_the_state_assembled_from_kept_task_texts_is_the_whole_state(engine, session):
    """A dump reuses the JSON text of tasks that did not change; at every step of a whole
    dossier it must hold exactly what a dump from scratch holds, and load back."""
    serializer = StateSerializer()
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    workflow = engine.workflow(dossier)
    loaded = engine._loaded(dossier.version)
    reused = 0
    for bpmn_id, data in STEPS:
        texts_before = dict(workflow.__dict__.get("_tt_task_texts", {}))
        (task,) = [
            t
            for t in workflow.get_tasks(state=TaskState.READY, manual=True)
            if t.task_spec.bpmn_id == bpmn_id
        ]
        task.set_data(**data)
        task.run()
        workflow.do_engine_steps()
        text = serializer.dump_state(workflow)
        kept = workflow.__dict__.pop("_tt_task_texts")
        scratch = serializer.dump_state(workflow)  # no memo: every task converted anew
        workflow.__dict__["_tt_task_texts"] = kept
        assert text == scratch  # the same text, byte for byte
        assert json.loads(text) == serializer._registry.convert(workflow) | {
            "serializer_version": json.loads(text)["serializer_version"]
        }  # and what SpiffWorkflow's converter makes of the whole workflow
        reused += sum(
            1 for k, (_, t) in kept.items() if k in texts_before and texts_before[k][1] is t
        )
        again = serializer.load_state(text, loaded.spec, loaded.subprocess_specs)
        assert json.loads(serializer.dump_state(again)) == json.loads(text)
    assert workflow.is_completed()
    assert reused > 20  # finished tasks' texts were really kept, not re-encoded


def test_a_reader_that_meets_a_newer_commit_reads_it_instead_of_failing(
    engine, session, session_factory
):
    dossier_id = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
    engine.complete_task(dossier_id, _task(engine, dossier_id, "Task_Declare"), DECLARE)
    dossier = engine.get(dossier_id)  # this transaction has read the row (not its state)
    lock = dossier.lock_version

    other = session_factory()  # another process takes the next step meanwhile
    Engine(other, connectors=local_connectors()).complete_task(
        dossier_id, _task(Engine(other), dossier_id, "Task_Pay"), PAY, actor="other"
    )
    other.close()
    WORKFLOWS.clear()  # and this process holds no workflow for it

    data = engine.data(dossier)
    if session.bind.dialect.name == "postgresql":
        # each statement sees the latest commit: the row is read again with its state
        assert dossier.lock_version == lock + 1
        assert data["payment_reference"] == "VNPAY-1"
    else:
        # SQLite's transaction keeps the snapshot it began with: row and state agree
        assert dossier.lock_version == lock
        assert "payment_reference" not in data
    assert data["purpose"] == DECLARE["purpose"]


def test_many_rows_are_written_as_the_insert_would_write_them(engine, session):
    """Past a few rows, events and index rows go to PostgreSQL by COPY (toantrinh.engine.service.
    _insert_rows): what is read back is what the row-by-row INSERT stores, on both
    backends, and a duplicate still fails as the IntegrityError a conflict is made of."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy.exc import IntegrityError

    from toantrinh.engine.persistence import DossierEvent
    from toantrinh.engine.service import _COPY_FROM, _INSERT_EVENT, _INSERT_INDEX, _insert_rows

    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    hanoi = timezone(timedelta(hours=7))
    at = datetime(2026, 11, 23, 9, 30, tzinfo=hanoi)
    rows = [
        {
            "dossier_id": dossier.id,
            "at": at + timedelta(seconds=n),
            "actor": "officer:ngô-thị-hà",
            "kind": "task_completed",
            "task_id": f"t-{n}",
            "task_name": "Tiếp nhận hồ sơ, kiểm tra tính hợp lệ",
            "detail": {"data": {"số": n, "ghi_chú": "Đủ điều kiện", "list": [1, None, "ạ"]}},
        }
        for n in range(_COPY_FROM + 5)
    ]
    conn = session.connection()
    _insert_rows(conn, _INSERT_EVENT, rows)
    session.commit()
    stored = session.scalars(
        select(DossierEvent)
        .where(DossierEvent.dossier_id == dossier.id, DossierEvent.kind == "task_completed")
        .order_by(DossierEvent.id)
    ).all()
    mine = [e for e in stored if e.task_id and e.task_id.startswith("t-")]
    assert [e.task_id for e in mine] == [r["task_id"] for r in rows]
    for event_row, row in zip(mine, rows, strict=True):
        assert event_row.at == row["at"].astimezone(UTC)
        assert event_row.detail == row["detail"]
        assert (event_row.actor, event_row.task_name) == (row["actor"], row["task_name"])

    ready = [
        {
            "dossier_id": dossier.id,
            "task_id": f"r-{n}",
            "agency": "Sở Tư pháp",
            "created_at": at,
            "bpmn_id": "Task_Receive",
            "name": "Tiếp nhận",
            "lane": "officer",
        }
        for n in range(_COPY_FROM)
    ]
    _insert_rows(session.connection(), _INSERT_INDEX[ReadyTask], ready)
    session.commit()
    count = select(func.count()).select_from(ReadyTask).where(ReadyTask.task_id.like("r-%"))
    assert session.scalar(count) == _COPY_FROM
    with pytest.raises(IntegrityError, match="ready_task"):
        _insert_rows(session.connection(), _INSERT_INDEX[ReadyTask], ready)
    session.rollback()
    assert session.scalar(count) == _COPY_FROM


def test_a_start_whose_receipt_code_is_taken_meanwhile_runs_again(engine, session, monkeypatch):
    """On PostgreSQL a new dossier is inserted at commit; a receipt code another dossier
    took first must make the start run again with a new code, as a flush up front did."""
    from toantrinh.engine.commands import dossiers as service

    taken = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).receipt_code
    real, calls = service._receipt_code, []

    def colliding(prefix):
        calls.append(prefix)
        return taken if len(calls) == 1 else real(prefix)

    monkeypatch.setattr(service, "_receipt_code", colliding)
    started = engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * 3)
    assert len(calls) >= 4  # the first attempt's three codes, then the retry's
    codes = [d.receipt_code for d in started]
    assert taken not in codes and len(set(codes)) == 3
    stored = session.scalars(select(Dossier.receipt_code).order_by(Dossier.id)).all()
    assert stored.count(taken) == 1 and set(codes) <= set(stored)
    for dossier in started:  # each went through its first step and holds its inbox
        assert _index_rows(session, dossier.id) == _expected_rows(engine, dossier)


def test_new_dossiers_take_ids_that_follow_the_stored_ones(engine, session):
    first = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    batch = engine.start_many("ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * 4)
    ids = [first.id, *(d.id for d in batch)]
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert session.scalars(select(Dossier.id).order_by(Dossier.id)).all() == ids
