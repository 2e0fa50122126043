"""A dossier no automatic retry will move is shown to officers as needing attention
(issue 27 item 13): in its view, and as a filter of the dossier list of their agency."""

from __future__ import annotations

from tests.api.conftest import ADMIN_TOKEN, AGENCY
from tests.helpers.bpmn import TEST_FORMS, service_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.engine.service import Engine

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _token(client, **spec) -> dict[str, str]:
    answer = client.post("/api/v1/auth/tokens", headers=ADMIN, json=spec)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def test_officers_see_the_dossiers_that_need_their_attention(app, session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy(service_process("land.parcel"), forms=TEST_FORMS)  # no such registry
    stuck = engine.start("service_test", applicant_id=CITIZEN_ID, agency=AGENCY)
    engine.deploy(service_process("population.lookup", process_id="fine"), forms=TEST_FORMS)
    fine = engine.start("fine", applicant_id=CITIZEN_ID, agency=AGENCY)
    session.commit()
    client = app.test_client()
    officer = _token(
        client, name="Vũ Một Cửa", role="officer", agency=AGENCY, lanes=["one_stop_desk"]
    )
    elsewhere = _token(
        client, name="Hoàng Sở Khác", role="officer", agency="Sở Xây dựng", lanes=["one_stop_desk"]
    )

    view = client.get(f"/api/v1/dossiers/{stuck.id}", headers=officer).get_json()
    assert view["status"] == "error" and view["needs_attention"] is True
    assert view["retry_at"] is None and "land.parcel" in view["last_error"]
    assert (
        client.get(f"/api/v1/dossiers/{fine.id}", headers=officer).get_json()["needs_attention"]
        is False
    )

    listed = client.get("/api/v1/dossiers?attention=true", headers=officer).get_json()
    assert [d["id"] for d in listed["items"]] == [stuck.id] and listed["items"][0][
        "needs_attention"
    ]
    others = client.get("/api/v1/dossiers?attention=false", headers=officer).get_json()
    assert [d["id"] for d in others["items"]] == [fine.id]
    assert client.get("/api/v1/dossiers?attention=true", headers=elsewhere).get_json()["total"] == 0
