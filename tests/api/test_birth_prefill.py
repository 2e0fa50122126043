"""Birth registration pre-fills what the registries hold before the declaration (issue 26
item 7): the mother's identity from the population database when she is the applicant,
the child's birth facts from the electronic birth notice the health database keeps under
her identity number. A father applying has no notice under his own number: the optional
lookup leaves the fields for him to type instead of failing the dossier. A registry that
is down still stops the dossier with the usual error. Real engine, database and HTTP
(the sandbox registries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import ADMIN_TOKEN, create_token, make_app, serve
from toantrinh.api.app import db
from toantrinh.engine.db import Base
from toantrinh.sandbox import sandbox_connectors

ROOT = Path(__file__).resolve().parents[2]
MOTHER, FATHER = "001192034567", "001090012345"  # Trần Thị Bình, Nguyễn Văn An
MOTHER_FIELDS = ("mother_full_name", "mother_identity_number", "mother_date_of_birth")
CHILD_FIELDS = ("birth_notice_number", "child_date_of_birth", "child_sex", "place_of_delivery")


def _live(db_url, db_engine, session_factory, **sandbox):
    Base.metadata.create_all(db_engine)
    registry = sandbox_connectors(session_factory=session_factory, retries=1, **sandbox)
    app = make_app(db_url, TOANTRINH_CONNECTORS=lambda: registry)
    try:
        for live in serve(app):
            folder = ROOT / "process_models" / "dang-ky-khai-sinh"
            with (
                open(folder / "dang-ky-khai-sinh.bpmn", "rb") as bpmn,
                open(folder / "procedure.json", "rb") as card,
            ):
                answer = live.api(ADMIN_TOKEN).post(
                    "/api/v1/models",
                    files={
                        "bpmn": ("m.bpmn", bpmn, "application/xml"),
                        "procedure": ("procedure.json", card, "application/json"),
                    },
                )
            assert answer.status_code == 201, answer.text
            yield live
    finally:
        with app.app_context():
            db.engine.dispose()
        registry.close()


@pytest.fixture
def live(db_url, db_engine, session_factory):
    yield from _live(db_url, db_engine, session_factory)


def _citizen(live, identity_number, name):
    token = create_token(live.api(), name=name, role="citizen", identity_number=identity_number)
    return live.api(token)


def _declare(api):
    started = api.post("/api/v1/dossiers", json={"model": "dang-ky-khai-sinh"})
    assert started.status_code == 201, started.text
    tasks = api.get(f"/api/v1/dossiers/{started.json()['id']}/tasks").json()
    (task,) = [t for t in tasks if t["bpmn_id"] == "Task_Declare"]
    return started.json(), task


def test_the_mother_applying_finds_her_data_and_the_child_s_pre_filled(live):
    api = _citizen(live, MOTHER, "Trần Thị Bình")
    _, task = _declare(api)
    prefill = task["prefill"]
    assert {k: prefill[k] for k in MOTHER_FIELDS} == {
        "mother_full_name": "Trần Thị Bình",
        "mother_identity_number": MOTHER,
        "mother_date_of_birth": "1992-07-02",
    }
    assert {k: prefill[k] for k in CHILD_FIELDS} == {
        "birth_notice_number": "CS-2026-0001234",
        "child_date_of_birth": "2026-11-02",
        "child_sex": "Nam",
        "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
    }
    # a locked pre-filled field cannot be changed: 422 naming it
    typed = {
        "relationship_to_child": "Mẹ",
        "child_full_name": "Nguyễn Minh Khôi",
        "child_ethnicity": "Kinh",
    }
    forged = api.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {**typed, "child_date_of_birth": "2026-11-03"}},
    )
    assert forged.status_code == 422, forged.text
    assert [e["field"] for e in forged.json()["errors"]] == ["child_date_of_birth"]
    # only what the registries do not hold is typed; the rest comes from them
    done = api.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": typed})
    assert done.status_code == 200, done.text
    data = done.json()["data"]
    assert data["mother_full_name"] == "Trần Thị Bình" and data["child_sex"] == "Nam"
    assert data["birth_notice"]["birth_notice_number"] == "CS-2026-0001234"  # desk check


# the father's health record holds a health certificate but no birth notice; Hoàng Minh
# Khang has no health record at all (the health database answers 404)
@pytest.mark.parametrize(
    ("applicant", "name", "relationship"),
    [(FATHER, "Nguyễn Văn An", "Cha"), ("036060001357", "Hoàng Minh Khang", "Ông")],
)
def test_another_applicant_gets_no_error_and_types_the_fields(live, applicant, name, relationship):
    api = _citizen(live, applicant, name)
    dossier, task = _declare(api)
    assert dossier["status"] == "in_progress" and not dossier.get("last_error"), dossier
    assert not set(task["prefill"]) & {*MOTHER_FIELDS, *CHILD_FIELDS}, task["prefill"]
    assert task["prefill"]["full_name"] == name  # his own data still pre-filled
    # what is not pre-filled is required of him like any typed field
    short = api.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"data": {"relationship_to_child": relationship}},
    )
    assert short.status_code == 422
    assert {"child_date_of_birth", "mother_full_name"} <= {
        e["field"] for e in short.json()["errors"]
    }
    done = api.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={
            "data": {
                "relationship_to_child": relationship,
                "child_full_name": "Nguyễn Minh Khôi",
                "child_date_of_birth": "2026-11-02",
                "child_sex": "Nam",
                "child_ethnicity": "Kinh",
                "place_of_delivery": "Bệnh viện Phụ sản Hà Nội",
                "mother_full_name": "Trần Thị Bình",
                "mother_identity_number": MOTHER,
                "mother_date_of_birth": "1992-07-02",
            }
        },
    )
    assert done.status_code == 200, done.text
    assert done.json()["data"]["mother_date_of_birth"] == "1992-07-02"


@pytest.fixture
def health_down(db_url, db_engine, session_factory):
    yield from _live(db_url, db_engine, session_factory, failures={"health": 1000})


def test_a_health_database_that_is_down_stops_the_dossier_as_before(health_down):
    api = _citizen(health_down, MOTHER, "Trần Thị Bình")
    started = api.post("/api/v1/dossiers", json={"model": "dang-ky-khai-sinh"})
    assert started.status_code == 201, started.text
    dossier = started.json()
    # optional means "no record is fine", not "an outage is fine": the dossier waits
    # for the worker's retry, nothing pre-filled from a guess
    assert dossier["status"] == "error" and dossier["current_tasks"] == []
    assert dossier["last_error"].startswith("Lỗi kết nối 'health.lookup'")
    assert "HTTP 503" in dossier["last_error"] and dossier["retry_at"]
    assert "notice" not in dossier["data"] and "mother" not in dossier["data"]
