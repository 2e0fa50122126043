"""The unit of work: load a dossier's state (its stored snapshot plus journal replay, or
the process cache), save steps, and commit all of a transaction's writes at once.
"""

from __future__ import annotations

import functools
import json
import secrets
import time
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import (
    inspect,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.state import InstanceState

from toantrinh.engine import clock
from toantrinh.engine.db import sqlite_write_intent
from toantrinh.engine.errors import (
    ConflictError,
    DossierStateError,
    _StaleSnapshot,
)
from toantrinh.engine.persistence import (
    DossierEvent,
    MessageSubscription,
    ReadyTask,
    Timer,
)
from toantrinh.engine.store import conflicts, journal
from toantrinh.engine.store.loading import Loading
from toantrinh.engine.store.records import _SERIALIZER, _Indexes
from toantrinh.engine.store.saving import Saving
from toantrinh.engine.store.statecache import WORKFLOWS
from toantrinh.engine.store.statements import (
    _DELETE_JOURNAL,
    _INSERT_RESULT,
    _LEAN_COLUMNS,
    _READ_INDEXES,
    _STEP_COLUMNS,
    _UPDATE_DOSSIER,
    _WRITE_ENCODER,
    _WRITE_KEYS,
    _WRITE_KINDS,
    _insert_rows,
    _write_statement,
)

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


class UnitOfWork(Loading, Saving):
    """Loads states, replays journals, saves steps and commits them in few statements.
    Part of :class:`toantrinh.engine.service.Engine`."""

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
            reader = type(self)(other, connectors=self.connectors, forms_dir=self.forms_dir)
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
