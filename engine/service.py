"""The engine service: deploy models, run dossiers, fire timers, route messages.

:class:`Engine` is a small service object around one SQLAlchemy session. Every public
method that changes a dossier is one transaction: load the dossier's state, step the
workflow, save state + events + timer/message/inbox indexes, commit. The dossier row's
``lock_version`` makes the save conditional, so of two concurrent steps on one dossier
exactly one commits; the other gets :class:`ConflictError` and nothing of it is kept.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.specs.defaults import ServiceTask
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import (
    JSON,
    Integer,
    any_,
    bindparam,
    cast,
    delete,
    func,
    inspect,
    literal_column,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.state import InstanceState

from engine import attachments as filelib
from engine import (
    audit,
    clock,
    conflicts,
    correlation,
    deadlines,
    deploy_checks,
    event_subprocesses,
    filestore,
    inbox,
    journal,
    result_document,
    retries,
    timers,
)
from engine import forms as formlib
from engine.caches import LruCache, size_setting
from engine.connectors import ConnectorError, ConnectorRegistry
from engine.db import UTCDateTime, sqlite_write_intent
from engine.document_validity import default_until
from engine.filestore import FileStore
from engine.ids import row_id
from engine.parsing import (
    ModelError,
    ModelInfo,
    StructureError,
    bpmn_text,
    components_of_bpmn,
    content_hash,
    interrupting_of_bpmn,
    load_forms,
    parse_model,
    replayable_bpmn,
)
from engine.persistence import (
    Dossier,
    DossierEvent,
    DossierJournal,
    Message,
    MessageSubscription,
    ModelVersion,
    ProcessModel,
    ReadyTask,
    Timer,
)
from engine.receipt_codes import receipt_prefix
from engine.scripting import SafeScriptEngine, ScriptLimitError, ServiceCallError, UnsafeScriptError
from engine.serialization import StateSerializer, json_default
from engine.statecache import WORKFLOWS, Stamp
from engine.warehouse import WarehouseDocument, find_by_result_code, result_row
from engine.work_calendar import default_calendar
from engine.workflow import (
    DossierWorkflow,
    Operation,
    TreeTooDeep,
    adopt_specs,
    compact_completed,
    operating,
    run_steps,
    settle,
)

log = logging.getLogger("toantrinh.engine")
ROOT = Path(__file__).resolve().parent.parent
FORMS_DIR = ROOT / "forms"
LIBRARY_DIR = ROOT / "process_models"

RESERVED_KEYS = ("receipt_code", "dossier_id", "channel")
_ALREADY_DONE = "hồ sơ vừa được người khác cập nhật: tác vụ này đã được hoàn thành; hãy tải lại"
START_KEYS = ("applicant_id", "link_id")
TERMINAL = ("completed", "cancelled")
_NO_FORM: dict[str, Any] = {"type": "object"}  # a task without a form takes no fields
# the dossier columns a step may change (see Engine._update_dossiers)
_STEP_COLUMNS = frozenset(
    {
        "state",
        "state_version",
        "status",
        "updated_at",
        "completed_at",
        "needs_advance",
        "last_error",
        "error_retryable",
        "retry_at",
        "retry_count",
        "full_online",
        "due_at",  # moved by the statutory clock (engine/deadlines.py)
    }
)

# Statements of every step, built once: building and cache-keying a statement costs about
# as much as sending it (the SQLAlchemy share of an HTTP completion's profile was ~48 %).
_IDS = bindparam("ids", expanding=True)
# PostgreSQL takes a batch's ids as one array parameter: one prepared statement for any
# number of ids, where an expanded IN list is a new text for each size, rewritten by
# SQLAlchemy and planned by the server at every batch (50 ids: 470 against 220 µs a read)
_ID_ARRAY = bindparam("ids", type_=ARRAY(Integer))


def _in_ids(column, array: bool):
    """``column = ANY(:ids)`` (PostgreSQL), or ``column IN (:ids…)``."""
    return column == any_(_ID_ARRAY) if array else column.in_(_IDS)


_NO_DUE = cast(null(), UTCDateTime)


def _read_indexes_statement(array: bool):
    """The timer, inbox and subscription rows of a batch of dossiers, in the order of the
    rows' ids, so that an inbox known from this read lists its tasks in the order a query
    of the inbox does (Engine.committed_inbox)."""
    return union_all(
        select(
            literal_column("'t'"),
            Timer.dossier_id,
            Timer.task_id,
            Timer.name,
            Timer.due_at,
            Timer.id,
        ).where(_in_ids(Timer.dossier_id, array)),
        select(
            literal_column("'r'"),
            ReadyTask.dossier_id,
            ReadyTask.task_id,
            ReadyTask.claimed_by,
            _NO_DUE,
            ReadyTask.id,
        ).where(_in_ids(ReadyTask.dossier_id, array)),
        select(
            literal_column("'s'"),
            MessageSubscription.dossier_id,
            MessageSubscription.name,
            null(),
            _NO_DUE,
            MessageSubscription.id,
        ).where(_in_ids(MessageSubscription.dossier_id, array)),
    ).order_by(literal_column("6"))


# each keyed by whether the ids go as an array (Engine._ids_as_array)
_READ_INDEXES = {a: _read_indexes_statement(a) for a in (False, True)}
_DOSSIER_TABLE = Dossier.__table__
_JOURNAL_TABLE = DossierJournal.__table__
# a dossier's stored state and the journal rows after it, in one statement (one snapshot
# of the database: a state stored meanwhile cannot leave the rows read short)
_READ_STATES = {
    a: union_all(
        select(
            _DOSSIER_TABLE.c.id,
            _DOSSIER_TABLE.c.lock_version,
            _DOSSIER_TABLE.c.state_version,
            _DOSSIER_TABLE.c.state,
        ).where(_in_ids(_DOSSIER_TABLE.c.id, a)),
        select(
            _JOURNAL_TABLE.c.dossier_id,
            _JOURNAL_TABLE.c.lock_version,
            null(),
            _JOURNAL_TABLE.c.entry,
        ).where(_in_ids(_JOURNAL_TABLE.c.dossier_id, a)),
    )
    for a in (False, True)
}
_INSERT_JOURNAL = _JOURNAL_TABLE.insert()
# the journal rows a stored state (Engine.settle_journals) takes in
_DELETE_SETTLED = delete(_JOURNAL_TABLE).where(
    _JOURNAL_TABLE.c.dossier_id == bindparam("d"), _JOURNAL_TABLE.c.lock_version <= bindparam("v")
)
# the journal rows of dossiers whose state a commit dumps (SQLite; PostgreSQL: the "jd" part
# of the commit statement)
_DELETE_JOURNAL = delete(_JOURNAL_TABLE).where(_in_ids(_JOURNAL_TABLE.c.dossier_id, False))
_READ_DOSSIERS = {a: select(Dossier).where(_in_ids(Dossier.id, a)) for a in (False, True)}
# a journaled step writes the dossier's columns but not its state
_LEAN_COLUMNS = _STEP_COLUMNS - {"state", "state_version"}


def _update_dossier(columns: frozenset[str]):
    return (
        update(_DOSSIER_TABLE)
        .where(
            _DOSSIER_TABLE.c.id == bindparam("_id"),
            _DOSSIER_TABLE.c.lock_version == bindparam("_old"),
        )
        .values(
            {
                **{c: bindparam(c, type_=_DOSSIER_TABLE.c[c].type) for c in sorted(columns)},
                "lock_version": bindparam("_new"),
            }
        )
    )


_UPDATE_DOSSIER = {True: _update_dossier(_STEP_COLUMNS), False: _update_dossier(_LEAN_COLUMNS)}
# a snapshot stored by Engine.settle_journals: the same logical state, lock_version kept
_STORE_SNAPSHOT = (
    update(_DOSSIER_TABLE)
    .where(
        _DOSSIER_TABLE.c.id == bindparam("_id"),
        _DOSSIER_TABLE.c.lock_version == bindparam("_version"),
    )
    .values(state=bindparam("state"), state_version=bindparam("_version"))
)
_INSERT_EVENT = DossierEvent.__table__.insert()
_INSERT_RESULT = WarehouseDocument.__table__.insert()
# ids for new dossiers, taken from the table's own sequence (Engine._assign_ids), whose
# name is looked up once per database
_DOSSIER_SEQUENCE = text("SELECT pg_get_serial_sequence(:table, 'id')")
_NEXT_IDS = text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)")
_SEQUENCES: dict[str, str] = {}
_INDEX_TABLES = {
    ReadyTask: ReadyTask.__table__,
    Timer: Timer.__table__,
    MessageSubscription: MessageSubscription.__table__,
}


def _index_key(model):
    """The column that names an index row within its dossier."""
    table = _INDEX_TABLES[model]
    return table.c.name if model is MessageSubscription else table.c.task_id


_INSERT_INDEX = {model: table.insert() for model, table in _INDEX_TABLES.items()}
# dropped index rows, one (dossier, key) pair per parameter set (executemany)
_DELETE_INDEX_ROW = {
    model: delete(table).where(
        table.c.dossier_id == bindparam("d"), _index_key(model) == bindparam("k")
    )
    for model, table in _INDEX_TABLES.items()
}
_MOVE_TIMER = (
    update(_INDEX_TABLES[Timer])
    .where(
        _INDEX_TABLES[Timer].c.dossier_id == bindparam("d"),
        _INDEX_TABLES[Timer].c.task_id == bindparam("t"),
    )
    .values(due_at=bindparam("due", type_=UTCDateTime))
)


# A commit's writes besides the dossiers' own rows go in groups ("kinds"). On SQLite each
# kind is one statement (an executemany); on PostgreSQL all of them are one statement
# (Engine._send_writes): each kind a JSON array the server unpacks with
# json_to_recordset, so that a batch of 50 steps costs one round trip and no per-row work
# in the driver (a pipelined executemany adapts every parameter of every row: for the
# journaled step's UPDATE of 50 dossiers, 1.8 against 0.7 ms of client CPU).
_WRITE_KINDS: dict[str, Any] = {
    "u": None,  # the journaled dossiers' conditional UPDATE (Engine._update_dossiers)
    "e": _INSERT_EVENT,
    "jd": None,  # the journal rows of the dossiers dumped (Engine._write_journal)
    "j": _INSERT_JOURNAL,
    "rd": _DELETE_INDEX_ROW[ReadyTask],
    "td": _DELETE_INDEX_ROW[Timer],
    "sd": _DELETE_INDEX_ROW[MessageSubscription],
    "tm": _MOVE_TIMER,
    "ri": _INSERT_INDEX[ReadyTask],
    "ti": _INSERT_INDEX[Timer],
    "si": _INSERT_INDEX[MessageSubscription],
}


# each kind's part of that statement (a CTE reading its JSON parameter); a commit sends
# only the kinds it has rows of (a statement of every kind took 1.1 ms with all empty).
# The rows an UPDATE or DELETE touches are also named by an array of their keys
# (``<kind>_keys``, :data:`_WRITE_KEYS`): the planner reads them through the table's index
# whatever its size, where a join with the JSON rows alone (estimated at 100) was planned
# as a hash join over the whole table once it held a few thousand rows — a full scan at
# every commit.
def _delete_index_cte(kind: str, table: str, indexed: str, indexed_type: str, key: str) -> str:
    return (
        f"{kind} AS (\n  DELETE FROM {table} AS t\n"
        f"  USING json_to_recordset(CAST(:{kind} AS json)) AS r(d integer, k varchar)\n"
        f"  WHERE t.{indexed} = ANY (CAST(:{kind}_keys AS {indexed_type}[]))"
        f" AND t.dossier_id = r.d AND t.{key} = r.k)"
    )


_WRITE_CTES = {
    "u": """u AS (
  UPDATE dossier AS t SET status = r.status, updated_at = r.updated_at,
    completed_at = r.completed_at, needs_advance = r.needs_advance,
    last_error = r.last_error, error_retryable = r.error_retryable, retry_at = r.retry_at,
    retry_count = r.retry_count, full_online = r.full_online, due_at = r.due_at,
    lock_version = r._new
  FROM json_to_recordset(CAST(:u AS json)) AS r(_id integer, _old integer, _new integer,
    status varchar, updated_at timestamptz, completed_at timestamptz,
    needs_advance boolean, last_error text, error_retryable boolean,
    retry_at timestamptz, retry_count integer, full_online boolean, due_at timestamptz)
  WHERE t.id = ANY (CAST(:u_keys AS integer[])) AND t.id = r._id AND t.lock_version = r._old
  RETURNING t.id)""",
    "e": """e AS (
  INSERT INTO dossier_event (dossier_id, at, actor, kind, task_id, task_name, detail)
  SELECT dossier_id, at, actor, kind, task_id, task_name, detail
  FROM json_to_recordset(CAST(:e AS json)) AS r(dossier_id integer, at timestamptz,
    actor varchar, kind varchar, task_id varchar, task_name varchar, detail json))""",
    "jd": """jd AS (
  DELETE FROM dossier_journal AS t
  WHERE t.dossier_id = ANY (CAST(:jd_keys AS integer[])))""",
    "j": """j AS (
  INSERT INTO dossier_journal (dossier_id, lock_version, entry)
  SELECT dossier_id, lock_version, entry
  FROM json_to_recordset(CAST(:j AS json)) AS r(dossier_id integer, lock_version integer,
    entry text))""",
    # the index rows gone: named by their dossier and key, read through the index of
    # the key's column (an inbox row by its task id, a timer or a subscription by its dossier)
    **{
        kind: _delete_index_cte(kind, table, indexed, indexed_type, key)
        for kind, table, indexed, indexed_type, key in (
            ("rd", "ready_task", "task_id", "varchar", "task_id"),
            ("td", "timer", "dossier_id", "integer", "task_id"),
            ("sd", "message_subscription", "dossier_id", "integer", "name"),
        )
    },
    "tm": """tm AS (
  UPDATE timer AS t SET due_at = r.due
  FROM json_to_recordset(CAST(:tm AS json)) AS r(d integer, t varchar, due timestamptz)
  WHERE t.dossier_id = ANY (CAST(:tm_keys AS integer[])) AND t.dossier_id = r.d AND t.task_id = r.t)""",
    "ri": """ri AS (
  INSERT INTO ready_task (dossier_id, task_id, bpmn_id, name, lane, agency, created_at)
  SELECT dossier_id, task_id, bpmn_id, name, lane, agency, created_at
  FROM json_to_recordset(CAST(:ri AS json)) AS r(dossier_id integer, task_id varchar,
    bpmn_id varchar, name varchar, lane varchar, agency varchar, created_at timestamptz))""",
    "ti": """ti AS (
  INSERT INTO timer (dossier_id, task_id, due_at, name)
  SELECT dossier_id, task_id, due_at, name
  FROM json_to_recordset(CAST(:ti AS json)) AS r(dossier_id integer, task_id varchar,
    due_at timestamptz, name varchar))""",
    "si": """si AS (
  INSERT INTO message_subscription (dossier_id, name, link_id)
  SELECT dossier_id, name, link_id
  FROM json_to_recordset(CAST(:si AS json)) AS r(dossier_id integer, name varchar,
    link_id varchar))""",
}
# the kinds whose rows' keys go as an array too, and the field that holds the key
_WRITE_KEYS = {"u": "_id", "jd": "d", "rd": "k", "td": "d", "sd": "d", "tm": "d"}
_WRITE_STATEMENTS: dict[tuple[str, ...], Any] = {}


def _write_statement(kinds: tuple[str, ...]):
    """The statement writing these kinds (in :data:`_WRITE_KINDS` order); it answers how
    many dossiers the journaled dossiers' UPDATE found (0 without one)."""
    statement = _WRITE_STATEMENTS.get(kinds)
    if statement is None:
        tail = "SELECT count(*) FROM u" if "u" in kinds else "SELECT 0"
        statement = _WRITE_STATEMENTS[kinds] = text(
            "WITH " + ",\n".join(_WRITE_CTES[kind] for kind in kinds) + "\n" + tail
        )
    return statement


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return json_default(value)


