"""Per-process cache of the workflows of recently committed dossier states.

Loading a dossier means parsing its JSON state and rebuilding SpiffWorkflow's task
objects; for a dossier that moves step after step in the same process (a citizen filling
in one form after another, an officer's batch, a worker draining a queue) that work is
redone for a state this process has just written. The cache keeps the workflow object a
commit left behind, under a *stamp* of what was committed — the dossier's receipt code,
its ``lock_version`` and its model version's content hash — and hands it back only to a
transaction that reads exactly that stamp from the database. Any other process's commit
bumps ``lock_version``, so a stale entry is never used: it is dropped.

Workflow objects are mutable and not thread-safe, so an entry is *taken* (removed) by
whoever uses it and *put* back after a commit (or after a read). Two threads can
therefore never hold the same object; the loser of a race simply loads from the
database. A transaction that fails never puts its (possibly half-stepped) object back.

``TOANTRINH_STATE_CACHE`` sets how many dossiers are kept per process (default 512, LRU;
``0`` turns the cache off).

A workflow the cache drops (evicted, stale, replaced) is held by nobody else, and its
objects form reference cycles (each task points at its workflow, the workflow at its
tasks): left to themselves they wait for the garbage collector's next *full* pass, which
Python runs rarely once a process holds many long-lived objects. With 512 dossiers cached
that garbage grew a worker by about 18 MB per 1,000 dossiers served (``bench/memory.py``).
The cache therefore breaks those cycles as it drops a workflow (:func:`_release`), and
reference counting frees it at once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any

Stamp = tuple[str, int, str]  # receipt code, lock_version, model content hash


class WorkflowCache:
    """LRU map of (database, dossier id) → (stamp, workflow), taken and put back whole."""

    def __init__(self, size: int):
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[str, int], tuple[Stamp, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, database: str, dossier_id: int, stamp: Stamp) -> Any | None:
        """The cached workflow of exactly this committed state, removed from the cache."""
        with self._lock:
            entry = self._items.pop((database, dossier_id), None)
            if entry is None or entry[0] != stamp:
                self.misses += 1
                stale = entry
            else:
                self.hits += 1
                return entry[1]
        if stale is not None:  # another process's commit made it useless: nobody holds it
            _release(stale[1])
        return None

    def holds(self, database: str, dossier_id: int, stamp: Stamp) -> bool:
        """Whether :meth:`take` would find this state now (it may be gone by then)."""
        with self._lock:
            entry = self._items.get((database, dossier_id))
            return entry is not None and entry[0] == stamp

    def put(self, database: str, dossier_id: int, stamp: Stamp, workflow: Any) -> None:
        if self.size <= 0:
            return
        key = (database, dossier_id)
        dropped = []
        with self._lock:
            current = self._items.get(key)
            if current is not None and current[0][0] == stamp[0] and current[0][1] > stamp[1]:
                return  # a newer commit of this dossier is cached already
            if current is not None and current[1] is not workflow:
                dropped.append(current[1])
            self._items[key] = (stamp, workflow)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                dropped.append(self._items.popitem(last=False)[1][1])
        for old in dropped:
            _release(old)

    def clear(self) -> None:
        with self._lock:
            dropped = [workflow for _, workflow in self._items.values()]
            self._items.clear()
        for old in dropped:
            _release(old)

    def __len__(self) -> int:
        return len(self._items)


def _release(workflow: Any) -> None:
    """Break the reference cycles of a workflow nobody holds any more: its subprocesses',
    then its own attributes (tasks, task tree, events, kept texts)."""
    for sub in list((getattr(workflow, "subprocesses", None) or {}).values()):
        if sub is not workflow:
            sub.__dict__.clear()
    workflow.__dict__.clear()


def _size_from_env() -> int:
    try:
        return max(0, int(os.environ.get("TOANTRINH_STATE_CACHE", "512")))
    except ValueError:
        return 512


WORKFLOWS = WorkflowCache(_size_from_env())
