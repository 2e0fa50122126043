"""What tests/api/test_authorization.py leaves open: its matrix proves each role is let in
within its scope; this proves, endpoint by endpoint from the same table, that the same
role is kept out of resources outside its scope, and that revoked tokens and tokens
without a scope are refused."""

from __future__ import annotations

import pytest

from tests.api.conftest import ADMIN_TOKEN, AGENCY
from tests.api.test_authorization import (  # noqa: F401  (the fixture and its world)
    OTHER_CITIZEN,
    TABLE,
    World,
    request_for,
    world,
)

SCOPED = ("own", "agency", "lane", "desk", "desk/leader")
OUTSIDERS = {
    "citizen": dict(name="Người khác", role="citizen", identity_number=OTHER_CITIZEN),
    "officer": dict(
        name="Sở khác",
        role="officer",
        agency="Sở Xây dựng",
        lanes=["one_stop_desk", "specialist", "leader"],
    ),
}


def _names_a_resource(endpoint: str) -> bool:
    return "{dossier_id}" in endpoint or "{task_id}" in endpoint


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_every_endpoint_naming_a_dossier_or_task_refuses_a_token_outside_its_scope(world, role):  # noqa: F811
    """A citizen with another identity number, an officer of another agency: 403 on every
    row of the permission table that names a dossier or a task and is scoped for the role."""
    outsider = world.token(**OUTSIDERS[role])
    rows = [e for e in TABLE if _names_a_resource(e) and TABLE[e][role] in SCOPED]
    assert len(rows) >= 7, rows  # the table grows; this must keep covering it
    wrong = []
    for endpoint in sorted(
        rows, key=lambda e: ("/cancel" in e or "/complete" in e or "/claim" in e, e)
    ):
        method, path, kwargs = request_for(endpoint, role, world)
        response = world.call(method, path, outsider, **kwargs)
        if response.status_code != 403 or response.mimetype != "application/problem+json":
            wrong.append(
                f"{endpoint}: {response.status_code} {response.get_data(as_text=True)[:160]}"
            )
    assert not wrong, "\n".join(wrong)
    # and nothing of the insiders' dossiers is left where the outsider can see it
    assert (
        world.call(
            "GET", f"/api/v1/dossiers/{world.ids['b']['id']}", world.tokens[role]
        ).status_code
        == 200
    )
    assert world.admin("GET", f"/api/v1/dossiers/{world.ids['c']['id']}")["status"] == "in_progress"


def test_an_officer_of_the_right_agency_but_the_wrong_lane_cannot_claim_or_complete(world):  # noqa: F811
    leader = world.token(name="Lãnh đạo", role="officer", agency=AGENCY, lanes=["leader"])
    receive = world.ids["receive"]  # a one-stop-desk task
    for method, path, kwargs in [
        ("GET", f"/api/v1/tasks/{receive}", {}),
        ("POST", f"/api/v1/tasks/{receive}/claim", {}),
        (
            "POST",
            f"/api/v1/tasks/{receive}/complete",
            {"json": {"data": {"intake_decision": "accept"}}},
        ),
    ]:
        response = world.call(method, path, leader, **kwargs)
        assert response.status_code == 403, (method, path, response.get_data(as_text=True))
    assert world.call("GET", "/api/v1/tasks", leader).get_json()["total"] == 0
    tasks = world.admin("GET", f"/api/v1/dossiers/{world.ids['b']['id']}/tasks")
    assert [t["claimed_by"] for t in tasks if t["id"] == receive] == [None]


def test_a_revoked_token_is_refused_at_once(world):  # noqa: F811
    made = world.admin(
        "POST",
        "/api/v1/auth/tokens",
        json={"name": "Tạm", "role": "officer", "agency": AGENCY, "lanes": ["one_stop_desk"]},
    )
    dossier = f"/api/v1/dossiers/{world.ids['b']['id']}"
    assert world.call("GET", dossier, made["token"]).status_code == 200
    assert world.call("DELETE", f"/api/v1/auth/tokens/{made['id']}", ADMIN_TOKEN).status_code == 204
    for method, path in [("GET", dossier), ("GET", "/api/v1/auth/me"), ("GET", "/api/v1/tasks")]:
        response = world.call(method, path, made["token"])
        assert response.status_code == 401 and response.mimetype == "application/problem+json", path


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"role": "citizen"}, "identity_number"),
        ({"role": "officer", "lanes": ["one_stop_desk"]}, "agency"),
        ({"role": "officer", "agency": AGENCY}, "lanes"),
        ({"role": "officer", "agency": AGENCY, "lanes": ["citizen"]}, "lanes"),
        ({"role": "superuser"}, "role"),
        ({"role": "citizen", "identity_number": "../../etc"}, "identity_number"),
    ],
)
def test_tokens_without_a_valid_scope_are_never_issued(world, spec, field):  # noqa: F811
    response = world.call("POST", "/api/v1/auth/tokens", ADMIN_TOKEN, json={"name": "x", **spec})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in {e["field"].split(".")[0] for e in response.get_json()["errors"]}


def test_malformed_authorization_headers_are_401_not_500(world):  # noqa: F811
    for header in (
        "Bearer",
        "Bearer ",
        "Bearer  " + ADMIN_TOKEN + "x",
        "bearer " + "A" * 60_000,
        "Bearer \u0111\u1ed3ng",
        "Token " + ADMIN_TOKEN,
        ADMIN_TOKEN,
    ):
        response = world.client.get("/api/v1/auth/me", headers={"Authorization": header})
        assert response.status_code == 401, (header[:30], response.status_code)
        assert response.mimetype == "application/problem+json"


def test_world_fixture_is_the_api_suites():  # keep the reuse honest: same table, same world
    assert World.__module__ == "tests.api.test_authorization"