# rows are plain dicts and lists built here: no cycle to look for
_WRITE_ENCODER = json.JSONEncoder(default=_json_value, separators=(",", ":"), check_circular=False)


class EngineError(Exception):
    """Base of the engine's errors; ``status`` is the HTTP status an API should use."""

    status = 400


class NotFoundError(EngineError):
    status = 404


class ConflictError(EngineError):
    """Another step on the same dossier committed first; reload and try again."""

    status = 409


class _StaleSnapshot(ConflictError):
    """SQLite refused a write because this transaction read an older snapshot.

    In WAL mode a transaction that has read cannot write after any other connection has
    committed, whatever it wrote: the whole operation is simply run again.
    """


STALE_RETRIES = 8


def _retry_stale_snapshot(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        token = sqlite_write_intent.set(False)
        try:
            return _run_retrying(method, self, args, kwargs)
        finally:
            sqlite_write_intent.reset(token)

    return wrapper


def _run_retrying(method, self, args, kwargs):
    session = self.session
    if isinstance(session, scoped_session):  # Flask-SQLAlchemy's request-scoped proxy
        session = session()
    if (
        self._dialect == "sqlite"
        and session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
    ):
        # a read-only transaction left open by the caller (an API's token lookup, say):
        # end it so that this operation starts its own, with the write lock
        session.commit()
    for attempt in range(STALE_RETRIES):
        try:
            return method(self, *args, **kwargs)
        except _StaleSnapshot:
            if attempt == STALE_RETRIES - 1:
                raise
            # first attempts read without locks (a registry call inside a step must not
            # hold SQLite's write lock); once that lost a race, queue for the lock up front
            sqlite_write_intent.set(True)
            time.sleep(0.002 * (attempt + 1) + secrets.randbelow(5) / 1000)
        except DossierStateError as err:
            if attempt == 0:
                raise
            # the dossier moved on between our first read and the retry: the same
            # lost race PostgreSQL reports as a conflict
            raise ConflictError(f"hồ sơ vừa được người khác cập nhật: {err}") from err
    raise AssertionError("unreachable")


class JournalError(EngineError):
    """A dossier's stored state and journal do not rebuild it (engine/journal.py)."""

    status = 500


class MigrationRefused(EngineError):
    """Moving a running dossier to another model version would lose or corrupt state."""

    status = 409


class _Rejected(Exception):
    """An item of a batch refused before anything changed; ``args[0]`` says why."""


def _outcome(dossier_id: int, task_id: str, err: Exception) -> BatchOutcome:
    if isinstance(err, formlib.FormValidationError):
        return BatchOutcome(
            dossier_id,
            str(task_id),
            False,
            422,
            str(err),
            [{"field": e.field, "message": e.message} for e in err.errors],
        )
    status = getattr(err, "status", 400)
    return BatchOutcome(dossier_id, str(task_id), False, status, str(err))


class DossierStateError(EngineError):
    """The operation does not fit the dossier's current state (task not ready, closed…)."""

    status = 409


@dataclass
class DeployResult:
    version: ModelVersion
    created: bool
    warnings: list[str]


@dataclass
class _Loaded:
    spec: Any
    subprocess_specs: dict[str, Any]
    info: ModelInfo
    forms: dict[str, Any]


@dataclass
class _Stored:
    """A dossier as the database holds it: its state at ``state_version`` (empty before
    its first dump) and the journal rows after it, up to ``lock_version``."""

    lock_version: int
    state_version: int
    state: str
    journal: list[str]


@dataclass
class _Step:
    """A step that may be kept in the dossier's journal instead of a dump of its state:
    its operation and what the journal records of it (engine/journal.py)."""

    operation: Operation
    data_text: str  # the data the step put in, as the state serializer encodes it
    task_id: str | None = None  # the user task completed; None for the dossier's start
    version: int = 0  # the lock_version the step started from
    seed: bytes = b""  # a start's random seed

    def entry(self, defer: bool) -> str:
        if self.task_id is None:
            return journal.start_entry(self.operation, self.seed, self.data_text, defer)
        return journal.complete_entry(
            self.operation, self.version, self.task_id, self.data_text, defer
        )


@dataclass
class _Indexes:
    """What a dossier's index rows say (or must say): the inbox (task id → who claimed
    it), its timers (task id → due, name) and the message names it waits for."""

    ready: dict[str, Any] = field(default_factory=dict)
    timers: dict[str, tuple[datetime, str | None]] = field(default_factory=dict)
    subs: set[str] = field(default_factory=set)


@dataclass
class BatchOutcome:
    """One item of :meth:`Engine.complete_tasks`: done, or why not (``status`` as HTTP)."""

    dossier_id: int
    task_id: str
    ok: bool
    status: int = 200
    error: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class MigrationReport:
    """What :meth:`Engine.migrate_running` did: the dossiers moved (in a dry run, those
    that would move), the ones refused with the reason, and whether more are waiting."""

    model: str
    from_version: int
    to_version: int
    dry_run: bool
    moved: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False


# parsed specs by content hash, LRU (TOANTRINH_SPEC_CACHE versions, engine/caches.py)
_SPEC_CACHE = LruCache(size_setting("TOANTRINH_SPEC_CACHE", 64))
_SERIALIZER = StateSerializer()


def _receipt_code(prefix: str | None) -> str:
    stem = "".join(ch for ch in (prefix or "HS") if ch.isalnum()).upper()[:10] or "HS"
    return f"{stem}-{clock.now():%y%m%d}-{secrets.token_hex(4).upper()}"


def _describe_error(err: Exception) -> tuple[str, bool, str | None]:
    """(message, retryable, task name) for an exception raised while stepping."""
    task_name = None
    original: BaseException = err
    if isinstance(err, WorkflowTaskException):
        task = getattr(err, "task", None)
        if task is not None:
            task_name = task.task_spec.bpmn_name or task.task_spec.name
        original = err.__cause__ or err.__context__ or err
    if isinstance(original, ServiceCallError):
        original = original.original
    if isinstance(err, ServiceCallError):
        original = err.original
    if isinstance(original, ConnectorError):
        return (f"Lỗi kết nối '{original.operation}': {original}", original.retryable, task_name)
    if isinstance(original, UnsafeScriptError | ScriptLimitError):
        return (f"Kịch bản bị chặn: {original}", False, task_name)
    if isinstance(original, SpiffWorkflowException | WorkflowTaskException):
        return (f"Lỗi quy trình: {original}", False, task_name)
    return (f"{type(original).__name__}: {original}", False, task_name)


def _ready_manual_tasks(workflow: BpmnWorkflow) -> list:
    """The workflow's ready user tasks, its subprocesses' included — what
    ``get_tasks(state=READY, manual=True)`` returns, by a scan of the task maps instead
    of a walk of the tree (order aside)."""
    tasks = [t for t in workflow.tasks.values() if t._state == TaskState.READY]
    for sub in workflow.subprocesses.values():
        tasks.extend(t for t in sub.tasks.values() if t._state == TaskState.READY)
    return [t for t in tasks if t.task_spec.manual]


def _message_names(event_definition) -> list[str]:
    if isinstance(event_definition, MessageEventDefinition):
        return [event_definition.name]
    if isinstance(event_definition, MultipleEventDefinition):
        return [
            d.name
            for d in event_definition.event_definitions
            if isinstance(d, MessageEventDefinition)
        ]
    return []


def document_type_of(components: dict[str, dict[str, str | None]] | None, component: str) -> str:
    """The e-data warehouse's type for a dossier component: the ``documentType`` its
    ``tt:component`` declares, else its code."""
    return ((components or {}).get(component) or {}).get("document_type") or component


def current_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The dossier's data now: the data of its open tasks, or of its last task."""
    open_tasks = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED)
    data: dict[str, Any] = {}
    if open_tasks:
        for task in open_tasks:
            data.update(task.data)
    elif workflow.last_task is not None:
        data.update(workflow.last_task.data)
    else:
        data.update(workflow.task_tree.data)
    return data


