"""The catalogue report (báo cáo toàn danh mục): every deployed model analysed by the
simplifier, computed off the request thread and kept under a key that names its inputs.

The report analyses every deployed model, which takes seconds to minutes on a large
library, so a request never computes it on its own thread (issue 23, item 4):

- :func:`report_key` names the inputs: the latest version of every deployed model (its id
  and content hash, and the procedure card), the what-if settings, the output format and
  the data files the analysis reads. Deploying a version changes the key, so a cached
  report is never stale and nothing has to be invalidated.
- :class:`Reports` answers a request: the cached text if the key has one, else it starts
  one job for the key (a second request for the same key joins it) and waits at most
  ``wait`` seconds for it; the API answers 202 with a status URL when the job is still
  running.
- Jobs run in a thread of the app process (the default, one machine; the result is kept
  in that process's memory) or, with ``TOANTRINH_REPORTS=celery``, as the Celery task
  ``toantrinh.catalogue_report`` (:mod:`toantrinh.engine.tasks`) on the workers, which keep the
  result in Redis for every app process to read. This module does not import the Celery
  one (which imports it): the app hands :class:`Reports` the function that queues a job
  (``send_job``, :func:`toantrinh.engine.tasks.queue_catalogue_report`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from toantrinh.bpmn import datafiles
from toantrinh.engine.persistence import ProcessModel
from toantrinh.engine.registries.catalog import catalog_path
from toantrinh.simplifier import analyse_catalogue
from toantrinh.simplifier import report as reports

log = logging.getLogger("toantrinh.reports")

COST_MODEL = datafiles.path("data", "cost_model.json")
FORMATS = ("json", "markdown", "html")
# bump when the report's content changes for the same inputs (a new simplifier rule…)
REPORT_REVISION = "1"


@dataclass(frozen=True)
class CatalogueParams:
    """What a catalogue report was asked for: the output format and the what-if settings."""

    format: str = "json"
    registries: tuple[str, ...] | None = None  # the whole connected set; None: the catalogue's
    connect: tuple[str, ...] = ()  # registries added to the catalogue's connected ones
    province: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown report format {self.format!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CatalogueParams:
        registries = data.get("registries")
        return cls(
            format=data.get("format", "json"),
            registries=None if registries is None else tuple(registries),
            connect=tuple(data.get("connect") or ()),
            province=data.get("province"),
        )


@lru_cache(maxsize=8)
def _json_file(path: str, stamp: tuple[int, int]) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)


def read_json(path: Path, default: Any = None) -> Any:
    """A data file, read again only when it changed on disk."""
    stamp = _stamp(path)
    return default if stamp[1] < 0 else _json_file(str(path), stamp)


def registry_catalogue() -> dict[str, Any]:
    return read_json(catalog_path())


def cost_model() -> dict[str, Any]:
    return read_json(COST_MODEL)


def groups() -> list[dict[str, Any]]:
    return read_json(datafiles.library() / "groups.json", default=[])


def _deployed(session: Session) -> list[ProcessModel]:
    models = session.scalars(select(ProcessModel).order_by(ProcessModel.slug))
    return [pm for pm in models if pm.latest is not None]


def report_key(session: Session, params: CatalogueParams) -> str:
    """A name for the report's inputs (sha-256): the same key, the same report.

    Reads only the models' slugs, version ids and content hashes and their procedure
    cards (never the BPMN), so it costs one query however large the library is.
    """
    digest = hashlib.sha256()
    head = {
        "revision": REPORT_REVISION,
        "params": params.to_dict(),
        "files": [
            [str(p), *_stamp(p)]
            for p in (catalog_path(), COST_MODEL, datafiles.library() / "groups.json")
        ],
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    for pm in _deployed(session):
        version = pm.latest
        line = [pm.slug, version.id, version.content_hash, pm.procedure or {}]
        digest.update(json.dumps(line, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def compute(session: Session, params: CatalogueParams) -> str:
    """The report's text in ``params.format``: every deployed model, analysed and ranked."""
    items = [
        {
            "slug": pm.slug,
            "xml": pm.latest.bpmn,
            "procedure": dict(pm.procedure or {}, slug=pm.slug),
            "forms": pm.latest.forms or {},
        }
        for pm in _deployed(session)
    ]
    result = analyse_catalogue(
        items,
        registry_catalogue(),
        connected=params.registries,
        connect=params.connect,
        cost_model=cost_model(),
        province=params.province,
        groups=groups(),
    )
    render = {
        "json": reports.catalogue_json,
        "markdown": reports.catalogue_markdown,
        "html": reports.catalogue_html,
    }[params.format]
    return render(result)


