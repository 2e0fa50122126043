"""Deploy and simplify every BPMN file of a corpus: does anything crash?

Other modelling tools and the public BPMN conformance suites export models the library
never shows the engine (issue 27.11). Each file is deployed into a scratch SQLite
database through the real :class:`toantrinh.engine.service.Engine` and analysed by the simplifier,
whose four report formats (HTML, rewritten BPMN, JSON, Markdown) are rendered. Every
outcome is one of

* ``loaded`` — deployed (or analysed and reported);
* ``refused`` — a clear refusal (``ModelError`` / ``ModelLoadError``), counted by reason;
* ``crashed`` — anything else (an exception type and where it came from), or a file
  that took longer than ``--timeout`` seconds.

The corpus stays out of the repository (``/work/data/bpmn-corpus/`` on the dev machines;
see ``bench/README.md`` for the repositories it was built from). Prints a table, writes
JSON::

    python bench/bpmn_corpus.py --corpus /work/data/bpmn-corpus --jobs 2
    python bench/bpmn_corpus.py --corpus DIR --limit 200 --out /tmp/corpus.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUFFIXES = (".bpmn", ".bpmn2", ".bpmn20.xml")
FORMATS = ("html", "bpmn", "json", "md")
# a refusal's reason, from its first problem (engine messages are Vietnamese)
_REASONS = [
    (
        "structure",
        re.compile(r"\[(deadlock|lack_of_synchronization|unreachable|no_path_to_end|dead_end):"),
    ),
    ("xml", re.compile(r"XML|phần tử gốc|DOCTYPE|quá lớn|lồng quá sâu")),
    (
        "process",
        re.compile(r"không có quy trình|nhiều quy trình|not executable|không tìm thấy quy trình"),
    ),
    ("call-cycle", re.compile(r"gọi lại chính nó")),
    ("length", re.compile(r"ký tự, tối đa")),
    ("reserved-id", re.compile(r"id dành riêng")),
    ("form", re.compile(r"biểu mẫu")),
    ("reference", re.compile(r"không trỏ tới phần tử")),
    ("missing-id", re.compile(r"không có id")),
    ("called-process-missing", re.compile(r"The (called )?process .* was not found|not found")),
    ("script", re.compile(r"dòng \d|cú pháp|không được phép|kịch bản", re.IGNORECASE)),
    ("spiffworkflow", re.compile(r"BPMN không chạy được")),
]


class Timeout(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise Timeout


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES))


def reason(problems: list[str]) -> str:
    first = problems[0] if problems else ""
    for name, pattern in _REASONS:
        if pattern.search(first):
            return name
    return "other"


def _crash(err: BaseException) -> dict[str, Any]:
    if isinstance(err, Timeout):
        return {"outcome": "crashed", "reason": "timeout", "message": "quá thời gian"}
    frames = traceback.extract_tb(err.__traceback__)
    where = next(
        (
            f"{Path(f.filename).name}:{f.lineno}"
            for f in reversed(frames)
            if str(ROOT) in f.filename
        ),
        f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?",
    )
    return {
        "outcome": "crashed",
        "reason": type(err).__name__,
        "message": f"{type(err).__name__}: {str(err)[:300]} ({where})",
    }


_STATE: dict[str, Any] = {}


def _init_worker(timeout: float) -> None:
    """One scratch database and one engine per worker process."""
    from toantrinh.engine.db import make_engine, make_sessionmaker
    from toantrinh.engine.migrate import upgrade
    from toantrinh.engine.models_registry import import_all_models

    logging_off()
    import_all_models()
    path = Path(tempfile.mkdtemp(prefix="tt-corpus-")) / "corpus.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    _STATE["sessions"] = make_sessionmaker(make_engine(url))
    _STATE["timeout"] = timeout
    catalogue = ROOT / "data" / "registries.json"
    _STATE["catalogue"] = json.loads(catalogue.read_text(encoding="utf-8"))
    signal.signal(signal.SIGALRM, _alarm)


def logging_off() -> None:
    import logging
    import warnings

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def deploy_one(raw: bytes, slug: str) -> dict[str, Any]:
    from toantrinh.engine.parsing import ModelError, StructureError
    from toantrinh.engine.service import Engine, EngineError

    session = _STATE["sessions"]()
    try:
        result = Engine(session).deploy(raw, slug=slug)
        return {"outcome": "loaded", "warnings": len(result.warnings)}
    except ModelError as err:
        why = "structure" if isinstance(err, StructureError) else reason(err.problems)
        return {"outcome": "refused", "reason": why, "message": err.problems[0][:300]}
    except EngineError as err:
        return {"outcome": "refused", "reason": "engine", "message": str(err)[:300]}
    finally:
        session.rollback()
        session.close()


def simplify_one(raw: bytes) -> dict[str, Any]:
    from toantrinh.simplifier import ModelLoadError, analyse
    from toantrinh.simplifier import report as reports

    try:
        analysis = analyse(raw, _STATE["catalogue"])
    except ModelLoadError as err:
        return {"outcome": "refused", "reason": "load", "message": str(err)[:300]}
    render = {
        "html": lambda: reports.to_html(analysis, diagrams=False),
        "bpmn": analysis.rewritten_bpmn,
        "json": lambda: reports.to_json(analysis),
        "md": lambda: reports.to_markdown(analysis),
    }
    for fmt in FORMATS:
        try:
            render[fmt]()
        except Timeout:
            raise
        except Exception as err:
            crash = _crash(err)
            crash["reason"] = f"{fmt}: {crash['reason']}"
            return crash
    return {"outcome": "loaded"}


def _guarded(step, *args) -> dict[str, Any]:
    signal.setitimer(signal.ITIMER_REAL, _STATE["timeout"])
    try:
        return step(*args)
    except Exception as err:
        return _crash(err)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_one(item: tuple[int, str, str]) -> dict[str, Any]:
    n, path, source = item
    raw = Path(path).read_bytes()
    started = time.perf_counter()
    deployed = _guarded(deploy_one, raw, f"corpus-{n}")
    simplified = _guarded(simplify_one, raw)
    return {
        "file": path,
        "source": source,
        "bytes": len(raw),
        "deploy": deployed,
        "simplify": simplified,
        "seconds": round(time.perf_counter() - started, 3),
    }


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"files": len(results)}
    for stage in ("deploy", "simplify"):
        outcomes = Counter(r[stage]["outcome"] for r in results)
        reasons = Counter(
            f"{r[stage]['outcome']}: {r[stage].get('reason')}"
            for r in results
            if r[stage]["outcome"] != "loaded"
        )
        out[stage] = {"outcomes": dict(outcomes), "reasons": dict(reasons.most_common())}
    return out


def table(summary: dict[str, Any], results: list[dict[str, Any]]) -> str:
    lines = [f"{'stage':<10} {'loaded':>8} {'refused':>8} {'crashed':>8}"]
    for stage in ("deploy", "simplify"):
        o = summary[stage]["outcomes"]
        lines.append(
            f"{stage:<10} {o.get('loaded', 0):>8} {o.get('refused', 0):>8} {o.get('crashed', 0):>8}"
        )
    for stage in ("deploy", "simplify"):
        lines.append(f"\n{stage}: not loaded, by reason")
        for why, count in summary[stage]["reasons"].items():
            lines.append(f"  {count:>6}  {why}")
    shapes: Counter = Counter()
    example: dict[str, str] = {}
    for r in results:
        for stage in ("deploy", "simplify"):
            if r[stage]["outcome"] == "crashed":
                shape = f"{stage}: " + re.sub(r"'[^']*'", "'…'", r[stage]["message"])[:160]
                shapes[shape] += 1
                example.setdefault(shape, r["file"])
    if shapes:
        lines.append("\ncrashes, by shape (one example each)")
        for shape, count in shapes.most_common():
            lines.append(f"  {count:>6}  {shape}\n          {example[shape]}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "bpmn_corpus.json")
    parser.add_argument("--limit", type=int, default=0, help="at most this many files")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per file and stage")
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    if args.limit:
        files = files[: args.limit]
    items = [(n, str(p), p.relative_to(args.corpus).parts[0]) for n, p in enumerate(files)]
    started = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(
        args.jobs, initializer=_init_worker, initargs=(args.timeout,), maxtasksperchild=200
    ) as pool:
        results = list(pool.imap_unordered(run_one, items, chunksize=4))
    results.sort(key=lambda r: r["file"])
    summary = summarise(results)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    summary["sources"] = dict(Counter(r["source"] for r in results))
    print(table(summary, results))
    print(f"\n{len(results)} files in {summary['seconds']} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"summary": summary, "files": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"JSON: {args.out}")
    if os.environ.get("CORPUS_FAIL_ON_CRASH") and any(
        r[s]["outcome"] == "crashed" for r in results for s in ("deploy", "simplify")
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
