"""The statutory clock (issue 29.4): it starts at the receipt of a complete dossier, stops
while the dossier is back with the citizen, moves with an extension, follows the working
calendar across weekends and Tết, drives the library's deadline timers, and is what the
EMC's on-time rate is judged against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from toantrinh.engine import clock, deadlines
from toantrinh.engine.deadlines import DeadlineEntry, DeadlineError, compute
from toantrinh.engine.metrics import emc_report
from toantrinh.engine.persistence import Timer
from toantrinh.engine.service import Engine
from toantrinh.engine.work_calendar import default_calendar
from toantrinh.sandbox import sandbox_connectors

ROOT = Path(__file__).resolve().parents[2]
LAND = "cap-giay-chung-nhan-dat-lan-dau"  # 20 working days; pays its obligations after receipt
VN = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = "026080001111"


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


_tokens: list = []


def at(moment: datetime) -> None:
    """Move the engine's clock to ``moment`` (and hold it there)."""
    clock.set_offset((moment - datetime.now(UTC)).total_seconds())
    _tokens.append(clock.freeze(moment.astimezone(UTC)))


@pytest.fixture(autouse=True)
def _clock():
    before = clock.offset_seconds()
    yield
    while _tokens:
        clock.thaw(_tokens.pop())
    clock.set_offset(before)


@pytest.fixture
def land(session, session_factory):
    with sandbox_connectors(session_factory=session_factory) as registry:
        engine = Engine(session, connectors=registry, forms_dir=ROOT / "forms")
        engine.deploy_folder(ROOT / "process_models" / LAND)
        yield engine


def complete(engine: Engine, dossier_id: int, bpmn_id: str, data: dict) -> None:
    ready = {t["bpmn_id"]: t["id"] for t in engine.ready_tasks(dossier_id)}
    engine.complete_task(dossier_id, ready[bpmn_id], data, actor="officer:Trần Thị B")
    engine.session.expire_all()  # what the next reader gets from the database


DECLARE = {
    "land_address": "Thôn Đông, Phường Vĩnh Yên",
    "land_map_sheet": "27",
    "land_parcel_number": "118",
    "land_area": 212.0,
    "land_use_purpose": "Đất ở tại nông thôn (ONT)",
    "land_use_since": "1998-05-01",
    "land_origin": "Ông bà để lại, sử dụng ổn định",
}


def _received_on_friday_before_tet(engine: Engine):
    at(vn(2026, 2, 12, 16, 0))  # Thursday before Tết 2026: submitted online
    dossier = engine.start(LAND, applicant_id=APPLICANT, data={"applicant_id": APPLICANT})
    complete(engine, dossier.id, "Task_Declare", DECLARE)
    at(vn(2026, 2, 13, 8, 30))  # Friday: the desk finds it incomplete, asks for more
    complete(
        engine,
        dossier.id,
        "Task_Receive",
        {"intake_decision": "supplement", "missing_items": "Sơ đồ thửa đất"},
    )
    assert (
        engine.session.scalars(
            select(DeadlineEntry).where(DeadlineEntry.dossier_id == dossier.id)
        ).all()
        == []
    )
    complete(engine, dossier.id, "Task_Supplement", {"supplement_note": "Bổ sung sơ đồ thửa đất"})
    at(vn(2026, 2, 13, 10, 0))  # complete and valid at 10:00
    complete(engine, dossier.id, "Task_Receive", {"intake_decision": "accept"})
    return engine.get(dossier.id)


def test_clock_starts_at_receipt_of_a_complete_dossier_and_skips_tet(land):
    dossier = _received_on_friday_before_tet(land)
    (entry,) = land.session.scalars(
        select(DeadlineEntry).where(DeadlineEntry.dossier_id == dossier.id)
    )
    assert entry.kind == "received" and entry.started_at == vn(2026, 2, 13, 10, 0)
    # 160 working hours: Friday 10:00–17:00 less lunch (6 h), Tết off from Saturday 14 to
    # Sunday 22 February, then 19 days (23/2 … 19/3) and 2 hours: Friday 20 March, 10:00
    assert dossier.due_at == vn(2026, 3, 20, 10, 0)


