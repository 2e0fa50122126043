"""Best-of-N batched engine runs against bare SpiffWorkflow, for comparing two checkouts.

The full ``bench/engine.py`` takes minutes and its medians move with this host's drift;
to compare one change, run this alternately on two checkouts (the older one from
``git worktree add /tmp/old <commit>``) a few times each:

    python bench/ab.py --root /tmp/old ; python bench/ab.py ; python bench/ab.py --root /tmp/old ; …

Each run creates a PostgreSQL database, runs ``--warmup`` dossiers untimed, then ``--runs``
rounds of (bare SpiffWorkflow, the engine in batches of 50) on ``--dossiers`` dossiers of
the criminal record certificate, and prints the best and median seconds of each and the
ratio of the bests. Writes JSON to ``bench/results/ab.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent / "results" / "ab.json")
    )
    args = parser.parse_args()
    sys.path.insert(0, args.root)  # the checkout under test, before any other

    from bench.engine import run_engine_batched, run_spiff, scratch_database

    try:  # checkouts before the engine was kept from the warm-up on closed their own
        from bench.engine import release_database
    except ImportError:

        def release_database(url: str) -> None:
            return None

    try:  # as bench/engine.py, on checkouts that have it
        from toantrinh.engine.heap import freeze_startup_heap
    except ImportError:
        pass
    else:
        freeze_startup_heap()

    with scratch_database(args.pg) as url:
        run_engine_batched("warm-up", url, args.warmup, 50)
        run_spiff(args.warmup)
        spiff, engine = [], []
        for _ in range(args.runs):
            spiff.append(run_spiff(args.dossiers)["seconds"])
            engine.append(run_engine_batched("pg", url, args.dossiers, 50, deploy=False)["seconds"])
        release_database(url)
    result = {
        "root": args.root,
        "dossiers": args.dossiers,
        "engine_seconds": engine,
        "spiff_seconds": spiff,
        "ratio_of_bests": round(min(spiff) / min(engine), 3),
    }
    print(
        f"{args.root}: engine best {min(engine):.3f} s, median {statistics.median(engine):.3f} | "
        f"spiff best {min(spiff):.3f} s, median {statistics.median(spiff):.3f} | "
        f"ratio of bests {result['ratio_of_bests']:.3f}"
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
