"""What the script sandbox costs per script or expression (engine/safescript/).

For the expressions and scripts a procedure carries (conditions, timer durations,
message payloads, one-line scripts, taken from the library) and for scripts with loops,
the median time of one call:

* **before**: the in-process evaluator with its line tracer, as it was at ``--before``
  (loaded from git; ``-`` when git is not there);
* **inline**: the tiny language run in the caller's process (what such sources use now);
* **worker**: the same source sent to a worker process (a pipe round trip, the data
  pickled both ways) — what every source outside the tiny language pays;

then what a worker costs to start and to hold (resident memory), what killing and
replacing one costs beyond the budget, the slowest sources the inline tier accepts (the
bound that lets it skip the worker), and how many calls of each tier one criminal-record
certificate dossier makes from start to end (its share of a dossier's time).

    python bench/script_overhead.py [--repeat 2000] [--before 4be099d]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toantrinh.engine import scripting  # noqa: E402
from toantrinh.engine.safescript import inline  # noqa: E402
from toantrinh.engine.safescript.pool import Pool  # noqa: E402

TODAY = "2026-12-07"
DATA = {
    "approved": True,
    "dossier_valid": False,
    "receipt_code": "LLTP-261207-1A2B3C4D",
    "link_id": "9f0c2a",
    "applicant_id": "001090012345",
    "lien_thong": {"applicant_id": "001090012345", "deceased_identity_number": "001050000001"},
    "fee": 200000,
    "rows": [{"n": i, "name": f"giấy tờ {i}"} for i in range(50)],
}
CASES = [  # (label, source, mode)
    ("condition", "approved == True", "eval"),
    ("condition", "not dossier_valid", "eval"),
    ("timer", '"P5D"', "eval"),
    ("payload", '{"link_id": link_id, "applicant_id": lien_thong["applicant_id"]}', "eval"),
    ("parameter", "applicant_id", "eval"),
    ("script", 'result = "issued"', "exec"),
    (
        "script",
        'result = "issued"\ncertificate_number = "LLTP/" + receipt_code.split("-", 1)[1]',
        "exec",
    ),
    ("loop script", "total = 0\nfor r in rows:\n    total = total + r['n']", "exec"),
    ("loop script", "names = [r['name'].upper() for r in rows if r['n'] % 2 == 0]", "exec"),
]
# the slowest sources the inline tier accepts that came to mind, on the largest inputs it
# takes (1,000 values, 10,000 characters)
SMALL = [f"{i:09d}" for i in range(999)]
WORST_INLINE = [
    ("sorted twice, compared", "sorted(xs) == sorted(xs, reverse=True)", {"xs": SMALL}),
    ("str of the input, searched", "str(xs).count('9') + str(xs).index('998')", {"xs": SMALL}),
    ("sum of lists", "len(sum([xs, xs, xs, xs, xs], []))", {"xs": SMALL}),
    (
        "a 200-node expression",
        " + ".join(["len(str(xs))"] * 20),  # 199 nodes
        {"xs": SMALL},
    ),
    ("widest f-string", "f'{a:>1000}{a:>1000}{a:>1000}{a:>1000}{a:>1000}'", {"a": "x"}),
]


def _old_scripting(rev: str):
    """engine/scripting.py as it was at ``rev``, as a module of its own."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:engine/scripting.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    spec = importlib.util.spec_from_loader("bench_old_scripting", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:engine/scripting.py", "exec"), module.__dict__)
    return module


def _median_us(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1e6, 1)


def _call(module, source: str, mode: str):
    if mode == "eval":
        return lambda: module.evaluate(source, dict(DATA))
    return lambda: module.execute(source, dict(DATA))


def _inline_call(source: str, mode: str):
    run = inline.evaluate if mode == "eval" else inline.execute
    return lambda: run(source, dict(DATA), TODAY)


def _worker_call(pool: Pool, source: str, mode: str, inputs: dict):
    return lambda: pool.run(mode, source, inputs, TODAY, 5.0)


def per_call(repeat: int, old) -> list[dict]:
    pool = Pool()
    rows = []
    for label, source, mode in CASES:
        names = [n for n in DATA if n in source]
        inputs = {n: DATA[n] for n in names}
        inline_ok = inline.plan(source, mode) is not None
        row = {
            "kind": label,
            "source": source.replace("\n", "; "),
            "inline_tier": inline_ok,
            "before_us": _median_us(_call(old, source, mode), repeat) if old else None,
            "inline_us": _median_us(_inline_call(source, mode), repeat) if inline_ok else None,
            "worker_us": _median_us(_worker_call(pool, source, mode, inputs), repeat),
            "now_us": _median_us(_call(scripting, source, mode), repeat),
        }
        rows.append(row)
    pool.close()
    return rows


