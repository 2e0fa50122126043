"""Security fixtures: the real app over real HTTP (the API suite's fixtures), a sample
procedure deployed and one control dossier that every hostile test must leave unharmed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.api.conftest import (  # noqa: F401  (fixtures re-exported for this package)
    ADMIN_TOKEN,
    Api,
    api_tables,
    app_factory,
    deploy_sample,
    live,
    tokens,
)
from tests.helpers.people import ltp_declaration

PROBLEM = "application/problem+json"
DECLARATION = ltp_declaration()


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith(PROBLEM), response.headers["Content-Type"]
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@dataclass
class Control:
    """A dossier started before the attack, checked after it."""

    citizen: Api
    admin: Api
    dossier_id: int

    def assert_unharmed(self) -> None:
        got = self.admin.get(f"/api/v1/dossiers/{self.dossier_id}")
        assert got.status_code == 200, got.text
        assert got.json()["status"] == "in_progress"
        tasks = self.citizen.get(f"/api/v1/dossiers/{self.dossier_id}/tasks")
        assert tasks.status_code == 200, tasks.text
        assert [t["bpmn_id"] for t in tasks.json()] == ["Task_Declare"]


@pytest.fixture
def app(app_factory):  # noqa: F811
    """The app as production runs it: exceptions become answers, not test failures."""
    return app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)


@pytest.fixture
def control(live, tokens) -> Control:  # noqa: F811
    admin = live.api(ADMIN_TOKEN)
    assert deploy_sample(admin).status_code == 201
    citizen = live.api(tokens["citizen"])
    started = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"})
    assert started.status_code == 201, started.text
    return Control(citizen, admin, started.json()["id"])