def test_library_deadline_timer_fires_at_the_dossiers_due_instant(land):
    dossier = _received_on_friday_before_tet(land)
    at(vn(2026, 2, 24, 9, 0))
    complete(land, dossier.id, "Task_Handoff", {})
    complete(land, dossier.id, "Task_Inspect", {"eligible": True, "no_dispute": True})
    land.session.expire_all()
    (timer,) = land.session.scalars(select(Timer).where(Timer.dossier_id == dossier.id))
    # not P20D (20 calendar days after the step started: 16 March) but the appointment
    assert timer.name == "Hết thời hạn giải quyết"
    assert timer.due_at == vn(2026, 3, 20, 10, 0)
    at(vn(2026, 3, 20, 9, 59))  # P20D would have fired on 16 March
    assert land.fire_due_timers() == 0
    at(vn(2026, 3, 20, 10, 1))
    assert land.fire_due_timers() == 1
    assert "Task_Apology" in {t["bpmn_id"] for t in land.ready_tasks(dossier.id)}


def test_waiting_for_the_citizens_payment_stops_the_clock_across_a_weekend(land):
    dossier = _received_on_friday_before_tet(land)
    at(vn(2026, 3, 2, 9, 0))
    complete(land, dossier.id, "Task_Handoff", {})
    complete(land, dossier.id, "Task_Inspect", {"eligible": True, "no_dispute": True})
    complete(land, dossier.id, "Task_Cadastral", {"cadastral_area": 210.4})
    at(vn(2026, 3, 3, 15, 0))  # Tuesday 15:00: the tax notice goes to the citizen
    complete(land, dossier.id, "Task_Tax", {"land_use_levy": 0, "registration_fee": 2104000})
    dossier = land.get(dossier.id)
    assert dossier.due_at == vn(2026, 3, 20, 10, 0)
    pause = land.session.scalars(
        select(DeadlineEntry).where(
            DeadlineEntry.dossier_id == dossier.id, DeadlineEntry.kind == "paused"
        )
    ).one()
    assert pause.cause == "payment" and pause.ended_at is None
    at(vn(2026, 3, 9, 9, 0))  # paid the next Monday at 09:00
    complete(
        land,
        dossier.id,
        "Task_PayObligations",
        {
            "payment_reference": "NSNN-2026-77812",
            "amount": 2104000,
            "payment_method": "Chuyển khoản ngân hàng",
        },
    )
    dossier = land.get(dossier.id)
    land.session.refresh(pause)
    # stopped 2 h (Tue) + 3 days (Wed–Fri) + 1 h (Mon), the weekend not counted: 27 h
    assert pause.paused_seconds == 27 * 3600
    # Friday 20 March 10:00 + 27 working hours: Wednesday 25 March, 14:00
    assert dossier.due_at == vn(2026, 3, 25, 14, 0)
    state = deadlines.state_of(land.session, dossier, land._loaded(dossier.version).info)
    assert state.paused == timedelta(hours=27) and state.paused_since is None


