"""The requests of a working day against a full database: which queries grow with it.

The other benchmarks start from empty tables, where every query is fast whatever its plan.
A province runs with tens of thousands of dossiers in progress. This script measures the
same requests twice in one PostgreSQL database: first with only a few seed dossiers, then
after cloning them into ``--dossiers`` dossiers in progress (their inbox rows, events and
timers too, spread over ``--agencies`` agencies and as many applicants as dossiers), with
the table statistics refreshed as autovacuum would.

For every request it reports the median time through the real app (Flask test client, in
process), the statements it sent, and, from ``EXPLAIN`` of each statement it sent, any
sequential scan of a table that holds more than ``--big`` rows: a request whose cost grows
with the database shows up as one. The worker's sweeps (due timers, pending advances and
retries, pending messages) are measured the same way, through the engine.

    python bench/table_scale.py [--dossiers 100000] [--agencies 63] [--repeat 15] [--pg URL]

Prints a table and writes JSON to ``bench/results/table_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.http_load import MODEL, STEP_DATA  # noqa: E402 (the same dossiers as the load)
from bench.scratch import scratch_database  # noqa: E402
from toantrinh.engine.service import Engine  # noqa: E402

ADMIN_TOKEN = f"bench-admin-{uuid.uuid4().hex}"
DECLARE, PAY = STEP_DATA["Task_Declare"], STEP_DATA["Task_Pay"]
# the tables the clone fills, in the order their rows are copied
CLONED = ("dossier", "ready_task", "dossier_event", "timer", "message_subscription")


class Captured:
    """The statements the app sends (transaction control and pings left out)."""

    def __init__(self, bind):
        self.rows: list[tuple[str, object]] = []
        self.on = False
        event.listen(bind, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip()[:8].upper()
        control = head.startswith(("BEGIN", "COMMIT", "ROLLBACK")) or statement.strip() in (
            "SELECT 1",
            ";",
        )
        if self.on and not executemany and not control:
            self.rows.append((statement, parameters))


def _seed(client, headers, seeds: int) -> dict:
    """``seeds`` dossiers of the citizen, at different steps."""
    ids = []
    for n in range(seeds):
        started = client.post("/api/v1/dossiers", json={"model": MODEL}, headers=headers["citizen"])
        assert started.status_code == 201, started.get_data(as_text=True)
        view = started.get_json()
        ids.append(view["id"])
        # a third waits for the citizen's declaration, a third for the fee, a third at
        # the one-stop desk
        for data in (DECLARE, PAY)[: n % 3]:
            task = view["current_tasks"][0]
            done = client.post(
                f"/api/v1/tasks/{task['id']}/complete",
                json={"data": data},
                headers=headers["citizen"],
            )
            assert done.status_code == 200, done.get_data(as_text=True)
            view = done.get_json()
    return {"ids": ids}


def store_seed_states(bind) -> int:
    """The seeds' whole states stored (``toantrinh dossier settle``): a clone copies a
    dossier's row, not the journal rows its last steps are in (engine/store/journal.py)."""
    with Session(bind=bind) as session:
        return Engine(session).settle_journals(limit=1_000_000, idle_seconds=0)


