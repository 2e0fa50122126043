"""A leader signs a batch of dossiers in one request, over real HTTP, on every backend."""

from __future__ import annotations

from tests.api.conftest import deploy_sample
from tests.helpers.people import ltp_declaration

DECLARATION = ltp_declaration()


def _inbox(api, bpmn_id: str) -> list[dict]:
    response = api.get("/api/v1/tasks", params={"per_page": 100})
    assert response.status_code == 200, response.text
    return [t for t in response.json()["items"] if t["bpmn_id"] == bpmn_id]


def _batch(api, items: list[dict]):
    return api.post("/api/v1/tasks/complete-batch", json={"items": items})


def test_a_batch_of_tasks_is_completed_in_one_request_each_with_its_own_outcome(live, tokens):
    assert deploy_sample(live.api(tokens["modeller"])).status_code == 201
    citizen = live.api(tokens["citizen"])
    desk = live.api(tokens["desk"])
    specialist = live.api(tokens["specialist_leader"])
    receipts = []
    for _ in range(4):
        started = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"})
        assert started.status_code == 201, started.text
        receipts.append(started.json()["receipt_code"])
        declare = _inbox(citizen, "Task_Declare")[0]
        assert (
            citizen.post(
                f"/api/v1/tasks/{declare['id']}/complete", json={"data": DECLARATION}
            ).status_code
            == 200
        )
        pay = _inbox(citizen, "Task_Pay")[0]
        assert (
            citizen.post(
                f"/api/v1/tasks/{pay['id']}/complete",
                json={"data": {"payment_method": "online", "payment_reference": "VNPAY-9"}},
            ).status_code
            == 200
        )

    # the desk receives the four dossiers at once: one with data its form refuses
    receive = _inbox(desk, "Task_Receive")
    assert len(receive) == 4
    items = [{"task_id": t["id"], "data": {"intake_decision": "accept"}} for t in receive]
    items[2]["data"] = {"intake_decision": "có"}
    response = _batch(desk, items)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["completed"], body["failed"]) == (3, 1)
    assert [i["ok"] for i in body["items"]] == [True, True, False, True]
    assert body["items"][2]["status"] == 422
    assert body["items"][2]["errors"][0]["field"] == "intake_decision"
    assert {i["receipt_code"] for i in body["items"]} == set(receipts)
    assert len(_inbox(desk, "Task_Receive")) == 1  # the refused one waits, unchanged
    assert len(_inbox(desk, "Task_Transfer")) == 3

    # tasks of another lane, unknown ids and repeated ids are refused item by item
    transfer = _inbox(desk, "Task_Transfer")
    mixed = _batch(
        specialist,
        [{"task_id": transfer[0]["id"]}, {"task_id": "00000000-0000-0000-0000-000000000000"}],
    )
    assert mixed.status_code == 200
    assert [(i["ok"], i["status"]) for i in mixed.json()["items"]] == [(False, 403), (False, 404)]
    repeated = _batch(desk, [{"task_id": transfer[0]["id"]}, {"task_id": transfer[0]["id"]}])
    assert repeated.status_code == 422
    assert repeated.headers["Content-Type"] == "application/problem+json"

    # a citizen cannot sign batches; an empty batch is a request error
    assert _batch(citizen, [{"task_id": transfer[0]["id"]}]).status_code == 403
    assert _batch(desk, []).status_code == 422

    done = _batch(desk, [{"task_id": t["id"]} for t in transfer])
    assert done.json()["completed"] == 3
    assert len(_inbox(specialist, "Task_Verify")) == 3