class Engine:
    """Deploys models and runs dossiers within one session."""

    def __init__(
        self,
        session: Session,
        connectors: ConnectorRegistry | None = None,
        forms_dir: Path | None = None,
        on_event: Callable[[DossierEvent], None] | None = None,
        defer_services: bool = False,
        on_deferred: Callable[[int], None] | None = None,
        files: FileStore | None = None,
    ):
        """``defer_services``: stop before service tasks and leave them to a worker
        (:meth:`advance`), so that a slow registry never holds an HTTP request;
        ``on_deferred(dossier_id)`` is called after commit (e.g. to enqueue a Celery task).
        ``files``: where new dossier files go (``engine/filestore.py``); without one they
        are kept in their rows.
        """
        self.session = session
        self.files = files
        self.defer_services = defer_services
        self.on_deferred = on_deferred
        self._deferred: list[int] = []
        bind = session.get_bind()
        self._dialect = bind.dialect.name
        self._ids_as_array = self._dialect == "postgresql"
        # which database the process-wide workflow cache entries of this engine belong to
        self._db_key = bind.url.render_as_string(hide_password=True)
        # dossiers saved in this transaction, not yet committed: id -> (dossier, workflow)
        self._saved: dict[int, tuple[Dossier, BpmnWorkflow]] = {}
        # index rows as this transaction knows them (read once, or known empty for a new
        # dossier), and the state each saved dossier's rows must have at commit
        self._indexes: dict[int, _Indexes] = {}
        self._index_writes: dict[int, tuple[Dossier, _Indexes]] = {}
        # the inbox rows of the dossiers this engine wrote: as its transaction will leave
        # them, then as its last commit left them (committed_inbox)
        self._inbox_writing: dict[int, list[dict[str, Any]]] = {}
        self._inbox_committed: dict[int, list[dict[str, Any]]] = {}
        self.connectors = connectors or ConnectorRegistry()
        self.forms_dir = forms_dir or FORMS_DIR
        self.script_engine = SafeScriptEngine(self.connectors)
        self.on_event = on_event
        # the rows of the events to insert at commit (DossierEvent objects are made only
        # for an on_event listener, after the commit)
        self._pending_events: list[dict[str, Any]] = []
        # the rows of the e-data warehouse documents its dossiers' results make (likewise)
        self._pending_results: list[dict[str, Any]] = []
        # states and journals read (Engine._load_states), by dossier id
        self._stored: dict[int, _Stored] = {}
        # the journal entries of the steps saved in this transaction, by dossier id; the
        # dossiers this transaction dumps (their journal rows to delete at commit)
        self._journal: dict[int, list[str]] = {}
        self._dumped: set[int] = set()
        self._truncate: set[int] = set()
        # on PostgreSQL, the rows of each kind this commit writes in one statement
        self._writes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _WRITE_KINDS}

    # ------------------------------------------------------------------ models
    def validate_model(
        self,
        bpmn: bytes | str,
        process_id: str | None = None,
        forms: dict[str, Any] | None = None,
        procedure: dict[str, Any] | None = None,
        slug: str | None = None,
    ) -> ModelInfo:
        """Check a model as deploy would (without ``force``), storing nothing: raises
        :class:`ModelError`, or :class:`StructureError` when only the structural checks
        refuse it."""
        return self._checked(bpmn, process_id, forms, procedure, slug, force=False)[0].info

    def _checked(self, raw, process_id, forms, procedure, slug, *, force: bool):
        """The parsed model and its forms, once every deploy check has passed."""
        procedure = procedure or {}
        parsed = parse_model(raw, process_id or procedure.get("process_id"))
        slug = slug or procedure.get("slug") or parsed.info.process_id
        problems = deploy_checks.procedure_problems(procedure, slug)
        problems += result_document.problems(procedure)
        try:
            form_map = load_forms(parsed.info, self.forms_dir, extra=forms)
        except ModelError as err:
            problems += err.problems
        if problems:  # every problem said at once; these are never forceable
            raise ModelError(problems + ([] if force else parsed.structure))
        if parsed.structure and not force:
            raise StructureError(parsed.structure)
        return parsed, form_map, slug

    @_retry_stale_snapshot
    def deploy(
        self,
        bpmn: bytes | str,
        *,
        slug: str | None = None,
        procedure: dict[str, Any] | None = None,
        process_id: str | None = None,
        forms: dict[str, Any] | None = None,
        actor: str | None = None,
        force: bool = False,
    ) -> DeployResult:
        """Deploy a model version; the same content deploys once (by content hash).
        ``force`` deploys a model the structural checks refuse (engine/deploy_checks.py);
        their findings are then kept as the version's warnings."""
        raw = bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn
        procedure = dict(procedure or {})
        parsed, form_map, slug = self._checked(
            raw, process_id, forms, procedure, slug, force=force
        )
        # a forced model keeps what the structural checks found as its warnings
        info = replace(parsed.info, warnings=[*parsed.structure, *parsed.info.warnings])
        digest = content_hash(raw, form_map)
        model = self.session.scalar(select(ProcessModel).where(ProcessModel.slug == slug))
        names = procedure.get("name") or {}
        if model is None:
            model = ProcessModel(
                slug=slug,
                process_id=parsed.info.process_id,
                code=procedure.get("code") or parsed.info.code,
                name=names.get("vi") or parsed.info.name,
                name_en=names.get("en"),
                procedure=procedure,
            )
            self.session.add(model)
            self._flush()
        else:
            if procedure:
                model.procedure = procedure
                model.name = names.get("vi") or model.name
                model.name_en = names.get("en") or model.name_en
                model.code = procedure.get("code") or model.code
            for existing in model.versions:
                if existing.content_hash == digest:
                    self._commit()
                    return DeployResult(existing, False, info.warnings)
            model.process_id = parsed.info.process_id
        number = (
            self.session.scalar(
                select(func.max(ModelVersion.number)).where(ModelVersion.model_id == model.id)
            )
            or 0
        ) + 1
        version = ModelVersion(
            model=model,
            number=number,
            content_hash=digest,
            bpmn=bpmn_text(raw),
            forms=form_map,
            info=info.to_json(),
            spec=_SERIALIZER.dump_specs(parsed.spec, parsed.subprocess_specs),
            created_by=actor,
        )
        self.session.add(version)
        self._flush()
        adopt_specs(parsed.spec, parsed.subprocess_specs)
        event_subprocesses.mark(
            parsed.subprocess_specs, parsed.info.interrupting_event_subprocesses or []
        )
        _SPEC_CACHE.put(digest, _Loaded(parsed.spec, parsed.subprocess_specs, info, form_map))
        self._event(
            None,
            "model_deployed",
            actor,
            detail={
                "slug": slug,
                "version": number,
                "content_hash": digest,
                "warnings": info.warnings,
                **({"forced": True} if parsed.structure else {}),
            },
        )
        self._commit()
        return DeployResult(version, True, info.warnings)

    def deploy_folder(
        self, folder: Path | str, actor: str | None = None, *, force: bool = False
    ) -> DeployResult:
        """Deploy a library folder (``procedure.json`` + BPMN)."""
        folder = Path(folder)
        procedure_path = folder / "procedure.json"
        if not procedure_path.is_file():
            raise ModelError([f"thư mục {folder} không có procedure.json"])
        procedure = json.loads(procedure_path.read_text(encoding="utf-8"))
        procedure.setdefault("slug", folder.name)
        bpmn_name = procedure.get("bpmn")
        bpmn_path = (
            folder / bpmn_name if bpmn_name else next(iter(sorted(folder.glob("*.bpmn"))), None)
        )
        if bpmn_path is None or not bpmn_path.is_file():
            raise ModelError([f"thư mục {folder} không có tệp BPMN"])
        return self.deploy(bpmn_path.read_bytes(), procedure=procedure, actor=actor, force=force)

    def get_model(self, ref: str | int) -> ProcessModel:
        model = None
        if (model_id := row_id(ref)) is not None:
            model = self.session.get(ProcessModel, model_id)
        if model is None:
            model = self.session.scalar(select(ProcessModel).where(ProcessModel.slug == str(ref)))
        if model is None:
            model = self.session.scalar(
                select(ProcessModel)
                .where(ProcessModel.process_id == str(ref))
                .order_by(ProcessModel.id)
            )
        if model is None:
            raise NotFoundError(f"không tìm thấy quy trình '{ref}'")
        return model

    def _loaded(self, version: ModelVersion) -> _Loaded:
        loaded = _SPEC_CACHE.get(version.content_hash)
        if loaded is None:
            spec, subs = _SERIALIZER.load_specs(version.spec)
            adopt_specs(spec, subs)
            info = ModelInfo.from_json(version.info)
            if info.components is None:  # deployed before the table kept its components
                info.components = components_of_bpmn(version.bpmn, info.process_id)
            if info.replayable is None:  # deployed before the journal
                info.replayable = replayable_bpmn(version.bpmn)
            if info.interrupting_event_subprocesses is None:  # deployed before it was kept
                info.interrupting_event_subprocesses = interrupting_of_bpmn(
                    version.bpmn, info.process_id
                )
            event_subprocesses.mark(subs, info.interrupting_event_subprocesses)
            loaded = _Loaded(spec, subs, info, dict(version.forms or {}))
            _SPEC_CACHE.put(version.content_hash, loaded)
        return loaded

    # ---------------------------------------------------------------- dossiers
    @_retry_stale_snapshot
    def start(
        self,
        model: str | int,
        *,
        applicant_id: str | None = None,
        data: dict[str, Any] | None = None,
        channel: str = "online",
        actor: str | None = None,
        version: int | None = None,
        agency: str | None = None,
        link_id: str | None = None,
        trusted_data: bool = False,
        linked_to: int | None = None,
    ) -> Dossier:
        """Start a dossier on the latest (or a given) version of a model.

        ``data`` is validated against the start event's form (``tt:form`` on the start
        event) when the model has one; otherwise only ``applicant_id`` and ``link_id`` are
        accepted, unless ``trusted_data`` (a caller in this process, not a client, sets
        variables the model reads). Strings are NFC-normalised and size-limited in all cases.

        The dossier starts a linked group of its own, or joins the group of the dossier
        ``linked_to`` names; a caller's ``link_id`` is kept as a reference only
        (``engine/correlation.py``).
        """
        pm, mv = self._model_version(model, version)
        dossier, workflow, step = self._prepare_start(
            pm, mv, applicant_id, data, channel, agency, link_id, trusted_data, linked_to
        )
        self._assign_ids([dossier])
        self._run_start(pm, mv, dossier, workflow, actor, step)
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def start_many(
        self,
        model: str | int,
        requests: list[dict[str, Any]],
        *,
        actor: str | None = None,
        version: int | None = None,
    ) -> list[Dossier]:
        """Start several dossiers of one model in one transaction, all or none (a batch
        received from the national public-service portal, say). Each request takes the
        keyword arguments of :meth:`start` (``applicant_id``, ``data``, ``channel``,
        ``agency``, ``link_id``, ``linked_to``); an invalid one refuses the batch and names
        its index."""
        pm, mv = self._model_version(model, version)
        prepared = []
        for n, request in enumerate(requests):
            unknown = sorted(
                set(request)
                - {"applicant_id", "data", "channel", "agency", "link_id", "linked_to"}
            )
            try:
                if unknown:
                    raise EngineError(f"tham số không hợp lệ: {', '.join(unknown)}")
                prepared.append(
                    self._prepare_start(
                        pm,
                        mv,
                        request.get("applicant_id"),
                        request.get("data"),
                        request.get("channel", "online"),
                        request.get("agency"),
                        request.get("link_id"),
                        False,
                        request.get("linked_to"),
                    )
                )
            except formlib.FormValidationError as err:
                self._discard()
                raise formlib.FormValidationError(
                    [formlib.FieldError(f"{n}.{e.field}", e.message) for e in err.errors]
                ) from err
            except EngineError as err:
                self._discard()
                raise type(err)(f"hồ sơ thứ {n + 1}: {err}") from err
        self._assign_ids([dossier for dossier, _, _ in prepared])
        for dossier, workflow, step in prepared:
            self._run_start(pm, mv, dossier, workflow, actor, step)
        self._commit()
        return [dossier for dossier, _, _ in prepared]

    def _assign_ids(self, dossiers: list[Dossier]) -> None:
        """Give new dossiers their ids before they are stepped (events and index rows
        name them). On PostgreSQL the ids come from the table's sequence in one query and
        each row is inserted once, at commit, with the state its first step left (one
        short INSERT per row, sent pipelined, instead of a multi-row INSERT … RETURNING
        that the driver parses anew for every batch, then an UPDATE of the same rows).
        SQLite, which has no sequence, inserts them now."""
        if self._dialect != "postgresql":
            for dossier in dossiers:
                dossier.state_version = 1  # inserted at version 1, its steps journaled after
            self._flush()
            return
        conn = self.session.connection()
        sequence = _SEQUENCES.get(self._db_key)
        if sequence is None:
            sequence = conn.scalar(_DOSSIER_SEQUENCE, {"table": _DOSSIER_TABLE.name})
            _SEQUENCES[self._db_key] = sequence
        ids = conn.execute(_NEXT_IDS, {"sequence": sequence, "n": len(dossiers)})
        for dossier, (dossier_id,) in zip(dossiers, ids, strict=True):
            dossier.id = dossier_id

    def _model_version(self, model: str | int, version: int | None):
        pm = self.get_model(model)
        mv = (
            pm.latest
            if version is None
            else next((v for v in pm.versions if v.number == version), None)
        )
        if mv is None:
            raise NotFoundError(f"quy trình '{pm.slug}' không có phiên bản {version or ''}".strip())
        return pm, mv

    def _prepare_start(
        self, pm, mv, applicant_id, data, channel, agency, link_ref, trusted_data, linked_to
    ) -> tuple[Dossier, BpmnWorkflow, _Step]:
        """Check a start request, then add its dossier (not yet flushed) and its workflow,
        made within the start's operation (engine/workflow.py)."""
        if channel not in ("online", "in_person", "postal"):
            raise EngineError(f"kênh nộp '{channel}' không hợp lệ (online, in_person, postal)")
        initial = self._start_data(mv, data or {}, applicant_id, trusted_data)
        spoofable = sorted(k for k in initial if k in RESERVED_KEYS or k in self.connectors.ids())
        if spoofable:
            # a connector's result variable carries registry data the forms lock as
            # pre-filled: an applicant must not be able to supply it at start
            raise EngineError(f"dữ liệu khởi tạo không được chứa {', '.join(spoofable)}")
        link_ref = link_ref or initial.pop("link_id", None)
        group = None if linked_to is None else correlation.group_of(self.get(linked_to))
        seed = os.urandom(16)
        operation = Operation(clock.now(), seed, 0)
        with operating(operation):
            dossier = self._new_dossier(pm, mv, applicant_id, channel, agency, group, flush=False)
            initial.update(
                {
                    "receipt_code": dossier.receipt_code,
                    "channel": channel,
                    "applicant_id": applicant_id,
                    "link_id": dossier.link_id,
                }
            )
            if link_ref:
                initial["link_ref"] = link_ref
            workflow = self._new_workflow(mv)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.set_data(**initial)
        return dossier, workflow, _Step(operation, _SERIALIZER.encode_data(initial), seed=seed)

    def _run_start(
        self, pm, mv, dossier: Dossier, workflow: BpmnWorkflow, actor, step: _Step
    ) -> None:
        with operating(step.operation):
            self._indexes[dossier.id] = _Indexes()  # a new dossier has no index rows yet
            self._event(
                dossier,
                "dossier_started",
                actor,
                detail={"model": pm.slug, "version": mv.number, "channel": dossier.channel},
            )
            self._advance(dossier, workflow, actor)
            self._save(dossier, workflow, step=step)

    def _start_data(
        self, mv: ModelVersion, data: dict[str, Any], applicant_id: str | None, trusted: bool
    ) -> dict[str, Any]:
        loaded = self._loaded(mv)
        start_form = next(
            (
                t.form
                for t in loaded.info.tasks.values()
                if t.type.endswith("StartEvent") and t.form
            ),
            None,
        )
        given = formlib.clean_free_data(data)
        if given.get("applicant_id") not in (None, applicant_id):
            raise formlib.FormValidationError(
                [formlib.FieldError("applicant_id", "không khớp với người nộp hồ sơ")]
            )
        fixed = {k: given.pop(k) for k in START_KEYS if k in given}
        if start_form:
            given = formlib.validate_submission(loaded.forms[start_form], given, {})
            # no dossier yet, hence no files: only documents of the e-data warehouse
            self._check_component_refs(
                None, applicant_id, loaded.forms[start_form], given, loaded.info.components
            )
        elif given and not trusted:
            raise formlib.FormValidationError(
                [
                    formlib.FieldError(k, "thủ tục không nhận trường này khi nộp hồ sơ")
                    for k in sorted(given)
                ]
            )
        return {**given, **fixed}

    def _new_dossier(
        self, pm, mv, applicant_id, channel, agency, link_id, *, flush: bool = True
    ) -> Dossier:
        procedure = pm.procedure or {}
        now = clock.now()
        # working days and holidays of the agencies' calendar (engine/work_calendar.py)
        due = default_calendar().due(now, procedure.get("processing_time"))
        dossier = Dossier(
            receipt_code=(receipt := _receipt_code(receipt_prefix(procedure, pm.code, pm.slug))),
            version=mv,
            applicant_id=applicant_id,
            channel=channel,
            agency=agency or procedure.get("agency"),
            # a group's key, or a new group's (engine/correlation.py)
            link_id=link_id or correlation.new_group_key(receipt),
            state="",  # nothing stored yet: engine/journal.py
            created_at=now,
            updated_at=now,
            due_at=due,
            full_online=channel == "online",
        )
        self.session.add(dossier)
        if flush:
            dossier.state_version = 1  # inserted at version 1, its steps journaled after
            self._flush()
            self._indexes[dossier.id] = _Indexes()  # a new dossier has no index rows yet
        return dossier

    def _new_workflow(self, mv: ModelVersion) -> BpmnWorkflow:
        loaded = self._loaded(mv)
        return DossierWorkflow(
            loaded.spec, loaded.subprocess_specs, script_engine=self.script_engine
        )

    def get(self, dossier_id: int, *, for_update: bool = False) -> Dossier:
        if for_update and self._dialect == "postgresql":
            stmt = select(Dossier).where(Dossier.id == dossier_id).with_for_update(of=Dossier)
            dossier = self.session.scalar(stmt)
        else:  # the identity map answers repeated reads within one transaction
            dossier = self.session.get(Dossier, dossier_id)
        if dossier is None:
            raise NotFoundError(f"không tìm thấy hồ sơ {dossier_id}")
        return dossier

    def by_receipt(self, receipt_code: str) -> Dossier:
        dossier = self.session.scalar(select(Dossier).where(Dossier.receipt_code == receipt_code))
        if dossier is None:
            raise NotFoundError(f"không tìm thấy hồ sơ có mã biên nhận '{receipt_code}'")
        return dossier

    def workflow(self, dossier: Dossier) -> BpmnWorkflow:
        """The dossier's workflow rebuilt from what the database holds (its stored state,
        then its journal replayed): a new object, the caller's."""
        self._load_states([dossier], skip_cached=False)
        return self._rebuild(dossier, self._stored[dossier.id])

    def _rebuild(self, dossier: Dossier, stored: _Stored) -> BpmnWorkflow:
        loaded = self._loaded(dossier.version)
        wf = (
            _SERIALIZER.load_state(stored.state, loaded.spec, loaded.subprocess_specs)
            if stored.state
            else None
        )
        if stored.journal:
            try:
                wf = journal.replay(
                    wf,
                    stored.journal,
                    loaded.spec,
                    loaded.subprocess_specs,
                    self.script_engine,
                    _SERIALIZER.decode_data,
                )
            except Exception as err:  # a replay that went otherwise than the step did
                raise JournalError(
                    f"không dựng lại được hồ sơ {dossier.receipt_code} từ nhật ký: "
                    f"{type(err).__name__}: {err}"
                ) from err
        if wf is None:
            raise JournalError(f"hồ sơ {dossier.receipt_code} không có trạng thái lưu")
        wf.script_engine = self.script_engine
        return wf

    def _load_states(
        self,
        dossiers: Iterable[Dossier],
        *,
        skip_cached: bool = True,
        refresh_stale: bool = False,
    ) -> None:
        """Read the stored states and journals (engine/journal.py) of these dossiers in
        one query, except those this transaction has read already and, with
        ``skip_cached``, those whose workflow this process's cache holds for exactly the
        row read.

        What is read must be of the ``lock_version`` the row was read with: a commit in
        between would not match the rest of the row (on PostgreSQL each statement sees
        the latest commits). For a step that is a conflict (what it checked was read from
        the older row). A reader (``refresh_stale``) reads the newer row instead, when it
        has changed nothing of this dossier."""
        wanted = {
            d.id: d
            for d in dossiers
            if not self._has_stored(d)
            and not (skip_cached and WORKFLOWS.holds(self._db_key, d.id, self._stamp(d)))
        }
        for _ in range(3):
            if not wanted:
                return
            rows = self.session.connection().execute(
                _READ_STATES[self._ids_as_array], {"ids": list(wanted)}
            )
            heads: dict[int, tuple[int, int, str]] = {}
            journals: dict[int, list[tuple[int, str]]] = {}
            for dossier_id, lock, state_version, text_value in rows:
                if state_version is None:
                    journals.setdefault(dossier_id, []).append((lock, text_value))
                else:
                    heads[dossier_id] = (lock, state_version, text_value)
            stale = {}
            for dossier_id, dossier in wanted.items():
                lock, state_version, state = heads.get(dossier_id, (None, None, None))
                if lock == dossier.lock_version:
                    entries = sorted(journals.get(dossier_id, ()))
                    if [v for v, _ in entries] != list(range(state_version + 1, lock + 1)):
                        raise JournalError(
                            f"nhật ký của hồ sơ {dossier.receipt_code} không liền mạch "
                            f"(trạng thái lưu ở phiên bản {state_version}, hồ sơ ở {lock}, "
                            f"nhật ký có {[v for v, _ in entries]})"
                        )
                    self._stored[dossier_id] = _Stored(
                        lock, state_version, state, [t for _, t in entries]
                    )
                elif refresh_stale and lock is not None and not inspect(dossier).modified:
                    self.session.refresh(dossier)  # the newer row, its state read next
                    stale[dossier_id] = dossier
                else:
                    raise ConflictError(
                        f"hồ sơ {dossier.receipt_code} vừa được người khác cập nhật; "
                        "hãy tải lại và thử lại"
                    )
            wanted = {i: d for i, d in stale.items() if not self._has_stored(d)}
        if wanted:
            raise ConflictError("hồ sơ đang được cập nhật liên tục; hãy thử lại sau")

    def _has_stored(self, dossier: Dossier) -> bool:
        stored = self._stored.get(dossier.id)
        return stored is not None and stored.lock_version == dossier.lock_version

    def _stamp(self, dossier: Dossier) -> Stamp:
        return (dossier.receipt_code, dossier.lock_version, dossier.version.content_hash)

    def _checkout(self, dossier: Dossier) -> BpmnWorkflow:
        """The workflow to step: saved earlier in this transaction, else the one this
        process committed last if the database still holds exactly that state (see
        :mod:`engine.statecache`), else loaded. A failed step never returns it."""
        own = self._saved.pop(dossier.id, None)
        if own is not None and own[0] is dossier:
            return own[1]
        workflow = WORKFLOWS.take(self._db_key, dossier.id, self._stamp(dossier))
        if workflow is None:
            return self.workflow(dossier)
        workflow.script_engine = self.script_engine
        return workflow

    @contextmanager
    def _reading(self, dossier: Dossier) -> Iterator[BpmnWorkflow]:
        """The workflow for reading only, held exclusively while the block runs."""
        own = self._saved.get(dossier.id)
        if own is not None and own[0] is dossier:
            yield own[1]
            return
        workflow = WORKFLOWS.take(self._db_key, dossier.id, self._stamp(dossier))
        if workflow is None:
            # a reader that meets a newer commit reads that one instead of failing
            self._load_states([dossier], skip_cached=False, refresh_stale=True)
            workflow = self._checkout(dossier)
        stamp = self._stamp(dossier)  # of the state loaded, if the row was refreshed
        try:
            yield workflow
        finally:
            WORKFLOWS.put(self._db_key, dossier.id, stamp, workflow)

    def data(self, dossier: Dossier) -> dict[str, Any]:
        with self._reading(dossier) as workflow:
            return json.loads(json.dumps(current_data(workflow), default=json_default))

    def events(self, dossier_id: int) -> list[DossierEvent]:
        return list(
            self.session.scalars(
                select(DossierEvent)
                .where(DossierEvent.dossier_id == dossier_id)
                .order_by(DossierEvent.id)
            )
        )

    def ready_tasks(self, dossier_id: int, lane: str | None = None) -> list[dict[str, Any]]:
        """The dossier's ready user tasks, each with its form and pre-filled values."""
        dossier = self.get(dossier_id)
        if dossier.status in TERMINAL:
            return []
        loaded = self._loaded(dossier.version)
        claims = {
            task_id: claimed_by
            for task_id, claimed_by in self.session.execute(
                select(ReadyTask.task_id, ReadyTask.claimed_by).where(
                    ReadyTask.dossier_id == dossier.id
                )
            )
        }
        with self._reading(dossier) as workflow:
            return self._task_views(workflow, loaded, lane, claims)

    def _task_views(self, workflow, loaded: _Loaded, lane: str | None, claims) -> list[dict]:
        info = loaded.info
        views = []
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            meta = info.tasks.get(task.task_spec.bpmn_id)
            if meta is None or (lane is not None and meta.lane != lane):
                continue
            schema = loaded.forms.get(meta.form) if meta.form else None
            prefilled = formlib.prefill_values(schema, task.data) if schema else {}
            views.append(
                {
                    "id": str(task.id),
                    "bpmn_id": meta.bpmn_id,
                    "name": meta.name,
                    "lane": meta.lane,
                    "step": meta.step,
                    "form_ref": meta.form,
                    "form": schema,
                    "prefill": json.loads(json.dumps(prefilled, default=json_default)),
                    "typed_fields": formlib.typed_fields(schema, prefilled) if schema else [],
                    "claimed_by": claims.get(str(task.id)),
                }
            )
        return views

    def committed_inbox(self, dossier_id: int) -> list[dict[str, Any]] | None:
        """The dossier's inbox rows (``id``, ``name``, ``lane``, ``claimed_by``, in the
        rows' order) as this engine's last commit of the dossier left them, or ``None`` if
        this engine has not written them: the answer to a step, without reading back
        what the step has just written."""
        return self._inbox_committed.get(dossier_id)

    @_retry_stale_snapshot
    def claim_task(self, dossier_id: int, task_id: str, actor: str) -> ReadyTask:
        self._inbox_committed.pop(dossier_id, None)  # a claim changes a row
        row = self.session.scalar(
            select(ReadyTask).where(
                ReadyTask.dossier_id == dossier_id, ReadyTask.task_id == task_id
            )
        )
        if row is None:
            raise DossierStateError("tác vụ không ở trạng thái sẵn sàng")
        if row.claimed_by and row.claimed_by != actor:
            raise ConflictError(f"tác vụ đã được {row.claimed_by} nhận xử lý")
        # conditional on the row still being unclaimed (or ours): of two officers claiming
        # at once, exactly one gets it, on PostgreSQL's read-committed as on SQLite
        try:
            claimed = self.session.execute(
                update(ReadyTask)
                .where(
                    ReadyTask.id == row.id,
                    or_(ReadyTask.claimed_by.is_(None), ReadyTask.claimed_by == actor),
                )
                .values(claimed_by=actor, claimed_at=clock.now())
                .execution_options(synchronize_session=False)
            ).rowcount
        except OperationalError as err:
            self._raise_conflict(err)
        if claimed != 1:
            self.session.rollback()
            holder = self.session.scalar(select(ReadyTask.claimed_by).where(ReadyTask.id == row.id))
            self.session.rollback()
            raise ConflictError(f"tác vụ đã được {holder or 'người khác'} nhận xử lý")
        self._event_by_id(dossier_id, "task_claimed", actor, task_id=task_id, task_name=row.name)
        self._commit()
        self.session.refresh(row)
        return row

    @_retry_stale_snapshot
    def complete_task(
        self,
        dossier_id: int,
        task_id: str,
        data: dict[str, Any] | None = None,
        *,
        actor: str | None = None,
    ) -> Dossier:
        """Complete a ready user task with form data validated against its form."""
        dossier = self.get(dossier_id)
        indexes = self._read_indexes([dossier.id])
        try:
            self._complete(dossier, task_id, data, actor, indexes[dossier.id])
        except _Rejected as rejected:
            raise rejected.args[0]  # noqa: B904 — the refusal itself, as the caller expects
        self._commit()
        return dossier

    def complete_tasks(
        self, items: list[tuple[int, str, dict[str, Any] | None]], *, actor: str | None = None
    ) -> list[BatchOutcome]:
        """Complete ready tasks of several dossiers (an officer signing a batch, a portal
        syncing submissions) in one transaction: one read of the dossiers, one of their
        index rows, one write of each kind, one commit.

        Each item stands alone: an item that cannot be done (task not ready, claimed by
        someone else, invalid form data) gets its error in its outcome and changes
        nothing, the others go ahead. If the batch's commit loses a race (another step
        on one of its dossiers committed first), the items are done one by one instead,
        each in its own transaction, so that only the dossier in conflict reports it.
        """
        ids = [dossier_id for dossier_id, _, _ in items]
        if len(set(ids)) != len(ids):
            raise EngineError("mỗi hồ sơ chỉ có một tác vụ trong một lô")
        token = None
        if self._dialect == "sqlite" and not (
            self.session.new or self.session.dirty or self.session.deleted
        ):
            # one snapshot for the whole batch, taken with the write lock (see db.py)
            self.session.commit()
            token = sqlite_write_intent.set(True)
        outcomes: list[BatchOutcome | None] = [None] * len(items)
        try:
            dossiers = {
                d.id: d
                for d in self.session.scalars(_READ_DOSSIERS[self._ids_as_array], {"ids": ids})
            }
            indexes = self._read_indexes(list(dossiers))
            self._load_states(dossiers.values())  # those not in the cache, in one query
            for n, (dossier_id, task_id, data) in enumerate(items):
                dossier = dossiers.get(dossier_id)
                try:
                    if dossier is None:
                        raise NotFoundError(f"không tìm thấy hồ sơ {dossier_id}")
                    self._complete(dossier, task_id, data, actor, indexes[dossier_id])
                    outcomes[n] = BatchOutcome(dossier_id, str(task_id), True)
                except _Rejected as rejected:
                    outcomes[n] = _outcome(dossier_id, task_id, rejected.args[0])
            self._commit()
            return [o for o in outcomes if o is not None]
        except EngineError:
            # lost a race somewhere in the batch (ConflictError), or one dossier cannot be
            # saved: one by one below, so that only that dossier reports it
            self._discard()
        except BaseException:
            self._discard()
            raise
        finally:
            if token is not None:
                sqlite_write_intent.reset(token)
        done = []
        for n, (dossier_id, task_id, data) in enumerate(items):
            previous = outcomes[n]
            if previous is not None and not previous.ok:
                done.append(previous)
                continue
            try:
                self.complete_task(dossier_id, task_id, data, actor=actor)
                done.append(BatchOutcome(dossier_id, str(task_id), True))
            except (EngineError, formlib.FormValidationError) as err:
                self._discard()
                done.append(_outcome(dossier_id, task_id, err))
        return done

    def _complete(
        self,
        dossier: Dossier,
        task_id: str,
        data: dict[str, Any] | None,
        actor: str | None,
        indexes: _Indexes,
    ) -> None:
        """Check, then complete one task. Everything that can refuse the completion is
        checked before anything changes; a refusal is raised as :class:`_Rejected`."""
        try:
            if dossier.status in TERMINAL:
                self._refuse_if_done(dossier.id, task_id)
                raise DossierStateError(
                    f"hồ sơ đã {'hoàn thành' if dossier.status == 'completed' else 'bị hủy'}"
                )
            workflow = self._checkout(dossier)
            task = self._ready_user_task(workflow, task_id, dossier.id)
            claim = indexes.ready.get(str(task.id))
            if claim and actor != claim:
                raise ConflictError(f"tác vụ đang do {claim} xử lý")
            loaded = self._loaded(dossier.version)
            meta = loaded.info.tasks.get(task.task_spec.bpmn_id)
            schema = loaded.forms.get(meta.form) if meta and meta.form else _NO_FORM
            prefilled = formlib.prefill_values(schema, task.data)
            clean = formlib.validate_submission(schema, data or {}, prefilled)
            self._check_component_refs(
                dossier.id, dossier.applicant_id, schema, clean, loaded.info.components
            )
        except (EngineError, formlib.FormValidationError) as err:
            raise _Rejected(err) from err
        for key in RESERVED_KEYS:
            clean.pop(key, None)
        if meta and meta.step.get("presence") in ("required", "required_by_law"):
            dossier.full_online = False  # Circular 01/2023/TT-VPCP Art. 13(1)(e)
        # the data encoded before the step runs: what it puts in, whatever scripts do later
        step = _Step(
            self._operation(dossier, workflow),
            _SERIALIZER.encode_data(clean),
            task_id=str(task.id),
            version=dossier.lock_version or 0,
        )
        # old and new values, personal data masked (engine/audit.py)
        changed = audit.changes(schema, task.data, clean)
        with operating(step.operation):
            task.set_data(**clean)
            task.run()
            self._event(
                dossier,
                "task_completed",
                actor,
                task_id=str(task.id),
                task_name=meta.name if meta else task.task_spec.name,
                detail={
                    "bpmn_id": task.task_spec.bpmn_id,
                    "fields": sorted(clean),
                    "changes": changed,
                },
            )
            self._advance(dossier, workflow, actor)
            self._save(dossier, workflow, step=step)

    def _operation(self, dossier: Dossier, workflow: BpmnWorkflow) -> Operation:
        """A new operation on an existing dossier: its instant is after the dossier's last
        (a clock set back must not give two operations the same ids, engine/workflow.py)."""
        at = clock.now()
        last = dossier.updated_at
        if last is not None and at <= last:
            at = last + timedelta(microseconds=1)
        return Operation(at, workflow.task_tree.id.bytes, dossier.lock_version or 0)

    def _ready_user_task(self, workflow: BpmnWorkflow, task_id: str, dossier_id: int):
        try:
            task = workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, KeyError, TypeError):
            task = None
        except Exception:  # SpiffWorkflow raises TaskNotFoundException
            task = None
        if task is None:
            self._refuse_if_done(dossier_id, task_id)  # compacted away after completion
            raise NotFoundError(f"không tìm thấy tác vụ {task_id} trong hồ sơ")
        if task.state == TaskState.COMPLETED and task.task_spec.manual:
            raise ConflictError(_ALREADY_DONE)
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise DossierStateError(
                f"tác vụ '{task.task_spec.bpmn_name or task.task_spec.name}' không chờ xử lý "
                f"(trạng thái {TaskState.get_name(task.state)})"
            )
        return task

    def _refuse_if_done(self, dossier_id: int, task_id: str) -> None:
        """A task someone has completed already: whoever comes next lost a race for it
        (HTTP 409 ``conflict``, as when both commit at once), not a missing task."""
        done = self.session.scalar(
            select(DossierEvent.id)
            .where(
                DossierEvent.kind == "task_completed",
                DossierEvent.task_id == str(task_id),
                DossierEvent.dossier_id == dossier_id,
            )
            .limit(1)
        )
        if done is not None:
            raise ConflictError(_ALREADY_DONE)

    def completed_task_dossier(self, task_id: str) -> int | None:
        """The dossier in which the user task ``task_id`` was completed, if one was."""
        return self.session.scalar(
            select(DossierEvent.dossier_id)
            .where(DossierEvent.kind == "task_completed", DossierEvent.task_id == str(task_id))
            .limit(1)
        )

    @_retry_stale_snapshot
    def cancel(self, dossier_id: int, *, actor: str | None = None, reason: str = "") -> Dossier:
        dossier = self.get(dossier_id)
        if dossier.status in TERMINAL:
            raise DossierStateError("hồ sơ đã kết thúc, không hủy được")
        workflow = self._checkout(dossier)
        workflow.cancel()
        retries.cancelled(dossier)
        self._event(dossier, "dossier_cancelled", actor, detail={"reason": reason})
        self._save(dossier, workflow, status="cancelled")
        self._commit()
        return dossier

    # ------------------------------------------------------------ attachments
    def attach(
        self,
        dossier_id: int,
        content: bytes,
        *,
        filename: str | None = None,
        component: str | None = None,
        actor: str | None = None,
        limits: filelib.Limits | None = None,
    ) -> filelib.DossierAttachment:
        """Keep a file submitted with a dossier in progress (``engine/attachments.py``),
        once it has passed its checks and the malware scanner ``limits`` name, if any;
        ``component``, when given, must be one a form of the dossier's procedure asks
        for. Audited as ``attachment_added``; committed."""
        limits = limits or filelib.Limits()
        # the file's own checks, the malware scan among them, before the dossier is locked
        filelib.check_file(content, limits)
        filelib.scan(content, limits)
        dossier = self.get(dossier_id, for_update=True)  # one upload at a time per dossier
        if dossier.status in TERMINAL:
            raise DossierStateError("hồ sơ đã kết thúc, không nhận thêm tệp")
        if component is not None:
            wanted = self.components(dossier)
            if component not in wanted:
                raise filelib.AttachmentError(
                    "component",
                    f"thủ tục không có thành phần hồ sơ '{component}'"
                    + (f"; chọn một trong {sorted(wanted)}" if wanted else ""),
                )
        if filelib.count_attachments(self.session, dossier.id) >= limits.max_per_dossier:
            raise filelib.AttachmentError(
                "file", f"hồ sơ đã có {limits.max_per_dossier} tệp, không nhận thêm", status=409
            )
        row = filelib.new_attachment(
            dossier.id,
            content,
            filename=filename,
            component=component,
            uploaded_by=actor,
            limits=limits,
        )
        if self.files is not None:
            # in the store before the row is committed: a commit that fails leaves a file
            # that no row names, which the store's sweep removes (never a row without it)
            self.files.put(row.sha256, content)
            row.content = None
        self.session.add(row)
        self._event(
            dossier,
            "attachment_added",
            actor,
            detail={
                "code": row.code,
                "component": component,
                "filename": row.filename,
                "media_type": row.media_type,
                "size": row.size,
                "sha256": row.sha256,
            },
        )
        self._commit()
        return row

    def attachments(self, dossier_id: int) -> list[filelib.DossierAttachment]:
        """A dossier's files, oldest first, without their content."""
        return filelib.list_attachments(self.session, dossier_id)

    def used_document(self, dossier: Dossier, result_code: str) -> WarehouseDocument:
        """The warehouse document (with its file) that this dossier uses: one of its
        component fields (``x-component``, checked at completion to hold the applicant's
        document of that type) names it, or it was kept from this dossier. A code typed
        into any other field does not open the applicant's warehouse."""
        doc = find_by_result_code(self.session, result_code, with_content=True)
        if doc is not None and doc.applicant_id == dossier.applicant_id and doc.has_file:
            if doc.source_dossier_id == str(dossier.id):
                return doc
            data = self.data(dossier)
            for refs in self.components(dossier).values():
                if any(data.get(ref.split(".", 1)[1]) == result_code for ref in refs):
                    return doc
        raise NotFoundError(
            f"hồ sơ {dossier.receipt_code} không dùng tệp của giấy tờ {result_code}"
        )

    def kept_attachments(self, codes: list[str]) -> dict[str, str]:
        """File code → the result code of the warehouse document kept from it, for those
        of ``codes`` that were kept (:meth:`keep_attachment`)."""
        if not codes:
            return {}
        rows = self.session.execute(
            select(WarehouseDocument.source_attachment, WarehouseDocument.result_code).where(
                WarehouseDocument.source_attachment.in_(codes)
            )
        )
        return dict(rows.all())

    def file_content(self, row: filelib.DossierAttachment | WarehouseDocument) -> bytes:
        """The file of a dossier attachment or of a digitized warehouse document (read
        with its content), from its row or from the file store."""
        if isinstance(row, WarehouseDocument):
            return filestore.read(self.files, row.content, row.content_hash)
        return filestore.read(self.files, row.content, row.sha256)

    def attachment(
        self, dossier_id: int, code: str, *, with_content: bool = False
    ) -> filelib.DossierAttachment:
        row = filelib.find_attachment(self.session, dossier_id, code, with_content=with_content)
        if row is None:
            raise NotFoundError(f"hồ sơ {dossier_id} không có tệp {code}")
        return row

    def components(self, dossier: Dossier) -> dict[str, list[str]]:
        """The dossier components its procedure's forms ask for: component → the fields
        (``form.field``) that carry it."""
        found: dict[str, list[str]] = {}
        for form_name, schema in sorted(self._loaded(dossier.version).forms.items()):
            for name, component in formlib.component_fields(schema).items():
                found.setdefault(component, []).append(f"{form_name}.{name}")
        return found

    def component_types(self, dossier: Dossier) -> dict[str, str]:
        """Each dossier component its forms ask for → the e-data warehouse's type of
        document it is (:func:`document_type_of`)."""
        kinds = self._loaded(dossier.version).info.components
        return {c: document_type_of(kinds, c) for c in self.components(dossier)}

    def _check_component_refs(
        self,
        dossier_id: int | None,
        applicant_id: str | None,
        schema: dict[str, Any],
        data: dict[str, Any],
        components: dict[str, dict[str, str | None]] | None,
    ) -> None:
        """Each ``x-component`` field given must name a file of this dossier (of that
        component, if the file was filed under one) or a document in force in the
        applicant's e-data warehouse, of the type of document the component is."""
        fields = formlib.component_fields(schema)
        refs = {name: data[name] for name in fields if data.get(name) not in (None, "")}
        if not refs:
            return
        values = [v for v in refs.values() if isinstance(v, str)]
        with self.session.no_autoflush:
            files = (
                filelib.components_of(
                    self.session, dossier_id, [v for v in values if filelib.is_code(v)]
                )
                if dossier_id is not None
                else {}
            )
            results = [v for v in values if v not in files]
            now = clock.now()
            held = (
                dict(
                    self.session.execute(
                        select(
                            WarehouseDocument.result_code, WarehouseDocument.document_type
                        ).where(
                            WarehouseDocument.applicant_id == applicant_id,
                            WarehouseDocument.result_code.in_(results),
                            or_(
                                WarehouseDocument.valid_until.is_(None),
                                WarehouseDocument.valid_until > now,
                            ),
                        )
                    ).all()
                )
                if results and applicant_id
                else {}
            )
        errors = []
        for name, value in refs.items():
            wanted = fields[name]
            if value in files:
                if files[value] not in (None, wanted):
                    errors.append(
                        formlib.FieldError(
                            name,
                            f"tệp {value} thuộc thành phần '{files[value]}', không phải '{wanted}'",
                        )
                    )
            elif value not in held:
                errors.append(
                    formlib.FieldError(
                        name,
                        f"không có tệp đính kèm của hồ sơ hay giấy tờ còn hiệu lực trong kho dữ liệu "
                        f"mang mã {value!r}; tải tệp lên trước",
                    )
                )
            elif held[value] != (kind := document_type_of(components, wanted)):
                errors.append(
                    formlib.FieldError(
                        name,
                        f"giấy tờ {value} trong kho dữ liệu là loại '{held[value]}', "
                        f"thành phần này cần loại '{kind}'",
                    )
                )
        if errors:
            raise formlib.FormValidationError(errors)

    def keep_attachment(
        self,
        dossier_id: int,
        code: str,
        *,
        actor: str,
        valid_until: datetime | None = None,
    ) -> tuple[WarehouseDocument, bool]:
        """Keep a file of a dossier, checked by the officer ``actor``, in the applicant's
        e-data warehouse as a digitized document (Decree 45/2020/NĐ-CP; Circular
        01/2023/TT-VPCP), so that the applicant's later dossiers name it by its result
        code instead of uploading it again. Its type is the type of document its
        component is (``documentType`` of the ``tt:component``, else the component's
        code). A file is kept once: keeping it again returns the same document and
        ``False``. Audited as ``attachment_kept``; committed."""
        dossier = self.get(dossier_id, for_update=True)
        if dossier.status == "cancelled":
            raise DossierStateError("hồ sơ đã bị hủy; không lưu tệp của nó vào kho dữ liệu")
        if not dossier.applicant_id:
            raise filelib.AttachmentError(
                "code", "hồ sơ không có người nộp định danh; không có kho dữ liệu để lưu vào"
            )
        row = self.attachment(dossier_id, code, with_content=True)
        kept = self.session.scalar(
            select(WarehouseDocument).where(WarehouseDocument.source_attachment == row.code)
        )
        if kept is not None:
            return kept, False
        if row.component is None:
            raise filelib.AttachmentError(
                "code",
                f"tệp {row.code} không gắn với thành phần hồ sơ nào; không biết đó là giấy tờ gì",
            )
        components = self._loaded(dossier.version).info.components or {}
        component = components.get(row.component) or {}
        now = clock.now()
        kind = document_type_of(components, row.component)
        valid_until = default_until(kind, now, valid_until)  # else the term of its type
        if valid_until is not None and valid_until <= now:
            raise filelib.AttachmentError("valid_until", "giấy tờ đã hết hiệu lực")
        document = WarehouseDocument(
            **result_row(
                applicant_id=dossier.applicant_id,
                document_type=kind,
                title=component.get("name") or row.component,
                issuer=dossier.agency
                or (dossier.version.model.procedure or {}).get("agency")
                or "",
                data={
                    "digitized": True,
                    "component": row.component,
                    "receipt_code": dossier.receipt_code,
                    "checked_by": actor,
                },
                issued_at=now,
                valid_until=valid_until,
                source_dossier_id=str(dossier.id),
                # the file's own hash, whether its bytes are in the row or in the store
                file_hash=row.sha256,
            ),
            source_attachment=row.code,
            filename=row.filename,
            media_type=row.media_type,
            size=row.size,
            content=row.content,
        )
        self.session.add(document)
        self._event(
            dossier,
            "attachment_kept",
            actor,
            detail={
                "code": row.code,
                "component": row.component,
                "document_type": document.document_type,
                "result_code": document.result_code,
            },
        )
        try:
            self._commit()
        except (ConflictError, IntegrityError) as err:  # kept at once by another request
            kept = self.session.scalar(
                select(WarehouseDocument).where(WarehouseDocument.source_attachment == code)
            )
            if kept is None:
                raise err
            return kept, False
        return document, True

    @_retry_stale_snapshot
    def retry(self, dossier_id: int, *, actor: str | None = None) -> Dossier:
        """Run again the task that failed (a registry was down, say)."""
        dossier = self.get(dossier_id)
        if dossier.status != "error":
            raise DossierStateError("hồ sơ không ở trạng thái lỗi")
        workflow = self._checkout(dossier)
        for task in workflow.get_tasks(state=TaskState.ERROR):
            task._set_state(TaskState.READY)
        retries.begin(dossier, actor)
        self._event(
            dossier,
            "dossier_retried",
            actor,
            detail={"error": dossier.last_error, "attempt": dossier.retry_count},
        )
        self._advance(dossier, workflow, actor)
        self._save(dossier, workflow)
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def advance(self, dossier_id: int, *, actor: str = "system:worker") -> Dossier:
        """Run the service tasks a dossier left for a worker (see ``defer_services``)."""
        dossier = self.get(dossier_id, for_update=True)
        if not dossier.needs_advance or dossier.status in TERMINAL:
            self.session.rollback()
            return dossier
        workflow = self._checkout(dossier)
        saved_mode, self.defer_services = self.defer_services, False
        try:
            self._advance(dossier, workflow, actor)
        finally:
            self.defer_services = saved_mode
        self._save(dossier, workflow)
        self._commit()
        return dossier

    @_retry_stale_snapshot
    def migrate(
        self,
        dossier_id: int,
        to_version: int,
        *,
        actor: str | None = None,
        dry_run: bool = False,
    ) -> Dossier:
        """Move a running dossier to another version of its model, explicitly.

        Refused (:class:`MigrationRefused`) when the dossier has finished, when any task of
        its history or its present has no counterpart in the target version (its state
        could not be read back), or when the target has no such version. ``dry_run``
        makes the same checks and changes nothing.
        """
        from SpiffWorkflow.bpmn.util.diff import migrate_workflow

        dossier = self.get(dossier_id, for_update=not dry_run)
        if dossier.status in TERMINAL:
            raise MigrationRefused("hồ sơ đã kết thúc, không chuyển phiên bản")
        model = dossier.version.model
        target = next((v for v in model.versions if v.number == to_version), None)
        if target is None:
            raise NotFoundError(f"quy trình '{model.slug}' không có phiên bản {to_version}")
        if target.id == dossier.version_id:
            raise MigrationRefused(f"hồ sơ đã ở phiên bản {to_version}")
        new = self._loaded(target)
        if dry_run:
            with self._reading(dossier) as workflow:
                self._migration_diff(workflow, new, to_version)
            return dossier
        workflow = self._checkout(dossier)
        top_diff, sub_diffs = self._migration_diff(workflow, new, to_version)
        migrate_workflow(top_diff, workflow, new.spec)
        for sp_id, sp_diff in sub_diffs.items():
            sub = workflow.subprocesses[sp_id]
            migrate_workflow(sp_diff, sub, new.subprocess_specs[sub.spec.name])
        workflow.subprocess_specs = new.subprocess_specs
        from_number = dossier.version.number
        dossier.version = target
        self._event(
            dossier, "dossier_migrated", actor, detail={"from": from_number, "to": to_version}
        )
        self._advance(dossier, workflow, actor)
        self._save(dossier, workflow)
        wanted = self._index_writes[dossier.id][1]  # the target version's names and lanes
        inbox.retitle(self.session.connection(), dossier.id, wanted.ready, wanted.timers)
        self._commit()
        return dossier

    def migrate_running(
        self,
        model: str | int,
        from_version: int,
        to_version: int,
        *,
        actor: str | None = None,
        dry_run: bool = False,
        limit: int = 500,
    ) -> MigrationReport:
        """Move every running dossier (in progress or in error) of one version of a model
        to another, oldest first, at most ``limit`` of them, each in its own transaction:
        those that can move, move; the others stay where they are and are listed with the
        reason (:meth:`migrate`). ``dry_run`` only checks."""
        pm, source = self._model_version(model, from_version)
        self._model_version(pm.id, to_version)  # NotFoundError before anything is tried
        if from_version == to_version:
            raise MigrationRefused(f"phiên bản nguồn và đích đều là {to_version}")
        rows = self.session.execute(
            select(Dossier.id, Dossier.receipt_code)
            .where(Dossier.version_id == source.id, Dossier.status.not_in(TERMINAL))
            .order_by(Dossier.id)
            .limit(limit + 1)
        ).all()
        self.session.rollback()  # each dossier below in a transaction of its own
        report = MigrationReport(pm.slug, from_version, to_version, dry_run, more=len(rows) > limit)
        for dossier_id, receipt_code in rows[:limit]:
            try:
                self.migrate(dossier_id, to_version, actor=actor, dry_run=dry_run)
                report.moved.append({"dossier_id": dossier_id, "receipt_code": receipt_code})
            except (MigrationRefused, ConflictError, NotFoundError) as err:
                # refused, finished or taken a step meanwhile: it stays as it is
                report.refused.append(
                    {"dossier_id": dossier_id, "receipt_code": receipt_code, "reason": str(err)}
                )
            finally:
                self._discard()  # a refusal's lock, a dry run's read; nothing after a commit
        return report

    def _migration_diff(self, workflow: BpmnWorkflow, new: _Loaded, to_version: int):
        """SpiffWorkflow's diff of the dossier's workflow against the target version, or
        :class:`MigrationRefused` naming what has no counterpart there."""
        from SpiffWorkflow.bpmn.util.diff import diff_workflow

        top_diff, sub_diffs = diff_workflow(
            _SERIALIZER._registry, workflow, new.spec, new.subprocess_specs
        )
        problems = sorted(
            {
                f"bước '{t.task_spec.bpmn_name or t.task_spec.name}' không còn trong phiên bản {to_version}"
                for t in top_diff.removed
                if getattr(t.task_spec, "bpmn_id", None)
            }
        )
        if top_diff.removed and not problems:
            problems = [f"cấu trúc phiên bản {to_version} khác phiên bản hiện tại ở phần đã chạy"]
        if any(d is None or d.removed for d in sub_diffs.values()):
            problems.append(
                f"quy trình con của hồ sơ không còn tương ứng trong phiên bản {to_version}"
            )
        if problems:
            raise MigrationRefused("không thể chuyển phiên bản an toàn: " + "; ".join(problems))
        return top_diff, sub_diffs

    # ----------------------------------------------------------------- journal
    def settle_journals(self, limit: int = 100, idle_seconds: float | None = None) -> int:
        """Store the state of dossiers that have journal rows and have not moved for
        ``idle_seconds`` (default ``TOANTRINH_JOURNAL_SETTLE_AFTER``), at most ``limit``
        of them, each in its own transaction: a dossier an officer or a citizen comes back
        to later then loads from its stored state alone (engine/journal.py). Its
        ``lock_version`` does not change (nor, therefore, any cached workflow): the state
        is the same, stored another way. Returns how many were stored."""
        idle = journal.SETTLE_AFTER if idle_seconds is None else idle_seconds
        cutoff = clock.now() - timedelta(seconds=idle)
        ids = list(
            self.session.scalars(
                select(DossierJournal.dossier_id)
                .join(Dossier, Dossier.id == DossierJournal.dossier_id)
                .where(Dossier.updated_at <= cutoff)
                .group_by(DossierJournal.dossier_id)
                .order_by(DossierJournal.dossier_id)
                .limit(limit)
            )
        )
        self.session.rollback()
        settled = 0
        for dossier_id in ids:
            try:
                settled += self._settle(dossier_id)
            except (ConflictError, JournalError) as err:
                self._discard()
                log.warning("hồ sơ %s: chưa lưu được trạng thái: %s", dossier_id, err)
        return settled

    @_retry_stale_snapshot
    def _settle(self, dossier_id: int) -> int:
        dossier = self.get(dossier_id)
        if dossier.lock_version == dossier.state_version:
            self.session.rollback()  # stored meanwhile
            return 0
        with self._reading(dossier) as workflow:
            state = _SERIALIZER.dump_state(workflow)
        conn = self.session.connection()
        stored = conn.execute(
            _STORE_SNAPSHOT,
            {"_id": dossier.id, "_version": dossier.lock_version, "state": state},
        ).rowcount
        if stored != 1:  # a step committed meanwhile: its own save decides
            self.session.rollback()
            return 0
        conn.execute(_DELETE_SETTLED, {"d": dossier.id, "v": dossier.lock_version})
        self.session.commit()
        self._stored.clear()
        return 1

    # ------------------------------------------------------- timers & messages
    def fire_due_timers(self, limit: int = 100, now: datetime | None = None) -> int:
        """Fire the timers that are due; return how many dossiers moved."""
        now = now or clock.now()
        ids = list(
            self.session.scalars(
                select(Timer.dossier_id)
                .where(Timer.due_at <= now)
                .group_by(Timer.dossier_id)
                .order_by(func.min(Timer.due_at))
                .limit(limit)
            )
        )
        return self._sweep(ids, self._fire_timers)

    def _sweep(self, ids: list[int], step: Callable[[int], int]) -> int:
        """Run ``step`` on each id, each in its own transaction; a lost race skips that one
        (another worker has done it)."""
        self.session.rollback()
        done = 0
        for item in ids:
            try:
                done += step(item)
            except ConflictError:
                continue
        return done

    @_retry_stale_snapshot
    def _fire_timers(self, dossier_id: int) -> int:
        dossier = self.get(dossier_id, for_update=True)
        if dossier.status in TERMINAL:  # its last save removed its timers already
            self.session.rollback()
            return 0
        workflow = self._checkout(dossier)
        waiting = timers.waiting_timers(workflow)
        before = timers.before_refresh(waiting)
        workflow.refresh_timers()
        fired = timers.fired(waiting, before)
        if not fired:
            self.session.rollback()
            return 0
        for task in fired:
            self._event(
                dossier,
                "timer_fired",
                "system:timer",
                task_id=str(task.id),
                task_name=task.task_spec.bpmn_name or task.task_spec.name,
                detail={"due": task._get_internal_data("event_value")},
            )
        self._advance(dossier, workflow, "system:timer")
        self._save(dossier, workflow)
        self._commit()
        return 1

    def route_messages(self, limit: int = 100) -> int:
        """Deliver pending BPMN messages to the dossiers that wait for them."""
        ids = list(
            self.session.scalars(
                select(Message.id)
                .where(Message.delivered.is_(False), Message.refused_at.is_(None))
                .order_by(Message.id)
                .limit(limit)
            )
        )
        return self._sweep(ids, self._deliver)

    @_retry_stale_snapshot
    def _deliver(self, message_id: int) -> int:
        stmt = select(Message).where(Message.id == message_id)
        if self._dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        message = self.session.scalar(stmt)
        if message is None or message.delivered or message.refused_at is not None:
            self.session.rollback()
            return 0
        payload = message.payload or {}
        try:
            waiting = correlation.waiting_recipient(self.session, message)
        except correlation.AmbiguousMessage as err:
            self._refuse_message(message, err)
            return 0
        recipients: list[int] = []
        for dossier_id in [waiting] if waiting is not None else []:
            dossier = self.get(dossier_id)
            workflow = self._checkout(dossier)
            if self._catch(workflow, message.name, payload):
                self._event(
                    dossier,
                    "message_received",
                    "system:messages",
                    detail={"message": message.name, "from": message.source_dossier_id},
                )
                self._advance(dossier, workflow, "system:messages")
                self._save(dossier, workflow)
                recipients.append(dossier.id)
        if not recipients:
            recipients = self._start_by_message(message, payload)
        if recipients:
            message.delivered, message.delivered_at, message.delivered_to = (
                True,
                clock.now(),
                recipients,
            )
        else:
            message.attempts += 1
            message.last_error = "chưa có hồ sơ hoặc quy trình nào chờ thông điệp này"
        self._commit()
        return 1 if recipients else 0

    def _refuse_message(self, message: Message, err: correlation.AmbiguousMessage) -> None:
        """Keep a message that matched several waiting dossiers out of every one of them,
        said on the message and on the dossier that threw it."""
        log.warning("message %s refused: %s", message.id, err)
        message.refused_at, message.last_error = clock.now(), str(err)
        message.attempts += 1
        if message.source_dossier_id is not None:
            self._event_by_id(
                message.source_dossier_id,
                "message_refused",
                "system:messages",
                detail={"message": message.name, "candidates": err.candidates, "error": str(err)},
            )
        self._commit()

    def _catch(self, workflow: BpmnWorkflow, name: str, payload: dict[str, Any]) -> bool:
        for task in list(workflow.event_manager.tasks.values()):
            definition = task.task_spec.event_definition
            for candidate in [definition, *getattr(definition, "event_definitions", [])]:
                if isinstance(candidate, MessageEventDefinition) and candidate.name == name:
                    event = BpmnEvent(candidate, payload=dict(payload))
                    return workflow.event_manager.catch(event, internal=False) > 0
        return False

    def _start_by_message(self, message: Message, payload: dict[str, Any]) -> list[int]:
        started = []
        models = self.session.scalars(select(ProcessModel).order_by(ProcessModel.id))
        for pm in models:
            mv = pm.latest
            if mv is None or message.name not in self._loaded(mv).info.message_starts:
                continue
            applicant = payload.get("applicant_id") if isinstance(payload, dict) else None
            source = (
                self.session.get(Dossier, message.source_dossier_id)
                if message.source_dossier_id
                else None
            )
            dossier = self._new_dossier(
                pm, mv, applicant, source.channel if source else "online", None, message.link_id
            )
            workflow = self._new_workflow(mv)
            initial = {
                "receipt_code": dossier.receipt_code,
                "channel": dossier.channel,
                "applicant_id": applicant,
                "link_id": dossier.link_id,
            }
            for task in workflow.get_tasks(state=TaskState.READY):
                task.set_data(**initial)
            workflow.do_engine_steps()
            self._event(
                dossier,
                "dossier_started",
                "system:messages",
                detail={
                    "model": pm.slug,
                    "version": mv.number,
                    "by_message": message.name,
                    "from": message.source_dossier_id,
                },
            )
            if self._catch(workflow, message.name, payload):
                self._event(
                    dossier,
                    "message_received",
                    "system:messages",
                    detail={"message": message.name, "from": message.source_dossier_id},
                )
            self._advance(dossier, workflow, "system:messages")
            self._save(dossier, workflow)
            started.append(dossier.id)
        return started

    # ------------------------------------------------------------ internals
    def _advance(self, dossier: Dossier, workflow: BpmnWorkflow, actor: str | None) -> None:
        """Run engine steps; a failure marks the dossier in error, keeping its state."""
        completed: list = []
        if dossier.needs_advance:  # each attribute set is an ORM change event: only if changed
            dossier.needs_advance = False
        try:
            deferred = run_steps(workflow, self.defer_services, completed)
            if deferred is not None:
                dossier.needs_advance = True
                self._deferred.append(dossier.id)
                self._event(
                    dossier,
                    "service_queued",
                    "system",
                    task_id=str(deferred.id),
                    task_name=deferred.task_spec.bpmn_name or deferred.task_spec.name,
                    detail={"operation": deferred.task_spec.operation_name, "caused_by": actor},
                )
            else:
                if dossier.last_error is not None or dossier.error_retryable or dossier.retry_at:
                    dossier.last_error, dossier.error_retryable, dossier.retry_at = (
                        None,
                        False,
                        None,
                    )
                if dossier.status == "error":
                    dossier.status = "in_progress"
                retries.succeeded(dossier)
        except Exception as err:  # any model or connector failure: fail the task, not the process
            message, retryable, task_name = _describe_error(err)
            retries.log_failure(dossier, message, err)
            dossier.status = "error"
            dossier.last_error = message
            dossier.error_retryable = retryable
            attention = retries.failed(dossier, retryable, clock.now())
            self._event(
                dossier,
                "task_failed",
                actor,
                task_name=task_name,
                detail={
                    "error": message,
                    "retryable": retryable,
                    "retry_at": dossier.retry_at.isoformat() if dossier.retry_at else None,
                    "attempt": dossier.retry_count,
                    "needs_attention": attention,
                },
            )
        finally:
            for task in completed:
                spec = task.task_spec
                # automatic steps are the system's, triggered by the actor's action
                if isinstance(spec, ServiceTask):
                    self._event(
                        dossier,
                        "service_called",
                        "system",
                        task_id=str(task.id),
                        task_name=spec.bpmn_name or spec.name,
                        detail={"operation": spec.operation_name, "caused_by": actor},
                    )
                elif getattr(spec, "bpmn_id", None) and spec.bpmn_name and not spec.manual:
                    self._event(
                        dossier,
                        "step_completed",
                        "system",
                        task_id=str(task.id),
                        task_name=spec.bpmn_name,
                        detail={"type": type(spec).__name__, "caused_by": actor},
                    )

    def _save(
        self,
        dossier: Dossier,
        workflow: BpmnWorkflow,
        status: str | None = None,
        step: _Step | None = None,
    ) -> None:
        """Keep what a step left, for the commit: the dossier's columns, and either the
        step in the dossier's journal (``step``, when :meth:`_journals` allows) or a dump
        of the whole state."""
        try:
            thrown = settle(workflow, check_completion=status is None)
        except TreeTooDeep as err:
            raise EngineError(
                f"hồ sơ {dossier.receipt_code}: cây tác vụ quá sâu ({err.depth} cấp, tối đa "
                f"{err.limit}); quy trình lặp quá nhiều lần"
            ) from err
        now = clock.now()
        if status is not None:
            dossier.status = status
        elif workflow.is_completed():
            dossier.status = "completed"
        elif dossier.status not in ("error",):
            dossier.status = "in_progress"
        if dossier.status in TERMINAL and dossier.completed_at is None:
            dossier.completed_at = now
            if dossier.status == "completed":
                self._keep_result(dossier, workflow)  # its row is written at commit
                # the state keeps the final data, the event the path taken
                steps = compact_completed(workflow)
                self._event(dossier, "dossier_completed", "system", detail={"steps": steps})
        indexes = self._index_state(dossier, workflow)
        # the statutory clock (receipt, stops, due_at, its timers): engine/deadlines.py
        realigned = deadlines.follow(self, dossier, workflow, indexes)
        if step is not None and not realigned and self._journals(dossier):
            self._journal.setdefault(dossier.id, []).append(step.entry(self.defer_services))
        else:
            new = dossier in self.session.new
            if not new and dossier.lock_version > dossier.state_version:
                self._truncate.add(dossier.id)  # its journal rows are in this dump
            dossier.state = _SERIALIZER.dump_state(workflow)
            # the lock_version this commit gives the row (a new row is inserted at 1)
            dossier.state_version = 1 if new else dossier.lock_version + 1
            self._journal.pop(dossier.id, None)
            self._dumped.add(dossier.id)
        dossier.updated_at = now
        # the index rows are written at commit, after the dossier's conditional UPDATE
        # (the optimistic lock): a step that lost its race never touches them
        self._index_writes[dossier.id] = (dossier, indexes)
        for event in thrown:
            for name in _message_names(event.event_definition):
                payload = json.loads(json.dumps(event.payload, default=json_default))
                link, payload = correlation.outgoing(dossier, payload)
                self.session.add(
                    Message(name=name, payload=payload, link_id=link, source_dossier_id=dossier.id)
                )
                self._event(dossier, "message_sent", "system", detail={"message": name})
        self._saved[dossier.id] = (dossier, workflow)

    def _journals(self, dossier: Dossier) -> bool:
        """Whether a step of this dossier may be kept in its journal instead of a dump of
        its state (engine/journal.py): a running dossier, not dumped earlier in this
        transaction, of a model whose steps replay, with fewer than ``JOURNAL_MAX`` rows."""
        if journal.JOURNAL_MAX == 0 or dossier.status != "in_progress":
            return False
        if dossier.id in self._dumped or not self._loaded(dossier.version).info.replayable:
            return False
        if dossier in self.session.new:
            return True
        return dossier.lock_version - dossier.state_version < journal.JOURNAL_MAX

    def _keep_result(self, dossier: Dossier, workflow: BpmnWorkflow) -> None:
        """Put the dossier's result in the applicant's e-data warehouse (Decree 45/2020,
        once-only), when its procedure declares one (``result_document`` in procedure.json)
        and the dossier ended with it (``when``, a safe expression over the data)."""
        with self.session.no_autoflush:  # written with the batch at commit
            procedure = dossier.version.model.procedure or {}
        spec = procedure.get("result_document")
        if not spec or not dossier.applicant_id:
            return
        data = current_data(workflow)
        try:
            if not result_document.applies(spec, data):
                return
        except result_document.WhenFailed as err:
            self._event(dossier, "result_not_stored", "system", detail={"error": str(err)})
            return
        number = data.get(spec["number_field"]) if spec.get("number_field") else None
        issued = clock.now()
        valid_days = spec.get("valid_days")
        kept = {k: data[k] for k in spec.get("fields", []) if k in data}
        kept["receipt_code"] = dossier.receipt_code
        document = result_row(
            applicant_id=dossier.applicant_id,
            document_type=spec["document_type"],
            title=f"{spec.get('title', spec['document_type'])}{f' số {number}' if number else ''}",
            issuer=procedure.get("agency") or dossier.agency or "",
            data=json.loads(json.dumps(kept, default=json_default)),
            issued_at=issued,
            valid_until=issued + timedelta(days=int(valid_days)) if valid_days else None,
            source_dossier_id=str(dossier.id),
        )
        self._pending_results.append(document)  # inserted at commit, with the events
        self._event(
            dossier,
            "result_stored",
            "system",
            detail={
                "document_type": document["document_type"],
                "result_code": document["result_code"],
            },
        )

    def _index_state(self, dossier: Dossier, workflow: BpmnWorkflow) -> _Indexes:
        """The timer, message-subscription and inbox rows the workflow calls for."""
        wanted = _Indexes()
        if dossier.status in TERMINAL:
            return wanted
        for task in workflow.event_manager.tasks.values():
            definition = task.task_spec.event_definition
            if timers.has_timer(definition):
                due = timers.due_at(task)
                if due is not None:
                    wanted.timers[str(task.id)] = (due, task.task_spec.bpmn_name)
            wanted.subs.update(_message_names(definition))
        info = self._loaded(dossier.version).info
        for task in _ready_manual_tasks(workflow):
            meta = info.tasks.get(task.task_spec.bpmn_id)
            wanted.ready[str(task.id)] = {
                "bpmn_id": task.task_spec.bpmn_id,
                "name": meta.name if meta else task.task_spec.name,
                "lane": meta.lane if meta else task.task_spec.lane,
            }
        return wanted

    def _read_indexes(self, dossier_ids: list[int]) -> dict[int, _Indexes]:
        """The index rows of these dossiers as stored, in one query (known ones not read)."""
        found = {i: self._indexes[i] for i in dossier_ids if i in self._indexes}
        wanted = [i for i in dossier_ids if i not in found]
        if not wanted:
            return found
        for i in wanted:
            found[i] = self._indexes[i] = _Indexes()
        rows = self.session.connection().execute(_READ_INDEXES[self._ids_as_array], {"ids": wanted})
        for kind, dossier_id, key, text_value, due_at, _ in rows:
            known = found[dossier_id]
            if kind == "t":
                known.timers[key] = (due_at, text_value)
            elif kind == "r":
                known.ready[key] = text_value
            else:
                known.subs.add(key)
        return found

    def _write_indexes(self) -> None:
        """Bring the index rows of the dossiers saved in this transaction to what their
        workflows call for: one statement per kind of change, for all of them."""
        writes, self._index_writes = self._index_writes, {}
        if not writes:
            return
        stored = self._read_indexes(list(writes))
        now = clock.now()
        # in the order of the kinds "rd", "td", "sd" and "ri", "ti", "si"
        gone: dict[type, list] = {ReadyTask: [], Timer: [], MessageSubscription: []}
        new: dict[type, list[dict[str, Any]]] = {ReadyTask: [], Timer: [], MessageSubscription: []}
        moved: list[dict[str, Any]] = []
        for dossier_id, (dossier, wanted) in writes.items():
            old = stored[dossier_id]
            dropped_ready = [t for t in old.ready if t not in wanted.ready]
            dropped_timers = [t for t in old.timers if t not in wanted.timers]
            dropped_subs = [n for n in old.subs if n not in wanted.subs]
            if dropped_ready:
                gone[ReadyTask].append((dossier_id, dropped_ready))
            if dropped_timers:
                gone[Timer].append((dossier_id, dropped_timers))
            if dropped_subs:
                gone[MessageSubscription].append((dossier_id, dropped_subs))
            for task_id, row in wanted.ready.items():
                if task_id not in old.ready:
                    new[ReadyTask].append(
                        {
                            "dossier_id": dossier_id,
                            "task_id": task_id,
                            "agency": dossier.agency,
                            "created_at": now,
                            **row,
                        }
                    )
            for task_id, (due, name) in wanted.timers.items():
                if task_id not in old.timers:
                    new[Timer].append(
                        {"dossier_id": dossier_id, "task_id": task_id, "due_at": due, "name": name}
                    )
                elif old.timers[task_id][0] != due:
                    moved.append({"d": dossier_id, "t": task_id, "due": due})
            for name in wanted.subs - old.subs:
                new[MessageSubscription].append(
                    {"dossier_id": dossier_id, "name": name, "link_id": dossier.link_id}
                )
            # what this transaction now knows the rows to be (claims of rows it keeps stay)
            self._indexes[dossier_id] = _Indexes(
                {t: old.ready.get(t) for t in wanted.ready}, dict(wanted.timers), set(wanted.subs)
            )
            # in the rows' id order: the kept rows as read, then the new ones as inserted
            self._inbox_writing[dossier_id] = [
                {
                    "id": t,
                    "name": wanted.ready[t]["name"],
                    "lane": wanted.ready[t]["lane"],
                    "claimed_by": old.ready.get(t),
                }
                for t in [t for t in old.ready if t in wanted.ready]
                + [t for t in wanted.ready if t not in old.ready]
            ]
        for kind, dropped in zip(("rd", "td", "sd"), gone.values(), strict=True):
            if dropped:
                self._emit(
                    kind,
                    [{"d": dossier_id, "k": key} for dossier_id, keys in dropped for key in keys],
                )
        if moved:
            self._emit("tm", moved)
        for kind, rows in zip(("ri", "ti", "si"), new.values(), strict=True):
            if rows:
                self._emit(kind, rows)

    def _event(
        self,
        dossier: Dossier | None,
        kind: str,
        actor: str | None,
        *,
        task_id: str | None = None,
        task_name: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._pending_events.append(
            {
                "dossier_id": dossier.id if dossier is not None else None,
                "at": clock.now(),
                "actor": actor,
                "kind": kind,
                "task_id": task_id,
                "task_name": task_name,
                "detail": detail or {},
            }
        )

    def _event_by_id(self, dossier_id: int, kind: str, actor: str | None, **kwargs) -> None:
        self._event(self.session.get(Dossier, dossier_id), kind, actor, **kwargs)

    def _flush(self) -> None:
        """Flush new rows; a lost race (same slug or hash deployed at once, a receipt-code
        collision, a stale SQLite snapshot) runs the whole operation again."""
        try:
            self.session.flush()
        except (OperationalError, IntegrityError) as err:
            self._discard()
            if isinstance(err, OperationalError) and "locked" not in str(err.orig).lower():
                raise
            raise _StaleSnapshot("thao tác trùng với một thao tác khác; đang thử lại") from err

    def _raise_conflict(self, err: Exception, receipt_code: str | None = None) -> None:
        """Turn a lost optimistic-lock race into :class:`ConflictError`.

        PostgreSQL reports the race as an UPDATE that matched no row (StaleDataError);
        SQLite in WAL mode may instead refuse to upgrade a stale read snapshot to a write
        ("database is locked"). Any other operational error is not a conflict.
        """
        self._discard()
        if conflicts.receipt_collision(err):
            # a new dossier inserted at commit drew a receipt code taken meanwhile: the
            # whole start runs again with a new one, as when it was flushed up front
            raise _StaleSnapshot("mã biên nhận trùng; đang thử lại") from err
        if isinstance(err, IntegrityError | OperationalError) and not conflicts.lost_race(err):
            raise err
        who = f"hồ sơ {receipt_code}" if receipt_code else "hồ sơ"
        message = f"{who} vừa được người khác cập nhật; hãy tải lại và thử lại"
        if isinstance(err, OperationalError):
            raise _StaleSnapshot(message) from err
        raise ConflictError(message) from err

    def _insert_events(self) -> None:
        if self._pending_events:
            self._emit("e", self._pending_events)
        if self._pending_results:
            _insert_rows(self.session.connection(), _INSERT_RESULT, self._pending_results)

    def _write_journal(self) -> set[int]:
        """Delete the journal rows of the dossiers this transaction dumped, insert a row
        for each dossier whose steps it journaled (at the ``lock_version`` the commit gives
        it: the UPDATE and the flush have run); return the ids journaled."""
        if self._truncate:
            self._emit("jd", [{"d": dossier_id} for dossier_id in sorted(self._truncate)])
        if not self._journal:
            return set()
        self._emit(
            "j",
            [
                {
                    "dossier_id": dossier_id,
                    "lock_version": self._saved[dossier_id][0].lock_version,
                    "entry": journal.row_text(entries),
                }
                for dossier_id, entries in self._journal.items()
            ],
        )
        return set(self._journal)

    def _emit(self, kind: str, rows: list[dict[str, Any]]) -> None:
        """Write rows of one kind (:data:`_WRITE_KINDS`): on PostgreSQL kept for
        :meth:`_send_writes`, elsewhere at once."""
        if self._dialect == "postgresql":
            self._writes[kind].extend(rows)
            return
        conn = self.session.connection()
        if kind == "u":
            if conn.execute(_UPDATE_DOSSIER[False], rows).rowcount != len(rows):
                raise StaleDataError("một hồ sơ của lô vừa được cập nhật ở nơi khác")
        elif kind == "jd":
            conn.execute(_DELETE_JOURNAL, {"ids": [row["d"] for row in rows]})
        elif kind in ("e", "j", "ri", "ti", "si"):
            _insert_rows(conn, _WRITE_KINDS[kind], rows)
        else:
            conn.execute(_WRITE_KINDS[kind], rows)

    def _send_writes(self) -> None:
        """PostgreSQL: every row :meth:`_emit` kept, in one statement; the journaled
        dossiers' UPDATE must have found each row at its ``lock_version``."""
        writes = self._writes
        kinds = tuple(kind for kind, rows in writes.items() if rows)
        if not kinds:
            return
        encode = _WRITE_ENCODER.encode
        params: dict[str, Any] = {}
        for kind in kinds:
            rows = writes[kind]
            key = _WRITE_KEYS.get(kind)
            if key is not None:
                params[f"{kind}_keys"] = [row[key] for row in rows]
            if kind != "jd":  # its keys are all it needs
                params[kind] = encode(rows)
        expected = len(writes["u"])
        for kind in kinds:
            writes[kind].clear()
        found = self.session.connection().execute(_write_statement(kinds), params).scalar()
        if found != expected:
            raise StaleDataError("một hồ sơ của lô vừa được cập nhật ở nơi khác")

    def _verify_journal(self, items: list[tuple[int, BpmnWorkflow]]) -> None:
        """``TOANTRINH_VERIFY_JOURNAL=1``: each dossier the commit just journaled, rebuilt
        from the database by another session (stored state, journal replayed), must hold
        exactly the state the step left in this process's workflow."""
        with Session(bind=self.session.get_bind()) as other:
            reader = Engine(other, connectors=self.connectors, forms_dir=self.forms_dir)
            for dossier_id, workflow in items:
                rebuilt = reader.workflow(reader.get(dossier_id))
                expected = json.loads(_SERIALIZER.dump_state(workflow))
                found = json.loads(_SERIALIZER.dump_state(rebuilt))
                if found != expected:
                    raise AssertionError(
                        f"hồ sơ {dossier_id}: nhật ký dựng lại trạng thái khác: "
                        f"{journal.first_difference(expected, found)}"
                    )
                other.rollback()

    def _update_dossiers(self) -> None:
        """Write the stepped dossiers with one Core UPDATE (executemany for a batch, which
        psycopg sends pipelined), each row conditional on its ``lock_version`` — without
        the ORM's unit of work, which would also send one UPDATE per versioned row. A
        dossier with other changes (a migration's new version) is left to the ORM."""
        if not self._saved:
            return
        new = self.session.new
        states = []
        rows = []
        by_kind: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
        for dossier, _ in self._saved.values():
            if dossier in new:
                continue
            state = inspect(dossier)
            # the attributes set since the last load or commit (a value set back to
            # what it was counts too: the ORM path below is then taken, still correct)
            changed = state.committed_state.keys()
            if not changed:
                continue
            if not changed <= _STEP_COLUMNS:
                return
            # a journaled step leaves the stored state (deferred, not even read) alone
            dumped = "state" in changed
            values = dossier.__dict__  # the loaded attributes, without the ORM's descriptors
            lock = values["lock_version"]
            row = {
                "_id": values["id"],
                "_old": lock,
                "_new": lock + 1,
                **{
                    c: values[c] if c in values else getattr(dossier, c)
                    for c in (_STEP_COLUMNS if dumped else _LEAN_COLUMNS)
                },
            }
            rows.append(row)
            by_kind[dumped].append(row)
            states.append((state, values))
        if not rows:
            return
        if by_kind[True]:
            dumped_rows = by_kind[True]
            if self.session.connection().execute(
                _UPDATE_DOSSIER[True], dumped_rows
            ).rowcount != len(dumped_rows):
                raise StaleDataError("một hồ sơ của lô vừa được cập nhật ở nơi khác")
        if by_kind[False]:
            self._emit("u", by_kind[False])
        for (state, _), row in zip(states, rows, strict=True):
            set_committed_value(state.obj(), "lock_version", row["_new"])
        # Everything these objects had changed is written: mark them clean, as a flush
        # would (SQLAlchemy's own bulk form of it), or the flush that follows would still
        # compare every attribute of every dossier to find nothing to write.
        InstanceState._commit_all_states(states, self.session.identity_map)

    def _discard(self) -> None:
        """Roll back, and forget everything this transaction prepared."""
        self.session.rollback()
        self._pending_events.clear()
        self._pending_results.clear()
        self._deferred.clear()
        self._saved.clear()
        self._indexes.clear()
        self._index_writes.clear()
        self._inbox_writing.clear()
        self._stored.clear()
        self._journal.clear()
        self._dumped.clear()
        self._truncate.clear()
        for rows in self._writes.values():
            rows.clear()

    def _commit(self) -> None:
        try:
            # the dossiers' conditional UPDATEs first (a lost race stops here), then the
            # rest of the unit of work, the events, the journal and the index rows
            self._update_dossiers()
            self.session.flush()
            self._insert_events()
            journaled = self._write_journal()
            self._write_indexes()
            self._send_writes()
            committed = [
                (dossier_id, self._stamp(dossier), workflow)
                for dossier_id, (dossier, workflow) in self._saved.items()
            ]
            self.session.commit()
        except (StaleDataError, OperationalError, IntegrityError) as err:
            # IntegrityError: another step inserted the same inbox/timer rows first
            self._raise_conflict(err)
        if journaled and journal.verifying():
            self._verify_journal([(i, w) for i, _, w in committed if i in journaled])
        self._saved.clear()
        self._stored.clear()
        self._journal.clear()
        self._dumped.clear()
        self._truncate.clear()
        self._indexes.clear()
        self._inbox_committed.update(self._inbox_writing)
        self._inbox_writing.clear()
        for dossier_id, stamp, workflow in committed:
            WORKFLOWS.put(self._db_key, dossier_id, stamp, workflow)
        events, self._pending_events = self._pending_events, []
        self._pending_results.clear()
        deferred, self._deferred = self._deferred, []
        if self.on_event is not None:
            for row in events:
                self.on_event(DossierEvent(**row))
        if self.on_deferred is not None:
            for dossier_id in deferred:
                self.on_deferred(dossier_id)


# PostgreSQL takes many rows faster by COPY than by an INSERT per row (a batch step writes
# two or three events per dossier): about 16 against 30 µs a row (bench/README.md)
_COPY_FROM = 20


def _copy_binder(column_type, dialect):
    """How a value of this column goes into COPY: as the INSERT binds it, except JSON,
    which psycopg adapts itself in an INSERT and COPY takes as text."""
    if isinstance(column_type, JSON):
        return dialect._json_serializer or json.dumps
    return column_type.bind_processor(dialect)


def _insert_rows(conn, statement, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(statement, rows)`` for an INSERT without RETURNING; on PostgreSQL,
    past a few rows, as one COPY, each value bound by its column's type exactly as the
    INSERT would bind it (JSON serialised, datetimes in UTC). Rows that leave out a
    column with a client-side default, or not all the same ones, take the INSERT."""
    if conn.dialect.name != "postgresql" or len(rows) < _COPY_FROM:
        conn.execute(statement, rows)
        return
    table, keys = statement.table, rows[0].keys()
    if any(c.default is not None and c.name not in keys for c in table.columns) or any(
        row.keys() != keys for row in rows
    ):
        conn.execute(statement, rows)
        return
    names = [c.name for c in table.columns if c.name in keys]
    binders = [_copy_binder(table.c[name].type, conn.dialect) for name in names]
    preparer = conn.dialect.identifier_preparer
    sql = (
        f"COPY {preparer.format_table(table)} "
        f"({', '.join(preparer.quote(n) for n in names)}) FROM STDIN"
    )
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        bind(row[name]) if bind is not None else row[name]
                        for name, bind in zip(names, binders, strict=True)
                    ]
                )
    except dbapi.Error as err:  # as SQLAlchemy reports it (IntegrityError for a duplicate…)
        raise DBAPIError.instance(sql, None, err, dbapi.Error) from err
    finally:
        cursor.close()


def deploy_library(
    engine: Engine, root: Path | None = None, actor: str | None = None
) -> list[DeployResult]:
    """Deploy every procedure folder of the library (folders with a procedure.json)."""
    root = root or LIBRARY_DIR
    return [
        engine.deploy_folder(p.parent, actor=actor) for p in sorted(root.glob("*/procedure.json"))
    ]


def iter_pending_advances(session: Session, limit: int = 100) -> Iterable[int]:
    return session.scalars(
        select(Dossier.id)
        .where(Dossier.needs_advance.is_(True))
        .order_by(Dossier.updated_at)
        .limit(limit)
    )


def iter_pending_retries(
    session: Session, now: datetime | None = None, limit: int = 100
) -> Iterable[int]:
    """The dossiers whose automatic retry is due, earliest first (engine/retries.py)."""
    return retries.due(session, now or clock.now(), limit)