def clone_dossiers(conn, dossiers: int, agencies: int) -> dict[str, int]:
    """About ``dossiers`` copies of the dossiers there are (those with one ready task),
    with their index rows and events: other applicants' dossiers (distinct identity
    numbers) at agencies 1…n (agency 0 is the seeds' own, the bench officer's, and gets
    its share of the clones). The seeds' states must be whole: :func:`store_seed_states`."""
    clonable = conn.execute(
        text(
            "SELECT count(*) FROM (SELECT dossier_id FROM ready_task GROUP BY dossier_id"
            " HAVING count(*) = 1) one"
        )
    ).scalar()
    copies = max(1, dossiers // max(1, clonable))
    # each clone's ready task gets an id of its own, in its inbox row and in its state
    # (task ids are unique across dossiers, and the API finds a task by its id alone), so
    # that the clones are dossiers the engine can step like any other
    conn.execute(
        text("CREATE TEMP TABLE clone (seed int, g int, id int, agency text, old text, new text)")
    )
    conn.execute(
        text(
            "INSERT INTO clone SELECT d.id, g, nextval(pg_get_serial_sequence('dossier', 'id')),"
            " CASE WHEN g % :agencies = 0 THEN d.agency"
            " ELSE d.agency || ' tỉnh ' || (g % :agencies) END, r.task_id,"
            " md5(d.id::text || '-' || g::text || r.task_id)::uuid::text"
            " FROM dossier d JOIN ready_task r ON r.dossier_id = d.id"
            " CROSS JOIN generate_series(1, :copies) g"
            " WHERE (SELECT count(*) FROM ready_task x WHERE x.dossier_id = d.id) = 1"
        ),
        {"copies": copies, "agencies": agencies},
    )
    conn.execute(
        text(
            "INSERT INTO dossier (id, receipt_code, version_id, applicant_id, channel, agency,"
            " status, state, link_id, lock_version, state_version, created_at, updated_at,"
            " completed_at, due_at, last_error, error_retryable, retry_at, full_online,"
            " needs_advance)"
            " SELECT c.id, left(d.receipt_code, 20) || '-' || c.g, d.version_id,"
            " lpad(c.id::text, 12, '0'), d.channel, c.agency, d.status,"
            " replace(d.state, c.old, c.new), d.link_id,"
            " d.lock_version, d.state_version, d.created_at - make_interval(mins => c.g),"
            " d.updated_at - make_interval(mins => c.g), d.completed_at, d.due_at,"
            " d.last_error, d.error_retryable, d.retry_at, d.full_online, d.needs_advance"
            " FROM clone c JOIN dossier d ON d.id = c.seed"
        )
    )
    conn.execute(
        text(
            "INSERT INTO ready_task (dossier_id, task_id, bpmn_id, name, lane, agency,"
            " created_at, claimed_by, claimed_at)"
            " SELECT c.id, c.new, r.bpmn_id, r.name, r.lane, c.agency,"
            " r.created_at - make_interval(mins => c.g), r.claimed_by, r.claimed_at"
            " FROM clone c JOIN ready_task r ON r.dossier_id = c.seed AND r.task_id = c.old"
        )
    )
    conn.execute(
        text(
            "INSERT INTO dossier_event (dossier_id, at, actor, kind, task_id, task_name, detail)"
            " SELECT c.id, e.at - make_interval(mins => c.g), e.actor, e.kind, e.task_id,"
            " e.task_name, e.detail FROM clone c JOIN dossier_event e ON e.dossier_id = c.seed"
        )
    )
    conn.execute(
        text(
            "INSERT INTO timer (dossier_id, task_id, name, due_at)"
            " SELECT c.id, md5(c.id::text || t.task_id), t.name, t.due_at"
            " FROM clone c JOIN timer t ON t.dossier_id = c.seed"
        )
    )
    conn.execute(
        text(
            "INSERT INTO message_subscription (dossier_id, name, link_id)"
            " SELECT c.id, s.name, s.link_id"
            " FROM clone c JOIN message_subscription s ON s.dossier_id = c.seed"
        )
    )
    conn.execute(text("DROP TABLE clone"))
    conn.execute(text("ANALYZE"))
    return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in CLONED}


def settle(bind) -> None:
    """What a database that grew over months has and a fresh bulk load has not: its
    tables vacuumed (visibility map set, so index-only scans skip the heap) and its
    writes checkpointed. Without it, autovacuum and a checkpoint would run during the
    measurement and be measured."""
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in CLONED:
            conn.execute(text(f'VACUUM (ANALYZE) "{table}"'))
        conn.execute(text("CHECKPOINT"))


