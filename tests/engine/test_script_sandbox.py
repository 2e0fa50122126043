"""The script sandbox's two tiers (engine/safescript/): the tiny language that runs in
this process, and the worker processes under operating-system limits for the rest."""

from __future__ import annotations

import json
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

from toantrinh.engine import scripting
from toantrinh.engine.parsing import expressions, read_xml
from toantrinh.engine.safescript import inline
from toantrinh.engine.safescript.language import ScriptLimitError
from toantrinh.engine.safescript.pool import GRACE, Pool, PoolSettings, read_answer

LIBRARY = Path(__file__).resolve().parents[2] / "process_models"
QUADRATIC = "sum([[0] * 1000] * 3000, [])"


def _workers() -> set[int]:
    """The live script workers this process started."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"safescript.worker" in cmdline:
            found.add(int(entry.name))
    return found


def test_every_expression_of_the_library_runs_inline():
    """The procedure library's conditions, timers and payloads — evaluated at every step —
    are all in the tiny language: none of them pays for a worker (bench/script_overhead.py).
    Scripts with a loop (a residence history walked, a list of fines searched) go to a
    worker, as they should; the simple assignments of the rest stay inline."""
    sources = [
        (found.source, found.mode)
        for path in sorted(LIBRARY.rglob("*.bpmn"))
        for found in expressions(read_xml(path.read_bytes()))
    ]
    assert len(sources) > 100
    assert [s for s in sources if s[1] == "eval" and inline.plan(*s) is None] == []
    scripts = [s for s in sources if s[1] == "exec"]
    in_workers = [s for s in scripts if inline.plan(*s) is None]
    assert len(in_workers) < len(scripts) / 4


@pytest.mark.parametrize(
    "source, mode",
    [
        ("for i in range(3):\n    x = i", "exec"),
        ("x = [i for i in range(3)]", "exec"),
        ("a = 1\nb = a + 1", "exec"),  # reads what an earlier line assigned
        ("x.append(1)", "exec"),  # changes a value in place
        ("x = 'a'.zfill(3)", "exec"),
        ("round(5, n)", "eval"),  # round(5, -10**9) computes 10**(10**9)
        ("range(10)", "eval"),
        ("str.join('', x)", "eval"),
        ("x.get", "eval"),  # a method not called
        (" + ".join(["a"] * 150), "eval"),  # past MAX_NODES
    ],
)
def test_what_can_run_long_or_build_much_is_not_inline(source, mode):
    assert inline.plan(source, mode) is None


def test_data_too_big_for_the_inline_tier_is_computed_by_a_worker_to_the_same_value():
    big = "a" * 6000
    assert scripting.evaluate("x + x", {"x": big}) == big * 2  # 12,000 > MAX_BUILT
    rows = [{"n": i} for i in range(2000)]  # past INPUT_ITEMS
    assert scripting.evaluate("len(rows) + rows[1]['n']", {"rows": rows}) == 2001
    assert scripting.evaluate("[0] * 3", {}) == [0, 0, 0]  # lists are repeated by a worker
    with pytest.raises(inline.NeedsWorker):
        inline.evaluate("x + x", {"x": big}, "2026-12-07")


@pytest.mark.parametrize("loop", [False, True])
def test_a_script_sees_and_changes_only_the_names_it_uses(loop):
    script = (
        "total = fee * 2\ndel old"
        if not loop
        else "total = 0\nfor i in range(2):\n    total = total + fee\ndel old"
    )
    data = {"age": 41, "_meta": {"a": 1}, "fee": 5, "old": 1, "note": "giữ"}
    scripting.execute(script, data)
    left = {"age": 41, "_meta": {"a": 1}, "fee": 5, "note": "giữ", "total": 10}
    if loop:
        left["i"] = 1  # a for loop's variable is a name the script uses
    assert data == left  # "age" is a function's name, "_meta" not a script's: both kept
    assert list(data) == list(left)


def test_today_is_the_callers_date_in_both_tiers():
    from toantrinh.engine import clock

    clock.set_offset(400 * 86400)
    today = clock.now().date().isoformat()
    assert scripting.evaluate("today()", {}) == today
    data: dict = {}
    scripting.execute("days = []\nfor i in range(1):\n    days.append(today())", data)
    assert data["days"] == [today]


def test_a_worker_past_its_budget_is_killed_and_replaced():
    scripting.evaluate("[i for i in range(3)]", {})  # a worker is running
    before = _workers()
    started = time.monotonic()
    with pytest.raises(ScriptLimitError, match="thời gian"):
        scripting.evaluate(QUADRATIC, {}, seconds=0.3)
    assert time.monotonic() - started < 0.3 + GRACE + 1.0
    after = _workers()
    assert len(before - after) == 1, "the worker that ran it was not killed"
    assert scripting.evaluate("[i for i in range(3)]", {}) == [0, 1, 2]


def test_a_python_loop_past_its_budget_stops_without_losing_its_worker():
    scripting.evaluate("[i for i in range(3)]", {})
    before = _workers()
    with pytest.raises(ScriptLimitError, match="thời gian"):
        scripting.execute(
            "x = 0\nfor i in range(10**6):\n    for j in range(10**6):\n        x = x + 1",
            {},
            seconds=0.3,
        )
    assert _workers() == before


def test_memory_past_the_workers_limit_fails_the_script_and_replaces_the_worker():
    scripting.evaluate("[i for i in range(3)]", {})
    before = _workers()
    with pytest.raises(ScriptLimitError, match="bộ nhớ"):
        scripting.execute("x = [str(i) * 1000 for i in range(500000)]", {})
    time.sleep(0.2)
    assert before - _workers(), "the worker out of memory was not replaced"
    assert scripting.evaluate("[i for i in range(3)]", {}) == [0, 1, 2]


def test_a_worker_is_retired_after_its_jobs_and_replaced():
    pool = Pool(PoolSettings(workers=1, memory=256 << 20, jobs_per_worker=2))
    try:
        pids = []
        for n in range(5):
            assert pool.run("eval", "[i for i in range(n)]", {"n": n}, "2026-12-07", 5.0) == list(
                range(n)
            )
            (worker,) = pool._idle
            pids.append(worker.process.pid)
        assert len(set(pids)) == 3  # two jobs each, then a fresh worker
    finally:
        pool.close()


def test_workers_killed_while_idle_are_replaced_and_the_next_script_runs():
    scripting.evaluate("[i for i in range(3)]", {})
    for pid in _workers():  # as the kernel's out-of-memory killer or an operator might
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert scripting.evaluate("[i for i in range(5)]", {}) == [0, 1, 2, 3, 4]


def test_a_forked_process_runs_scripts_in_its_own_workers():
    """gunicorn and Celery fork their workers: a pool made before the fork belongs to the
    parent, and the child makes its own (os.register_at_fork)."""
    scripting.evaluate("[i for i in range(3)]", {})
    parents = _workers()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            value = scripting.evaluate("[i * 2 for i in range(3)]", {})
            os.write(write, json.dumps({"value": value, "workers": sorted(_workers())}).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        child = json.loads(answer.read())
    os.waitpid(pid, 0)
    assert child["value"] == [0, 2, 4]
    assert child["workers"] and not set(child["workers"]) & parents
    assert _workers() == parents  # the parent's workers were left alone
    assert scripting.evaluate("[i for i in range(4)]", {}) == [0, 1, 2, 3]


def test_an_answer_naming_a_class_is_refused():
    assert read_answer(pickle.dumps(("ok", {"a": [1, "b"]}))) == ("ok", {"a": [1, "b"]})
    with pytest.raises(pickle.UnpicklingError):
        read_answer(pickle.dumps(("ok", os.system)))


@pytest.mark.parametrize(
    "script, words",
    [
        ("x = {(1, 2): 3}", "khóa"),
        ("x = range(5)", "không phải dữ liệu"),
        ("x = b'abc'", "không phải dữ liệu"),
        ("x = []\nfor i in range(200):\n    x = [x]", "lồng quá sâu"),
        ("x = ['x' * 10**6] * 10", "ký tự"),
        ("x = [[0] * 1000] * 1000", "giá trị"),
    ],
)
def test_what_a_script_leaves_is_bounded_before_it_reaches_the_data(script, words):
    data = {"y": 1}
    with pytest.raises(ScriptLimitError, match=words):
        scripting.execute(script, data)
    assert data == {"y": 1}
