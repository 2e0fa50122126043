"""Loading dossiers for the unit of work: read their stored states and journals in one
query, rebuild the workflow (the stored snapshot, the journal replayed) or check it out of
the process cache (engine/store/statecache.py) when the stamps match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import (
    inspect,
)

from toantrinh.engine import deadlines
from toantrinh.engine.errors import (
    ConflictError,
    JournalError,
)
from toantrinh.engine.persistence import (
    Dossier,
)
from toantrinh.engine.store import journal
from toantrinh.engine.store.records import _SERIALIZER, _Stored
from toantrinh.engine.store.statecache import WORKFLOWS, Stamp
from toantrinh.engine.store.statements import (
    _READ_STATES,
)


class Loading:
    """Loading a dossier: its stored state and journal, replayed, or the process cache.
    Part of :class:`toantrinh.engine.service.Engine`."""

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
                    deadlines.set_deadline_timers,
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
        """Read the stored states and journals (engine/store/journal.py) of these dossiers in
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
        :mod:`toantrinh.engine.store.statecache`), else loaded. A failed step never returns it."""
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
