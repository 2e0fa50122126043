"""Dossier history: state size, load and step time as a dossier loops through "request more
information" (yêu cầu bổ sung) 100 times.

``bench/models/loop.bpmn``: the desk checks the dossier; when it is incomplete the citizen
supplements it and it comes back, through an exclusive merge gateway, to the check. One
dossier runs the loop; at 0, 10, 50 and 100 rounds the script measures

* the stored state (``dossier.state``, bytes) and the task tree (tasks, depth);
* load: read the dossier and deserialise its workflow, as every request does (median of
  ``--loads``);
* step: one whole ``complete_task`` transaction (load, validate, step, save), the median
  of the next ``--steps`` completions;

and compares each with the fresh dossier (round 0). Goal: under 2x at 100 rounds.

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


from bench.scratch import scratch_database  # noqa: E402
from engine.db import make_engine, make_sessionmaker  # noqa: E402
from engine.migrate import upgrade  # noqa: E402
from engine.service import Engine  # noqa: E402

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


def _tree_depth(workflow) -> int:
    """Depth of the main task tree (levels from the root to the deepest task)."""
    best, stack = 0, [(workflow.task_tree, 1)]
    while stack:
        task, depth = stack.pop()
        best = max(best, depth)
        stack.extend((child, depth + 1) for child in task.children)
    return best


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


def _measure(factory, dossier_id: int, rounds: int, loads: int, steps: int) -> tuple[dict, int]:
    with factory() as session:
        engine = Engine(session)
        dossier = engine.get(dossier_id)
        state_bytes = len(dossier.state.encode("utf-8"))
        workflow = engine.workflow(dossier)
        tasks = len(workflow.get_tasks())
        depth = _tree_depth(workflow)
        events = len(engine.events(dossier_id))
    load_times = []
    for _ in range(loads):
        t0 = time.perf_counter()
        with factory() as session:
            engine = Engine(session)
            engine.workflow(engine.get(dossier_id))
        load_times.append(time.perf_counter() - t0)
    step_times: list[float] = []
    done = 0
    while len(step_times) < steps:
        step_times += _round(factory, dossier_id, rounds + done)
        done += 1
    return {
        "rounds": rounds,
        "state_kb": round(state_bytes / 1024, 1),
        "tasks": tasks,
        "tree_depth": depth,
        "events": events,
        "load_ms": round(statistics.median(load_times) * 1000, 2),
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
        row["step_vs_fresh"] = round(row["step_ms"] / fresh["step_ms"], 2)
        row["state_vs_fresh"] = round(row["state_kb"] / fresh["state_kb"], 2)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--loads", type=int, default=30, help="loads per checkpoint (median)")
    parser.add_argument("--steps", type=int, default=6, help="completions per checkpoint (median)")
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
        f"{'backend':<12}{'rounds':>7}{'state KB':>10}{'tasks':>7}{'depth':>7}{'events':>8}"
        f"{'load ms':>9}{'x fresh':>8}{'step ms':>9}{'x fresh':>8}"
    )
    print(head)
    for r in results:
        print(
            f"{r['backend']:<12}{r['rounds']:>7}{r['state_kb']:>10}{r['tasks']:>7}{r['tree_depth']:>7}"
            f"{r['events']:>8}{r['load_ms']:>9}{r['load_vs_fresh']:>8}{r['step_ms']:>9}"
            f"{r['step_vs_fresh']:>8}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "history",
                "model": "bench/models/loop.bpmn",
                "goal": "under 2x fresh at 100 rounds",
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
