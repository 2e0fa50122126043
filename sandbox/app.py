"""Sandbox registry service (hệ thống CSDL giả lập): every national database of the
catalogue served over HTTP from synthetic data, for development, demos and tests.

The API is the one the HTTP adapters (:mod:`toantrinh.engine.registries.http`) speak:

``GET /api/v1/<registry>/records?<key>=<value>``
    one record: ``{"registry", "record_id", "fields", "documents", "updated_at"}``; 404
    (``application/problem+json``) when nothing matches.
``GET /api/v1/<registry>/documents/verify?document_type=…&number=…[&identity_number=…]``
    ``{"valid", "status", "reason", "document"}``.
``GET /api/v1/registries`` and ``GET /health``.

A deployment would point the adapters at the real platforms (or at the national data
integration platform NDXP) instead; the sandbox only replaces what sits behind the URL.
For failure drills the app can be told to answer slowly (``delays``) or to fail with 503
a number of times (``failures``), per registry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

from toantrinh.engine.registries.catalog import load_catalog
from toantrinh.sandbox.synthetic import DEFAULT_SEED, DEFAULT_SIZE, Dataset, generate

UPDATED_AT = "2026-11-01T00:00:00+07:00"


def _problem(status: int, title: str, detail: str):
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def create_app(
    dataset: Dataset | None = None,
    *,
    seed: int = DEFAULT_SEED,
    size: int = DEFAULT_SIZE,
    api_key: str | None = None,
    delays: Mapping[str, float] | None = None,
    failures: Mapping[str, int] | None = None,
) -> Flask:
    """Build the sandbox app. ``api_key`` set → requests must carry ``X-API-Key``."""
    data = dataset or generate(seed, size)
    app = Flask("toantrinh-registry-sandbox")
    app.json.ensure_ascii = False
    app.config["SANDBOX_DATASET"] = data
    sandbox = _Sandbox(data, api_key, dict(delays or {}), dict(failures or {}))
    app.get("/health")(sandbox.health)
    app.get("/api/v1/registries")(sandbox.registries)
    app.get("/api/v1/<registry>/records")(sandbox.lookup)
    app.get("/api/v1/<registry>/documents/verify")(sandbox.verify)
    return app


class _Sandbox:
    """The routes of one sandbox app, over one generated dataset, with its failure drills
    (``delays`` in seconds and ``failures`` left, per registry)."""

    def __init__(
        self,
        data: Dataset,
        api_key: str | None,
        delays: dict[str, float],
        failures_left: dict[str, int],
    ) -> None:
        self.data = data
        self.catalog = load_catalog()
        self.api_key = api_key
        self.delays = delays
        self.failures_left = failures_left
        self.lock = threading.Lock()
        self.index = _field_index(data)

    def served(self, registry: str):
        """A problem response when ``registry`` is not served now, else ``None``."""
        if registry not in self.data.records:
            return _problem(
                404,
                "Không có cơ sở dữ liệu",
                f"Hệ thống giả lập không phục vụ cơ sở dữ liệu '{registry}'",
            )
        if self.api_key and request.headers.get("X-API-Key") != self.api_key:
            return _problem(401, "Sai khóa truy cập", "Thiếu hoặc sai khóa truy cập X-API-Key")
        if self.delays.get(registry):
            time.sleep(self.delays[registry])
        with self.lock:
            if self.failures_left.get(registry, 0) > 0:
                self.failures_left[registry] -= 1
                return _problem(
                    503, "Tạm ngừng phục vụ", f"Cơ sở dữ liệu '{registry}' đang bảo trì"
                )
        return None

    def health(self):
        return {"status": "ok", "seed": self.data.seed, "registries": sorted(self.data.records)}

    def registries(self):
        out = []
        for registry, records in sorted(self.data.records.items()):
            entry = self.catalog.registries.get(registry)
            out.append(
                {
                    "id": registry,
                    "name_vi": entry.name_vi if entry else registry,
                    "records": len(records),
                }
            )
        return {"registries": out}

    def lookup(self, registry: str):
        problem = self.served(registry)
        if problem is not None:
            return problem
        if len(request.args) != 1:
            return _problem(
                400, "Sai tham số", "Cần đúng một khóa tra cứu, ví dụ ?identity_number=…"
            )
        name, value = next(iter(request.args.items()))
        records = self.data.records[registry]
        key = (
            value
            if name == "identity_number" and value in records
            else self.index.get((registry, name, value))
        )
        if key is None:
            return _problem(
                404,
                "Không tìm thấy",
                f"Không có bản ghi {name}={value} trong cơ sở dữ liệu '{registry}'",
            )
        record = records[key]
        return {
            "registry": registry,
            "key": key,
            "record_id": record["record_id"],
            "fields": record["fields"],
            "documents": record["documents"],
            "updated_at": UPDATED_AT,
        }

    def verify(self, registry: str):
        problem = self.served(registry)
        if problem is not None:
            return problem
        doc_type = request.args.get("document_type", "")
        number = request.args.get("number", "")
        holder = request.args.get("identity_number")
        if not doc_type or not number:
            return _problem(400, "Sai tham số", "Cần document_type và number")
        doc = self.data.documents.get(f"{doc_type}:{number}")
        if doc is None or doc["registry"] != registry:
            return {
                "valid": False,
                "status": "not_found",
                "document": None,
                "reason": f"Không tìm thấy {doc_type} số {number}",
            }
        if holder and doc["holder"] != holder and not _held_by(self.data, registry, doc, holder):
            return {
                "valid": False,
                "status": "holder_mismatch",
                "document": doc,
                "reason": "Giấy tờ không đứng tên người được kiểm tra",
            }
        expired = doc.get("valid_until") and doc["valid_until"] < request.args.get(
            "on", time.strftime("%Y-%m-%d")
        )
        if doc["status"] != "valid" or expired:
            return {
                "valid": False,
                "status": "expired" if expired else doc["status"],
                "document": doc,
                "reason": "Giấy tờ đã hết hiệu lực",
            }
        return {"valid": True, "status": "valid", "document": doc, "reason": ""}


def _field_index(data: Dataset) -> dict[tuple[str, str, str], str]:
    """(registry, field, value) → the key of the first record with that value, for lookups
    by any field other than the identity number."""
    index: dict[tuple[str, str, str], str] = {}
    for registry, records in data.records.items():
        for key, record in records.items():
            for name, value in record["fields"].items():
                if isinstance(value, str | int) and value != "":
                    index.setdefault((registry, name, str(value)), key)
    return index


def _held_by(data: Dataset, registry: str, doc: dict[str, Any], holder: str) -> bool:
    """Enterprise documents are keyed by code; their holder is the legal representative."""
    if registry != "business_registration":
        return False
    person = data.persons.get(holder)
    record = data.records[registry].get(doc["holder"], {})
    return bool(person) and record.get("fields", {}).get("legal_representative") == person.full_name


class _QuietHandler(WSGIRequestHandler):
    """No access log: tests and demos run many requests."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class SandboxServer:
    """A sandbox running in a background thread (real HTTP on localhost)."""

    host: str
    port: int
    _server: Any
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_in_thread(
    app: Flask | None = None, host: str = "127.0.0.1", port: int = 0
) -> SandboxServer:
    """Start ``app`` (default: the standard sandbox) on ``host:port`` (0 = a free port)."""
    app = app or create_app()
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="registry-sandbox", daemon=True)
    thread.start()
    return SandboxServer(host, server.server_port, server, thread)
