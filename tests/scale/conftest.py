"""Scale-out fixtures: real Celery workers (subprocesses) over real Redis and one database.

The database is PostgreSQL when one is configured (``DATABASE_URL`` or
``TOANTRINH_TEST_POSTGRES_URL``), else a SQLite file shared by the worker processes.
Each test run uses its own Celery queue, so workers of other runs on the same Redis
never take these tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from tests.conftest import ROOT, _create_pg_database, _drop_pg_database, _truncate, postgres_url
from tests.helpers.bpmn import HEAD
from toantrinh.engine.db import make_engine, make_sessionmaker
from toantrinh.engine.persistence import Dossier, DossierEvent
from toantrinh.engine.service import Engine

REDIS_URL = os.environ.get("TOANTRINH_REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = f"tt-scale-test-{uuid.uuid4().hex[:8]}"


def timer_process(duration: str = "PT1S", process_id: str = "timer_test") -> str:
    """start → timer (``duration``) → end: a dossier that only waits for its timer."""
    return (
        HEAD
        + f"""
  <bpmn:process id="{process_id}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="Wait" name="Chờ hết thời hạn"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:timerEventDefinition id="TD1">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"{duration}"</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Wait"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""
    )


@pytest.fixture(scope="session")
def redis_available() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {err}")


@pytest.fixture(scope="module")
def scale_db_url(tmp_path_factory, redis_available) -> Iterator[str]:
    """One migrated database for the module: PostgreSQL when configured, else SQLite."""
    from toantrinh.engine.migrate import upgrade

    base = postgres_url()
    if base is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('scale') / 'scale.db'}"
        upgrade(url)
        yield url
        return
    name, url = _create_pg_database(base)
    try:
        upgrade(url)
        yield url
    finally:
        _drop_pg_database(base, name)


@pytest.fixture(scope="module")
def scale_engine(scale_db_url):
    engine = make_engine(scale_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(scale_engine) -> sessionmaker:
    _truncate(scale_engine)
    return make_sessionmaker(scale_engine)


class Worker:
    """``celery -A toantrinh.engine.tasks worker`` with one pool process, in its own process group so
    that :meth:`kill` stops the whole worker at once, as a crashed host would."""

    def __init__(
        self,
        name: str,
        db_url: str,
        log_dir: Path,
        pool: str = "solo",
        queue: str = QUEUE,
        **env: str,
    ):
        self.pool, self.queue = pool, queue
        self.name = f"{name}-{queue}@localhost"
        self.log = log_dir / f"{name}.log"
        self.env = dict(
            os.environ,
            DATABASE_URL=db_url,
            TOANTRINH_REDIS_URL=REDIS_URL,
            TOANTRINH_CELERY_QUEUE=queue,
            PYTHONPATH=str(ROOT),
            **env,
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Worker:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "toantrinh.engine.tasks",
                "worker",
                f"--pool={self.pool}",
                "--concurrency=1",
                "-n",
                self.name,
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "--logfile",
                str(self.log),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log.read_text()}")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"worker {self.name} not ready in {timeout}s:\n{self.log.read_text()}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def start_worker(scale_db_url, tmp_path):
    """Workers of one test; give them a queue of their own (``QUEUE`` is the shared
    workers' one, so they would take the test's tasks)."""
    started: list[Worker] = []

    def start(name: str, queue: str, pool: str = "solo", **env: str) -> Worker:
        worker = Worker(name, scale_db_url, tmp_path, pool, queue, **env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def start_beat(scale_db_url, tmp_path):
    """``celery -A toantrinh.engine.tasks beat`` sending ticks to this run's queue."""
    started: list[subprocess.Popen] = []

    def start(queue: str, **env: str) -> subprocess.Popen:
        log = tmp_path / "beat.log"
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "toantrinh.engine.tasks",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
                "--logfile",
                str(log),
            ],
            env=dict(
                os.environ,
                DATABASE_URL=scale_db_url,
                TOANTRINH_REDIS_URL=REDIS_URL,
                TOANTRINH_CELERY_QUEUE=queue,
                PYTHONPATH=str(ROOT),
                **env,
            ),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        started.append(beat)
        return beat

    yield start
    for beat in started:
        beat.terminate()
        try:
            beat.wait(timeout=15)
        except subprocess.TimeoutExpired:
            beat.kill()
            beat.wait(timeout=10)


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    """The sandbox national-database service over real HTTP, for service tasks."""
    from toantrinh.sandbox.app import serve_in_thread

    server = serve_in_thread()
    yield server.url
    server.close()


@pytest.fixture(scope="module")
def two_workers(scale_db_url, sandbox_url, tmp_path_factory) -> Iterator[list[Worker]]:
    """Two workers shared by the tests of a module (starting one takes a few seconds)."""
    log_dir = tmp_path_factory.mktemp("workers")
    # no follow-up ticks: the tests count what the ticks they send have done
    workers = [
        Worker(
            f"w{i}",
            scale_db_url,
            log_dir,
            TOANTRINH_REGISTRY_URL=sandbox_url,
            TOANTRINH_TICK_DRAIN="0",
        )
        for i in (1, 2)
    ]
    try:
        for worker in workers:
            worker.start()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def start_timer_dossiers(factory: sessionmaker, count: int, duration: str = "PT1S") -> list[int]:
    with factory() as session:
        engine = Engine(session)
        engine.deploy(timer_process(duration), slug="timer-test")
        return [engine.start("timer-test").id for _ in range(count)]


def timer_fired_counts(factory: sessionmaker) -> dict[int, int]:
    with factory() as session:
        rows = session.execute(
            select(DossierEvent.dossier_id, func.count())
            .where(DossierEvent.kind == "timer_fired")
            .group_by(DossierEvent.dossier_id)
        )
        return {dossier_id: count for dossier_id, count in rows}


def statuses(factory: sessionmaker, ids: list[int]) -> dict[int, str]:
    with factory() as session:
        return dict(
            session.execute(select(Dossier.id, Dossier.status).where(Dossier.id.in_(ids))).all()
        )


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
