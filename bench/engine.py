"""Engine throughput: dossiers completed per second for the criminal record certificate.

Runs the same model, the same inputs and the same in-process connectors three ways, in
one run on one machine:

* ``spiff``  — bare SpiffWorkflow in memory (parse once, no persistence): the ceiling;
* ``sqlite`` — the Toàn Trình engine persisting every step to a SQLite file;
* ``postgresql`` — the same on PostgreSQL (when ``--pg URL`` or ``DATABASE_URL`` is set).

Each engine backend runs twice: one dossier operation per transaction, as an HTTP request
does (``one by one``), and in batches of ``--batch`` dossiers, as an officer signing a
batch or a portal syncing submissions does (``Engine.start_many`` then
``Engine.complete_tasks`` for each step, the task ids read from the inbox index).
Every operation is persisted and committed in both. Each path first runs ``--warmup``
dossiers untimed (50 by default), so that the figures are of a running service, not of
its first seconds (empty pools and caches, statements not yet prepared).

The process freezes its start-up heap first, as the app's and the workers' processes do
(``engine/heap.py``); both paths run under that collector. The figure of merit is the
engine/spiff ratio. Prints a table and writes JSON.

    python bench/engine.py [--dossiers 200] [--batch 50] [--warmup 50] [--processes 2] [--pg postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine  # noqa: E402
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import Integer, any_, bindparam, select  # noqa: E402
from sqlalchemy.dialects.postgresql import ARRAY  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402 (also bench/ab.py's)
from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration  # noqa: E402
from toantrinh.engine.db import make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.heap import freeze_startup_heap  # noqa: E402
from toantrinh.engine.migrate import upgrade  # noqa: E402
from toantrinh.engine.persistence import Dossier, ReadyTask  # noqa: E402
from toantrinh.engine.service import Engine  # noqa: E402

FOLDER = ROOT / "process_models" / "ly-lich-tu-phap"
BPMN = FOLDER / "ly-lich-tu-phap.bpmn"
STEPS = [
    (
        "Task_Declare",
        ltp_declaration(),
    ),
    ("Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}),
    ("Task_Receive", {"intake_decision": "accept"}),
    ("Task_Transfer", {}),
    ("Task_Verify", {"has_criminal_record": False}),
    ("Task_Sign", {"decision": "approve"}),
    ("Task_Deliver", {"delivered_via": "vneid"}),
]


class _BareEnvironment(TaskDataEnvironment):
    def __init__(self, connectors):
        super().__init__({})
        self.connectors = connectors

    def call_service(self, context, operation_name=None, operation_params=None, **_):
        params = {k: v["value"] for k, v in (operation_params or {}).items()}
        return json.dumps(self.connectors.call(operation_name, params))


def run_spiff(n: int) -> dict:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN))
    spec = parser.get_spec("ly_lich_tu_phap")
    subs = parser.get_subprocess_specs("ly_lich_tu_phap")
    script_engine = PythonScriptEngine(environment=_BareEnvironment(local_connectors()))
    step_times: list[float] = []
    start = time.perf_counter()
    for i in range(n):
        wf = BpmnWorkflow(spec, subs, script_engine=script_engine)
        for task in wf.get_tasks(state=TaskState.READY):
            task.set_data(
                applicant_id=CITIZEN_ID, receipt_code=f"LLTP-{i}", channel="online", link_id=None
            )
        wf.do_engine_steps()
        for bpmn_id, data in STEPS:
            t0 = time.perf_counter()
            (task,) = [
                t
                for t in wf.get_tasks(state=TaskState.READY, manual=True)
                if t.task_spec.bpmn_id == bpmn_id
            ]
            task.set_data(**data)
            task.run()
            wf.do_engine_steps()
            step_times.append(time.perf_counter() - t0)
        assert wf.is_completed()
    elapsed = time.perf_counter() - start
    return _result("spiff (in memory)", n, elapsed, step_times)


# One SQLAlchemy engine per database and process, kept from the warm-up to the timed
# runs: its pool, its compiled statements and the server's prepared statements are what
# the warm-up is for. (A new engine per run timed every run from cold, the first
# compile of each statement and five unprepared executions of it included.) Keyed by
# process too: a forked child opens its own connections.
_DATABASES: dict[tuple[int, str], tuple[Any, Any]] = {}


def _database(url: str):
    """(engine, session factory) for ``url`` in this process."""
    key = (os.getpid(), url)
    if key not in _DATABASES:
        db = make_engine(url)
        _DATABASES[key] = (db, make_sessionmaker(db))
    return _DATABASES[key]


def release_database(url: str) -> None:
    """Close this process's connections to ``url`` (before its database is dropped)."""
    held = _DATABASES.pop((os.getpid(), url), None)
    if held is not None:
        held[0].dispose()