def run_job(session: Session, params: CatalogueParams, asked_key: str, store: ReportStore) -> str:
    """Compute a report and keep it under the key of what it read (one job's body).

    The key is taken again in the job's own transaction: when a model was deployed
    between the request and the job, the report goes under the new key (the one that
    names what it analysed) and the request's key is released, so a poll of the old
    key starts over instead of waiting for a result that will never come.
    """
    started = time.monotonic()
    try:
        key = report_key(session, params)
        text = compute(session, params)
    except Exception as err:
        store.fail(asked_key, f"{type(err).__name__}: {err}")
        raise
    store.put(key, text)
    if key != asked_key:
        store.release(asked_key)
    log.info(
        "catalogue report %s (%s) in %.1f s", key[:12], params.format, time.monotonic() - started
    )
    return key


# ---------------------------------------------------------------- where reports are kept


class ReportStore(Protocol):
    def get(self, key: str) -> str | None: ...
    def put(self, key: str, text: str) -> None: ...
    def claim(self, key: str) -> bool: ...
    def running(self, key: str) -> bool: ...
    def fail(self, key: str, message: str) -> None: ...
    def failure(self, key: str) -> str | None: ...
    def release(self, key: str) -> None: ...


class MemoryStore:
    """Reports of this process (the thread runner's), the newest ``size`` kept."""

    def __init__(self, size: int = 16):
        self.size = size
        self._texts: dict[str, str] = {}
        self._running: set[str] = set()
        self._failures: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        return self._texts.get(key)

    def put(self, key: str, text: str) -> None:
        with self._lock:
            self._texts.pop(key, None)
            self._texts[key] = text
            while len(self._texts) > self.size:
                del self._texts[next(iter(self._texts))]
            self._running.discard(key)
            self._failures.pop(key, None)

    def claim(self, key: str) -> bool:
        with self._lock:
            if key in self._running:
                return False
            self._running.add(key)
            self._failures.pop(key, None)
            return True

    def running(self, key: str) -> bool:
        return key in self._running

    def fail(self, key: str, message: str) -> None:
        with self._lock:
            self._running.discard(key)
            self._failures[key] = message

    def failure(self, key: str) -> str | None:
        return self._failures.get(key)

    def release(self, key: str) -> None:
        with self._lock:
            self._running.discard(key)


class RedisStore:
    """Reports in Redis, shared by every app process and worker.

    ``toantrinh:catalogue:<key>`` holds the text for ``ttl`` seconds; ``…:job`` marks a
    job sent to the workers (``SET NX``, so one job per key however many processes ask)
    and expires after ``job_ttl`` seconds, so a job lost with its worker is sent again;
    ``…:error`` keeps a failure for a minute.
    """

    PREFIX = "toantrinh:catalogue:"

    def __init__(self, url: str, ttl: int = 86_400, job_ttl: int = 900):
        import redis  # only the celery mode needs it; the thread mode's app never loads it

        self.redis = redis.Redis.from_url(url)
        self.ttl, self.job_ttl = ttl, job_ttl

    def get(self, key: str) -> str | None:
        value = self.redis.get(self.PREFIX + key)
        return None if value is None else value.decode("utf-8")

    def put(self, key: str, text: str) -> None:
        pipe = self.redis.pipeline()
        pipe.set(self.PREFIX + key, text.encode("utf-8"), ex=self.ttl)
        pipe.delete(self.PREFIX + key + ":job", self.PREFIX + key + ":error")
        pipe.execute()

    def claim(self, key: str) -> bool:
        if not self.redis.set(self.PREFIX + key + ":job", b"1", nx=True, ex=self.job_ttl):
            return False
        self.redis.delete(self.PREFIX + key + ":error")
        return True

    def running(self, key: str) -> bool:
        return bool(self.redis.exists(self.PREFIX + key + ":job"))

    def fail(self, key: str, message: str) -> None:
        pipe = self.redis.pipeline()
        pipe.set(self.PREFIX + key + ":error", message.encode("utf-8"), ex=60)
        pipe.delete(self.PREFIX + key + ":job")
        pipe.execute()

    def failure(self, key: str) -> str | None:
        value = self.redis.get(self.PREFIX + key + ":error")
        return None if value is None else value.decode("utf-8")

    def release(self, key: str) -> None:
        self.redis.delete(self.PREFIX + key + ":job")


# ---------------------------------------------------------------- answering a request

# queues the job that computes the report ``key`` on a worker (engine/tasks.py)
SendJob = Callable[[CatalogueParams, str], None]