def test_an_extension_moves_the_appointment_and_the_timer_but_the_dossier_counts_late(land):
    dossier = _received_on_friday_before_tet(land)
    at(vn(2026, 3, 19, 9, 0))
    complete(land, dossier.id, "Task_Handoff", {})
    complete(land, dossier.id, "Task_Inspect", {"eligible": True, "no_dispute": True})
    with pytest.raises(DeadlineError, match="sau ngày hẹn hiện tại"):
        deadlines.extend(land, dossier.id, vn(2026, 3, 18, 9, 0), "Chờ đo đạc", "officer:B")
    with pytest.raises(DeadlineError, match="ngày làm việc"):
        deadlines.extend(
            land, dossier.id, vn(2026, 3, 28, 9, 0), "Chờ đo đạc", "officer:B"
        )  # Saturday
    with pytest.raises(DeadlineError, match="lý do"):
        deadlines.extend(land, dossier.id, vn(2026, 3, 27, 9, 0), "  ", "officer:B")
    deadlines.extend(
        land,
        dossier.id,
        vn(2026, 3, 27, 9, 0),
        "Chờ kết quả đo đạc lại thửa đất",
        "officer:Trần Thị B",
    )
    land.session.expire_all()
    dossier = land.get(dossier.id)
    assert dossier.due_at == vn(2026, 3, 27, 9, 0)
    (timer,) = land.session.scalars(select(Timer).where(Timer.dossier_id == dossier.id))
    assert timer.due_at == vn(2026, 3, 27, 9, 0)
    kinds = [e.kind for e in land.events(dossier.id)]
    assert "deadline_extended" in kinds
    # finished on 24 March: within the new appointment, after the statutory one → late
    at(vn(2026, 3, 24, 10, 0))
    complete(land, dossier.id, "Task_Cadastral", {"cadastral_area": 210.4})
    complete(land, dossier.id, "Task_Tax", {"land_use_levy": 0, "registration_fee": 0})
    for bpmn_id, data in (
        (
            "Task_PayObligations",
            {"payment_reference": "x", "amount": 0, "payment_method": "Chuyển khoản ngân hàng"},
        ),
        ("Task_Sign", {"signed": True}),
        ("Task_Update", {}),
        ("Task_Deliver", {"delivery_method": "Trực tuyến"}),
        ("Task_Result", {}),
    ):
        ready = {t["bpmn_id"] for t in land.ready_tasks(dossier.id)}
        if bpmn_id in ready:
            complete(land, dossier.id, bpmn_id, data)
    dossier = land.get(dossier.id)
    assert dossier.status == "completed"
    report = emc_report(
        land.session,
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 4, 1, tzinfo=UTC),
        now=vn(2026, 3, 25, 0, 0),
    )
    assert report.total.completed_in_period == 1
    assert report.total.overdue == 1 and report.total.on_time == 0


def test_on_time_and_early_rates_follow_the_stopped_clock(land):
    """Completed on 24 March: late against the naive appointment (20 March), early against
    the clock that stopped 27 hours for the payment (25 March)."""
    dossier = _received_on_friday_before_tet(land)
    at(vn(2026, 3, 2, 9, 0))
    complete(land, dossier.id, "Task_Handoff", {})
    complete(land, dossier.id, "Task_Inspect", {"eligible": True, "no_dispute": True})
    complete(land, dossier.id, "Task_Cadastral", {"cadastral_area": 210.4})
    at(vn(2026, 3, 3, 15, 0))
    complete(land, dossier.id, "Task_Tax", {"land_use_levy": 0, "registration_fee": 2104000})
    at(vn(2026, 3, 9, 9, 0))
    complete(
        land,
        dossier.id,
        "Task_PayObligations",
        {
            "payment_reference": "NSNN-2026-1",
            "amount": 2104000,
            "payment_method": "Chuyển khoản ngân hàng",
        },
    )
    at(vn(2026, 3, 24, 10, 0))
    for bpmn_id, data in (
        ("Task_Sign", {"signed": True}),
        ("Task_Update", {}),
        ("Task_Deliver", {"delivery_method": "Trực tuyến"}),
        ("Task_Result", {}),
    ):
        if bpmn_id in {t["bpmn_id"] for t in land.ready_tasks(dossier.id)}:
            complete(land, dossier.id, bpmn_id, data)
    assert land.get(dossier.id).status == "completed"
    report = emc_report(
        land.session,
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 4, 1, tzinfo=UTC),
        now=vn(2026, 3, 25, 0, 0),
    )
    assert (report.total.on_time, report.total.early, report.total.overdue) == (1, 1, 0)