def run_engine(label: str, url: str, n: int) -> dict:
    upgrade(url)
    _, factory = _database(url)
    connectors = local_connectors()
    with factory() as session:
        Engine(session, connectors=connectors).deploy_folder(FOLDER)
    step_times: list[float] = []
    start = time.perf_counter()
    for _ in range(n):
        with factory() as session:
            engine = Engine(session, connectors=connectors)
            dossier_id = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID).id
        for bpmn_id, data in STEPS:
            t0 = time.perf_counter()
            with factory() as session:  # one request = one session, as in the API
                engine = Engine(session, connectors=connectors)
                (task,) = [t for t in engine.ready_tasks(dossier_id) if t["bpmn_id"] == bpmn_id]
                engine.complete_task(dossier_id, task["id"], data, actor="bench")
            step_times.append(time.perf_counter() - t0)
        with factory() as session:
            assert Engine(session).get(dossier_id).status == "completed"
    elapsed = time.perf_counter() - start
    return _result(label, n, elapsed, step_times)


@functools.cache
def _ready_statement(postgresql: bool):
    """The task ids of a batch's dossiers at one step, from the inbox index, built once (as
    an application keeps its statements); on PostgreSQL the ids are one array parameter,
    as the engine's own batch reads send them (one prepared statement whatever the
    batch's size)."""
    if postgresql:
        wanted = ReadyTask.dossier_id == any_(bindparam("ids", type_=ARRAY(Integer)))
    else:
        wanted = ReadyTask.dossier_id.in_(bindparam("ids", expanding=True))
    return select(ReadyTask.dossier_id, ReadyTask.task_id).where(
        wanted, ReadyTask.bpmn_id == bindparam("bpmn_id")
    )


def run_engine_batched(label: str, url: str, n: int, batch: int, deploy: bool = True) -> dict:
    _, factory = _database(url)
    connectors = local_connectors()
    if deploy:
        upgrade(url)
        with factory() as session:
            Engine(session, connectors=connectors).deploy_folder(FOLDER)
    step_times: list[float] = []
    start = time.perf_counter()
    for first in range(0, n, batch):
        size = min(batch, n - first)
        with factory() as session:
            started = Engine(session, connectors=connectors).start_many(
                "ly-lich-tu-phap", [{"applicant_id": CITIZEN_ID}] * size
            )
            ids = [d.id for d in started]
        for bpmn_id, data in STEPS:
            t0 = time.perf_counter()
            with factory() as session:
                engine = Engine(session, connectors=connectors)
                tasks = session.execute(
                    _ready_statement(url.startswith("postgresql")),
                    {"ids": ids, "bpmn_id": bpmn_id},
                ).all()
                outcomes = engine.complete_tasks([(d, t, data) for d, t in tasks], actor="bench")
            failed = [o for o in outcomes if not o.ok]
            assert len(outcomes) == size and not failed, failed[:3]
            step_times.extend([(time.perf_counter() - t0) / size] * size)
        with factory() as session:  # every dossier of the batch ran to its end
            statuses = session.scalars(select(Dossier.status).where(Dossier.id.in_(ids))).all()
            assert statuses == ["completed"] * size, statuses
    elapsed = time.perf_counter() - start
    return _result(label, n, elapsed, step_times)


