"""What one task completion costs the database, and the short-lived caches that keep it
low (issue 7: p99 under 100 ms at 50 concurrent clients on two cores).

Statements are counted on the real app and the real database (SQLite and PostgreSQL)
with an SQLAlchemy ``before_cursor_execute`` listener; transaction control (BEGIN,
COMMIT, ROLLBACK) and SQLite pragmas are not counted.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, text, update

from tests.api.conftest import ADMIN_TOKEN, AGENCY, LLTP
from tests.helpers.people import CITIZEN_ID, local_connectors, ltp_declaration
from toantrinh.api.app import db
from toantrinh.api.cache import TtlCache
from toantrinh.api.models import ApiToken, ApiWebhook
from toantrinh.engine import clock
from toantrinh.engine.persistence import ReadyTask
from toantrinh.engine.queries import _TASK_ROW
from toantrinh.engine.service import Engine
from toantrinh.engine.store.statecache import WORKFLOWS

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
STATE_COLUMN = re.compile(r"\bdossier\.state\b")  # not dossier.state_version
CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)\b", re.IGNORECASE)
#: the API's own statements around the engine's step: the inbox row with its dossier (the
#: answer's inbox is the one the step wrote, not read back)
API_STATEMENTS = 1
#: the whole request: that one and the engine's 6 (index rows read in one query, the event,
#: the dossier UPDATE — without its state —, the step's journal row in place of the state
#: (engine/store/journal.py), the inbox row gone and the next one added)
TOTAL_STATEMENTS = 7


def _deploy(client) -> None:
    response = client.post(
        "/api/v1/models",
        headers=ADMIN,
        json={
            "bpmn": (LLTP / "ly-lich-tu-phap.bpmn").read_text(encoding="utf-8"),
            "procedure": json.loads((LLTP / "procedure.json").read_text(encoding="utf-8")),
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def _token(client, **spec) -> dict[str, str]:
    made = client.post("/api/v1/auth/tokens", headers=ADMIN, json=spec)
    assert made.status_code == 201, made.get_data(as_text=True)
    return {"Authorization": f"Bearer {made.get_json()['token']}"}


class Statements:
    """SQL statements the app sends, each tagged with whether the engine's
    ``complete_task`` was running."""

    def __init__(self, app, monkeypatch):
        self.rows: list[tuple[bool, str]] = []
        self.sent: list[tuple[str, object]] = []  # as sent, with their parameters
        self.in_engine = False
        with app.app_context():
            self.bind = db.engine
        event.listen(self.bind, "before_cursor_execute", self._seen)
        original = Engine.complete_task

        def complete_task(engine, *args, **kwargs):
            self.in_engine = True
            try:
                return original(engine, *args, **kwargs)
            finally:
                self.in_engine = False

        monkeypatch.setattr(Engine, "complete_task", complete_task)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if not CONTROL.match(statement):
            self.rows.append((self.in_engine, " ".join(statement.split())))
            self.sent.append((statement, parameters))

    def close(self) -> None:
        event.remove(self.bind, "before_cursor_execute", self._seen)

    def __call__(self, *, api_only: bool = False) -> list[str]:
        return [s for in_engine, s in self.rows if not (api_only and in_engine)]


@pytest.fixture
def counted(app_factory, monkeypatch):
    # what a deployment sends: the suite's rebuild of every journaled step after its
    # commit (TOANTRINH_VERIFY_JOURNAL, tests/conftest.py) is not counted
    monkeypatch.setenv("TOANTRINH_VERIFY_JOURNAL", "0")
    app = app_factory(TOANTRINH_TOKEN_CACHE_SECONDS=60, TOANTRINH_WEBHOOK_CACHE_SECONDS=60)
    client = app.test_client()
    _deploy(client)
    statements = Statements(app, monkeypatch)
    yield client, statements
    statements.close()


def test_completing_a_task_reads_the_dossier_once_and_issues_few_statements(counted):
    client, statements = counted
    citizen = _token(client, name="Hương", role="citizen", identity_number=CITIZEN_ID)
    started = client.post("/api/v1/dossiers", headers=citizen, json={"model": "ly-lich-tu-phap"})
    assert started.status_code == 201, started.get_data(as_text=True)
    (task,) = started.get_json()["current_tasks"]
    statements.rows.clear()

    done = client.post(
        f"/api/v1/tasks/{task['id']}/complete",
        headers=citizen,
        json={"data": ltp_declaration()},
    )

    assert done.status_code == 200, done.get_data(as_text=True)
    answer = done.get_json()
    assert [t["name"] for t in answer["current_tasks"]] == ["Nộp phí cấp Phiếu lý lịch tư pháp"]
    assert answer["data"]["purpose"] == "Bổ sung hồ sơ xin việc"
    everything = statements()
    assert len(statements(api_only=True)) <= API_STATEMENTS, statements(api_only=True)
    assert len(everything) <= TOTAL_STATEMENTS, everything
    # the workflow this process committed at the start is reused: its ~10 KB state is
    # neither read nor sent back by the database
    assert not [s for s in everything if s.startswith("SELECT") and STATE_COLUMN.search(s)]
    assert not [s for s in everything if "api_tokens" in s or "api_webhooks" in s], everything

    # as if another process had taken the last step: the state is read once, with the
    # lock version the dossier row was read with
    WORKFLOWS.clear()
    (task,) = answer["current_tasks"]
    statements.rows.clear()
    paid = client.post(
        f"/api/v1/tasks/{task['id']}/complete",
        headers=citizen,
        json={"data": {"payment_method": "online", "payment_reference": "VNPAY-1"}},
    )
    assert paid.status_code == 200, paid.get_data(as_text=True)
    everything = statements()
    reads = [s for s in everything if s.startswith("SELECT") and STATE_COLUMN.search(s)]
    assert len(reads) == 1 and "lock_version" in reads[0], reads
    assert len(everything) <= TOTAL_STATEMENTS + 1, everything


def test_a_token_revoked_elsewhere_is_refused_once_the_cache_entry_expires(app_factory):
    client = app_factory(TOANTRINH_TOKEN_CACHE_SECONDS=0.5).test_client()
    reformer = _token(client, name="Cải cách", role="reformer")
    assert client.get("/api/v1/auth/me", headers=reformer).status_code == 200
    # another gunicorn worker (or the CLI) revokes it: this process does not hear of it
    with client.application.app_context():
        db.session.execute(update(ApiToken).values(revoked_at=clock.now()))
        db.session.commit()
    assert client.get("/api/v1/auth/me", headers=reformer).status_code == 200
    time.sleep(0.6)
    assert client.get("/api/v1/auth/me", headers=reformer).status_code == 401


def test_a_cached_token_still_expires_on_time(app_factory):
    client = app_factory(TOANTRINH_TOKEN_CACHE_SECONDS=3600).test_client()
    short = _token(client, name="Tạm", role="reformer", expires_in_hours=1)
    assert client.get("/api/v1/auth/me", headers=short).status_code == 200
    clock.advance(2 * 3600)
    assert client.get("/api/v1/auth/me", headers=short).status_code == 401


def test_a_webhook_added_elsewhere_is_used_once_the_cache_entry_expires(app_factory, receiver):
    url, received = receiver
    client = app_factory(TOANTRINH_WEBHOOK_CACHE_SECONDS=0.5).test_client()
    _deploy(client)
    start = {"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
    assert client.post("/api/v1/dossiers", headers=ADMIN, json=start).status_code == 201
    with client.application.app_context():  # as another process would
        db.session.add(
            ApiWebhook(url=url, events=["dossier_started"], secret="k" * 16, active=True)
        )
        db.session.commit()
    assert client.post("/api/v1/dossiers", headers=ADMIN, json=start).status_code == 201
    assert received == []
    time.sleep(0.6)
    third = client.post("/api/v1/dossiers", headers=ADMIN, json=start)
    assert [json.loads(body)["receipt_code"] for _, body in received] == [
        third.get_json()["receipt_code"]
    ]


def test_a_webhook_deleted_through_this_process_stops_at_once(app_factory, receiver):
    url, received = receiver
    client = app_factory(TOANTRINH_WEBHOOK_CACHE_SECONDS=3600).test_client()
    _deploy(client)
    hook = client.post(
        "/api/v1/webhooks", headers=ADMIN, json={"url": url, "events": ["dossier_started"]}
    )
    start = {"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID}
    assert client.post("/api/v1/dossiers", headers=ADMIN, json=start).status_code == 201
    assert [json.loads(body)["event"] for _, body in received] == ["dossier_started"]
    deleted = client.delete(f"/api/v1/webhooks/{hook.get_json()['id']}", headers=ADMIN)
    assert deleted.status_code == 204
    assert client.post("/api/v1/dossiers", headers=ADMIN, json=start).status_code == 201
    assert len(received) == 1


def test_ttl_cache_forgets_expired_entries_and_stays_bounded():
    cache = TtlCache(ttl=0.2, size=3)
    for key in "abcd":
        cache.put(key, key.upper())
    assert [cache.get(k) for k in "abcd"] == [None, "B", "C", "D"]  # the oldest made room
    cache.pop("b")
    assert cache.get("b") is None
    time.sleep(0.25)
    assert cache.get("c") is None and cache.get("d") is None
    off = TtlCache(ttl=0)
    off.put("a", 1)
    assert off.get("a") is None


PARALLEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  id="Defs_Parallel" targetNamespace="http://toantrinh.vn/test">
  <bpmn:process id="ba_buoc_song_song" name="Ba bước song song" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="Split"><bpmn:incoming>F0</bpmn:incoming>
      <bpmn:outgoing>F1</bpmn:outgoing><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:outgoing>F3</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:userTask id="Task_A" name="Thẩm định hồ sơ"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Task_B" name="Xác minh thực địa"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Task_C" name="Lấy ý kiến cơ quan liên quan"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F6</bpmn:outgoing></bpmn:userTask>
    <bpmn:parallelGateway id="Join"><bpmn:incoming>F4</bpmn:incoming>
      <bpmn:incoming>F5</bpmn:incoming><bpmn:incoming>F6</bpmn:incoming>
      <bpmn:outgoing>F7</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:endEvent id="EndEvent_1"><bpmn:incoming>F7</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="StartEvent_1" targetRef="Split"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Split" targetRef="Task_A"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Split" targetRef="Task_B"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Split" targetRef="Task_C"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Task_A" targetRef="Join"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Task_B" targetRef="Join"/>
    <bpmn:sequenceFlow id="F6" sourceRef="Task_C" targetRef="Join"/>
    <bpmn:sequenceFlow id="F7" sourceRef="Join" targetRef="EndEvent_1"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_answer_to_a_step_lists_the_inbox_as_a_fresh_read_does(counted):
    """The answer to a completion lists the dossier's tasks from what the step wrote, not
    read back: in the inbox's order, with the claims of the tasks it kept."""
    client, statements = counted
    deployed = client.post(
        "/api/v1/models",
        headers=ADMIN,
        json={"bpmn": PARALLEL, "procedure": {"name": {"vi": "Ba bước song song"}}},
    )
    assert deployed.status_code == 201, deployed.get_data(as_text=True)
    started = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": deployed.get_json()["slug"], "applicant_id": CITIZEN_ID},
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    view = started.get_json()
    url = f"/api/v1/dossiers/{view['id']}"

    def fresh() -> list[dict]:
        read = client.get(url, headers=ADMIN)
        assert read.status_code == 200, read.get_data(as_text=True)
        return read.get_json()["current_tasks"]

    assert len(view["current_tasks"]) == 3
    assert view["current_tasks"] == fresh()
    by_name = {t["name"]: t["id"] for t in view["current_tasks"]}
    claimed = client.post(f"/api/v1/tasks/{by_name['Xác minh thực địa']}/claim", headers=ADMIN)
    assert claimed.status_code == 200, claimed.get_data(as_text=True)
    holder = claimed.get_json()["claimed_by"]
    assert holder

    for name, left in (
        ("Lấy ý kiến cơ quan liên quan", ["Thẩm định hồ sơ", "Xác minh thực địa"]),
        ("Thẩm định hồ sơ", ["Xác minh thực địa"]),
    ):
        statements.rows.clear()
        done = client.post(
            f"/api/v1/tasks/{by_name[name]}/complete", headers=ADMIN, json={"data": {}}
        )
        assert done.status_code == 200, done.get_data(as_text=True)
        # the answer's inbox came from the step itself: no read of the inbox after it
        assert not [s for s in statements() if s.startswith("SELECT ready_task.task_id")]
        answer = done.get_json()["current_tasks"]
        assert [t["name"] for t in answer] == left
        assert {t["name"]: t["claimed_by"] for t in answer}["Xác minh thực địa"] == holder
        assert answer == fresh()

    last = client.post(
        f"/api/v1/tasks/{by_name['Xác minh thực địa']}/complete", headers=ADMIN, json={"data": {}}
    )
    assert last.status_code == 200, last.get_data(as_text=True)
    assert last.get_json()["status"] == "completed"
    assert last.get_json()["current_tasks"] == [] == fresh()