def worker_costs(samples: int) -> dict:
    starts, rss = [], []
    for _ in range(samples):
        pool = Pool()
        started = time.perf_counter()
        pool.run("eval", "1 + 1", {}, TODAY, 5.0)
        starts.append(time.perf_counter() - started)
        (proc,) = pool._idle
        status = Path(f"/proc/{proc.process.pid}/status").read_text()
        rss.append(int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]))
        pool.close()
    pool = Pool()
    pool.run("eval", "1 + 1", {}, TODAY, 5.0)
    beyond = []
    for _ in range(samples):
        started = time.perf_counter()
        with contextlib.suppress(scripting.ScriptLimitError):
            pool.run("eval", "sum([[0] * 1000] * 3000, [])", {}, TODAY, 0.2)
        beyond.append(time.perf_counter() - started - 0.2)
        time.sleep(0.3)  # the replacement starts up meanwhile, as between two requests
    after_kill = _median_us(lambda: pool.run("eval", "1 + 1", {}, TODAY, 5.0), 200)
    pool.close()
    return {
        "start_to_first_answer_ms": round(statistics.median(starts) * 1e3, 1),
        "worker_rss_mb": round(statistics.median(rss) / 1024, 1),
        "kill_beyond_budget_ms": round(statistics.median(beyond) * 1e3, 1),
        "call_after_replacement_us": after_kill,
    }


def _inline_eval(source: str, data: dict):
    return lambda: inline.evaluate(source, data, TODAY)


def worst_inline(repeat: int) -> list[dict]:
    rows = []
    for label, source, data in WORST_INLINE:
        assert inline.plan(source, "eval") is not None, source
        run = _inline_eval(source, data)
        rows.append(
            {
                "case": label,
                "ms": round(_median_us(run, repeat) / 1e3, 3),
            }
        )
    return rows


def dossier_calls() -> dict:
    """Calls of each tier while one criminal-record certificate dossier runs to its end."""
    import tempfile

    from tests.helpers.people import CITIZEN_ID, local_connectors
    from tests.reliability.conftest import STEPS
    from toantrinh.engine.db import make_engine, make_sessionmaker
    from toantrinh.engine.migrate import upgrade
    from toantrinh.engine.service import Engine

    counts = {"inline": 0, "worker": 0}
    real_eval, real_exec = inline.evaluate, inline.execute

    def counted(real):
        def run(*args):
            try:
                result = real(*args)
            except inline.NeedsWorker:
                counts["worker"] += 1
                raise
            counts["inline"] += 1
            return result

        return run

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        db = make_engine(url)
        session = make_sessionmaker(db)()
        engine = Engine(session, connectors=local_connectors())
        engine.deploy_folder(ROOT / "process_models" / "ly-lich-tu-phap")
        inline.evaluate, inline.execute = counted(real_eval), counted(real_exec)
        try:
            dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
            for bpmn_id, data in STEPS:
                (task,) = [t for t in engine.ready_tasks(dossier.id) if t["bpmn_id"] == bpmn_id]
                engine.complete_task(dossier.id, task["id"], data, actor="bench")
        finally:
            inline.evaluate, inline.execute = real_eval, real_exec
            session.close()
            db.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--before", default="4be099d", help="the commit to compare with")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "script_overhead.json"))
    args = parser.parse_args()
    load_before = os.getloadavg()
    old = _old_scripting(args.before)
    calls = per_call(args.repeat, old)
    costs = worker_costs(5)
    worst = worst_inline(max(20, args.repeat // 100))
    dossier = dossier_calls()

    def cell(value) -> str:
        return "-" if value is None else f"{value:g}"

    print(
        f"{'kind':<12}{'tier':<8}{'before µs':>10}{'inline µs':>10}{'worker µs':>10}{'now µs':>9}  source"
    )
    for r in calls:
        tier = "inline" if r["inline_tier"] else "worker"
        print(
            f"{r['kind']:<12}{tier:<8}{cell(r['before_us']):>10}{cell(r['inline_us']):>10}"
            f"{cell(r['worker_us']):>10}{cell(r['now_us']):>9}  {r['source'][:60]}"
        )
    print()
    for key, value in costs.items():
        print(f"{key:<28}{value:>10g}")
    print("\nslowest sources the inline tier accepts (ms):")
    for r in worst:
        print(f"  {r['case']:<28}{r['ms']:>8g}")
    print(f"\none criminal-record dossier, start to end: {dossier}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "script_overhead",
                "before": args.before,
                "repeat": args.repeat,
                "per_call": calls,
                "worker": costs,
                "worst_inline": worst,
                "dossier_calls": dossier,
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "load_before": load_before,
                    "load_after": os.getloadavg(),
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
