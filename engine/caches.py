"""Bounded per-process caches and their settings.

Everything a long-running process (a gunicorn worker, a scheduler) keeps between requests
is bounded, so that its memory levels off however many dossiers it serves
(``bench/memory.py``, docs/operations.md "Memory"):

* ``TOANTRINH_STATE_CACHE`` (512 dossiers): workflows of recently committed states
  (``engine/statecache.py``);
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
