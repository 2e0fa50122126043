"""Concurrency through the real stack: racing completions over HTTP, racing scheduler
processes on one timer, new versions deployed (and dossiers migrated) while dossiers run."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import toantrinh.engine.deployment as service_module
from tests.api.conftest import ADMIN_TOKEN, AGENCY, create_token
from tests.helpers.bpmn import HEAD, TEST_FORMS, script_process
from tests.helpers.people import CITIZEN_ID, local_connectors
from tests.reliability.conftest import LLTP, ROOT, STEP_DATA, STEPS
from toantrinh.engine import forms as formlib
from toantrinh.engine.persistence import Dossier, DossierEvent
from toantrinh.engine.service import Engine, MigrationRefused, NotFoundError

PROBLEM = "application/problem+json"


def _deploy_json(api, bpmn: str, procedure: dict | None = None):
    procedure = procedure or json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))
    return api.post("/api/v1/models", json={"bpmn": bpmn, "procedure": procedure})


def _declare_task(api, dossier_id: int) -> str:
    tasks = api.get(f"/api/v1/dossiers/{dossier_id}/tasks").json()
    return next(t["id"] for t in tasks if t["bpmn_id"] == "Task_Declare")


def _task_completions(live, dossier_id: int) -> list[dict]:
    events = live.api(ADMIN_TOKEN).get(f"/api/v1/dossiers/{dossier_id}/events").json()
    return [e for e in events if e["kind"] == "task_completed"]


def test_two_clients_completing_one_task_at_once_get_one_200_and_one_409(live, tokens, monkeypatch):
    admin, citizen = live.api(ADMIN_TOKEN), live.api(tokens["citizen"])
    assert (
        _deploy_json(admin, (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")).status_code
        == 201
    )
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    task_id = _declare_task(citizen, dossier["id"])

    # both requests load the dossier before either saves: hold them after form validation
    barrier = threading.Barrier(2, timeout=20)
    original = formlib.validate_submission

    def validate_then_wait(*args, **kwargs):
        result = original(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(formlib, "validate_submission", validate_then_wait)
    clients = [live.api(tokens["citizen"]), live.api(ADMIN_TOKEN)]
    data = [dict(STEP_DATA["Task_Declare"], purpose=p) for p in ("Xin việc", "Du học")]
    with ThreadPoolExecutor(2) as pool:
        responses = list(
            pool.map(
                lambda i: clients[i].post(
                    f"/api/v1/tasks/{task_id}/complete", json={"data": data[i]}
                ),
                (0, 1),
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.text[:200] for r in responses]
    lost = next(r for r in responses if r.status_code == 409)
    assert lost.headers["Content-Type"].startswith(PROBLEM)
    assert lost.json()["status"] == 409 and lost.json()["type"].endswith(":conflict")
    won = next(r for r in responses if r.status_code == 200).json()
    completions = _task_completions(live, dossier["id"])
    assert len(completions) == 1
    assert won["data"]["purpose"] in ("Xin việc", "Du học")


def test_a_crowd_racing_for_one_task_completes_it_exactly_once(live, tokens):
    admin, citizen = live.api(ADMIN_TOKEN), live.api(tokens["citizen"])
    assert (
        _deploy_json(admin, (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")).status_code
        == 201
    )
    dossier = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    task_id = _declare_task(citizen, dossier["id"])
    start = threading.Barrier(8, timeout=20)

    def attempt(i: int):
        client = live.api(tokens["citizen"])
        start.wait()
        return client.post(
            f"/api/v1/tasks/{task_id}/complete",
            json={"data": dict(STEP_DATA["Task_Declare"], purpose=f"Lần {i}")},
        )

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(attempt, range(8)))
    ok = [r for r in responses if r.status_code == 200]
    assert len(ok) == 1, [(r.status_code, r.text[:120]) for r in responses]
    for r in responses:
        if r.status_code != 200:
            # lost the race (409) or arrived after the task left the inbox (404)
            assert r.status_code in (404, 409), (r.status_code, r.text[:200])
            assert r.headers["Content-Type"].startswith(PROBLEM)
    assert len(_task_completions(live, dossier["id"])) == 1
    tasks = citizen.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
    assert [t["bpmn_id"] for t in tasks] == ["Task_Pay"]


@pytest.mark.slow
def test_scheduler_processes_racing_for_the_same_timers_fire_each_once(db_url, session_factory):
    session = session_factory()
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    ids = []
    for _ in range(8):
        dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
        for bpmn_id, data in STEPS[:4]:
            (task,) = [t for t in engine.ready_tasks(dossier.id) if t["bpmn_id"] == bpmn_id]
            engine.complete_task(dossier.id, task["id"], data)
        ids.append(dossier.id)
    session.close()

    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "TOANTRINH_CLOCK_OFFSET": str(11 * 86400),
        "TOANTRINH_REGISTRY_URL": "http://127.0.0.1:9",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "toantrinh.cli.main", "worker", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    fired = 0
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-2000:]
        fired += json.loads(out.strip().splitlines()[-1])["timers"]
    # a worker that lost a race skips that dossier until its next pass (on SQLite even a
    # race on another dossier can make it skip, see test_unrelated_writes_do_not_conflict):
    # later passes pick up what is left, and nothing fires twice
    for _ in range(3):
        sweep = subprocess.run(
            [sys.executable, "-m", "toantrinh.cli.main", "worker", "--once"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sweep.returncode == 0, sweep.stderr[-2000:]
        more = json.loads(sweep.stdout.strip().splitlines()[-1])["timers"]
        fired += more
        if not more:
            break
    assert fired == len(ids)  # each worker reports only the timers it fired itself

    with session_factory() as check:
        from sqlalchemy import select

        for dossier_id in ids:
            kinds = list(
                check.scalars(
                    select(DossierEvent.kind).where(DossierEvent.dossier_id == dossier_id)
                )
            )
            assert kinds.count("timer_fired") == 1, (dossier_id, kinds)
        engine = Engine(check, connectors=local_connectors())
        for dossier_id in ids:
            assert sorted(t["bpmn_id"] for t in engine.ready_tasks(dossier_id)) == [
                "Task_Apology",
                "Task_Verify",
            ]


def _v2(bpmn: str) -> str:
    return bpmn.replace(
        'name="Ký duyệt Phiếu lý lịch tư pháp"', 'name="Ký duyệt Phiếu lý lịch tư pháp (v2)"'
    )


def test_a_version_deployed_while_dossiers_run_leaves_them_on_their_version(live, tokens):
    admin, citizen = live.api(ADMIN_TOKEN), live.api(tokens["citizen"])
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    assert _v2(bpmn) != bpmn
    assert _deploy_json(admin, bpmn).status_code == 201
    running = [
        citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()["id"]
        for _ in range(4)
    ]

    def drive(dossier_id: int) -> str:
        client = live.api(ADMIN_TOKEN)
        for bpmn_id, data in STEPS:
            tasks = client.get(f"/api/v1/dossiers/{dossier_id}/tasks").json()
            task = next(t for t in tasks if t["bpmn_id"] == bpmn_id)
            response = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
            assert response.status_code == 200, response.text  # nobody else touches this dossier
        return response.json()["status"]

        return response

    with ThreadPoolExecutor(5) as pool:
        finishing = [pool.submit(drive, d) for d in running]
        deployed = pool.submit(_deploy_json, live.api(ADMIN_TOKEN), _v2(bpmn)).result(timeout=120)
        results = [f.result(timeout=180) for f in finishing]
    assert deployed.status_code == 201 and deployed.json()["version"] == 2
    assert results == ["completed"] * 4
    for dossier_id in running:
        body = admin.get(f"/api/v1/dossiers/{dossier_id}").json()
        assert body["version"] == 1
        names = {e["task_name"] for e in _task_completions(live, dossier_id)}
        assert "Ký duyệt Phiếu lý lịch tư pháp" in names and not any("(v2)" in n for n in names)
    new = citizen.post("/api/v1/dossiers", json={"model": "ly-lich-tu-phap"}).json()
    assert new["version"] == 2


# ------------------------------------------------------------------ migration
def _drive(engine: Engine, dossier_id: int, steps) -> None:
    for bpmn_id, data in steps:
        (task,) = [t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
        engine.complete_task(dossier_id, task["id"], data)


def test_a_running_dossier_migrates_to_a_compatible_version_and_completes(session):
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    procedure = json.loads((LLTP / "procedure.json").read_text(encoding="utf-8"))
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    _drive(engine, dossier.id, STEPS[:2])
    assert engine.deploy(_v2(bpmn), procedure=procedure).version.number == 2
    before = engine.data(engine.get(dossier.id))
    migrated = engine.migrate(dossier.id, 2, actor="admin:test")
    assert migrated.version.number == 2
    assert engine.data(engine.get(dossier.id)) == before
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Task_Receive"]
    _drive(engine, dossier.id, STEPS[2:5])
    sign = engine.ready_tasks(dossier.id)
    assert [t["name"] for t in sign] == ["Ký duyệt Phiếu lý lịch tư pháp (v2)"]
    _drive(engine, dossier.id, STEPS[5:])
    assert engine.get(dossier.id).status == "completed"
    kinds = [e.kind for e in engine.events(dossier.id)]
    assert kinds.count("dossier_migrated") == 1 and kinds.count("task_completed") == 7


def _without_script() -> str:
    """``script_process`` with its script task removed: start → review → end."""
    return (
        HEAD
        + """
  <bpmn:process id="script_test" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Review" name="Xem kết quả"><bpmn:extensionElements><tt:form ref="test-empty"/></bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


