"""The long-running processes' heap and Python's cyclic garbage collector.

A full collection walks every container object the process holds. After start-up an app
or worker process holds about 120,000 of them (Flask, SQLAlchemy, SpiffWorkflow, lxml,
jsonschema, the app) that live as long as the process; on this project's 2-core host a
full pass over them took 50–70 ms, during which the process answers nothing, and with 300
dossiers in the workflow cache 110–130 ms (bench/README.md). ``gc.freeze()`` moves the
objects alive at the end of start-up into a generation that the collector no longer
walks, so a full pass walks only what requests and steps have made since (the workflow
cache, connections): 18–52 ms with those 300 dossiers.

Frozen objects are never collected, which is right for start-up state (it lives until
the process exits) and wrong for anything else: call this once, in the serving process,
after the app is built — not from ``create_app`` (tests build many apps in one process).

The same call raises the youngest generation's threshold from 700 to 10,000 allocations.
A dossier step allocates thousands of short-lived objects (tasks, ORM rows, statement
parameters): at 700 the collector ran 125 young and 11 middle passes, and about one full
pass, per 200 batched dossiers — 40–75 ms of a 1.1 s run — and 3 young passes of about
4 ms each at 10,000 (``bench/engine.py``). Cyclic garbage waits a little longer for its
pass, a few megabytes at most.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def freeze_startup_heap() -> int:
    """Collect once, then freeze what is left and raise the young generation's threshold;
    returns the number of objects frozen."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return gc.get_freeze_count()
