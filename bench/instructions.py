"""Instructions the engine's process executes for a batched PostgreSQL run, counted by
Valgrind: a figure that does not move with the neighbours of a shared machine.

On this host wall and CPU times of the same code move by ±30 % from one minute to the
next, so a change worth 2–5 % cannot be seen in them without dozens of alternations.
The number of instructions the process executes (Valgrind's cachegrind, no cache
simulation) is the same from one run to the next within about 1 %. It is not time: an
instruction of the engine (JSON text, database driver, many small objects) takes longer
on average than one of bare SpiffWorkflow's tree walks, so the instruction ratio is not
the throughput ratio. It says whether a change to the engine's own work made it
cheaper, and by how much.

Each figure is the difference of two processes under Valgrind, one doing only the set-up
and the ``--warmup`` (``runs=0``) and one doing that and one timed run of ``--dossiers``:
what the run itself costs, start-up and imports left out. The engine's run is
``bench.engine.run_engine_batched`` (batches of 50, as ``bench/engine.py`` and
``bench/ab.py``); with ``--spiff``, bare SpiffWorkflow's ``run_spiff`` on the same model.

    python bench/instructions.py [--root CHECKOUT] [--spiff] [--dossiers 200]

Needs ``valgrind`` (Debian package ``valgrind``) and PostgreSQL (``--pg``, as the other
scripts). Takes one to two minutes per figure. Writes JSON to
``bench/results/instructions.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# what each counted process runs: ``{root}`` first on the path, the warm-up, then
# ``runs`` timed runs (0 or 1)
_ENGINE = """
import sys
sys.path.insert(0, {root!r})
from bench.engine import release_database, run_engine_batched, scratch_database
from toantrinh.engine.heap import freeze_startup_heap
freeze_startup_heap()
with scratch_database({pg!r}) as url:
    run_engine_batched("warm-up", url, {warmup}, 50)
    for _ in range({runs}):
        run_engine_batched("pg", url, {dossiers}, 50, deploy=False)
    release_database(url)
"""
_SPIFF = """
import sys
sys.path.insert(0, {root!r})
from bench.engine import run_spiff
from toantrinh.engine.heap import freeze_startup_heap
freeze_startup_heap()
run_spiff({warmup})
for _ in range({runs}):
    run_spiff({dossiers})
"""


def count(script: str) -> int:
    """Instructions executed by ``python -c script`` under Valgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={tmp}/cg.out",
                sys.executable,
                "-c",
                script,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=False,
        )
    if out.returncode != 0:
        raise SystemExit(f"the counted run failed:\n{out.stderr[-3000:]}")
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in Valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(HERE.parent))
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--spiff", action="store_true", help="bare SpiffWorkflow's run too")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--out", default=str(HERE / "results" / "instructions.json"))
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (apt-get install valgrind)")
    root = str(Path(args.root).resolve())
    kinds = {"engine, PostgreSQL, batches of 50": _ENGINE}
    if args.spiff:
        kinds["SpiffWorkflow in memory"] = _SPIFF
    result: dict = {"root": root, "dossiers": args.dossiers, "warmup": args.warmup, "runs": {}}
    print(f"{'run':<36} {'instructions':>16} {'per dossier':>14}")
    for label, template in kinds.items():
        params = {"root": root, "pg": args.pg, "warmup": args.warmup, "dossiers": args.dossiers}
        base = count(template.format(runs=0, **params))
        full = count(template.format(runs=1, **params))
        run = full - base
        result["runs"][label] = {"instructions": run, "per_dossier": run // args.dossiers}
        print(f"{label:<36} {run:>16,} {run // args.dossiers:>14,}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
