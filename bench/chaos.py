"""Chaos: concurrent clients over HTTP while the app and the scheduler are killed with SIGKILL.

The app runs under gunicorn (several workers) and the scheduler as ``toantrinh worker``,
both as real processes on a loopback port over one database (SQLite file or PostgreSQL).
Client threads start dossiers and complete their tasks through ``/api/v1``; some dossiers
are shared by two clients, so lost races (409) happen on purpose. While they run, the
whole gunicorn process group and the worker are killed with ``kill -9`` at intervals and
started again. Then the database is checked directly:

* every acknowledged completion (a 2xx the client received) is there: one
  ``task_completed`` event for its task id;
* no task was completed twice (one event per task id), and no timer fired twice;
* every acknowledged start is a dossier; every dossier loads and lists its ready tasks.

Completions whose answer was lost with the process ("in doubt") may or may not have
committed; they are counted, and must not be duplicated either.

    python bench/chaos.py [--seconds 120] [--clients 12] [--kill-every 15] [--pg URL]

Prints a table and writes JSON to bench/results/chaos.json. The test suite runs a short
version (tests/reliability/test_crash.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from toantrinh.engine.db import Base, make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.migrate import upgrade  # noqa: E402
from toantrinh.engine.models_registry import import_all_models  # noqa: E402

ADMIN_TOKEN = "chaos-admin-" + uuid.uuid4().hex
RESULTS = ROOT / "bench" / "results" / "chaos.json"

# Four officer steps; a non-interrupting reminder timer on the second gives the
# scheduler work (it fires once per dossier that waits there long enough).
MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tt="urn:toantrinh:bpmn:1"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Defs" targetNamespace="urn:chaos">
  <bpmn:message id="Msg" name="chaos_done"/>
  <bpmn:process id="chaos" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="T1" name="Tiếp nhận"><bpmn:extensionElements><tt:form ref="chaos-note"/>
      </bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="T2" name="Thẩm định"><bpmn:extensionElements><tt:form ref="chaos-note"/>
      </bpmn:extensionElements><bpmn:incoming>F2</bpmn:incoming><bpmn:outgoing>F3</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="Remind" name="Nhắc việc" cancelActivity="false" attachedToRef="T2">
      <bpmn:outgoing>FR</bpmn:outgoing><bpmn:timerEventDefinition id="TD">
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT1S"</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:scriptTask id="Note" name="Ghi nhắc việc"><bpmn:incoming>FR</bpmn:incoming>
      <bpmn:outgoing>FR2</bpmn:outgoing><bpmn:script>reminded = True</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="EndReminder"><bpmn:incoming>FR2</bpmn:incoming></bpmn:endEvent>
    <bpmn:userTask id="T3" name="Phê duyệt"><bpmn:extensionElements><tt:form ref="chaos-note"/>
      </bpmn:extensionElements><bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="T4" name="Trả kết quả"><bpmn:extensionElements><tt:form ref="chaos-note"/>
      </bpmn:extensionElements><bpmn:incoming>F4</bpmn:incoming><bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1" name="Gửi kết quả liên thông"><bpmn:incoming>F5</bpmn:incoming>
      <bpmn:messageEventDefinition id="MD1" messageRef="Msg"><bpmn:extensionElements>
        <spiffworkflow:messagePayload>{"source": receipt_code}</spiffworkflow:messagePayload>
      </bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="T1"/>
    <bpmn:sequenceFlow id="F2" sourceRef="T1" targetRef="T2"/>
    <bpmn:sequenceFlow id="F3" sourceRef="T2" targetRef="T3"/>
    <bpmn:sequenceFlow id="F4" sourceRef="T3" targetRef="T4"/>
    <bpmn:sequenceFlow id="F5" sourceRef="T4" targetRef="EndEvent_1"/>
    <bpmn:sequenceFlow id="FR" sourceRef="Remind" targetRef="Note"/>
    <bpmn:sequenceFlow id="FR2" sourceRef="Note" targetRef="EndReminder"/>
  </bpmn:process>
</bpmn:definitions>
"""
# A linked procedure started by the message each finished chaos dossier throws: the
# outbox must deliver every message exactly once, whoever is killed meanwhile.
RECEIVER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:tt="urn:toantrinh:bpmn:1" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Defs" targetNamespace="urn:chaos-receiver">
  <bpmn:message id="Msg" name="chaos_done"/>
  <bpmn:process id="chaos_receiver" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Nhận hồ sơ liên thông"><bpmn:outgoing>F1</bpmn:outgoing>
      <bpmn:messageEventDefinition id="MD1" messageRef="Msg"><bpmn:extensionElements>
        <spiffworkflow:messageVariable>linked</spiffworkflow:messageVariable></bpmn:extensionElements>
      </bpmn:messageEventDefinition></bpmn:startEvent>
    <bpmn:userTask id="R1" name="Xử lý hồ sơ liên thông"><bpmn:extensionElements><tt:form ref="chaos-note"/>
      </bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="R1"/>
    <bpmn:sequenceFlow id="F2" sourceRef="R1" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