def test_a_task_is_found_by_its_id_through_an_index_however_full_the_inbox(session, db_engine):
    """Every task request looks its inbox row up by the task id alone; with thousands of
    dossiers in progress that must read an index entry, not the whole table."""
    engine = Engine(session, connectors=local_connectors())
    engine.deploy_folder(LLTP)
    dossier = engine.start("ly-lich-tu-phap", applicant_id=CITIZEN_ID)
    session.execute(
        insert(ReadyTask),
        [
            {
                "dossier_id": dossier.id,
                "task_id": f"t{n:05d}",
                "bpmn_id": "Task_Declare",
                "name": "Kê khai",
                "lane": "citizen",
                "agency": "Sở Tư pháp",
            }
            for n in range(5000)
        ],
    )
    session.commit()
    with db_engine.connect() as conn:
        sql = str(_TASK_ROW.compile(dialect=conn.dialect))
        sqlite = conn.dialect.name == "sqlite"
        plan = _plan(conn, sql, ("t00077",) if sqlite else {"task_id": "t00077"})
        found = conn.execute(_TASK_ROW, {"task_id": "t00077"}).all()
    assert "ix_ready_task_task_id" in plan, plan
    assert len(found) == 1


def _plan(conn, sql: str, parameters) -> str:
    """The query plan of ``sql`` as the database would run it now (statistics refreshed
    first), as text: ``EXPLAIN`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite."""
    sqlite = conn.dialect.name == "sqlite"
    conn.execute(text("ANALYZE" if sqlite else "ANALYZE ready_task"))
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    rows = conn.exec_driver_sql(explain + sql, parameters).all()
    return "\n".join(" ".join(str(c) for c in row) for row in rows)


