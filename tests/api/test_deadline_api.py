"""The deadline clock over real HTTP (issue 29.4): the officer reads the due instant and
the time the clock stood still, the desk or a leader extends it with a reason, and the
apology letter prints; the policy says who may."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.conftest import AGENCY, create_token
from tests.api.test_main_flow import _complete, _my_task
from tests.api.test_onestop import _pay_online, _start
from toantrinh.engine.work_calendar import default_calendar


def _next_working_morning(after: datetime) -> datetime:
    calendar = default_calendar()
    day = after.astimezone(calendar.zone).date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=calendar.zone)


def test_officer_reads_the_clock_and_extends_it_with_an_apology_letter(onestop, tokens):
    live = onestop["live"]
    dossier, citizen, desk, leader = _start(live, tokens)
    before = desk.get(f"/api/v1/dossiers/{dossier['id']}/deadline").json()
    assert before["state"] == "not_received" and before["received_at"] is None
    _pay_online(onestop, citizen, dossier)  # paid before receipt: the clock has not started
    _complete(desk, _my_task(desk, "Task_Receive"), {"intake_decision": "accept"})
    clock = desk.get(f"/api/v1/dossiers/{dossier['id']}/deadline")
    assert clock.status_code == 200, clock.text
    view = clock.json()
    assert view["state"] == "running" and view["received_at"] and view["can_extend"] is True
    assert view["processing_time"]["days"] > 0 and view["paused_seconds"] == 0
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/deadline").json()["can_extend"] is False
    assert live.api(tokens["other_citizen"]).get(
        f"/api/v1/dossiers/{dossier['id']}/deadline"
    ).status_code in (403, 404)

    due = datetime.fromisoformat(view["due_at"])
    url = f"/api/v1/dossiers/{dossier['id']}/deadline/extensions"
    new_due = _next_working_morning(due)
    assert citizen.post(url, json={"due_at": new_due.isoformat(), "reason": "x"}).status_code == 403
    specialist = live.api(
        create_token(
            live.api(),
            name="Chuyên Viên Thuần",
            role="officer",
            agency=AGENCY,
            lanes=["specialist"],
        )
    )
    assert (
        specialist.post(url, json={"due_at": new_due.isoformat(), "reason": "x"}).status_code == 403
    )
    assert live.api(tokens["other_agency"]).post(
        url, json={"due_at": new_due.isoformat(), "reason": "x"}
    ).status_code in (403, 404)
    earlier = desk.post(
        url, json={"due_at": (due - timedelta(days=1)).isoformat(), "reason": "Chờ xác minh"}
    )
    assert earlier.status_code == 422 and "sau ngày hẹn" in earlier.json()["detail"]
    assert desk.post(url, json={"due_at": new_due.isoformat(), "reason": ""}).status_code == 422
    assert desk.get(f"/api/v1/dossiers/{dossier['id']}/deadline/apology").status_code == 404

    done = leader.post(
        url,
        json={
            "due_at": new_due.isoformat(),
            "reason": "Chờ kết quả xác minh của cơ quan quản lý cơ sở dữ liệu lý lịch tư pháp",
        },
    )
    assert done.status_code == 201, done.text
    after = done.json()
    assert datetime.fromisoformat(after["due_at"]) == new_due
    assert after["extended"] is True and after["statutory_due_at"] == view["due_at"]
    (entry,) = [e for e in after["entries"] if e["kind"] == "extended"]
    assert entry["actor"] == "officer:Đỗ Chuyên Viên" and entry["due_before"] == view["due_at"]
    pdf = desk.get(f"/api/v1/dossiers/{dossier['id']}/deadline/apology")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert citizen.get(f"/api/v1/dossiers/{dossier['id']}/deadline/apology").status_code == 200
    kinds = [e["kind"] for e in desk.get(f"/api/v1/dossiers/{dossier['id']}/events").json()]
    assert "deadline_extended" in kinds and "notice_issued" in kinds
    assert desk.get(f"/api/v1/dossiers/{dossier['id']}").json()["due_at"] == after["due_at"]
