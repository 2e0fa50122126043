"""Scale-out: app processes start dossiers, Celery workers fire their timers, over one PostgreSQL.

1. a fresh PostgreSQL database, migrated, with ``bench/models/timer.bpmn`` deployed (a
   dossier that waits for a one-hour deadline timer, then ends);
2. ``--apps`` app processes (2) start ``--dossiers`` dossiers (10,000) through the engine,
   one session per dossier as in a request;
3. ``--workers`` Celery workers (2, ``celery -A toantrinh.engine.tasks worker``) and one beat, their
   clocks shifted past the hour (``TOANTRINH_CLOCK_OFFSET``), fire every timer;
4. the database is checked: every dossier completed, every timer fired exactly once
   (``timer_fired`` events per dossier), no timer row left.

Prints a table and writes JSON; bounded by ``--timeout``. The workers use their own Celery
queue, so other workers on the same Redis are not disturbed.

    python bench/scale_out.py [--dossiers 10000] [--pg postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from toantrinh.engine.db import make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.persistence import Dossier, DossierEvent, Timer  # noqa: E402

MODEL = ROOT / "bench" / "models" / "timer.bpmn"
SLUG = "bench-timer"
CLOCK_OFFSET = 3700  # seconds: past the model's one-hour timer


def _start_batch(url: str, count: int) -> dict:
    """One app process: start ``count`` dossiers, one session (one "request") each."""
    from toantrinh.engine.service import Engine

    db = make_engine(url)
    factory = make_sessionmaker(db)
    latencies = []
    began = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        with factory() as session:
            Engine(session).start(SLUG, applicant_id="001090012345")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - began
    db.dispose()
    return {"count": count, "seconds": elapsed, "latencies": latencies}


def _spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "toantrinh.engine.tasks",
            *args,
            "--logfile",
            str(log),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(log: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and " ready." in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"worker exited:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    raise RuntimeError(f"worker not ready after {timeout}s: {log}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _proc_cpu(pid: int | str) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone; Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(workers, url: str) -> dict[str, float]:
    """CPU seconds so far of the worker processes (with their pool children) and of the
    PostgreSQL backends serving the bench database."""
    pids = []
    for worker, _ in workers:
        pids.append(worker.pid)
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
        pids += children.read_text().split() if children.exists() else []
    admin = create_engine(url)
    with admin.connect() as conn:
        backends = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        postgres = sum(_proc_cpu(pid) for pid in backends)
    admin.dispose()
    return {"workers": sum(_proc_cpu(pid) for pid in pids), "postgres": postgres}


def _completed(factory) -> int:
    with factory() as session:
        return session.scalar(
            select(func.count()).select_from(Dossier).where(Dossier.status == "completed")
        )


def _verify(factory, expected: int) -> dict:
    with factory() as session:
        total = session.scalar(select(func.count()).select_from(Dossier))
        completed = _completed(factory)
        fired = (
            select(DossierEvent.dossier_id, func.count().label("n"))
            .where(DossierEvent.kind == "timer_fired")
            .group_by(DossierEvent.dossier_id)
            .subquery()
        )
        by_count = dict(session.execute(select(fired.c.n, func.count()).group_by(fired.c.n)).all())
        timers_left = session.scalar(select(func.count()).select_from(Timer))
    once = by_count.get(1, 0)
    return {
        "dossiers": total,
        "completed": completed,
        "lost": expected - completed,
        "timers_fired_once": once,
        "timers_fired_twice_or_more": sum(n for c, n in by_count.items() if c > 1),
        "timers_never_fired": total - sum(by_count.values()),
        "timer_rows_left": timers_left,
    }


def run(url: str, args: argparse.Namespace, logs: Path) -> dict:
    from toantrinh.engine.migrate import upgrade
    from toantrinh.engine.service import Engine

    upgrade(url)
    db = make_engine(url)
    factory = make_sessionmaker(db)
    with factory() as session:
        Engine(session).deploy(MODEL.read_bytes(), slug=SLUG)

    # 1. app processes start the dossiers
    shares = [
        args.dossiers // args.apps + (i < args.dossiers % args.apps) for i in range(args.apps)
    ]
    began = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.apps) as pool:
        batches = pool.starmap(_start_batch, [(url, n) for n in shares])
    start_seconds = time.perf_counter() - began
    latencies = sorted(x * 1000 for b in batches for x in b["latencies"])

    # 2. workers and one beat fire the timers
    queue = f"tt-bench-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=url,
        TOANTRINH_REDIS_URL=args.redis,
        TOANTRINH_CELERY_QUEUE=queue,
        TOANTRINH_CLOCK_OFFSET=str(CLOCK_OFFSET),
        TOANTRINH_TICK_LIMIT=str(args.tick_limit),
        TOANTRINH_TICK_INTERVAL=str(args.tick_interval),
        TOANTRINH_TICK_DRAIN="0" if args.no_drain else "1",
    )
    workers = []
    for i in range(args.workers):
        log = logs / f"worker{i + 1}.log"
        worker = _spawn(
            [
                "worker",
                "-n",
                f"bench{i + 1}-{queue}@localhost",
                "-Q",
                queue,
                f"--pool={args.pool}",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            env,
            log,
        )
        workers.append((worker, log))
    beat = None
    progress = []
    try:
        for worker, log in workers:
            _wait_ready(log, worker)
        cpu_before = _cpu(workers, url)
        began = time.perf_counter()
        beat = _spawn(
            ["beat", "-l", "info", "--schedule", str(logs / "celerybeat-schedule")],
            env,
            logs / "beat.log",
        )
        deadline = began + args.timeout
        done = 0
        while time.perf_counter() < deadline:
            done = _completed(factory)
            progress.append((round(time.perf_counter() - began, 1), done))
            if done >= args.dossiers:
                break
            time.sleep(1)
        fire_seconds = time.perf_counter() - began
        cpu_after = _cpu(workers, url)
    finally:
        for process in [beat, *(w for w, _ in workers)]:
            if process is not None:
                _stop(process)
    import redis

    redis.Redis.from_url(args.redis).delete(queue)

    outcome = _verify(factory, args.dossiers)
    db.dispose()
    worker_logs = [log.read_text(errors="replace") for _, log in workers]
    ticks = [len(re.findall(r"Task toantrinh\.tick\[[^\]]+\] succeeded", w)) for w in worker_logs]
    return {
        "dossiers": args.dossiers,
        "apps": args.apps,
        "workers": args.workers,
        "pool": args.pool,
        "tick_interval_s": args.tick_interval,
        "tick_limit": args.tick_limit,
        "drain": not args.no_drain,
        "start_seconds": round(start_seconds, 1),
        "starts_per_second": round(args.dossiers / start_seconds, 1),
        "start_ms_p50": round(statistics.median(latencies), 2),
        "start_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1], 2),
        "fire_seconds": round(fire_seconds, 1),
        "timers_per_second": round(outcome["completed"] / fire_seconds, 1),
        "cpu_ms_per_timer": {
            part: round(
                1000 * (cpu_after[part] - cpu_before[part]) / max(outcome["completed"], 1), 2
            )
            for part in ("workers", "postgres")
        },
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "ticks_per_worker": ticks,
        "lost_races_logged": sum(w.count("another worker won") for w in worker_logs),
        "timed_out": outcome["completed"] < args.dossiers,
        "progress": progress,
        **outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--apps", type=int, default=2, help="app processes starting dossiers")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers")
    parser.add_argument("--pool", default="prefork", help="Celery pool (one process each)")
    parser.add_argument("--tick-limit", type=int, default=100, help="TOANTRINH_TICK_LIMIT")
    parser.add_argument("--tick-interval", type=float, default=1.0, help="TOANTRINH_TICK_INTERVAL")
    parser.add_argument(
        "--no-drain", action="store_true", help="only beat sends ticks (TOANTRINH_TICK_DRAIN=0)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the firing phase")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("TOANTRINH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "scale_out.json"))
    args = parser.parse_args()
    if not args.pg.startswith("postgres"):
        parser.error("needs PostgreSQL (--pg or DATABASE_URL)")

    with scratch_database(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        result = run(url, args, Path(tmp))

    rows = [
        ("dossiers started", f"{result['dossiers']} by {result['apps']} app processes"),
        ("start phase", f"{result['start_seconds']} s, {result['starts_per_second']} dossiers/s"),
        ("start latency p50 / p99", f"{result['start_ms_p50']} / {result['start_ms_p99']} ms"),
        (
            "firing phase",
            f"{result['fire_seconds']} s, {result['timers_per_second']} timers/s "
            f"({result['workers']} workers + 1 beat, tick {result['tick_interval_s']} s "
            f"x {result['tick_limit']}, drain {'on' if result['drain'] else 'off'})",
        ),
        (
            "CPU per timer fired",
            f"workers {result['cpu_ms_per_timer']['workers']} ms, "
            f"PostgreSQL {result['cpu_ms_per_timer']['postgres']} ms",
        ),
        ("load average after", result["load_average_after"]),
        ("ticks run per worker", ", ".join(map(str, result["ticks_per_worker"]))),
        ("completed", result["completed"]),
        ("lost (not completed)", result["lost"]),
        ("timers fired exactly once", result["timers_fired_once"]),
        ("timers fired twice or more", result["timers_fired_twice_or_more"]),
        ("timers never fired", result["timers_never_fired"]),
        ("timer rows left", result["timer_rows_left"]),
        ("lost races logged by workers", result["lost_races_logged"]),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "scale_out",
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "result": result,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nJSON: {out}")
    if result["lost"] or result["timers_fired_twice_or_more"] or result["timers_never_fired"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