def test_a_supplement_stop_across_tet_counts_only_working_time():
    """Pure arithmetic of the clock: 5 working days from Wednesday 11 February 2026 at
    14:00; back with the citizen from Thursday 12 at 16:00 to Tuesday 24 at 09:00 — the
    stop covers Tết and two weekends but only 18 working hours."""
    calendar = default_calendar()
    received = vn(2026, 2, 11, 14, 0)
    limit = {"days": 5, "working_days": True}
    base = compute(calendar, limit, received, [], received)
    # Wed 3 h, Thu 8 h, Fri 8 h, (Tết), Mon 23: 8 h, Tue 24: 8 h → 35 h; 5 h more on Wed 25
    assert base.due_at == vn(2026, 2, 25, 14, 0)
    pause = DeadlineEntry(
        id=1,
        kind="paused",
        cause="supplement",
        started_at=vn(2026, 2, 12, 16, 0),
        ended_at=vn(2026, 2, 24, 9, 0),
    )
    state = compute(calendar, limit, received, [pause], vn(2026, 2, 25))
    # Thu 16–17 (1 h) + Fri 13 (8 h) + Mon 23 (8 h) + Tue 24 08–09 (1 h) = 18 h
    assert state.paused == timedelta(hours=18)
    assert state.due_at == vn(2026, 2, 27, 16, 0)
    open_pause = DeadlineEntry(
        id=2, kind="paused", cause="supplement", started_at=vn(2026, 2, 12, 16, 0)
    )
    running = compute(calendar, limit, received, [open_pause], vn(2026, 2, 13, 12, 0))
    assert running.paused_since == vn(2026, 2, 12, 16, 0) and running.pause_cause == "supplement"
    assert running.paused == timedelta(hours=5)


def test_working_time_between_instants_skips_nights_weekends_and_lunch():
    calendar = default_calendar()
    assert calendar.working_time(vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 9, 0)) == timedelta(hours=2)
    assert calendar.working_time(vn(2026, 3, 6, 11, 0), vn(2026, 3, 6, 14, 0)) == timedelta(hours=2)
    assert calendar.working_time(vn(2026, 3, 9, 9, 0), vn(2026, 3, 6, 9, 0)) == timedelta(0)
    assert calendar.add_working_time(vn(2026, 3, 6, 16, 0), timedelta(hours=2)) == vn(
        2026, 3, 9, 9, 0
    )


# a deadline clock beside the work: the timer waits through the citizen's supplement
def _lane(role: str, nodes: list[str]) -> str:
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
    return (
        f'<bpmn:lane id="Lane_{role}" name="{role}"><bpmn:extensionElements>'
        f'<tt:lane role="{role}"/></bpmn:extensionElements>{refs}</bpmn:lane>'
    )


def _task(task_id: str, name: str, kind: str, actor: str, incoming: str, outgoing: str) -> str:
    return (
        f'<bpmn:userTask id="{task_id}" name="{name}"><bpmn:extensionElements>'
        f'<tt:form ref="test-empty"/><tt:step kind="{kind}" actor="{actor}"/>'
        f"</bpmn:extensionElements><bpmn:incoming>{incoming}</bpmn:incoming>"
        f"<bpmn:outgoing>{outgoing}</bpmn:outgoing></bpmn:userTask>"
    )


