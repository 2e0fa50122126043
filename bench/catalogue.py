"""Benchmark of the national catalogue path: precision against labels, speed, memory, growth.

Run:  python bench/catalogue.py --source /work/data/tthc_raw [--labels bench/labels/catalogue.json]
                                [--split dev|test] [--workers 2] [--sizes 0.25,0.5,1]
                                [--labelled-only] [--show-errors]
Prints tables and writes bench/results/catalogue.json.

* Speed: ``catalogue import`` then ``catalogue analyse`` (JSON report) of the whole source
  into a temporary folder, with ``--workers`` processes: wall time, records per second,
  CPU time, peak memory (largest resident set of this process and of any worker), the
  slowest records; and the same on subsets of the source (``--sizes``) to show how the
  cost grows with the number of records.
* Precision: each labelled record (``--labels``: the issue-24 JSON contract with a reason
  per label, built apart from the rules) is found in the report and compared row by row
  (``source_index``; the row names are checked to agree first): precision and recall of
  ``replaceable_by_database``, whether the database named agrees, the confusion of all
  component verdicts, presence required by law, and the steps the labels mark as
  requiring presence that the analysis proposes for removal or online (must be 0).
  ``--split`` keeps one half of a sample that has them (``catalogue_holdout.json``: rules
  may be improved while reading ``dev``'s errors; ``test`` is only measured, so
  ``--show-errors`` is refused with it); ``--labelled-only`` runs only the labelled
  records, a quick check of the verdicts without speed figures.

The source (a crawl of the national portal) is not part of the project; point ``--source``
at wherever it was fetched. The labels are not used to tune the rules: they only measure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toantrinh.engine.catalogue_files import analyse_folder, import_records, source_files  # noqa: E402
from toantrinh.simplifier.records.render import to_json  # noqa: E402
from toantrinh.simplifier.records.text import fold  # noqa: E402

DATABASE = "replaceable_by_database"


def _peak_mb() -> tuple[float, float]:
    """Peak resident set (MB) of this process and of the largest finished worker."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(me, 1), round(kids, 1)


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def run_once(files: list[Path], workers: int) -> dict:
    """Import and analyse ``files``; timings and the report."""
    work = Path(tempfile.mkdtemp(prefix="tt_bench_catalogue_"))
    try:
        cpu0, t0 = _cpu(), time.perf_counter()
        summary = import_records(files, work / "out", workers=workers)
        t1 = time.perf_counter()
        report = analyse_folder(work / "out", workers=workers)
        text = to_json(report)
        t2 = time.perf_counter()
        cpu = _cpu() - cpu0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = len(summary.imported) + len(summary.refused)
    analysis_s = {p["national_code"]: p.get("seconds", 0.0) for p in report["procedures"]}
    per_record = {c: summary.timings.get(c, 0.0) + analysis_s.get(c, 0.0) for c in analysis_s}
    slow = sorted(per_record.items(), key=lambda kv: -kv[1])[:10]
    return {
        "records": n,
        "imported": len(summary.imported),
        "refused": len(summary.refused),
        "refused_by_reason": dict(summary.by_reason),
        "import_s": round(t1 - t0, 2),
        "analyse_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "records_per_s": round(n / (t2 - t0), 1),
        "cpu_s": round(cpu, 2),
        "report_mb": round(len(text.encode()) / 1e6, 1),
        "slowest": [{"code": c, "ms": round(s * 1000, 1)} for c, s in slow],
        "report": report,
    }


def _aligned(label_name: str, name: str) -> bool:
    a, b = fold(label_name.rstrip("…"))[:60], fold(name)[:60]
    n = min(len(a), len(b), 40)
    return a[:n] == b[:n]