def _requests(client, headers, seeds: dict, state: dict):
    """(label, who, call) for each request of the day; ``state`` carries ids between them."""
    citizen, desk = headers["citizen"], headers["desk"]
    dossier = seeds["ids"][0]

    def start():
        r = client.post("/api/v1/dossiers", json={"model": MODEL}, headers=citizen)
        state["task"] = r.get_json()["current_tasks"][0]["id"]
        state["receipt"] = r.get_json()["receipt_code"]
        return r

    def declare():  # a fresh task at every repetition: the one start() left
        task = state.pop("task")
        return client.post(
            f"/api/v1/tasks/{task}/complete", json={"data": DECLARE}, headers=citizen
        )

    def started_if_needed():
        if "task" not in state:
            start()

    def desk_inbox():
        r = client.get("/api/v1/tasks?per_page=20", headers=desk)
        items = r.get_json()["items"]
        state["desk_task"] = items[0]["id"] if items else None
        return r

    return [
        ("citizen: submit a dossier", start),
        ("citizen: complete a task", declare, started_if_needed),
        ("citizen: my dossiers", lambda: client.get("/api/v1/dossiers", headers=citizen)),
        (
            "citizen: one dossier",
            lambda: client.get(f"/api/v1/dossiers/{dossier}", headers=citizen),
        ),
        (
            "citizen: its history",
            lambda: client.get(f"/api/v1/dossiers/{dossier}/events", headers=citizen),
        ),
        ("citizen: my inbox", lambda: client.get("/api/v1/tasks", headers=citizen)),
        ("desk: inbox, first page", desk_inbox),
        (
            "desk: inbox, claimed by me",
            lambda: client.get("/api/v1/tasks?claimed=mine", headers=desk),
        ),
        (
            "desk: one task",
            lambda: client.get(f"/api/v1/tasks/{state['desk_task']}", headers=desk),
        ),
        ("public: track by receipt", lambda: client.get(f"/api/v1/tracking/{state['receipt']}")),
        (
            "desk: the agency's dossiers",
            lambda: client.get("/api/v1/dossiers?per_page=20", headers=desk),
        ),
        (
            "admin: every agency's inbox, first page",
            lambda: client.get(
                "/api/v1/tasks?per_page=20", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
            ),
        ),
        (
            "reformer: EMC indicators, 30 days",
            lambda: client.get("/api/v1/metrics", headers=headers["reformer"]),
        ),
    ]