def beside_model() -> str:
    from tests.helpers.bpmn import HEAD

    lanes = (
        _lane("one_stop_desk", ["StartEvent_1", "Receive", "Split", "Late", "LateEnd"])
        + _lane("specialist", ["Deadline", "Appraise", "Approve", "Done"])
        + _lane("citizen", ["Supplement"])
    )
    body = f"""
    <bpmn:laneSet id="Lanes">{lanes}</bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    {_task("Receive", "Tiếp nhận hồ sơ", "receive", "one_stop_desk", "F1", "F2")}
    <bpmn:parallelGateway id="Split"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing><bpmn:outgoing>F4</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:intermediateCatchEvent id="Deadline" name="Hết thời hạn giải quyết">
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"P2D"</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    {_task("Late", "Gửi phiếu xin lỗi", "other", "one_stop_desk", "F5", "F6")}
    <bpmn:endEvent id="LateEnd"><bpmn:incoming>F6</bpmn:incoming></bpmn:endEvent>
    {_task("Appraise", "Thẩm định", "appraise", "specialist", "F4", "F7")}
    {_task("Supplement", "Bổ sung hồ sơ", "submit", "citizen", "F7", "F8")}
    {_task("Approve", "Phê duyệt", "approve", "specialist", "F8", "F9")}
    <bpmn:endEvent id="Done"><bpmn:incoming>F9</bpmn:incoming><bpmn:terminateEventDefinition/></bpmn:endEvent>
    """ + "".join(
        f'<bpmn:sequenceFlow id="{f}" sourceRef="{a}" targetRef="{b}"/>'
        for f, a, b in (
            ("F1", "StartEvent_1", "Receive"),
            ("F2", "Receive", "Split"),
            ("F3", "Split", "Deadline"),
            ("F4", "Split", "Appraise"),
            ("F5", "Deadline", "Late"),
            ("F6", "Late", "LateEnd"),
            ("F7", "Appraise", "Supplement"),
            ("F8", "Supplement", "Approve"),
            ("F9", "Approve", "Done"),
        )
    )
    return (
        HEAD
        + f'<bpmn:process id="beside" isExecutable="true">{body}</bpmn:process></bpmn:definitions>\n'
    )


def test_a_deadline_timer_waiting_through_a_supplement_stop_is_held_and_moved(session):
    from tests.helpers.bpmn import TEST_FORMS
    from toantrinh.engine.onestop.passes import OnestopPasses

    engine = Engine(session)
    engine.deploy(
        beside_model(),
        forms=TEST_FORMS,
        slug="thoi-han-song-song",
        procedure={
            "name": {"vi": "Thời hạn song song"},
            "agency": "UBND xã",
            "processing_time": {"days": 2, "working_days": True},
        },
    )
    at(vn(2026, 3, 5, 8, 50))  # Thursday
    dossier = engine.start("thoi-han-song-song", applicant_id=APPLICANT)
    at(vn(2026, 3, 5, 9, 0))
    complete(engine, dossier.id, "Receive", {})
    dossier_id = dossier.id
    dossier = engine.get(dossier_id)
    assert dossier.due_at == vn(2026, 3, 9, 9, 0)  # 16 working hours: Monday 09:00

    def timer_due():
        engine.session.expire_all()
        (row,) = engine.session.scalars(select(Timer).where(Timer.dossier_id == dossier_id))
        return row.due_at

    assert timer_due() == vn(2026, 3, 9, 9, 0)  # not P2D (Saturday 09:00)
    at(vn(2026, 3, 6, 16, 0))  # Friday 16:00: back to the citizen for a supplement
    complete(engine, dossier_id, "Appraise", {})
    # Monday 08:30: still with the citizen; the timer would fire within the hour
    at(vn(2026, 3, 9, 8, 30))
    passes = OnestopPasses()
    assert passes(lambda: engine.session)["deadlines"] == {"moved": 1}
    assert timer_due() > vn(2026, 3, 9, 9, 30)
    at(vn(2026, 3, 9, 9, 1))  # past the first appointment: held, it does not fire
    assert engine.fire_due_timers() == 0
    at(vn(2026, 3, 9, 10, 0))  # supplied Monday 10:00: stopped Fri 16–17 + Mon 08–10 = 3 h
    complete(engine, dossier_id, "Supplement", {})
    dossier = engine.get(dossier_id)
    assert dossier.due_at == vn(2026, 3, 9, 12, 0)
    assert timer_due() == vn(2026, 3, 9, 12, 0)
    at(vn(2026, 3, 9, 11, 59))
    assert engine.fire_due_timers() == 0
    at(vn(2026, 3, 9, 12, 1))
    assert engine.fire_due_timers() == 1
    assert "Late" in {t["bpmn_id"] for t in engine.ready_tasks(dossier_id)}