def compare(labels: list[dict], report: dict) -> dict:
    """Precision/recall of the verdicts against the labels (see the module docstring)."""
    ours = {p["national_code"]: p for p in report["procedures"]}
    tp = fp = fn = 0
    db_agree = 0
    confusion: Counter = Counter()
    presence = Counter()
    violations: list[dict] = []
    misaligned: list[str] = []
    errors: list[dict] = []
    missing = []
    for rec in labels:
        mine = ours.get(rec["national_code"])
        if mine is None:
            missing.append(rec["national_code"])
            continue
        comps = {c["source_index"]: c for c in mine["components"]}
        for lab in rec["components"]:
            got = comps.get(lab["source_index"])
            if got is None or not _aligned(lab["name"], got["name"]):
                misaligned.append(f"{rec['national_code']} c{lab['source_index']}")
                continue
            confusion[(lab["verdict"], got["verdict"])] += 1
            is_l, is_o = lab["verdict"] == DATABASE, got["verdict"] == DATABASE
            tp += is_l and is_o
            fp += is_o and not is_l
            fn += is_l and not is_o
            if is_l and is_o and lab.get("database") == got["database"]:
                db_agree += 1
            if is_l != is_o:
                errors.append(
                    {
                        "code": rec["national_code"],
                        "row": lab["source_index"],
                        "label": lab["verdict"],
                        "ours": got["verdict"],
                        "name": got["name"][:120],
                        "evidence": got["evidence"][:3],
                    }
                )
        steps = {s["source_index"]: s for s in mine["steps"]}
        for lab in rec["steps"]:
            got = steps.get(lab["source_index"])
            if got is None or not _aligned(lab["name"], got["name"]):
                misaligned.append(f"{rec['national_code']} s{lab['source_index']}")
                continue
            presence[(lab["presence_required_by_law"], got["presence_required_by_law"])] += 1
            if lab["presence_required_by_law"] != got["presence_required_by_law"]:
                errors.append(
                    {
                        "code": rec["national_code"],
                        "step": lab["source_index"],
                        "label": f"presence {lab['presence_required_by_law']} {lab['verdict']}",
                        "ours": f"presence {got['presence_required_by_law']} {got['verdict']}",
                        "name": got["name"][:160],
                        "evidence": got["evidence"][:3],
                    }
                )
            if lab["presence_required_by_law"] and got["verdict"] in ("remove", "online"):
                violations.append(
                    {
                        "code": rec["national_code"],
                        "step": lab["source_index"],
                        "verdict": got["verdict"],
                    }
                )
            confusion[("step:" + lab["verdict"], "step:" + got["verdict"])] += 1
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {
        "records": len(labels) - len(missing),
        "missing": missing,
        "misaligned": misaligned,
        "replaceable_by_database": {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": _pct(precision),
            "recall": _pct(recall),
            "database_agrees": db_agree,
        },
        "presence": {
            "labelled": sum(v for (lab, _), v in presence.items() if lab),
            "found": presence[(True, True)],
            "extra": presence[(False, True)],
        },
        "presence_steps_proposed_removal_or_online": violations,
        "confusion": {f"{a} → {b}": n for (a, b), n in sorted(confusion.items())},
        "errors": errors,
    }


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, required=True)
    ap.add_argument("--labels", type=Path, default=ROOT / "bench" / "labels" / "catalogue.json")
    ap.add_argument(
        "--split",
        choices=("dev", "test"),
        help="only the labelled records of this half (catalogue_holdout.json: rules may be "
        "improved while looking at 'dev'; 'test' is measured, never looked at)",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--sizes",
        default="0.25,0.5,1",
        help="fractions of the source for the growth runs (1 = the whole source)",
    )
    ap.add_argument(
        "--labelled-only",
        action="store_true",
        help="import and analyse only the labelled records (of --split): a quick check of "
        "the verdicts, no speed figures worth reporting",
    )
    ap.add_argument(
        "--show-errors",
        action="store_true",
        help="list the rows where the analysis and the labels disagree",
    )
    args = ap.parse_args()
    if args.show_errors and args.split == "test":
        ap.error("the test half is measured, never looked at: no --show-errors with --split test")
    labels = json.loads(args.labels.read_text(encoding="utf-8")) if args.labels.exists() else None
    if labels is not None and args.split:
        labels = [r for r in labels if r.get("split") == args.split]
    files = source_files([args.source])
    if args.labelled_only and labels is not None:
        wanted = {r["national_code"] for r in labels}
        files = [f for f in files if f.stem in wanted]
        args.sizes = "1"
    random.seed(20261207)
    runs = []
    for frac in sorted(float(x) for x in args.sizes.split(",")):
        chosen = files if frac >= 1 else sorted(random.sample(files, int(len(files) * frac)))
        run = run_once(chosen, args.workers)
        runs.append(run)
        print(
            f"{run['records']:>6} records: import {run['import_s']:>6.1f} s, analyse "
            f"{run['analyse_s']:>6.1f} s, total {run['total_s']:>6.1f} s, "
            f"{run['records_per_s']:>6.1f} records/s, CPU {run['cpu_s']:.1f} s, "
            f"{1000 * run['total_s'] / max(run['records'], 1):.2f} ms/record"
        )
    full = runs[-1]
    me, kids = _peak_mb()
    print(
        f"\nwhole source: {full['records']} records ({full['imported']} imported, "
        f"{full['refused']} refused {full['refused_by_reason']}), {full['total_s']} s with "
        f"{args.workers} workers; peak memory {me} MB (main), {kids} MB (largest worker); "
        f"report {full['report_mb']} MB"
    )
    print(
        "slowest records (import + analysis):",
        ", ".join(f"{s['code']} {s['ms']} ms" for s in full["slowest"][:5]),
    )
    result = {
        "host": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "workers": args.workers,
        "runs": [{k: v for k, v in r.items() if k != "report"} for r in runs],
        "peak_mb": {"main": me, "largest_worker": kids},
        "growth_ms_per_record": [
            round(1000 * r["total_s"] / max(r["records"], 1), 2) for r in runs
        ],
    }
    if labels is not None:
        cmp = compare(labels, full["report"])
        result["labels"] = {k: v for k, v in cmp.items() if k != "errors" or args.show_errors}
        d = cmp["replaceable_by_database"]
        print(
            f"\nlabels: {cmp['records']} records ({len(cmp['missing'])} missing, "
            f"{len(cmp['misaligned'])} rows misaligned)"
        )
        print(
            f"replaceable_by_database: precision {d['precision']} % recall {d['recall']} % "
            f"(tp {d['tp']}, fp {d['fp']}, fn {d['fn']}); database agrees on "
            f"{d['database_agrees']} of {d['tp']}"
        )
        p = cmp["presence"]
        print(
            f"presence required by law: {p['found']} of {p['labelled']} labelled found, "
            f"{p['extra']} more flagged; proposed for removal or online: "
            f"{len(cmp['presence_steps_proposed_removal_or_online'])}"
        )
        print("confusion (label → analysis):")
        for k, n in cmp["confusion"].items():
            print(f"  {n:>5}  {k}")
        if args.show_errors:
            for e in cmp["errors"]:
                print("  ", e)
    else:
        print(f"\n(no labels at {args.labels}: precision not measured)")
    out = ROOT / "bench" / "results" / "catalogue.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
