"""Steps shared by the browser tests, done over the REST API (what another actor did)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import AGENCY, Api, create_token
from tests.helpers.people import CITIZEN_ID, ltp_declaration

DECLARATION = ltp_declaration()


def token_in(page) -> str:
    """The bearer token the page signed in with."""
    return page.evaluate("localStorage.getItem('tt.token')")


def complete(api: Api, bpmn_id: str, data: dict[str, Any]) -> dict[str, Any]:
    items = api.get("/api/v1/tasks").json()["items"]
    task = next(t for t in items if t["bpmn_id"] == bpmn_id)
    response = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def dossier_at_the_desk(live) -> tuple[dict[str, Any], dict[str, str]]:
    """A citizen's dossier submitted and paid online, waiting for the one-stop desk."""
    base = live.api()
    tokens = {
        "citizen": create_token(
            base, name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
        ),
        "desk": create_token(
            base, name="Vũ Một Cửa", role="officer", agency=AGENCY, lanes=["one_stop_desk"]
        ),
    }
    citizen = live.api(tokens["citizen"])
    started = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"})
    assert started.status_code == 201, started.text
    complete(citizen, "Task_Declare", DECLARATION)
    dossier = complete(
        citizen, "Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}
    )
    return dossier, tokens


def finish_dossier(live, tokens: dict[str, str]) -> dict[str, Any]:
    """Take a dossier waiting at the desk to its result (receive → … → deliver)."""
    desk = live.api(tokens["desk"])
    specialist = live.api(
        create_token(
            live.api(),
            name="Đỗ Chuyên Viên",
            role="officer",
            agency=AGENCY,
            lanes=["specialist", "leader"],
        )
    )
    complete(desk, "Task_Receive", {"intake_decision": "accept"})
    complete(desk, "Task_Transfer", {})
    complete(specialist, "Task_Verify", {"has_criminal_record": False})
    complete(specialist, "Task_Sign", {"decision": "approve"})
    return complete(desk, "Task_Deliver", {"delivered_via": "vneid"})
