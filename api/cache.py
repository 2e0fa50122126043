"""A small per-process cache whose entries live a few seconds.

The API keeps in it what every request would otherwise read again from the database
although it almost never changes: verified bearer tokens (:mod:`api.auth`) and the active
webhook subscriptions (:mod:`api.notifications`). A change made through this process
drops the entry at once; a change made through another process (another gunicorn
worker, the CLI) is seen when the entry expires, ``ttl`` seconds at most (issue 7).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any


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
