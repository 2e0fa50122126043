"""A script worker process: runs one script or expression at a time for its parent.

Started by :mod:`toantrinh.engine.safescript.pool` as ``python -I -S -c …`` (no site-packages)
with an empty environment, it imports the safe language alone (no database driver, no Flask, no
SpiffWorkflow, no connection or secret of its parent), limits itself, says it is ready,
and then answers requests on its standard input until that closes (its parent exited):

* **address space** (``RLIMIT_AS``): what the interpreter held when it started plus the
  memory budget; past it an allocation fails with ``MemoryError`` (answered as the
  script's failure, after which the worker exits to be replaced);
* **CPU time** (``RLIMIT_CPU``), raised before each job to the time used so far plus the
  job's budget (rounded up, plus one second): past it the kernel ends the process with
  ``SIGXCPU`` — also when its parent is gone;
* **a wall-clock alarm** (``setitimer``) at the job's budget, which stops a script
  looping in Python code with a clear error and keeps the worker (a builtin call that
  runs long cannot be interrupted: the parent kills the worker at its own deadline);
* no child processes (``RLIMIT_NPROC``), no new files (``RLIMIT_NOFILE``), no core
  dumps.

Messages go through :mod:`toantrinh.engine.safescript.frames`. A request is a pickle of ``(mode, source, inputs, today, seconds, bounds)``; the answer
a pickle of ``("ok", value)`` — the expression's value, or what an ``exec`` left of the
names it uses — checked against ``bounds`` (:mod:`toantrinh.engine.safescript.bounds`) first, or
``("error", type name, arguments, recycle)`` (``recycle``: the worker exits after it). Answers hold plain data only: the parent
reads them with an unpickler that refuses every class but a few data types.
"""

from __future__ import annotations

import math
import os
import pickle
import resource
import signal
import sys
from typing import Any

from toantrinh.engine.safescript import bounds, frames
from toantrinh.engine.safescript.language import (
    ScriptLimitError,
    UnsafeScriptError,
    compile_safe,
    left_behind,
    names_of,
    namespace,
)

READY = b"ready"
MAX_MESSAGE = 1000
MAX_REQUEST = 1 << 30


def _vm_size() -> int:
    """The process's address space now, in bytes."""
    with open("/proc/self/status", "rb") as f:
        for line in f:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _lower(kind: int, value: int) -> None:
    """Set both limits of ``kind`` to ``value``, or to the hard limit if that is lower
    (a process can lower its limits, never raise them)."""
    hard = resource.getrlimit(kind)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def _limit(memory: int) -> None:
    _lower(resource.RLIMIT_CORE, 0)
    _lower(resource.RLIMIT_AS, _vm_size() + memory)
    _lower(resource.RLIMIT_NPROC, 0)
    _lower(resource.RLIMIT_NOFILE, max(int(fd) for fd in os.listdir("/proc/self/fd")) + 1)


def _on_alarm(signum, frame) -> None:
    raise ScriptLimitError(_ALARM_MESSAGE[0])


_ALARM_MESSAGE = ["kịch bản chạy quá thời gian cho phép"]


def _cpu_budget(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft = math.ceil(used + seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def run(mode: str, source: str, inputs: dict[str, Any], today: str, seconds: float) -> Any:
    """Run ``source`` over ``inputs`` for at most ``seconds`` of wall-clock time: the
    expression's value, or what the script left of the names it uses."""
    code = compile_safe(source, mode)
    ns = namespace(today)
    ns.update(inputs)
    _ALARM_MESSAGE[0] = f"kịch bản chạy quá thời gian cho phép ({seconds:g} giây)"
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        if mode == "eval":
            return eval(code, ns)
        exec(code, ns)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return left_behind(ns, names_of(source, mode))


def answer(request: bytes) -> tuple[bytes, bool]:
    """The answer to one request, and whether the worker must exit after it (a
    ``MemoryError`` may have left the interpreter short of memory anywhere)."""
    try:
        mode, source, inputs, today, seconds, limits = pickle.loads(request)
        _cpu_budget(seconds)
        value = run(mode, source, inputs, today, seconds)
        bounds.check(value.values() if mode == "exec" else (value,), limits)
        return pickle.dumps(("ok", value), protocol=pickle.HIGHEST_PROTOCOL), False
    except MemoryError:
        return _error("ScriptLimitError", (_MEMORY,), recycle=True), True
    except RecursionError:
        return _error("ScriptLimitError", ("kịch bản lồng dữ liệu quá sâu",)), False
    except UnsafeScriptError as err:
        return _error("UnsafeScriptError", (err.problems, err.source[:MAX_MESSAGE])), False
    except Exception as err:
        return _error(type(err).__name__, _plain(err.args)), False


_MEMORY = "kịch bản dùng quá nhiều bộ nhớ"


def _plain(args: tuple) -> tuple:
    """An exception's arguments as short plain values (a ``KeyError`` of a megabyte key
    would otherwise become a megabyte error message)."""
    plain = []
    for arg in args[:4]:
        if type(arg) in (int, float, bool, type(None)):
            plain.append(arg)
        else:
            text = arg if type(arg) is str else repr(arg)
            plain.append(text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "…")
    return tuple(plain)


def _error(kind: str, args: tuple, recycle: bool = False) -> bytes:
    return pickle.dumps(("error", kind, args, recycle), protocol=pickle.HIGHEST_PROTOCOL)


def main() -> None:
    memory = int(sys.argv[1])
    answers = os.dup(1)
    os.dup2(2, 1)  # a stray write to standard output cannot corrupt an answer
    signal.signal(signal.SIGALRM, _on_alarm)
    _limit(memory)
    frames.send(answers, READY)
    while True:
        try:
            request = frames.receive(0, MAX_REQUEST)
        except OSError:  # the parent closed the pipe or exited
            return
        payload, recycle = answer(request)
        frames.send(answers, payload)
        if recycle:
            return


if __name__ == "__main__":
    main()