def test_an_unsafe_migration_is_refused_and_changes_nothing(session):
    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    assert [t["bpmn_id"] for t in engine.ready_tasks(dossier.id)] == ["Review"]
    # version 2 drops the script step the dossier already ran: its history has no counterpart
    assert engine.deploy(_without_script(), forms=TEST_FORMS).version.number == 2
    row = engine.get(dossier.id)
    state, lock = row.state, row.lock_version
    with pytest.raises(MigrationRefused) as info:
        engine.migrate(dossier.id, 2)
    assert "phiên bản 2" in str(info.value)
    session.rollback()
    row = session.get(Dossier, dossier.id)
    session.refresh(row)
    assert (row.version.number, row.state, row.lock_version) == (1, state, lock)
    assert "dossier_migrated" not in [e.kind for e in engine.events(dossier.id)]
    (task,) = engine.ready_tasks(dossier.id)
    engine.complete_task(dossier.id, task["id"], {})
    assert engine.get(dossier.id).status == "completed"
    with pytest.raises(MigrationRefused):  # a finished dossier never moves
        engine.migrate(dossier.id, 2)


def test_migrating_to_a_version_that_does_not_exist_is_refused(session):
    engine = Engine(session)
    engine.deploy(script_process("x = 1"), forms=TEST_FORMS)
    dossier = engine.start("script_test")
    with pytest.raises(NotFoundError):
        engine.migrate(dossier.id, 7)
    with pytest.raises(MigrationRefused):
        engine.migrate(dossier.id, 1)  # already there