def _explain(conn, statement: str, parameters, big: dict[str, int]) -> list[str]:
    """The tables of more than ``big`` rows that the plan of ``statement`` scans whole."""
    if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
        return []
    plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    scans = []

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in big:
            scans.append(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return scans


def _measure(app, client, headers, seeds, captured, repeat: int, big: dict[str, int]) -> list:
    from toantrinh.api.app import db
    from toantrinh.engine.service import Engine, iter_pending_advances, iter_pending_retries

    state: dict = {}
    rows = []
    with app.app_context():
        bind = db.engine
    sweeps = [
        ("worker: due timers", lambda s: Engine(s).fire_due_timers(limit=100)),
        ("worker: pending advances", lambda s: list(iter_pending_advances(s))),
        ("worker: pending retries", lambda s: list(iter_pending_retries(s))),
        ("worker: pending messages", lambda s: Engine(s).route_messages(limit=100)),
    ]
    from toantrinh.engine.db import make_sessionmaker

    sessions = make_sessionmaker(bind)
    calls = list(_requests(client, headers, seeds, state))
    calls += [(label, lambda fn=fn: _in_session(sessions, fn)) for label, fn in sweeps]
    for label, call, *prepare in calls:
        times = []
        for n in range(repeat):
            for step in prepare:  # untimed, unrecorded
                step()
            captured.rows.clear()
            captured.on = True
            t0 = time.perf_counter()
            answer = call()
            times.append(time.perf_counter() - t0)
            captured.on = False
            status = getattr(answer, "status_code", 200)
            assert status < 400, (label, status, answer.get_data(as_text=True))
            if n == 0:
                sent = list(captured.rows)
        with bind.connect() as conn:
            scans = sorted({s for st, p in sent for s in _explain(conn, st, p, big)})
        rows.append(
            {
                "request": label,
                "ms_median": round(statistics.median(times) * 1000, 2),
                "ms_max": round(max(times) * 1000, 2),
                "statements": len(sent),
                "full_scans": scans,
            }
        )
    return rows


def _in_session(sessions, fn):
    with sessions() as session:
        return fn(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--big", type=int, default=10_000, help="rows that make a table big")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "table_scale.json"))
    args = parser.parse_args()

    with scratch_database(args.pg) as url:
        os.environ["TOANTRINH_ADMIN_TOKEN"] = ADMIN_TOKEN
        from tests.helpers.people import CITIZEN_ID, local_connectors
        from toantrinh.api.app import create_app, db
        from toantrinh.engine.migrate import upgrade
        from toantrinh.engine.service import Engine

        upgrade(url)
        # the seeding citizen token stands for many citizens: no budget in its way
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "TOANTRINH_CONNECTORS": local_connectors,
                "TOANTRINH_RATE_LIMIT_CITIZEN": "1000000 per minute",
            }
        )
        with app.app_context():
            Engine(db.session, connectors=local_connectors()).deploy_folder(
                ROOT / "process_models" / MODEL
            )
            agency = db.session.execute(
                text("SELECT procedure->>'agency' FROM process_model")
            ).scalar()
            bind = db.engine
        client = app.test_client()
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        headers = {}
        for key, spec in {
            "citizen": {"name": "Nguyễn Văn An", "role": "citizen", "identity_number": CITIZEN_ID},
            "desk": {
                "name": "Vũ Một Cửa",
                "role": "officer",
                "agency": agency,
                "lanes": ["one_stop_desk"],
            },
            "reformer": {"name": "Tổ cải cách", "role": "reformer"},
        }.items():
            made = client.post("/api/v1/auth/tokens", json=spec, headers=admin)
            assert made.status_code == 201, made.get_data(as_text=True)
            headers[key] = {"Authorization": f"Bearer {made.get_json()['token']}"}
        seeds = _seed(client, headers, args.seeds)
        captured = Captured(bind)
        with bind.begin() as conn:
            conn.execute(text("ANALYZE"))
            small = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in CLONED}
        big_tables = lambda sizes: {t: n for t, n in sizes.items() if n > args.big}  # noqa: E731
        before = _measure(app, client, headers, seeds, captured, args.repeat, big_tables(small))
        t0 = time.perf_counter()
        store_seed_states(bind)
        with bind.begin() as conn:
            sizes = clone_dossiers(conn, args.dossiers, args.agencies)
        settle(bind)
        cloned_in = time.perf_counter() - t0
        after = _measure(app, client, headers, seeds, captured, args.repeat, big_tables(sizes))
        with app.app_context():
            db.engine.dispose()

    print(f"tables before: {small}")
    print(f"tables after:  {sizes} (cloned in {cloned_in:.1f} s)")
    print()
    head = f"| request | ms, {args.seeds} dossiers | ms, {sizes['dossier']:,} dossiers | x | statements | full scans of big tables |"
    print(head)
    print("|---|---|---|---|---|---|")
    for b, a in zip(before, after, strict=True):
        ratio = a["ms_median"] / b["ms_median"] if b["ms_median"] else float("nan")
        scans = ", ".join(a["full_scans"]) or "none"
        print(
            f"| {a['request']} | {b['ms_median']:.2f} | {a['ms_median']:.2f} | {ratio:.2f} "
            f"| {a['statements']} | {scans} |"
        )
    result = {
        "args": vars(args),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average": os.getloadavg(),
        "tables_before": small,
        "tables_after": sizes,
        "clone_seconds": round(cloned_in, 1),
        "before": before,
        "after": after,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