FORMS = {
    "chaos-note": {"type": "object", "properties": {"note": {"type": "string", "maxLength": 200}}}
}
STEPS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- processes
class Service:
    """A child process in its own process group, killed with SIGKILL as a whole."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.proc: subprocess.Popen | None = None
        self.kills = 0
        self.unexpected_exits: list[int] = []

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )

    def check(self) -> None:
        """Restart the process if it died without being killed (and remember that)."""
        if self.proc is not None and self.proc.poll() is not None:
            self.unexpected_exits.append(self.proc.returncode)
            self.start()

    def kill9(self) -> None:
        self.check()
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group: gunicorn's workers too
            self.proc.wait(timeout=30)
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def wait_ready(base: str, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            r = requests.get(base + "/api/v1/models", headers=_auth(), timeout=2)
            if r.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app did not answer on {base} within {seconds}s")


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


# ---------------------------------------------------------------- clients
@dataclass
class Ledger:
    """What the clients saw. Shared by the client threads (appends are atomic)."""

    acked_completions: list[dict] = field(default_factory=list)
    in_doubt_completions: list[dict] = field(default_factory=list)
    acked_starts: list[int] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0


def client_loop(
    base: str,
    ledger: Ledger,
    stop: threading.Event,
    shared: list[int],
    seed: int,
    max_dossiers: int,
) -> None:
    rnd = random.Random(seed)
    http = requests.Session()
    http.headers.update(_auth())
    mine: list[int] = []

    def call(method: str, path: str, **kwargs):
        try:
            response = http.request(method, base + path, timeout=10, **kwargs)
        except requests.RequestException:
            ledger.connection_errors += 1
            time.sleep(0.2)
            return None
        ledger.statuses[response.status_code] += 1
        return response

    while not stop.is_set():
        if len(mine) < 2 and len(ledger.acked_starts) < max_dossiers:
            r = call("POST", "/api/v1/dossiers", json={"model": "chaos"})
            if r is not None and r.status_code == 201:
                dossier_id = r.json()["id"]
                ledger.acked_starts.append(dossier_id)
                mine.append(dossier_id)
                if rnd.random() < 0.3:
                    shared.append(dossier_id)  # another client will race on it
            continue
        pool = mine + (shared[-4:] if shared else [])
        if not pool:
            time.sleep(0.05)
            continue
        dossier_id = rnd.choice(pool)
        r = call("GET", f"/api/v1/dossiers/{dossier_id}/tasks")
        if r is None or r.status_code != 200:
            continue
        tasks = [t for t in r.json() if t["bpmn_id"].startswith("T")]
        if not tasks:
            if dossier_id in mine:
                mine.remove(dossier_id)
            continue
        task = tasks[0]
        attempt = {"dossier_id": dossier_id, "task_id": task["id"], "bpmn_id": task["bpmn_id"]}
        r = call(
            "POST",
            f"/api/v1/tasks/{task['id']}/complete",
            json={"data": {"note": f"c{seed}-{uuid.uuid4().hex[:6]}"}},
        )
        if r is None:
            ledger.in_doubt_completions.append(attempt)
        elif 200 <= r.status_code < 300:
            ledger.acked_completions.append(attempt)
        elif r.status_code >= 500:
            ledger.in_doubt_completions.append(attempt)


# ---------------------------------------------------------------- checks
def verify(url: str, ledger: Ledger) -> dict:
    """Check the database against what the clients were told."""
    from toantrinh.engine.persistence import (
        Dossier,
        DossierEvent,
        Message,
        ModelVersion,
        ProcessModel,
    )
    from toantrinh.engine.service import Engine

    db = make_engine(url)
    session = make_sessionmaker(db)()
    try:
        events = session.execute(
            select(DossierEvent.dossier_id, DossierEvent.kind, DossierEvent.task_id).where(
                DossierEvent.dossier_id.is_not(None)
            )
        ).all()
        completions = Counter(task_id for _, kind, task_id in events if kind == "task_completed")
        timers = Counter(dossier_id for dossier_id, kind, _ in events if kind == "timer_fired")
        acked_ids = {a["task_id"] for a in ledger.acked_completions}
        doubt_ids = {a["task_id"] for a in ledger.in_doubt_completions} - acked_ids
        dossier_ids = set(session.scalars(select(Dossier.id)))
        completed_senders = set(
            session.scalars(
                select(Dossier.id)
                .join(Dossier.version)
                .join(ModelVersion.model)
                .where(ProcessModel.slug == "chaos", Dossier.status == "completed")
            )
        )
        messages = session.execute(select(Message.source_dossier_id, Message.delivered)).all()
        sent = Counter(source for source, _ in messages)
        started_by = Counter(
            e.detail.get("from")
            for e in session.scalars(
                select(DossierEvent).where(DossierEvent.kind == "dossier_started")
            )
            if e.detail.get("by_message")
        )
        lost = sorted(t for t in acked_ids if completions[t] == 0)
        duplicated = sorted(t for t, n in completions.items() if n > 1)
        engine = Engine(session)
        unloadable, statuses = [], Counter()
        for dossier_id in sorted(dossier_ids):
            try:
                dossier = engine.get(dossier_id)
                engine.workflow(dossier)
                engine.ready_tasks(dossier_id)
                statuses[dossier.status] += 1
            except Exception as err:  # any failure to load is what this run looks for
                unloadable.append(
                    {"dossier": dossier_id, "error": f"{type(err).__name__}: {err}"[:300]}
                )
            session.rollback()
        return {
            "acknowledged_completions": len(acked_ids),
            "acknowledged_completions_lost": len(lost),
            "lost_task_ids": lost[:20],
            "task_completed_events": sum(completions.values()),
            "tasks_completed_twice": len(duplicated),
            "duplicated_task_ids": duplicated[:20],
            "in_doubt_completions": len(doubt_ids),
            "in_doubt_that_committed": sum(1 for t in doubt_ids if completions[t] == 1),
            "acknowledged_starts": len(set(ledger.acked_starts)),
            "acknowledged_starts_missing": len(set(ledger.acked_starts) - dossier_ids),
            "dossiers": len(dossier_ids),
            "dossier_status": dict(statuses),
            "dossiers_unloadable": len(unloadable),
            "unloadable": unloadable[:10],
            "messages_sent": len(messages),
            "senders_without_message": len(completed_senders - set(sent)),
            "messages_sent_twice": sum(1 for n in sent.values() if n > 1),
            "messages_undelivered": sum(1 for _, delivered in messages if not delivered),
            "linked_dossiers_started": sum(started_by.values()),
            "linked_dossiers_started_twice": sum(1 for n in started_by.values() if n > 1),
            "timers_fired": sum(timers.values()),
            "timers_fired_twice": sum(1 for n in timers.values() if n > 1),
            "http_status": {str(k): v for k, v in sorted(ledger.statuses.items())},
            "connection_errors": ledger.connection_errors,
        }
    finally:
        session.close()
        db.dispose()


def ok(report: dict) -> bool:
    return (
        not any(report["unexpected_exits"].values())
        and report["acknowledged_completions_lost"] == 0
        and report["tasks_completed_twice"] == 0
        and report["acknowledged_starts_missing"] == 0
        and report["dossiers_unloadable"] == 0
        and report["timers_fired_twice"] == 0
        and report["acknowledged_completions"] > 0
        and report["senders_without_message"] == 0
        and report["messages_sent_twice"] == 0
        and report["messages_undelivered"] == 0
        and report["linked_dossiers_started_twice"] == 0
        and report["linked_dossiers_started"] == report["messages_sent"]
    )


# ---------------------------------------------------------------- the run
def prepare_database(url: str) -> None:
    import_all_models()
    upgrade(url)
    db = make_engine(url)
    Base.metadata.create_all(db)  # tables not (yet) in the migrations
    db.dispose()


def run(
    url: str,
    *,
    seconds: float = 60,
    clients: int = 8,
    kill_every: float = 10,
    app_workers: int = 2,
    max_dossiers: int = 400,
    workdir: Path | None = None,
) -> dict:
    """One chaos run against ``url`` (an empty database); returns the report."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="chaos-"))
    prepare_database(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TOANTRINH_ADMIN_TOKEN": ADMIN_TOKEN,
        "TOANTRINH_REGISTRY_URL": "http://127.0.0.1:9",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TOANTRINH_CLOCK_OFFSET", None)
    app = Service(
        "app",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(app_workers),
            "--threads",
            "4",
            "-k",
            "gthread",
            "-b",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            "toantrinh.api.app:create_app()",
        ],
        env,
        workdir / "app.log",
    )
    worker = Service(
        "worker",
        [sys.executable, "-m", "toantrinh.cli.main", "worker", "--interval", "0.2"],
        env,
        workdir / "worker.log",
    )
    ledger, stop, shared = Ledger(), threading.Event(), []
    threads: list[threading.Thread] = []
    started = time.monotonic()
    try:
        app.start()
        wait_ready(base)
        deployed = requests.post(
            base + "/api/v1/models",
            headers=_auth(),
            timeout=30,
            json={"bpmn": MODEL, "forms": FORMS, "slug": "chaos"},
        )
        receiver = requests.post(
            base + "/api/v1/models",
            headers=_auth(),
            timeout=30,
            json={"bpmn": RECEIVER, "forms": FORMS, "slug": "chaos-receiver"},
        )
        for answer in (deployed, receiver):
            if answer.status_code not in (200, 201):
                raise RuntimeError(f"deploy failed: {answer.status_code} {answer.text[:300]}")
        worker.start()
        threads = [
            threading.Thread(
                target=client_loop, args=(base, ledger, stop, shared, i, max_dossiers), daemon=True
            )
            for i in range(clients)
        ]
        for t in threads:
            t.start()
        next_kill, victim = time.monotonic() + kill_every / 2, 0
        while time.monotonic() - started < seconds:
            time.sleep(0.1)
            worker.check()
            if time.monotonic() >= next_kill:
                target = (worker, app)[victim % 2]
                target.kill9()
                time.sleep(0.3)
                target.start()
                if target is app:
                    wait_ready(base)
                victim += 1
                next_kill = time.monotonic() + kill_every
        stop.set()
        for t in threads:
            t.join(timeout=30)
        # let the scheduler catch up on timers and messages before the check (bounded)
        _drain(url, seconds=30)
    finally:
        stop.set()
        app.stop()
        worker.stop()
    report = verify(url, ledger)
    report.update(
        {
            "seconds": round(time.monotonic() - started, 1),
            "clients": clients,
            "app_kills": app.kills,
            "worker_kills": worker.kills,
            "unexpected_exits": {"app": app.unexpected_exits, "worker": worker.unexpected_exits},
            "backend": make_url(url).get_backend_name(),
        }
    )
    report["ok"] = ok(report)
    return report


