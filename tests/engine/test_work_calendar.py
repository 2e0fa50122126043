"""Due dates count Vietnam's working days and hours: public holidays (Tết and Hùng Kings'
day from the lunar calendar), the Government's yearly swaps from data/calendar.json, and
an operator's own additions (issue 27 item 16)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.api.conftest import LLTP, ROOT
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine import clock
from toantrinh.engine.service import Engine
from toantrinh.engine.work_calendar import DEFAULT_PATH, CalendarError, WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load(DEFAULT_PATH)


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # an ordinary week: a day is 8 working hours from the moment of receipt
        (at(2026, 3, 10, 10), 1, at(2026, 3, 11, 10)),
        (at(2026, 3, 13, 16, 30), 1, at(2026, 3, 16, 16, 30)),  # Friday afternoon → Monday
        (at(2026, 3, 7, 9), 1, at(2026, 3, 9, 17)),  # a Saturday: counted from Monday 08:00
        (at(2026, 3, 10, 12, 30), 1, at(2026, 3, 11, 12)),  # at lunch: counted from 13:00
        # Tết Ất Tỵ 2025 (25/01–02/02): received the Friday before, due the Monday after
        (at(2025, 1, 24, 10), 1, at(2025, 2, 3, 10)),
        # 30/4–1/5/2025 with Friday 2/5 swapped for Saturday 26/4 (8726/VPCP-KGVX)
        (at(2025, 4, 25, 10), 1, at(2025, 4, 26, 10)),
        (at(2025, 4, 29, 10), 1, at(2025, 5, 5, 10)),
        # 1/1/2026 with Friday 2/1 swapped for Saturday 10/1 (12729/VPCP-KGVX)
        (at(2025, 12, 31, 10), 1, at(2026, 1, 5, 10)),
        # Hùng Kings' day 2026 falls on Sunday 26/4: Monday 27/4 off instead
        (at(2026, 4, 24, 10), 1, at(2026, 4, 28, 10)),
        # ten working days across Tết Bính Ngọ (14/02–22/02/2026)
        (at(2026, 2, 12, 10), 10, at(2026, 3, 5, 10)),
    ],
)
def test_working_days_skip_holidays_swaps_and_hours(calendar, received, days, due):
    assert calendar.add_working_days(received, days) == due
    assert calendar.add_working_days(received.astimezone(UTC), days) == due.astimezone(UTC)


def test_a_calendar_day_limit_ending_on_a_day_off_ends_with_the_next_working_day(calendar):
    # 15 days after 1/2/2026 is Monday 16/2, in Tết: the limit runs to the end of 23/2
    assert calendar.add_days(at(2026, 2, 1, 9), 15) == at(2026, 2, 23, 17)
    assert calendar.add_days(at(2026, 3, 2, 9), 3) == at(2026, 3, 5, 9)


def test_public_holidays_come_from_the_lunar_calendar(calendar):
    assert not calendar.is_working_day(date(2027, 2, 8))  # Tết Đinh Mùi, from the lunar date
    assert not calendar.is_working_day(date(2027, 4, 16))  # 10/3 âm lịch 2027
    assert calendar.is_working_day(date(2027, 4, 15))


def test_an_operator_adds_a_year_s_decision_as_data(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["years"]["2027"] = {
        "decisions": [{"text": "Quyết định giả định cho kiểm thử", "source": "kiểm thử"}],
        "days_off": [
            {"date": "2027-04-30", "reason": "đã là ngày lễ"},
            {"date": "2027-05-03", "reason": "nghỉ bù"},
        ],
        "working_days": [{"date": "2027-05-08", "reason": "làm bù"}],
    }
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    edited = WorkCalendar.load(path)
    assert edited.add_working_days(at(2027, 4, 29, 10), 1) == at(2027, 5, 4, 10)
    assert edited.is_working_day(date(2027, 5, 8))
    data["years"]["2027"]["working_days"].append({"date": "2026-05-09", "reason": "sai năm"})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CalendarError, match="không thuộc năm"):
        WorkCalendar.load(path)


def test_every_decision_in_the_calendar_file_is_cited():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    holidays_2025_2026 = WorkCalendar().public_holidays(2025) | WorkCalendar().public_holidays(2026)
    for year, spec in data["years"].items():
        assert spec["decisions"], year
        for decision in spec["decisions"]:
            assert decision["text"] and decision["source"], decision
        for entry in spec.get("days_off", []):
            assert entry["reason"] and date.fromisoformat(entry["date"]).weekday() < 5, entry
        for entry in spec.get("working_days", []):
            day = date.fromisoformat(entry["date"])
            assert entry["reason"] and (day.weekday() >= 5 or day in holidays_2025_2026), entry


def test_a_dossier_s_due_date_uses_the_calendar(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(ROOT / "process_models" / "tro-cap-mai-tang")  # 10 working days
    engine.deploy_folder(LLTP)  # 10 days (Law on Judicial Records, Art. 48: "ngày")
    received = at(2026, 2, 12, 10)
    clock.set_offset((received - datetime.now(UTC)).total_seconds())
    dossier = engine.start("tro-cap-mai-tang", applicant_id=CITIZEN_ID)
    assert abs(dossier.created_at - received) < timedelta(seconds=30)
    # Monday–Friday alone would give 26/02; Tết Bính Ngọ moves it to 05/03
    due = dossier.due_at.astimezone(VN)
    assert due.date() == date(2026, 3, 5) and due.hour == 10
    # ten calendar days end on Sunday 22/02, in Tết: the limit rolls to the end of the
    # next working day (Civil Code Art. 148(5))
    certificate = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    due = certificate.due_at.astimezone(VN)
    assert (due.date(), due.hour) == (date(2026, 2, 23), 17)
