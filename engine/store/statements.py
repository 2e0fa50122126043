"""The commit statements of the unit of work (:mod:`toantrinh.engine.store.unit_of_work`): reads of
states and index rows, the journal and index writes, the one-statement PostgreSQL write of
a whole commit, and COPY for bulk inserts. Built once at import.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    any_,
    bindparam,
    cast,
    delete,
    literal_column,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from toantrinh.engine.db import UTCDateTime
from toantrinh.engine.persistence import (
    Dossier,
    DossierEvent,
    DossierJournal,
    MessageSubscription,
    ReadyTask,
    Timer,
)
from toantrinh.engine.serialization import json_default
from toantrinh.engine.warehouse import WarehouseDocument

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


_WRITE_STATEMENTS: dict[tuple[str, ...], Any] = {}


_SEQUENCES: dict[str, str] = {}


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
