"""Dossier history: state size, load and step time as a dossier loops through "request more
information" (yêu cầu bổ sung) 100 times.

``bench/models/loop.bpmn``: the desk checks the dossier; when it is incomplete the citizen
supplements it and it comes back, through an exclusive merge gateway, to the check. One
dossier runs the loop; at 0, 10, 50 and 100 rounds the script measures

* what is stored: the last state dump (``dossier.state``) and the journal rows after it
  (engine/store/journal.py), in KB, and the task tree (tasks, depth);
* load: read the dossier and rebuild its workflow from the database — its stored state and
  its journal replayed — as every request that misses the workflow cache does;
* step: one whole ``complete_task`` transaction (load, validate, step, save).

Over the next ``--steps`` completions (each taken by a request of its own), the dossier
is loaded ``--loads`` times after each completion: the journal holds a different number
of rows each time (from none, just after a dump, to ``TOANTRINH_JOURNAL_MAX``), so the
table gives the median of those loads and the slowest position's, and the median step.
Each is compared with the fresh dossier's (round 0: its first completions, the same
positions). Goal: under 2x at 100 rounds.

    python bench/history.py [--rounds 100] [--pg postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from sqlalchemy import select  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from toantrinh.engine.db import make_engine, make_sessionmaker  # noqa: E402
from toantrinh.engine.migrate import upgrade  # noqa: E402
from toantrinh.engine.persistence import DossierJournal  # noqa: E402
from toantrinh.engine.service import Engine  # noqa: E402
from toantrinh.engine.store import journal  # noqa: E402
from toantrinh.engine.workflow import tree_depth  # noqa: E402

MODEL = ROOT / "bench" / "models" / "loop.bpmn"
FORMS = {
    "bench-check": {
        "type": "object",
        "properties": {
            "dossier_complete": {"type": "boolean", "title": "Hồ sơ đầy đủ"},
            "missing": {"type": "string", "title": "Giấy tờ, thông tin cần bổ sung"},
        },
        "required": ["dossier_complete"],
    },
    "bench-supplement": {
        "type": "object",
        "properties": {"supplement": {"type": "string", "title": "Nội dung bổ sung"}},
        "required": ["supplement"],
    },
}


def _complete_one(factory, dossier_id: int, round_no: int, finish: bool = False) -> float:
    """Complete the dossier's one ready task (a whole request); return its seconds."""
    t0 = time.perf_counter()
    with factory() as session:
        engine = Engine(session)
        (task,) = engine.ready_tasks(dossier_id)
        if task["bpmn_id"] == "Check":
            data = {"dossier_complete": finish, "missing": f"Bản sao giấy tờ lần {round_no}"}
        else:
            data = {"supplement": f"Đã bổ sung lần {round_no}: " + "x" * 200}
        engine.complete_task(dossier_id, task["id"], data, actor="bench")
    return time.perf_counter() - t0


def _round(factory, dossier_id: int, round_no: int) -> list[float]:
    """One loop: the desk finds something missing, the citizen supplements it."""
    return [
        _complete_one(factory, dossier_id, round_no),
        _complete_one(factory, dossier_id, round_no),
    ]