@pytest.mark.slow
def test_two_officers_claiming_one_task_at_once_get_one_200_and_one_409(
    live, tokens, monkeypatch, db_url, request
):
    """A claim is a promise to the officer who got 200: a second, simultaneous claim must
    not silently take the task over."""
    admin = live.api(ADMIN_TOKEN)
    assert (
        _deploy_json(admin, (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")).status_code
        == 201
    )
    dossier = admin.post(
        "/api/v1/dossiers", json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
    ).json()
    for bpmn_id in ("Task_Declare", "Task_Pay"):
        tasks = admin.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
        task = next(t for t in tasks if t["bpmn_id"] == bpmn_id)
        assert (
            admin.post(
                f"/api/v1/tasks/{task['id']}/complete", json={"data": STEP_DATA[bpmn_id]}
            ).status_code
            == 200
        )
    receive = next(
        t
        for t in admin.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
        if t["bpmn_id"] == "Task_Receive"
    )
    desk_a = create_token(
        admin, name="Một cửa A", role="officer", agency=AGENCY, lanes=["one_stop_desk"]
    )
    desk_b = create_token(
        admin, name="Một cửa B", role="officer", agency=AGENCY, lanes=["one_stop_desk"]
    )

    # both claims have read the unclaimed row and are about to write when either commits
    barrier = threading.Barrier(2, timeout=20)
    held = threading.local()
    original = Engine._event_by_id

    def event_then_wait(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not getattr(held, "done", False):
            held.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return result

    monkeypatch.setattr(Engine, "_event_by_id", event_then_wait)
    with ThreadPoolExecutor(2) as pool:
        responses = list(
            pool.map(
                lambda token: live.api(token).post(f"/api/v1/tasks/{receive['id']}/claim"),
                (desk_a, desk_b),
            )
        )
    statuses = sorted(r.status_code for r in responses)
    claimed_by = next(
        t
        for t in admin.get(f"/api/v1/dossiers/{dossier['id']}/tasks").json()
        if t["id"] == receive["id"]
    )["claimed_by"]
    winners = [r.json()["claimed_by"] for r in responses if r.status_code == 200]
    assert statuses == [200, 409], (statuses, winners, claimed_by)
    assert winners == [claimed_by]


@pytest.mark.parametrize("same_content", [True, False], ids=["same-content", "different-content"])
def test_two_simultaneous_deployments_of_one_model_never_answer_5xx(
    live, tokens, monkeypatch, same_content
):
    """Two modellers deploying at once: one new version each (or one, for the same content),
    numbered without a gap or a clash; the loser of a race may get 409, never a 500."""
    bpmn = (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8")
    bodies = [bpmn, bpmn if same_content else _v2(bpmn)]
    barrier = threading.Barrier(2, timeout=20)
    held = threading.local()
    original = service_module.load_forms

    def forms_then_wait(*args, **kwargs):
        result = original(*args, **kwargs)
        if not getattr(held, "done", False):
            held.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return result

    monkeypatch.setattr(service_module, "load_forms", forms_then_wait)
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda b: _deploy_json(live.api(tokens["modeller"]), b), bodies))
    statuses = sorted(r.status_code for r in responses)
    assert all(s < 500 for s in statuses), [(r.status_code, r.text[:200]) for r in responses]
    assert all(
        r.headers["Content-Type"].startswith(PROBLEM) for r in responses if r.status_code >= 400
    )
    versions = live.api(ADMIN_TOKEN).get("/api/v1/models/ly-lich-tu-phap").json()["versions"]
    numbers = [v["number"] for v in versions]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == (1 if same_content else statuses.count(201))