def _drain(url: str, seconds: float) -> None:
    """Wait until the outbox is empty and no timer is overdue, or ``seconds`` pass."""
    from toantrinh.engine import clock
    from toantrinh.engine.persistence import Message, Timer

    db = make_engine(url)
    try:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            with db.connect() as conn:
                pending = conn.execute(
                    select(Message.id).where(Message.delivered.is_(False)).limit(1)
                ).first()
                overdue = conn.execute(
                    select(Timer.id).where(Timer.due_at <= clock.now()).limit(1)
                ).first()
            if pending is None and overdue is None:
                return
            time.sleep(0.3)
    finally:
        db.dispose()


def _pg_database(base_url: str) -> tuple[str, str]:
    name = f"tt_chaos_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg(base_url: str, name: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


ROWS = [
    ("acknowledged completions", "acknowledged_completions"),
    ("  of which lost", "acknowledged_completions_lost"),
    ("task_completed events", "task_completed_events"),
    ("tasks completed twice", "tasks_completed_twice"),
    ("in-doubt completions", "in_doubt_completions"),
    ("  of which committed", "in_doubt_that_committed"),
    ("acknowledged starts", "acknowledged_starts"),
    ("  of which missing", "acknowledged_starts_missing"),
    ("dossiers", "dossiers"),
    ("dossiers unloadable", "dossiers_unloadable"),
    ("messages sent (outbox)", "messages_sent"),
    ("  finished without message", "senders_without_message"),
    ("  sent twice", "messages_sent_twice"),
    ("  undelivered", "messages_undelivered"),
    ("linked dossiers started", "linked_dossiers_started"),
    ("  started twice", "linked_dossiers_started_twice"),
    ("timers fired", "timers_fired"),
    ("timers fired twice", "timers_fired_twice"),
    ("app kills (SIGKILL)", "app_kills"),
    ("worker kills (SIGKILL)", "worker_kills"),
    ("connection errors", "connection_errors"),
    ("seconds", "seconds"),
    ("ok", "ok"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--kill-every", type=float, default=15)
    parser.add_argument("--max-dossiers", type=int, default=2000)
    parser.add_argument(
        "--pg",
        default=os.environ.get("TOANTRINH_TEST_POSTGRES_URL"),
        help="PostgreSQL server URL; a fresh database is created and dropped",
    )
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()

    reports = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'chaos.db'}"
            reports.append(
                run(
                    url,
                    seconds=args.seconds,
                    clients=args.clients,
                    kill_every=args.kill_every,
                    max_dossiers=args.max_dossiers,
                    workdir=Path(tmp),
                )
            )
    if args.pg:
        base = (
            args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
            if args.pg.startswith("postgresql://")
            else args.pg
        )
        name, url = _pg_database(base)
        try:
            reports.append(
                run(
                    url,
                    seconds=args.seconds,
                    clients=args.clients,
                    kill_every=args.kill_every,
                    max_dossiers=args.max_dossiers,
                )
            )
        finally:
            _drop_pg(base, name)

    print(f"{'':28}" + "".join(f"{r['backend']:>14}" for r in reports))
    for label, key in ROWS:
        print(f"{label:28}" + "".join(f"{r[key]!s:>14}" for r in reports))
    for r in reports:
        print(f"{r['backend']} HTTP statuses: {r['http_status']}")
        if any(r["unexpected_exits"].values()):
            print(
                f"{r['backend']} processes that died by themselves (exit codes): {r['unexpected_exits']}"
            )
        if r["unloadable"]:
            print(f"{r['backend']} unloadable: {r['unloadable']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "args": vars(args),
                "runs": [asdict_safe(r) for r in reports],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    sys.exit(0 if all(r["ok"] for r in reports) else 1)


def asdict_safe(report: dict) -> dict:
    return json.loads(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
