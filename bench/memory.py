"""Memory of a long-running engine process: does it level off?

Drives one process through many dossiers as a gunicorn worker serves them — every step
in its own session and ``Engine``, as a request has — and samples its resident memory
(``/proc/self/status`` VmRSS) with the size of every per-process cache as it goes. The
dossiers are the library's example dossiers that need no timer or message (criminal
record, birth, marriage, residence, passport, …), started in turn, ``--open`` of them in
progress at once and stepped round robin, so that the workflow cache sees a working
day's mix rather than one dossier at a time. Registries are the in-process sandbox.

It prints a table and writes JSON, then judges the curve: the growth per 1,000 dossiers
over the last half of the run, and the memory that growth would reach at 10,000 (a
straight line: an upper bound when the curve bends down).

    python bench/memory.py [--dossiers 3000] [--open 200] [--every 250] \
        [--state-cache 512] [--spec-cache 64] [--pg postgresql+psycopg://postgres@127.0.0.1/test]

Caches are sized by their settings (engine/caches.py), read when the engine is imported:
``--state-cache 0`` runs without the workflow cache, to see its share.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def trimmed_rss_mb() -> float:
    """RSS once glibc has returned its free pages to the system (``malloc_trim(0)``)."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        return float("nan")
    return rss_mb()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=3000)
    parser.add_argument("--open", type=int, default=200, help="dossiers in progress at once")
    parser.add_argument("--every", type=int, default=250, help="sample after this many dossiers")
    parser.add_argument("--state-cache", type=int, default=None)
    parser.add_argument("--spec-cache", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long anyway")
    parser.add_argument(
        "--trim",
        action="store_true",
        help="at each sample, also collect cycles and return free memory to the "
        "system (glibc malloc_trim): the live memory, apart from the allocator's",
    )
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "memory.json"))
    return parser.parse_args()


def runnable_examples() -> list[tuple[Path, dict[str, Any]]]:
    """Example dossiers made of task steps only (no timer, no message), started with data."""
    found = []
    for folder in sorted((ROOT / "process_models").iterdir()):
        for path in sorted((folder / "examples").glob("*.json")) if folder.is_dir() else []:
            example = json.loads(path.read_text(encoding="utf-8"))
            if "message" in example["start"] or any("task" not in s for s in example["steps"]):
                continue
            if example["expect"]["status"] != "completed":
                continue
            found.append((folder, example))
    return found


class Driver:
    """Dossiers in progress, each with the steps it has left; one step per call."""

    def __init__(self, sessions, connectors, examples):
        from toantrinh.engine.service import Engine

        self.Engine, self.sessions, self.connectors = Engine, sessions, connectors
        self.examples, self.next_example = examples, 0
        self.open: list[tuple[int, list[dict[str, Any]]]] = []
        self.done = self.steps = self.failed = 0

    def _engine(self, session):
        return self.Engine(session, connectors=self.connectors, forms_dir=ROOT / "forms")

    def start(self) -> None:
        folder, example = self.examples[self.next_example % len(self.examples)]
        self.next_example += 1
        slug = json.loads((folder / "procedure.json").read_text(encoding="utf-8"))["slug"]
        with self.sessions() as session:
            start = example["start"]
            dossier = self._engine(session).start(
                slug,
                applicant_id=example.get("applicant"),
                data=start.get("data"),
                channel=start.get("channel", "online"),
                actor=f"citizen:{example.get('applicant')}",
            )
            self.open.append((dossier.id, list(example["steps"])))
        self.steps += 1

    def step(self) -> None:
        dossier_id, left = self.open.pop(0)
        step = left.pop(0)
        with self.sessions() as session:
            engine = self._engine(session)
            ready = {t["bpmn_id"]: t for t in engine.ready_tasks(dossier_id)}
            task = ready.get(step["task"])
            if task is None:  # an example that does not fit this engine: count it, go on
                self.failed += 1
                return
            engine.complete_task(
                dossier_id,
                task["id"],
                step.get("data", {}),
                actor=f"{task['lane'] or 'citizen'}:bench",
            )
        self.steps += 1
        if left:
            self.open.append((dossier_id, left))
        else:
            self.done += 1


def cache_sizes() -> dict[str, int]:
    from toantrinh.engine import forms, serialization, service
    from toantrinh.engine.store.statecache import WORKFLOWS

    return {
        "state_cache": len(WORKFLOWS),
        "spec_cache": len(service._SPEC_CACHE),
        "form_validators": len(forms._VALIDATORS),
        "id_texts": len(serialization._ID_TEXTS),
        "python_objects": len(gc.get_objects()),
    }


