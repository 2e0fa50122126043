"""Bounded per-process caches and their settings.

Everything a long-running process (a gunicorn worker, a scheduler) keeps between requests
is bounded, so that its memory levels off however many dossiers it serves
(``bench/memory.py``, docs/operations.md "Memory"):

* ``TOANTRINH_STATE_CACHE`` (512 dossiers): workflows of recently committed states
  (``engine/store/statecache.py``);
* ``TOANTRINH_SPEC_CACHE`` (64 model versions): parsed specs, forms and task tables
  (``engine/service.py``);
* ``TOANTRINH_FORM_CACHE`` (512 forms): compiled form validators and the plans read from
  a form (``engine/forms.py``);
* fixed bounds elsewhere: parsed BPMN by content (256, ``engine/parsing.py``), compiled
  expressions (4,096, ``engine/scripting.py``), task-id texts (65,536, cleared when full,
  ``engine/serialization.py``), verified API tokens (10,000, ``api/cache.py``),
  SQLAlchemy's statement cache (500 per database engine).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


def size_setting(name: str, default: int) -> int:
    """A cache size from the environment (``0`` keeps nothing); ``default`` if unset or bad."""
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


class LruCache:
    """A thread-safe map holding at most ``size`` entries, the least recently used
    dropped first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items


class TtlCache:
    """A thread-safe map whose entries expire ``ttl`` seconds after they were put.

    At most ``size`` entries: when full, expired entries go first, then the oldest.
    ``ttl <= 0`` keeps nothing (every :meth:`get` misses).

    >>> cache = TtlCache(ttl=5)
    >>> cache.put("a", 1)
    >>> cache.get("a")
    1
    >>> cache.pop("a"); cache.get("a") is None
    True
    """

    def __init__(self, ttl: float, size: int = 10_000):
        self.ttl, self.size = ttl, size
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            with self._lock:
                if self._items.get(key) is entry:
                    del self._items[key]
            return None
        return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        if self.ttl <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if key not in self._items and len(self._items) >= self.size:
                for stale in [k for k, (until, _) in self._items.items() if until <= now]:
                    del self._items[stale]
                while len(self._items) >= self.size:  # dicts keep insertion order
                    del self._items[next(iter(self._items))]
            self._items.pop(key, None)
            self._items[key] = (now + self.ttl, value)

    def pop(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