@dataclass(frozen=True)
class Outcome:
    """``state`` is ``done`` (``text`` holds the report), ``running`` or ``failed``."""

    key: str
    state: str
    text: str | None = None
    error: str | None = None


class Reports:
    """Catalogue reports for one app: where they are kept and how jobs run.

    ``mode`` is ``thread`` (jobs in one background thread of this process, sessions from
    ``session_factory``) or ``celery`` (jobs handed to ``send_job``, which sends them to
    the workers as ``toantrinh.catalogue_report``; needs ``redis_url``).
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        mode: str = "thread",
        redis_url: str | None = None,
        wait: float = 20.0,
        send_job: SendJob | None = None,
    ):
        if mode not in ("thread", "celery"):
            raise ValueError(f"TOANTRINH_REPORTS must be 'thread' or 'celery', not {mode!r}")
        if mode == "celery" and not redis_url:
            raise ValueError("TOANTRINH_REPORTS=celery needs TOANTRINH_REDIS_URL")
        if mode == "celery" and send_job is None:
            raise ValueError("TOANTRINH_REPORTS=celery needs the function that queues a job")
        self.mode, self.wait = mode, wait
        self.send_job = send_job if mode == "celery" else None
        self.session_factory = session_factory
        self.store: ReportStore = RedisStore(redis_url) if mode == "celery" else MemoryStore()
        self._executor: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_env(
        cls,
        session_factory: Callable[[], Session],
        config: dict[str, Any] | None = None,
        send_job: SendJob | None = None,
    ) -> Reports:
        config = config or {}

        def setting(name: str, default: str) -> str:
            return str(config.get(name, os.environ.get(name, default)))

        return cls(
            session_factory,
            mode=setting("TOANTRINH_REPORTS", "thread"),
            redis_url=setting("TOANTRINH_REDIS_URL", "") or None,
            wait=float(setting("TOANTRINH_REPORT_WAIT", "20")),
            send_job=send_job,
        )

    def request(
        self, session: Session, params: CatalogueParams, wait: float | None = None
    ) -> Outcome:
        """The report if it is ready within ``wait`` seconds (the app's default when None);
        else the job is left running and the outcome says so."""
        key = report_key(session, params)
        session.rollback()  # end the read: the job may run long, a request must not hold a snapshot
        text = self.store.get(key)
        if text is not None:
            return Outcome(key, "done", text)
        self._start(key, params)
        wait = self.wait if wait is None else wait
        if wait <= 0:
            # respond-async: the status URL at once, even when a quick job (its analyses
            # cached) has already finished; the status answers "done" when it is asked
            return Outcome(key, "running")
        return self._await(key, wait)

    def status(self, session: Session, params: CatalogueParams, key: str) -> Outcome:
        """Where the report ``key`` stands; a key that names older deployments is ``stale``
        (the report to ask for is the current one), and a job lost on the way is started again."""
        current = report_key(session, params)
        session.rollback()
        if current != key:
            return Outcome(key, "stale")
        text = self.store.get(key)
        if text is not None:
            return Outcome(key, "done", text)
        error = self.store.failure(key)
        if error is not None and not self.store.running(key):
            return Outcome(key, "failed", error=error)
        if not self.store.running(key):  # another process's job, or its result evicted
            self._start(key, params)
        return Outcome(key, "running")

    # -- jobs

    def _start(self, key: str, params: CatalogueParams) -> None:
        if not self.store.claim(key):
            return
        if self.send_job is not None:
            self.send_job(params, key)
            return
        with self._lock:
            if self._executor is None:
                # one job at a time per process: a report is CPU-bound, and a second
                # one would only slow the first and the requests of this process
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="catalogue-report"
                )
            self._futures[key] = self._executor.submit(self._run_here, key, params)

    def _run_here(self, key: str, params: CatalogueParams) -> None:
        session = self.session_factory()
        try:
            run_job(session, params, key, self.store)
        except Exception:
            log.exception("catalogue report %s failed", key[:12])
        finally:
            session.close()
            with self._lock:
                self._futures.pop(key, None)

    def _await(self, key: str, wait: float) -> Outcome:
        deadline = time.monotonic() + max(0.0, wait)
        future = self._futures.get(key)
        while True:
            text = self.store.get(key)
            if text is not None:
                return Outcome(key, "done", text)
            if not self.store.running(key):
                error = self.store.failure(key)
                if error is not None:
                    return Outcome(key, "failed", error=error)
            left = deadline - time.monotonic()
            if left <= 0:
                return Outcome(key, "running")
            if future is not None:
                with contextlib.suppress(TimeoutError):
                    future.result(timeout=left)
                future = None
            else:
                time.sleep(min(0.2, left))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