def slope(samples: list[dict[str, Any]]) -> float:
    """Least-squares MB per 1,000 dossiers over the last half of the samples."""
    tail = samples[len(samples) // 2 :]
    if len(tail) < 2:
        return float("nan")
    xs = [s["dossiers"] / 1000 for s in tail]
    ys = [s["rss_mb"] for s in tail]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return (
        sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else float("nan")
    )


def main() -> None:
    args = parse_args()
    if args.state_cache is not None:
        os.environ["TOANTRINH_STATE_CACHE"] = str(args.state_cache)
    if args.spec_cache is not None:
        os.environ["TOANTRINH_SPEC_CACHE"] = str(args.spec_cache)
    os.environ.pop("TOANTRINH_VERIFY_JOURNAL", None)  # the test suite's checks, not a worker's
    for name in ("TOANTRINH_VERIFY_STATE_MEMO", "TOANTRINH_VERIFY_WALK", "TOANTRINH_VERIFY_FORMS"):
        os.environ.pop(name, None)

    from bench.scratch import scratch_database
    from toantrinh.engine.db import make_engine, make_sessionmaker
    from toantrinh.engine.heap import freeze_startup_heap
    from toantrinh.engine.migrate import upgrade
    from toantrinh.engine.service import Engine
    from toantrinh.engine.store.statecache import WORKFLOWS
    from toantrinh.sandbox import sandbox_connectors

    examples = runnable_examples()
    workdir = tempfile.TemporaryDirectory()
    database = (
        scratch_database(args.pg)
        if args.pg
        else nullcontext(f"sqlite:///{Path(workdir.name) / 'memory.db'}")
    )
    with database as url:
        upgrade(url)
        db = make_engine(url)
        sessions = make_sessionmaker(db)
        connectors = sandbox_connectors(session_factory=sessions)
        with sessions() as session:
            engine = Engine(session, connectors=connectors, forms_dir=ROOT / "forms")
            for folder in sorted({f for f, _ in examples}):
                engine.deploy_folder(folder)
        freeze_startup_heap()
        driver = Driver(sessions, connectors, examples)
        samples: list[dict[str, Any]] = []
        began = time.monotonic()

        def sample() -> None:
            samples.append(
                {
                    "dossiers": driver.done,
                    "steps": driver.steps,
                    "seconds": round(time.monotonic() - began, 1),
                    "rss_mb": round(rss_mb(), 1),
                    **cache_sizes(),
                }
            )
            s = samples[-1]
            if args.trim:
                s["live_objects"] = (gc.collect(), len(gc.get_objects()))[1]
                s["trimmed_rss_mb"] = round(trimmed_rss_mb(), 1)
            print(
                f"{s['dossiers']:>8,} {s['steps']:>8,} {s['seconds']:>8.0f} {s['rss_mb']:>8.1f} "
                f"{s['state_cache']:>6} {s['spec_cache']:>5} {s['form_validators']:>5} "
                f"{s['id_texts']:>7,} {s['python_objects']:>10,}"
                + (f" {s['live_objects']:>10,} {s['trimmed_rss_mb']:>8.1f}" if args.trim else ""),
                flush=True,
            )

        print(
            f"{'dossiers':>8} {'steps':>8} {'seconds':>8} {'RSS MB':>8} {'state':>6} {'spec':>5} "
            f"{'forms':>5} {'ids':>7} {'objects':>10}"
            + (f" {'live obj':>10} {'trimmed':>8}" if args.trim else "")
        )
        sample()
        next_sample = args.every
        while driver.done < args.dossiers and time.monotonic() - began < args.seconds:
            while len(driver.open) < args.open and driver.next_example < args.dossiers + args.open:
                driver.start()
            if not driver.open:
                break
            driver.step()
            if driver.done >= next_sample:
                sample()
                next_sample += args.every
        if samples[-1]["dossiers"] != driver.done:
            sample()
        connectors.close()
        db.dispose()
    workdir.cleanup()

    growth = slope(samples)
    trimmed = slope([{**s, "rss_mb": s["trimmed_rss_mb"]} for s in samples]) if args.trim else None
    last = samples[-1]
    projected = last["rss_mb"] + growth * max(0.0, (10_000 - last["dossiers"]) / 1000)
    verdict = {
        "mb_per_1000_dossiers_last_half": round(growth, 2),
        "projected_rss_mb_at_10000": round(projected, 1),
        "levels_off": growth < 2.0,
        "trimmed_mb_per_1000_dossiers_last_half": None if trimmed is None else round(trimmed, 2),
        "note": "straight-line projection of the last half's growth: an upper bound when the curve bends down",
    }
    print(
        f"\ngrowth over the last half: {growth:.2f} MB per 1,000 dossiers; at 10,000 dossiers "
        f"≤ {projected:.0f} MB ({'levels off' if verdict['levels_off'] else 'still growing'}); "
        f"failed steps: {driver.failed}"
    )
    result = {
        "backend": "postgresql" if args.pg else "sqlite",
        "settings": {
            "dossiers": args.dossiers,
            "open": args.open,
            "every": args.every,
            "state_cache": WORKFLOWS.size,
            "spec_cache": int(os.environ.get("TOANTRINH_SPEC_CACHE", "64")),
        },
        "models": sorted({f.name for f, _ in examples}),
        "examples": len(examples),
        "samples": samples,
        "verdict": verdict,
        "failed_steps": driver.failed,
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