def test_an_officers_inbox_page_reads_its_rows_in_order_from_an_index(counted):
    """A busy agency's inbox: the page is read in order of arrival from the inbox index,
    not sorted from every row of the agency's lanes."""
    client, statements = counted
    started = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
    )
    assert started.status_code == 201, started.get_data(as_text=True)
    dossier_id = started.get_json()["id"]
    base = clock.now()
    with client.application.app_context():
        db.session.execute(
            insert(ReadyTask),
            [
                {
                    "dossier_id": dossier_id,
                    "task_id": f"t{n:05d}",
                    "bpmn_id": "Task_Receive",
                    "name": "Tiếp nhận",
                    "lane": "one_stop_desk",
                    "agency": AGENCY,
                    "created_at": base.replace(microsecond=0) - timedelta(seconds=n),
                }
                for n in range(3000)
            ],
        )
        db.session.commit()
    desk = _token(client, name="Vũ Một Cửa", role="officer", agency=AGENCY, lanes=["one_stop_desk"])
    statements.sent.clear()
    page = client.get("/api/v1/tasks?per_page=20&page=2", headers=desk)
    assert page.status_code == 200, page.get_data(as_text=True)
    answer = page.get_json()
    assert answer["total"] == 3000
    # oldest first: t02999 … t02980 on page 1, then t02979 … t02960
    assert [t["id"] for t in answer["items"]] == [f"t{n:05d}" for n in range(2979, 2959, -1)]
    (paged,) = [(st, p) for st, p in statements.sent if "LIMIT" in st.upper()]
    with client.application.app_context(), db.engine.connect() as conn:
        plan = _plan(conn, *paged)
    assert "ix_ready_task_inbox" in plan, plan
