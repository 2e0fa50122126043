"""Retries of dossiers in error back off, stop, and ask for an officer; the scan is
bounded and indexed; a failed step is logged with its traceback (issue 27 item 13)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from tests.helpers.bpmn import TEST_FORMS, service_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine import clock
from toantrinh.engine.commands import retries
from toantrinh.engine.commands.retries import RetryPolicy
from toantrinh.engine.connectors import ConnectorError, FunctionConnector
from toantrinh.engine.persistence import Dossier
from toantrinh.engine.scheduler import tick
from toantrinh.engine.service import Engine, iter_pending_retries


class Outage:
    """A population registry that is down until told otherwise."""

    def __init__(self):
        self.down, self.calls = True, 0

    def lookup(self, identity_number):
        self.calls += 1
        if self.down:
            raise ConnectorError("CSDL quốc gia về dân cư không phản hồi", retryable=True)
        return {"full_name": "Nguyễn Văn An", "identity_number": identity_number}

    def connectors(self):
        return local_connectors(population=FunctionConnector("population", {"lookup": self.lookup}))


def _failing(session, outage: Outage, n: int = 1) -> tuple[Engine, list[int]]:
    engine = Engine(session, connectors=outage.connectors())
    engine.deploy(service_process("population.lookup"), forms=TEST_FORMS)
    return engine, [engine.start("service_test", applicant_id=CITIZEN_ID).id for _ in range(n)]


def test_retries_back_off_exponentially_stop_at_the_maximum_and_ask_for_an_officer(
    session, monkeypatch
):
    monkeypatch.setattr(retries, "POLICY", RetryPolicy(base=60, cap=240, max_attempts=4))
    outage = Outage()
    engine, (dossier_id,) = _failing(session, outage)
    waits = []
    for _ in range(10):  # more passes than attempts: the extra ones must do nothing
        dossier = session.get(Dossier, dossier_id)
        if dossier.retry_at is None:
            break
        failed_at = max(e.at for e in engine.events(dossier_id) if e.kind == "task_failed")
        waits.append((dossier.retry_at - failed_at).total_seconds())
        clock.set_offset(
            (dossier.retry_at - clock.now()).total_seconds() + clock.offset_seconds() + 1
        )
        session.rollback()
        assert tick(session, outage.connectors()).retries == 1
        session.expire_all()
    spread = waits[0] / 60
    assert 1 <= spread <= 1.1  # the dossier's own stretch, the same at every attempt
    assert [round(w / spread) for w in waits] == [60, 120, 240, 240]
    dossier = session.get(Dossier, dossier_id)
    assert dossier.status == "error" and dossier.needs_attention and dossier.retry_count == 4
    assert outage.calls == 5  # the start and four automatic retries, then nothing
    clock.set_offset(clock.offset_seconds() + 86_400)
    assert tick(session, outage.connectors()).retries == 0 and outage.calls == 5
    last = [e for e in engine.events(dossier_id) if e.kind == "task_failed"][-1]
    assert last.detail["needs_attention"] is True and last.detail["retry_at"] is None
    # an officer retries by hand once the registry is back: a new round, then success
    outage.down = False
    dossier = engine.retry(dossier_id, actor="officer:Vũ Một Cửa")
    assert dossier.status == "in_progress" and not dossier.needs_attention
    assert dossier.retry_count == 0 and dossier.retry_at is None


def test_a_failure_that_cannot_pass_needs_attention_at_once(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy(service_process("land.parcel"), forms=TEST_FORMS)
    dossier = engine.start("service_test", applicant_id=CITIZEN_ID)
    assert dossier.status == "error" and dossier.needs_attention and dossier.retry_at is None


def test_the_retry_scan_is_bounded_earliest_first_and_reads_its_index(session):
    outage = Outage()
    engine, ids = _failing(session, outage, n=5)
    session.rollback()
    clock.set_offset(clock.offset_seconds() + 7200)
    due = list(iter_pending_retries(session, limit=2))
    assert len(due) == 2
    order = sorted(ids, key=lambda i: session.get(Dossier, i).retry_at)
    assert due == order[:2]
    assert tick(session, outage.connectors(), limit=3).retries == 3
    query = (
        "SELECT id FROM dossier WHERE retry_at <= :now AND error_retryable "
        "ORDER BY retry_at LIMIT 2"
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: make it choose
        plan = session.execute(text("EXPLAIN " + query), {"now": clock.now()}).scalars().all()
    else:
        plan = [
            row[-1]
            for row in session.execute(text("EXPLAIN QUERY PLAN " + query), {"now": clock.now()})
        ]
    assert any("ix_dossier_retry_due" in line for line in plan), plan
    session.rollback()
    # a dossier cancelled while it waits is retried no more
    waiting = next(i for i in ids if session.get(Dossier, i).retry_at is not None)
    engine.cancel(waiting, reason="Rút hồ sơ")
    assert waiting not in iter_pending_retries(session, limit=10)


def test_a_failed_step_is_logged_with_its_traceback(session, caplog):
    outage = Outage()
    with caplog.at_level(logging.WARNING, logger="toantrinh.retries"):
        _failing(session, outage)
    (record,) = [r for r in caplog.records if r.name == "toantrinh.retries"]
    assert record.exc_info is not None
    assert "không phản hồi" in caplog.text and "Traceback" in caplog.text
    assert "lookup" in caplog.text  # the frame that raised
