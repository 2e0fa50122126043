"""Where PostgreSQL's own time goes in a batched engine run: the server process's CPU
(read from ``/proc``) and the client's wall time around each kind of statement.

The engine's process waits while the server works; this says on what. For each
statement (grouped by its first words), each ``COPY`` and each ``COMMIT`` of
``bench.engine.run_engine_batched`` (batches of 50), the backend's CPU ticks before and
after are summed over ``--runs`` runs of ``--dossiers``. Ticks are 10 ms, so a single
statement is not measured, but the sums over thousands are. Needs PostgreSQL on this
host (the backend's ``/proc`` entry must be readable). Prints a table, writes JSON.

    python bench/server_cpu.py [--dossiers 200] [--runs 3] [--pg URL]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.engine import _database, release_database, run_engine_batched  # noqa: E402
from bench.scratch import scratch_database  # noqa: E402
from toantrinh.engine.heap import freeze_startup_heap  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "server_cpu.json"))
    args = parser.parse_args()
    freeze_startup_heap()
    server = collections.Counter()
    wall = collections.Counter()
    count = collections.Counter()

    def account(key: str, pid: int, ticks: int, began: float) -> None:
        server[key] += _ticks(pid) - ticks
        wall[key] += time.perf_counter() - began
        count[key] += 1

    with scratch_database(args.pg) as url:
        run_engine_batched("warm-up", url, 50, 50)
        db, _ = _database(url)

        @event.listens_for(db, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, many):
            pid = conn.connection.driver_connection.info.backend_pid
            conn.info["bench_t"] = (pid, _ticks(pid), time.perf_counter())

        @event.listens_for(db, "after_cursor_execute")
        def _after(conn, cursor, statement, params, context, many):
            pid, ticks, began = conn.info.pop("bench_t")
            account(" ".join(statement.split()[:3])[:40], pid, ticks, began)

        commit, copy = psycopg.Connection.commit, psycopg.Cursor.copy

        def timed_commit(self):
            pid, ticks, began = (
                self.info.backend_pid,
                _ticks(self.info.backend_pid),
                time.perf_counter(),
            )
            commit(self)
            account("COMMIT", pid, ticks, began)

        @contextmanager
        def timed_copy(self, statement, *a, **k):
            pid = self.connection.info.backend_pid
            ticks, began = _ticks(pid), time.perf_counter()
            with copy(self, statement, *a, **k) as cp:
                yield cp
            account(" ".join(str(statement).split()[:3])[:40], pid, ticks, began)

        psycopg.Connection.commit, psycopg.Cursor.copy = timed_commit, timed_copy
        try:
            began = time.perf_counter()
            for _ in range(args.runs):
                run_engine_batched("pg", url, args.dossiers, 50, deploy=False)
            elapsed = (time.perf_counter() - began) / args.runs
        finally:
            psycopg.Connection.commit, psycopg.Cursor.copy = commit, copy
        release_database(url)

    runs = args.runs
    rows = [
        {
            "statement": key,
            "per_run": count[key] / runs,
            "client_wall_ms": wall[key] / runs * 1000,
            "server_cpu_ms": server[key] / TICK / runs * 1000,
        }
        for key in sorted(wall, key=lambda k: -wall[k])
    ]
    print(f"{runs} runs of {args.dossiers} dossiers, {elapsed:.3f} s a run (timed, so slower)\n")
    print(f"{'statement':<42}{'per run':>9}{'client wall ms':>16}{'server CPU ms':>15}")
    for r in rows:
        print(
            f"{r['statement']:<42}{r['per_run']:>9.0f}{r['client_wall_ms']:>16.1f}"
            f"{r['server_cpu_ms']:>15.1f}"
        )
    total = sum(r["server_cpu_ms"] for r in rows)
    print(f"{'server CPU, all statements':<42}{'':>9}{'':>16}{total:>15.1f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "server_cpu",
                "dossiers": args.dossiers,
                "runs": runs,
                "seconds_per_run": round(elapsed, 3),
                "server_cpu_ms": round(total, 1),
                "statements": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