def test_a_supplement_stop_across_tet_in_the_engine(session):
    """Received Thursday 12 February 2026 at 09:00 with 2 working days; sent back for a
    supplement at 16:00 and supplied after Tết, on Tuesday 24 February at 10:00: 6 of the
    16 hours were used, the 10 left run from the supply — Wednesday 25 February, 12:00."""
    from tests.helpers.bpmn import TEST_FORMS

    engine = Engine(session)
    engine.deploy(
        beside_model(),
        forms=TEST_FORMS,
        slug="thoi-han-tet",
        procedure={
            "name": {"vi": "Thời hạn qua Tết"},
            "agency": "UBND xã",
            "processing_time": {"days": 2, "working_days": True},
        },
    )
    at(vn(2026, 2, 12, 8, 45))
    dossier = engine.start("thoi-han-tet", applicant_id=APPLICANT)
    at(vn(2026, 2, 12, 9, 0))
    complete(engine, dossier.id, "Receive", {})
    assert engine.get(dossier.id).due_at == vn(2026, 2, 23, 9, 0)  # Tết in between
    at(vn(2026, 2, 12, 16, 0))
    complete(engine, dossier.id, "Appraise", {})
    at(vn(2026, 2, 24, 10, 0))
    complete(engine, dossier.id, "Supplement", {})
    dossier = engine.get(dossier.id)
    assert dossier.due_at == vn(2026, 2, 25, 12, 0)
    pause = engine.session.scalars(
        select(DeadlineEntry).where(
            DeadlineEntry.dossier_id == dossier.id, DeadlineEntry.kind == "paused"
        )
    ).one()
    assert (pause.cause, pause.paused_seconds) == ("supplement", 19 * 3600)
    at(vn(2026, 2, 25, 11, 0))
    complete(engine, dossier.id, "Approve", {})
    dossier = engine.get(dossier.id)
    assert dossier.status == "completed" and dossier.completed_at <= dossier.due_at


def test_a_step_that_moves_the_deadline_timers_is_journaled_and_replays_them(
    session, session_factory
):
    """Receiving a dossier starts its clock and sets its deadline timer to the due instant:
    that step is kept in the journal with the instant (not as a dump of the whole state),
    and a process that rebuilds the dossier from the journal sets the timer the same."""
    from tests.helpers.bpmn import TEST_FORMS
    from toantrinh.engine.persistence import DossierJournal
    from toantrinh.engine.spiff_compat import internal_data
    from toantrinh.engine.store.statecache import WORKFLOWS

    engine = Engine(session)
    engine.deploy(
        beside_model(),
        forms=TEST_FORMS,
        slug="thoi-han-nhat-ky",
        procedure={
            "name": {"vi": "Thời hạn ghi nhật ký"},
            "agency": "UBND xã",
            "processing_time": {"days": 2, "working_days": True},
        },
    )
    at(vn(2026, 3, 5, 8, 50))
    dossier_id = engine.start("thoi-han-nhat-ky", applicant_id=APPLICANT).id
    at(vn(2026, 3, 5, 9, 0))
    complete(engine, dossier_id, "Receive", {})
    dossier = engine.get(dossier_id)
    assert dossier.due_at == vn(2026, 3, 9, 9, 0)
    # journaled: the state stays the start's (never dumped), the journal holds both steps
    assert dossier.state_version < dossier.lock_version
    texts = list(
        session.scalars(
            select(DossierJournal.entry)
            .where(DossierJournal.dossier_id == dossier_id)
            .order_by(DossierJournal.lock_version)
        )
    )
    assert '"due":"2026-03-09T02:00:00+00:00"' in texts[-1]
    WORKFLOWS.clear()  # another process: the dossier is rebuilt from its journal
    with session_factory() as other:
        workflow = Engine(other).workflow(Engine(other).get(dossier_id))
        (timer,) = [
            t
            for t in workflow.get_tasks()
            if t.task_spec.bpmn_id == "Deadline" and internal_data(t, "event_value")
        ]
        assert internal_data(timer, "event_value") == "2026-03-09T02:00:00+00:00"
