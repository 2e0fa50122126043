"""A pool of script worker processes with limits the operating system enforces.

A line tracer cannot interrupt one builtin call (``sum([[0]*1000]*3000, [])`` runs for
half a minute in C, ``str([[0]*10**6]*150)`` allocates half a gigabyte), and a thread
cannot be killed. So every script or expression outside the inline tier
(:mod:`toantrinh.engine.safescript.inline`) runs in a worker process (:mod:`toantrinh.engine.safescript.
worker`) that limits its own address space and CPU time, and the calling thread waits
for its answer until the script's budget (plus :data:`GRACE`) has passed; then it kills
the worker (``SIGKILL``), starts a replacement, and fails the script's task. The caller's
process never runs the script, so its memory, its threads (other requests, the
scheduler's timers) and its database connections are untouched.

One pool per process, made on first use: a gunicorn or Celery worker forked from a
parent gets its own (``os.register_at_fork``), and the pool's processes are started with
``subprocess`` (fork and exec at once: nothing of the parent — threads, locks,
SQLAlchemy or psycopg connections, open files — is carried into them; they inherit only
their two pipes). A worker reads its requests from a pipe and exits when the pipe closes,
so workers end with the process that started them, even when it is killed.

Settings (environment): ``TOANTRINH_SCRIPT_WORKERS`` (most workers per process, 4),
``TOANTRINH_SCRIPT_MEMORY_MB`` (address space a worker may add to its own, 256),
``TOANTRINH_SCRIPT_JOBS_PER_WORKER`` (jobs before a worker is replaced, 10,000).
"""

from __future__ import annotations

import atexit
import builtins
import io
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toantrinh.engine.safescript import bounds, frames, worker
from toantrinh.engine.safescript.language import ScriptLimitError, UnsafeScriptError

# the parent waits this much longer than the budget: the worker's own alarm stops a
# script looping in Python code a little earlier and keeps the worker
GRACE = 0.1
STARTUP_SECONDS = 30.0
# the most an answer may hold (the bounds keep a right one far below)
MAX_ANSWER = 64 * 1024 * 1024


def _bootstrap() -> str:
    """The code a worker starts with. It runs with ``-I -S`` (no site-packages, no
    environment), so it is handed the directories of this package's parents (``engine``,
    or ``toantrinh`` and ``toantrinh.engine`` once installed under the distribution's
    namespace) and imports the worker through them without running their ``__init__``."""
    parents = __package__.split(".")[:-1]
    paths = {}
    for depth in range(1, len(parents) + 1):
        name = ".".join(parents[:depth])
        paths[name] = [str(Path(p).resolve()) for p in sys.modules[name].__path__]
    return (
        "import sys, types\n"
        f"for name, path in {paths!r}.items():\n"
        "    module = types.ModuleType(name); module.__path__ = path; sys.modules[name] = module\n"
        f"from {__package__}.worker import main; main()"
    )


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class PoolSettings:
    workers: int = _env_int("TOANTRINH_SCRIPT_WORKERS", 4)
    memory: int = _env_int("TOANTRINH_SCRIPT_MEMORY_MB", 256) * 1024 * 1024
    jobs_per_worker: int = _env_int("TOANTRINH_SCRIPT_JOBS_PER_WORKER", 10_000)


class SandboxUnavailable(RuntimeError):
    """A script worker could not be started (the host, not the script, is at fault)."""


class ScriptFailure(Exception):
    """A script raised an exception the parent does not rebuild by its type."""


class _Lost(Exception):
    """The worker did not answer: it passed its deadline, or it died."""


class _Gone(Exception):
    """The worker was no longer there to take the request: the script never ran."""


class Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, settings: PoolSettings):
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        bootstrap = _bootstrap()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-X", "utf8", "-c", bootstrap, str(settings.memory)],
                stdin=request_read,
                stdout=answer_write,
                env={},
                close_fds=True,
            )
        except OSError as err:
            for fd in (request_read, request_write, answer_read, answer_write):
                os.close(fd)
            raise SandboxUnavailable(
                f"không khởi động được tiến trình chạy kịch bản: {err}"
            ) from err
        os.close(request_read)
        os.close(answer_write)
        self.requests, self.answers = request_write, answer_read
        self._open = True
        self._answered = select.poll()
        self._answered.register(answer_read, select.POLLIN)
        self.ready = False
        self.jobs = 0

    def call(self, request: bytes, seconds: float) -> bytes:
        """Send one request, wait at most ``seconds`` for its answer."""
        if not self.ready:
            self._wait_ready()
        self.jobs += 1
        try:
            frames.send(self.requests, request)
        except OSError as err:  # it died before it was given the script (killed while idle)
            raise _Gone(str(err)) from err
        try:
            if not self._answered.poll(max(0, round(seconds * 1000))):
                raise _Lost("timeout")
            return frames.receive(self.answers, MAX_ANSWER)
        except OSError as err:
            raise _Lost(str(err)) from err

    def _wait_ready(self) -> None:
        try:
            if (
                self._answered.poll(round(STARTUP_SECONDS * 1000))
                and frames.receive(self.answers, 64) == worker.READY
            ):
                self.ready = True
                return
        except OSError:
            pass
        self.kill()
        raise SandboxUnavailable(
            f"tiến trình chạy kịch bản không khởi động được (mã thoát {self.process.returncode})"
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.close()

    def close(self) -> None:
        """Close the pipes: an idle worker reads the end of its input and exits."""
        if self._open:
            self._open = False
            os.close(self.requests)
            os.close(self.answers)

    def died_of(self) -> int | None:
        """The signal that ended the process, if one did."""
        code = self.process.poll()
        return -code if code is not None and code < 0 else None


class Pool:
    """At most ``settings.workers`` workers, started when first needed, reused."""

    def __init__(self, settings: PoolSettings | None = None):
        self.settings = settings or PoolSettings()
        self._idle: list[Worker] = []
        self._count = 0
        self._changed = threading.Condition()
        self._closed = False

    def run(
        self,
        mode: str,
        source: str,
        inputs: Mapping[str, Any],
        today: str,
        seconds: float,
        limits: bounds.DataBounds = bounds.DEFAULT,
    ) -> Any:
        """The value of ``source`` run in a worker (see :func:`toantrinh.engine.safescript.worker.
        answer`), or the exception it raised, raised here."""
        try:
            request = pickle.dumps(
                (mode, source, dict(inputs), today, seconds, limits),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except RecursionError as err:
            raise ScriptLimitError("dữ liệu đầu vào của kịch bản lồng quá sâu") from err
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            raise ScriptLimitError(
                f"dữ liệu đầu vào của kịch bản không chuyển được: {err}"
            ) from err
        attempts = self.settings.workers + 1  # each idle worker may have died, then a fresh one
        for attempt in range(attempts):
            proc = self._acquire()
            try:
                raw = proc.call(request, seconds + GRACE)
            except _Gone:
                self._replace(proc)
                if attempt == attempts - 1:
                    raise SandboxUnavailable(
                        "tiến trình chạy kịch bản dừng trước khi nhận việc"
                    ) from None
                continue  # another worker takes it
            except _Lost:
                self._replace(proc)
                raise ScriptLimitError(_lost_message(proc, seconds)) from None
            except BaseException:
                self._replace(proc)
                raise
            return self._read(raw, proc)
        raise AssertionError("unreachable")

    def _read(self, raw: bytes, proc: Worker) -> Any:
        try:
            answer = read_answer(raw)
        except Exception as err:  # a worker that answers what it cannot: never trust it again
            self._replace(proc)
            raise ScriptLimitError(f"kết quả của kịch bản không đọc được: {err}") from None
        if answer[0] == "ok":
            self._release(proc)
            return answer[1]
        _, kind, args, recycle = answer
        if recycle:
            self._replace(proc)
        else:
            self._release(proc)
        raise rebuild(kind, args)

    # ------------------------------------------------------------ workers
    def _acquire(self) -> Worker:
        with self._changed:
            while not self._idle and self._count >= self.settings.workers:
                self._changed.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return Worker(self.settings)
        except BaseException:
            with self._changed:
                self._count -= 1
                self._changed.notify()
            raise

    def _release(self, proc: Worker) -> None:
        if proc.jobs >= self.settings.jobs_per_worker:
            proc.close()  # it exits when it reads the end of its input
            try:
                proc.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
            self._replace(proc, kill=False)
            return
        with self._changed:
            if self._closed:
                proc.close()
                return
            self._idle.append(proc)
            self._changed.notify()

    def _replace(self, proc: Worker, kill: bool = True) -> None:
        """End ``proc`` and start its replacement right away (it starts up while the
        caller goes on; the next script waits for it only if it is not ready yet)."""
        if kill:
            proc.kill()
        with self._changed:
            self._count -= 1
            self._changed.notify()
        if self._closed:
            return
        try:
            fresh = Worker(self.settings)
        except SandboxUnavailable:
            return  # the next script that needs a worker tries again, and says why
        with self._changed:
            self._count += 1
            self._idle.insert(0, fresh)  # the warm ones are used first
            self._changed.notify()

    def close(self) -> None:
        """End the idle workers (busy ones end when their caller returns them)."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
        for proc in idle:
            proc.close()
        for proc in idle:
            try:
                proc.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                proc.kill()

    def forget(self) -> None:
        """In a forked child: drop the parent's workers without touching them (close
        only this process's copies of their pipes)."""
        for proc in self._idle:
            proc.close()
        self._idle = []


def _lost_message(proc: Worker, seconds: float) -> str:
    died = proc.died_of()
    if died is None or died == signal.SIGKILL:
        return f"kịch bản chạy quá thời gian cho phép ({seconds:g} giây)"
    if died == signal.SIGXCPU:
        return f"kịch bản dùng quá thời gian CPU cho phép ({seconds:g} giây)"
    return f"tiến trình chạy kịch bản dừng bất thường (tín hiệu {died})"


def rebuild(kind: str, args: tuple) -> Exception:
    """The exception a worker reported, as the same type where it is one of ours or a
    built-in exception (the dossier's error message names it)."""
    if kind == "ScriptLimitError":
        return ScriptLimitError(*args)
    if kind == "UnsafeScriptError":
        return UnsafeScriptError(*args)
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(*args)
        except Exception:  # e.g. UnicodeDecodeError wants five arguments
            pass
    return ScriptFailure(f"{kind}: {', '.join(map(str, args))}")


def read_answer(raw: bytes) -> tuple:
    """A worker's answer, read as plain data: an answer naming any other class (as one
    from a worker that escaped the language could) raises ``UnpicklingError``."""
    return _DataUnpickler(io.BytesIO(raw)).load()


class _DataUnpickler(pickle.Unpickler):
    """Reads a worker's answer: plain data and the few value types task data holds."""

    ALLOWED = frozenset(
        {
            ("datetime", "date"),
            ("datetime", "datetime"),
            ("datetime", "time"),
            ("datetime", "timedelta"),
            ("datetime", "timezone"),
            ("decimal", "Decimal"),
            ("uuid", "UUID"),
            ("uuid", "SafeUUID"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"kiểu {module}.{name} không được phép trong kết quả")


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool:
    """This process's pool, made on first use."""
    global _POOL
    if _POOL is None:
        with _POOL_LOCK:
            if _POOL is None:
                _POOL = Pool()
    return _POOL


def _forget_after_fork() -> None:
    global _POOL, _POOL_LOCK
    if _POOL is not None:
        _POOL.forget()
    _POOL, _POOL_LOCK = None, threading.Lock()


def _close_at_exit() -> None:
    if _POOL is not None:
        _POOL.close()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(_close_at_exit)
