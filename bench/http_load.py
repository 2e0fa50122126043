"""HTTP load: task completion through the REST API under gunicorn, with concurrent clients.

Sets up what a province would run, on this machine: a fresh PostgreSQL database
(``toantrinh db upgrade``, ``toantrinh deploy --all``), the sandbox national-database
service (``toantrinh registry serve``) and ``gunicorn -w N -k gthread --threads T
'toantrinh.api.app:create_app()'`` on a localhost port. Then ``--clients`` threads (each with its
own ``requests.Session``) each run criminal-record-certificate dossiers (``ly-lich-tu-phap``)
over HTTP, one after the other, as the citizen, the one-stop desk and the specialist
(bearer tokens created with the seed admin token): start the dossier, then complete
every task it offers, until ``--duration`` seconds or ``--max-requests`` completions.

Reports p50/p90/p99 latency and requests/s of ``POST /api/v1/tasks/{id}/complete`` (and
of dossier starts), after a warm-up. ``--profile S`` samples every gunicorn worker with
py-spy for S seconds in the middle of the run and prints where the time goes.

    python bench/http_load.py [--clients 50] [--duration 60] [--workers 2] [--threads 8]
                              [--think-ms 0] [--think-random] [--profile 20] [--profile-raw FILE]
                              [--background 100000 [--agencies 63]] [--pg postgresql+psycopg://…]

``--background N`` first fills the database with about N dossiers in progress (their
inbox rows and events too), so that the run meets the table sizes of a province.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.scratch import scratch_database  # noqa: E402
from tests.helpers.people import ltp_declaration  # noqa: E402

MODEL = "ly-lich-tu-phap"
AGENCY = "Công an cấp tỉnh"
CITIZEN_ID = "001090012345"  # a well-known person of the sandbox registry
ADMIN_TOKEN = f"bench-admin-{uuid.uuid4().hex}"
BIN = Path(sys.executable).parent

# the form data for each user task of the model, keyed by BPMN id
STEP_DATA = {
    "Task_Declare": ltp_declaration(),
    "Task_Pay": {"payment_method": "online", "payment_reference": "VNPAY-BENCH"},
    "Task_Receive": {"intake_decision": "accept"},
    "Task_Transfer": {},
    "Task_Verify": {"has_criminal_record": False},
    "Task_Sign": {"decision": "approve"},
    "Task_Deliver": {"delivered_via": "vneid"},
}
LANE_ROLE = {
    "citizen": "citizen",
    "one_stop_desk": "desk",
    "specialist": "specialist",
    "leader": "specialist",
}


def local_app():
    """The API with in-process connectors (``--connectors local``), for gunicorn."""
    from tests.helpers.people import local_connectors
    from toantrinh.api.app import create_app

    return create_app({"TOANTRINH_CONNECTORS": local_connectors})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _task_names() -> dict[str, str]:
    """Task name → BPMN id (the API's dossier view names the current tasks)."""
    from toantrinh.engine.parsing import parse_model

    folder = ROOT / "process_models" / MODEL
    info = parse_model((folder / f"{MODEL}.bpmn").read_bytes()).info
    return {meta.name: bpmn_id for bpmn_id, meta in info.tasks.items()}


def _prepare_database(url: str, env: dict) -> list[str]:
    """Migrate and deploy the library as an operator would; return notes on gaps."""
    subprocess.run(
        [str(BIN / "toantrinh"), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    from sqlalchemy import inspect

    from toantrinh.engine.db import Base, make_engine
    from toantrinh.engine.models_registry import import_all_models

    import_all_models()
    db = make_engine(url)
    missing = sorted(set(Base.metadata.tables) - set(inspect(db).get_table_names()))
    notes = []
    if missing:  # tables the migrations do not create yet (see the report)
        Base.metadata.create_all(db)
        notes.append(f"created tables missing from migrations: {', '.join(missing)}")
    db.dispose()
    subprocess.run(
        [str(BIN / "toantrinh"), "deploy", "--all"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return notes


def _tokens(base: str) -> dict[str, str]:
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    specs = {
        "citizen": {"name": "Nguyễn Văn An", "role": "citizen", "identity_number": CITIZEN_ID},
        "desk": {
            "name": "Vũ Một Cửa",
            "role": "officer",
            "agency": AGENCY,
            "lanes": ["one_stop_desk"],
        },
        "specialist": {
            "name": "Đỗ Chuyên Viên",
            "role": "officer",
            "agency": AGENCY,
            "lanes": ["specialist", "leader"],
        },
    }
    tokens = {}
    for key, spec in specs.items():
        response = requests.post(f"{base}/api/v1/auth/tokens", json=spec, headers=admin, timeout=30)
        response.raise_for_status()
        tokens[key] = response.json()["token"]
    return tokens


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, int]] = []  # (end time, kind, seconds, status)
        self.completions = 0

    def add(self, kind: str, started: float, status: int) -> None:
        now = time.perf_counter()
        with self.lock:
            self.samples.append((now, kind, now - started, status))
            if kind == "complete":
                self.completions += 1


def _client(
    base: str,
    tokens: dict,
    names: dict,
    rec: Recorder,
    stop: threading.Event,
    max_requests: int,
    think: Callable[[], float],
    errors: list,
) -> None:
    """One user agent: dossier after dossier until told to stop (or an unexpected answer)."""
    http = requests.Session()
    headers = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    while not stop.is_set():
        try:
            if not _one_dossier(http, base, headers, names, rec, stop, max_requests, think, errors):
                return
        except requests.RequestException as err:  # a timeout or reset: count it, go on
            errors.append(f"transport: {type(err).__name__}: {err}"[:300])
            rec.add("transport_error", time.perf_counter(), 0)


def _pauses(mean: float, random_: bool) -> Callable[[], float]:
    """The think time before each completion. Equal pauses keep the clients in step (they
    all start together, so their completions arrive in waves of ``--clients`` requests);
    random ones (exponential, so arrivals form a Poisson process) are what independent
    officers and citizens look like."""
    if not random_:
        return lambda: mean
    draw = random.Random()
    return lambda: draw.expovariate(1 / mean) if mean else 0.0


def _one_dossier(http, base, headers, names, rec, stop, max_requests, think, errors) -> bool:
    t0 = time.perf_counter()
    response = http.post(
        f"{base}/api/v1/dossiers", json={"model": MODEL}, headers=headers["citizen"], timeout=60
    )
    rec.add("start", t0, response.status_code)
    if response.status_code != 201:
        errors.append(f"start {response.status_code}: {response.text[:300]}")
        return False
    view = response.json()
    while view["status"] != "completed" and not stop.is_set():
        if not view["current_tasks"]:
            errors.append(
                f"dossier {view['id']} {view['status']} with no task: {view.get('last_error')}"
            )
            return False
        task = view["current_tasks"][0]
        bpmn_id = names[task["name"]]
        pause = think()
        if pause:
            time.sleep(pause)
        t0 = time.perf_counter()
        response = http.post(
            f"{base}/api/v1/tasks/{task['id']}/complete",
            json={"data": STEP_DATA[bpmn_id]},
            headers=headers[LANE_ROLE[task["lane"]]],
            timeout=60,
        )
        rec.add("complete", t0, response.status_code)
        if response.status_code != 200:
            errors.append(f"{bpmn_id} {response.status_code}: {response.text[:300]}")
            return False
        view = response.json()
        if rec.completions >= max_requests:
            stop.set()
    return True


def _fill(base, tokens, names, url, dossiers: int, agencies: int) -> dict[str, int]:
    """About ``dossiers`` dossiers in progress before the run, as a province has: 21 started
    over HTTP (a third waiting for the citizen, a third for the fee, a third at the desk),
    then cloned in SQL with their inbox rows and events (``bench/table_scale.py``)."""
    from bench.table_scale import clone_dossiers, settle, store_seed_states

    http = requests.Session()
    headers = {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}
    for n in range(21):
        view = http.post(
            f"{base}/api/v1/dossiers", json={"model": MODEL}, headers=headers["citizen"], timeout=60
        ).json()
        for _ in range(n % 3):
            task = view["current_tasks"][0]
            answer = http.post(
                f"{base}/api/v1/tasks/{task['id']}/complete",
                json={"data": STEP_DATA[names[task["name"]]]},
                headers=headers[LANE_ROLE[task["lane"]]],
                timeout=60,
            )
            answer.raise_for_status()
            view = answer.json()
    db = create_engine(url)
    try:
        store_seed_states(db)
        with db.begin() as conn:
            sizes = clone_dossiers(conn, dossiers, agencies)
        settle(db)
        return sizes
    finally:
        db.dispose()


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_snapshot(master: int, url: str) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn processes, the PostgreSQL backends of the
    bench database, and this client process (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    admin = create_engine(url)
    with admin.connect() as conn:
        backends = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        postgres = sum(_proc_cpu(pid) for pid in backends)
    admin.dispose()
    return {
        "app": sum(_proc_cpu(int(pid)) for pid in [master, *children]),
        "postgres": postgres,
        "client": _proc_cpu(os.getpid()),
    }


def _profile(master_pid: int, seconds: float, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(master_pid),
            "--subprocesses",
            "--duration",
            str(int(seconds)),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
            "--gil",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _summarise_profile(raw: Path, top: int = 25) -> dict:
    """Where the samples go, from py-spy's collapsed stacks (``--format raw``).

    ``project``: inclusive share of our own functions (engine/, api/), the ones a change
    here can speed up; ``packages``: self time per top-level package (where the CPU burns).
    """
    inclusive: collections.Counter = collections.Counter()
    packages: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = []
        for frame in stack.split(";"):
            name, _, where = frame.partition(" (")
            path = where.rsplit(":", 1)[0]
            if "site-packages/" in path:
                path = path.split("site-packages/")[-1]
            elif "/lib/python3" in path:
                path = "stdlib/" + path.split("/lib/python3")[-1].split("/", 1)[-1]
            frames.append((path.replace(str(ROOT) + "/", ""), name.strip()))
        frames = [f for f in frames if f[0] and not f[1].startswith("process ")]
        if not frames:
            continue
        total += n
        for path, name in set(frames):
            if path.startswith(("engine/", "api/")):
                inclusive[f"{path}:{name}"] += n
        package = frames[-1][0].split("/")[0].removesuffix(".py")
        packages[package if package != "stdlib" else "stdlib:" + frames[-1][0].split("/")[1]] += n
    if not total:
        return {}
    return {
        "samples": total,
        "project": [
            {"function": key, "inclusive_pct": round(100 * count / total, 1)}
            for key, count in inclusive.most_common(top)
        ],
        "packages": [
            {"package": key, "self_pct": round(100 * count / total, 1)}
            for key, count in packages.most_common(15)
        ],
    }


def _stats(
    samples: list[tuple[float, str, float, int]], kind: str, since: float, until: float
) -> dict:
    chosen = sorted(s[2] * 1000 for s in samples if s[1] == kind and since <= s[0] <= until)
    if not chosen:
        return {"requests": 0}
    pick = lambda q: round(chosen[min(len(chosen) - 1, int(len(chosen) * q))], 1)  # noqa: E731
    return {
        "requests": len(chosen),
        "per_second": round(len(chosen) / (until - since), 1),
        "p50_ms": round(statistics.median(chosen), 1),
        "p90_ms": pick(0.90),
        "p99_ms": pick(0.99),
        "max_ms": round(chosen[-1], 1),
    }


def run(url: str, args: argparse.Namespace, work: Path) -> dict:
    load_before = [round(x, 2) for x in os.getloadavg()]
    registry_port, app_port = _free_port(), _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
        TOANTRINH_REGISTRY_URL=f"http://127.0.0.1:{registry_port}",
        TOANTRINH_ADMIN_TOKEN=ADMIN_TOKEN,
        TOANTRINH_DATA_DIR=str(work),
        # the one citizen token here stands for the clients' many citizens: a budget it
        # never reaches, so that the limiter's cost is measured without its refusals
        TOANTRINH_RATE_LIMIT_CITIZEN="1000000 per minute",
    )
    notes = _prepare_database(url, env)
    registry = subprocess.Popen(
        [str(BIN / "toantrinh"), "registry", "serve", "--port", str(registry_port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    gunicorn_log = (work / "gunicorn.log").open("w")
    app = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            # the settings `toantrinh serve` and docs/deployment.md use (gthread, keep-alive
            # above the clients' pauses, the start-up heap frozen in each worker)
            "-c",
            "python:toantrinh.api.gunicorn_conf",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-b",
            f"127.0.0.1:{app_port}",
            "--timeout",
            "120",
            "--backlog",
            "2048",
            "toantrinh.api.app:create_app()"
            if args.connectors == "sandbox"
            else "bench.http_load:local_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=gunicorn_log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{app_port}"
    profile_rows: dict = {}
    try:
        _wait_http(f"http://127.0.0.1:{registry_port}/", registry)
        _wait_http(f"{base}/api/v1/tracking/none", app)
        tokens = _tokens(base)
        names = _task_names()
        if args.background:
            background = _fill(base, tokens, names, url, args.background, args.agencies)
            notes.append(f"background dossiers in progress: {background}")
        rec, stop, errors = Recorder(), threading.Event(), []
        clients = [
            threading.Thread(
                target=_client,
                daemon=True,
                args=(
                    base,
                    tokens,
                    names,
                    rec,
                    stop,
                    args.max_requests,
                    _pauses(args.think_ms / 1000, args.think_random),
                    errors,
                ),
            )
            for _ in range(args.clients)
        ]
        for thread in clients:
            thread.start()
        time.sleep(args.warmup)
        measured_from = time.perf_counter()
        cpu_before = _cpu_snapshot(app.pid, url)
        profiler = _profile(app.pid, args.profile, work / "profile.txt") if args.profile else None
        deadline = measured_from + args.duration
        while time.perf_counter() < deadline and not stop.is_set():
            time.sleep(0.2)
        measured_until = time.perf_counter()
        cpu_after = _cpu_snapshot(app.pid, url)
        stop.set()
        for thread in clients:
            thread.join(timeout=120)
        if profiler is not None:
            _, err = profiler.communicate(timeout=args.profile + 60)
            if (work / "profile.txt").exists():
                profile_rows = _summarise_profile(work / "profile.txt")
                if args.profile_raw:
                    shutil.copyfile(work / "profile.txt", args.profile_raw)
            else:
                notes.append(f"py-spy produced no profile: {err.decode(errors='replace')[-500:]}")
    finally:
        _stop(app)
        _stop(registry)
        gunicorn_log.close()
    statuses = collections.Counter(s[3] for s in rec.samples)
    complete = _stats(rec.samples, "complete", measured_from, measured_until)
    start = _stats(rec.samples, "start", measured_from, measured_until)
    served = complete["requests"] + start["requests"]
    cpu = {
        part: round(1000 * (cpu_after[part] - cpu_before.get(part, 0.0)) / max(served, 1), 2)
        for part in ("app", "postgres", "client")
    }
    return {
        "clients": args.clients,
        "background_dossiers": args.background,
        "gunicorn_workers": args.workers,
        "threads": args.threads,
        "think_ms": args.think_ms,
        "think_random": args.think_random,
        "connectors": args.connectors,
        "load_average_before": load_before,
        "warmup_s": args.warmup,
        "measured_s": round(measured_until - measured_from, 1),
        "complete": complete,
        "start": start,
        "cpu_ms_per_request": cpu,
        "capacity_estimate_rps": round(
            1000 * (os.cpu_count() or 1) / max(sum(cpu.values()), 0.01), 1
        ),
        "http_statuses": {str(k): v for k, v in sorted(statuses.items())},
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "errors": errors[:10],
        "notes": notes,
        "profile_top": profile_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5, help="seconds not measured")
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="stop after this many completions"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument(
        "--connectors",
        choices=("local", "sandbox"),
        default="local",
        help="in-process registries, or the sandbox registry service over HTTP",
    )
    parser.add_argument("--think-ms", type=float, default=0, help="pause before each completion")
    parser.add_argument(
        "--think-random",
        action="store_true",
        help="pauses drawn at random (exponential, mean --think-ms) instead of all equal",
    )
    parser.add_argument(
        "--background",
        type=int,
        default=0,
        help="dossiers in progress in the database before the run (cloned; 0 = none)",
    )
    parser.add_argument(
        "--agencies", type=int, default=63, help="agencies the background dossiers belong to"
    )
    parser.add_argument("--profile", type=float, default=0, help="py-spy seconds (0 = no profile)")
    parser.add_argument(
        "--profile-raw", help="also keep py-spy's collapsed stacks in this file (for drilling down)"
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "http_load.json"))
    args = parser.parse_args()
    if not args.pg.startswith("postgres"):
        parser.error("needs PostgreSQL (--pg or DATABASE_URL)")

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with scratch_database(args.pg) as url, tempfile.TemporaryDirectory() as tmp:
        result = run(url, args, Path(tmp))

    print(
        f"gunicorn -w {args.workers} -k gthread --threads {args.threads}; {args.clients} clients, "
        f"think {args.think_ms} ms{' (random)' if args.think_random else ''}, "
        f"{result['measured_s']} s measured after {args.warmup} s warm-up"
    )
    print(
        f"{'request':<24}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for label, key in (
        ("POST tasks/{id}/complete", "complete"),
        ("POST dossiers (start)", "start"),
    ):
        s = result[key]
        if s["requests"]:
            print(
                f"{label:<24}{s['requests']:>8}{s['per_second']:>9}{s['p50_ms']:>9}{s['p90_ms']:>9}"
                f"{s['p99_ms']:>9}{s['max_ms']:>9}"
            )
    cpu = result["cpu_ms_per_request"]
    print(
        f"CPU per request: app {cpu['app']} ms, PostgreSQL {cpu['postgres']} ms, "
        f"load client {cpu['client']} ms -> at most ~{result['capacity_estimate_rps']} req/s "
        f"on {os.cpu_count()} cores; load average {result['load_average_before']} before, "
        f"{result['load_average_after']} after"
    )
    print(f"HTTP statuses: {result['http_statuses']}")
    for line in result["errors"] + result["notes"]:
        print(f"! {line}")
    profile = result["profile_top"]
    if profile:
        print(
            f"\nprofile: py-spy --gil over all gunicorn workers, {args.profile:.0f} s, "
            f"{profile['samples']} samples holding the GIL"
        )
        print("  our functions, inclusive %:")
        for row in profile["project"]:
            print(f"  {row['inclusive_pct']:>6}  {row['function']}")
        print("  self time by package, %:")
        for row in profile["packages"]:
            print(f"  {row['self_pct']:>6}  {row['package']}")
    Path(args.out).write_text(
        json.dumps(
            {
                "benchmark": "http_load",
                "procedure": MODEL,
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
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