def _load_ms(factory, dossier_id: int, loads: int) -> float:
    """Median ms of ``loads`` rebuilds of the dossier from the database (new session,
    nothing cached), as a request in another process does."""
    times = []
    for _ in range(loads):
        t0 = time.perf_counter()
        with factory() as session:
            engine = Engine(session)
            engine.workflow(engine.get(dossier_id))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _measure(factory, dossier_id: int, rounds: int, loads: int, steps: int) -> tuple[dict, int]:
    with factory() as session:
        engine = Engine(session)
        dossier = engine.get(dossier_id)
        state_bytes = len(dossier.state.encode("utf-8"))
        journal_bytes = sum(
            len(entry.encode("utf-8"))
            for entry in session.scalars(
                select(DossierJournal.entry).where(DossierJournal.dossier_id == dossier_id)
            )
        )
        workflow = engine.workflow(dossier)
        tasks = len(workflow.get_tasks())
        depth = tree_depth(workflow)
        events = len(engine.events(dossier_id))
    load_times: list[float] = [_load_ms(factory, dossier_id, loads)]
    step_times: list[float] = []
    done = 0
    while len(step_times) < steps:
        for seconds in _round(factory, dossier_id, rounds + done):
            step_times.append(seconds)
            load_times.append(_load_ms(factory, dossier_id, loads))
        done += 1
    return {
        "rounds": rounds,
        "state_kb": round(state_bytes / 1024, 1),
        "journal_kb": round(journal_bytes / 1024, 1),
        "tasks": tasks,
        "tree_depth": depth,
        "events": events,
        "load_ms": round(statistics.median(load_times), 2),
        "load_max_ms": round(max(load_times), 2),
        "step_ms": round(statistics.median(step_times) * 1000, 2),
    }, done


def run(label: str, url: str, args: argparse.Namespace) -> list[dict]:
    upgrade(url)
    db = make_engine(url)
    factory = make_sessionmaker(db)
    with factory() as session:
        engine = Engine(session)
        engine.deploy(MODEL.read_bytes(), slug="bench-loop", forms=FORMS)
        dossier_id = engine.start("bench-loop", applicant_id="001090012345").id
    checkpoints = sorted({0, 10, 50, args.rounds} & set(range(args.rounds + 1)))
    rows, done = [], 0
    for checkpoint in checkpoints:
        while done < checkpoint:
            _round(factory, dossier_id, done)
            done += 1
        row, extra = _measure(factory, dossier_id, done, args.loads, args.steps)
        done += extra
        rows.append(row)
    _complete_one(factory, dossier_id, done, finish=True)
    with factory() as session:
        assert Engine(session).get(dossier_id).status == "completed"
    db.dispose()
    fresh = rows[0]
    for row in rows:
        row["backend"] = label
        row["load_vs_fresh"] = round(row["load_ms"] / fresh["load_ms"], 2)
        row["load_max_vs_fresh"] = round(row["load_max_ms"] / fresh["load_max_ms"], 2)
        row["step_vs_fresh"] = round(row["step_ms"] / fresh["step_ms"], 2)
        stored, fresh_stored = (
            row["state_kb"] + row["journal_kb"],
            fresh["state_kb"] + fresh["journal_kb"],
        )
        row["stored_vs_fresh"] = round(stored / fresh_stored, 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument(
        "--loads", type=int, default=15, help="loads after each completion (median)"
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=20,
        help="completions per checkpoint (median); more than TOANTRINH_JOURNAL_MAX, so that "
        "every length of the journal is loaded",
    )
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "history.json"))
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += run("sqlite", f"sqlite:///{tmp}/history.db", args)
    if args.pg and args.pg.startswith("postgres"):
        with scratch_database(args.pg) as url:
            results += run("postgresql", url, args)

    head = (
        f"{'backend':<12}{'rounds':>7}{'state KB':>10}{'journal KB':>11}{'tasks':>7}"
        f"{'depth':>7}{'events':>8}{'load ms':>9}{'x fresh':>8}{'worst':>8}{'x fresh':>8}"
        f"{'step ms':>9}{'x fresh':>8}"
    )
    print(f"journal: at most {journal.JOURNAL_MAX} rows between state dumps\n")
    print(head)
    for r in results:
        print(
            f"{r['backend']:<12}{r['rounds']:>7}{r['state_kb']:>10}{r['journal_kb']:>11}"
            f"{r['tasks']:>7}{r['tree_depth']:>7}{r['events']:>8}{r['load_ms']:>9}"
            f"{r['load_vs_fresh']:>8}{r['load_max_ms']:>8}{r['load_max_vs_fresh']:>8}"
            f"{r['step_ms']:>9}{r['step_vs_fresh']:>8}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "history",
                "model": "bench/models/loop.bpmn",
                "goal": "under 2x fresh at 100 rounds",
                "journal_max": journal.JOURNAL_MAX,
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