def _child(fn, args, go, out) -> None:
    for (pid, _), (db, _) in list(_DATABASES.items()):
        if pid != os.getpid():
            db.dispose(close=False)  # the parent's connections stay the parent's
    go.wait()
    began = time.time()
    try:
        result = fn(*args)
    except BaseException as err:  # the parent must not wait forever for a dead child
        result = {"error": f"{type(err).__name__}: {err}"}
    for (pid, url), _ in list(_DATABASES.items()):
        if pid == os.getpid():
            release_database(url)
    out.put((began, time.time(), result))


def run_parallel(label: str, processes: int, fn, n: int, *args) -> dict:
    """``fn(label, n / processes, *args)`` in ``processes`` processes at once; throughput
    over the wall time from the first start to the last end."""
    ctx = multiprocessing.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    share = n // processes
    children = [
        ctx.Process(target=_child, args=(fn, (label, share, *args), go, out))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    time.sleep(0.5)
    go.set()
    parts = [out.get(timeout=3600) for _ in children]
    for child in children:
        child.join()
    failed = [p[2]["error"] for p in parts if "error" in p[2]]
    if failed:
        raise RuntimeError(f"{label}: {failed[0]}")
    # the children start together; each times its own run, after its set-up
    wall = max(p[2]["seconds"] for p in parts)
    total = share * processes
    p50 = round(statistics.median(p[2]["step_ms_p50"] for p in parts), 2)
    p99 = max(p[2]["step_ms_p99"] for p in parts)
    return {
        "backend": label,
        "processes": processes,
        "dossiers": total,
        "seconds": round(wall, 3),
        "dossiers_per_second": round(total / wall, 2),
        "step_ms_p50": p50,
        "step_ms_p99": p99,
    }


def _spiff_labelled(label: str, n: int, warmup: int) -> dict:
    if warmup:
        run_spiff(warmup)
    return run_spiff(n)


def _engine_batched_part(label: str, n: int, url: str, batch: int, warmup: int) -> dict:
    if warmup:
        run_engine_batched(label, url, warmup, batch, deploy=False)
    return run_engine_batched(label, url, n, batch, deploy=False)


def _one_by_one(label: str, url: str, n: int, warmup: int) -> dict:
    if warmup:
        run_engine(label, url, warmup)
    return run_engine(label, url, n)


def _batched(label: str, url: str, n: int, batch: int, warmup: int) -> dict:
    if warmup:
        run_engine_batched(label, url, warmup, batch)
    return run_engine_batched(label, url, n, batch, deploy=not warmup)


def _result(label: str, n: int, elapsed: float, steps: list[float]) -> dict:
    steps_ms = sorted(s * 1000 for s in steps)
    return {
        "backend": label,
        "dossiers": n,
        "seconds": round(elapsed, 3),
        "dossiers_per_second": round(n / elapsed, 2),
        "step_ms_p50": round(statistics.median(steps_ms), 2),
        "step_ms_p99": round(steps_ms[min(len(steps_ms) - 1, int(len(steps_ms) * 0.99))], 2),
    }


def _paired(run, spiff) -> dict:
    """``run()`` right after ``spiff()``, its ratio against that run: a noisy host (a shared
    VM) drifts over tens of seconds, less so between two runs a second apart."""
    base = spiff()
    result = run()
    result["spiff_dossiers_per_second"] = base["dossiers_per_second"]
    result["ratio_to_spiff"] = round(result["dossiers_per_second"] / base["dossiers_per_second"], 3)
    return result


def one_round(args) -> list[dict]:
    """Every path once, each engine run paired with a bare SpiffWorkflow run just before."""
    n, warmup, batch, procs = args.dossiers, args.warmup, args.batch, args.processes

    def spiff() -> dict:
        return run_spiff(n)

    def spiff_parallel() -> dict:
        return run_parallel(
            f"spiff (in memory), {procs} processes", procs, _spiff_labelled, n * procs, 0
        )

    if warmup:
        run_spiff(warmup)
    results = [{**spiff(), "ratio_to_spiff": 1.0}]
    if procs > 1:
        results.append({**spiff_parallel(), "ratio_to_spiff": 1.0})
    with tempfile.TemporaryDirectory() as tmp:
        one, batched = f"sqlite:///{tmp}/one.db", f"sqlite:///{tmp}/batch.db"
        results.append(_paired(lambda: _one_by_one("sqlite, one by one", one, n, warmup), spiff))
        results.append(
            _paired(
                lambda: _batched(f"sqlite, batches of {batch}", batched, n, batch, warmup), spiff
            )
        )
        release_database(one)
        release_database(batched)
    if args.pg and args.pg.startswith("postgres"):
        for label, size in (
            ("postgresql, one by one", 0),
            (f"postgresql, batches of {batch}", batch),
        ):
            with scratch_database(args.pg) as url:
                if size:
                    results.append(_paired(partial(_batched, label, url, n, size, warmup), spiff))
                else:
                    results.append(_paired(partial(_one_by_one, label, url, n, warmup), spiff))
                if size and procs > 1:
                    parallel = partial(
                        run_parallel,
                        f"{label}, {procs} processes",
                        procs,
                        _engine_batched_part,
                        n * procs,
                        url,
                        size,
                        warmup,
                    )
                    results.append(_paired(parallel, spiff_parallel))
                release_database(url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50, help="dossiers per batch transaction")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="also run bare SpiffWorkflow and the batched PostgreSQL engine in this many "
        "processes at once (compared with each other)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=50,
        help="dossiers run through each path first, not timed (connection pool, prepared "
        "statements, caches); 0 times from a cold start",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run every path this many times; the table gives medians (each ratio is taken "
        "against a bare SpiffWorkflow run just before)",
    )
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "engine.json"))
    args = parser.parse_args()
    # as the app's and the workers' processes do once started (engine/heap.py); bare
    # SpiffWorkflow runs in this process too, under the same collector
    freeze_startup_heap()

    rounds = [one_round(args) for _ in range(args.rounds)]
    results = []
    for n, first in enumerate(rounds[0]):
        runs = [r[n] for r in rounds]
        ratios = sorted(r["ratio_to_spiff"] for r in runs)
        rates = sorted(r["dossiers_per_second"] for r in runs)
        results.append(
            {
                **first,
                "dossiers_per_second": statistics.median(rates),
                "best_dossiers_per_second": rates[-1],
                "step_ms_p50": statistics.median(r["step_ms_p50"] for r in runs),
                "step_ms_p99": statistics.median(r["step_ms_p99"] for r in runs),
                "ratio_to_spiff": round(statistics.median(ratios), 3),
                "ratio_range": [ratios[0], ratios[-1]],
                "rounds": runs,
            }
        )
    print(
        f"{args.rounds} round(s); medians over the rounds, each ratio against bare "
        "SpiffWorkflow run just before it\n"
    )
    print(
        f"{'backend':<42}{'dossiers/s':>11}{'best':>9}{'step p50 ms':>13}"
        f"{'step p99 ms':>13}{'vs spiff':>10}{'range':>14}"
    )
    for r in results:
        low, high = r["ratio_range"]
        print(
            f"{r['backend']:<42}{r['dossiers_per_second']:>11.1f}"
            f"{r['best_dossiers_per_second']:>9.1f}{r['step_ms_p50']:>13.2f}"
            f"{r['step_ms_p99']:>13.2f}{r['ratio_to_spiff']:>10.3f}{f'{low:.2f}–{high:.2f}':>14}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "engine",
                "procedure": "ly-lich-tu-phap",
                "steps_per_dossier": len(STEPS) + 1,
                "batch": args.batch,
                "warmup_dossiers": args.warmup,
                "rounds": args.rounds,
                "load_average": os.getloadavg(),
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
