"""API test fixtures: the app on a real database (SQLite and PostgreSQL through
``db_url``), served over real HTTP by werkzeug on a free localhost port."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.helpers.people import CITIZEN_ID, local_connectors
from toantrinh.api.app import create_app, db

ROOT = Path(__file__).resolve().parents[2]
LLTP = ROOT / "process_models" / "ly-lich-tu-phap"
ADMIN_TOKEN = "admin-secret-for-tests"
AGENCY = "Công an cấp tỉnh"


@pytest.fixture(scope="session")
def api_tables(db_engine):
    """The API's tables come from the migrations like every other table."""
    from sqlalchemy import inspect

    missing = {"api_tokens", "api_consents", "api_webhooks", "api_notifications"} - set(
        inspect(db_engine).get_table_names()
    )
    assert not missing, f"migrations do not create {sorted(missing)}"
    return db_engine


def make_app(db_url: str, **config: Any):
    settings = {
        "SQLALCHEMY_DATABASE_URI": db_url,
        "TESTING": True,
        "TOANTRINH_CONNECTORS": local_connectors,
        "TOANTRINH_ADMIN_TOKEN": ADMIN_TOKEN,
        "TOANTRINH_NOTIFY_SYNC": True,
        # the tests' webhook receivers listen on loopback, which webhooks may not reach
        # unless the operator allows it (engine/webhook_guard.py; tests/api/test_webhook_targets.py
        # runs without this)
        "TOANTRINH_WEBHOOK_ALLOW": "127.0.0.1/32",
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def app_factory(db_url, api_tables, session_factory):
    apps = []

    def factory(**config: Any):
        app = make_app(db_url, **config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """requests against the live server, with a bearer token."""

    def __init__(self, base: str, token: str | None = None):
        self.base, self.token = base, token
        self.http = requests.Session()

    def as_(self, token: str | None) -> Api:
        return Api(self.base, token)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.http.request(method, self.base + path, headers=headers, timeout=60, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)


@dataclass
class Live:
    url: str
    app: Any

    def api(self, token: str | None = None) -> Api:
        return Api(self.url, token)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def serve(app) -> Iterator[Live]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live(app):
    yield from serve(app)


def create_token(api: Api, **spec: Any) -> str:
    response = api.as_(ADMIN_TOKEN).post("/api/v1/auth/tokens", json=spec)
    assert response.status_code == 201, response.text
    return response.json()["token"]


@pytest.fixture
def tokens(live) -> dict[str, str]:
    """One token per role, officers of the sample procedure's agency."""
    api = live.api()
    return {
        "admin": ADMIN_TOKEN,
        "modeller": create_token(api, name="Trần Mô Hình", role="modeller"),
        "reformer": create_token(api, name="Lê Cải Cách", role="reformer"),
        "citizen": create_token(
            api, name="Nguyễn Văn An", role="citizen", identity_number=CITIZEN_ID
        ),
        "other_citizen": create_token(
            api, name="Phạm Văn Khác", role="citizen", identity_number="001099000001"
        ),
        "desk": create_token(
            api, name="Vũ Một Cửa", role="officer", agency=AGENCY, lanes=["one_stop_desk"]
        ),
        "specialist_leader": create_token(
            api,
            name="Đỗ Chuyên Viên",
            role="officer",
            agency=AGENCY,
            lanes=["specialist", "leader"],
        ),
        "other_agency": create_token(
            api,
            name="Hoàng Sở Khác",
            role="officer",
            agency="Sở Xây dựng",
            lanes=["one_stop_desk", "specialist", "leader"],
        ),
    }


def deploy_sample(api: Api, forms: dict | None = None) -> requests.Response:
    """Deploy the criminal-record model; ``forms`` replaces its forms (the re-engineered
    declaration, say)."""
    with (
        open(LLTP / "ly-lich-tu-phap.bpmn", "rb") as bpmn,
        open(LLTP / "procedure.json", "rb") as proc,
    ):
        files = {
            "bpmn": ("ly-lich-tu-phap.bpmn", bpmn, "application/xml"),
            "procedure": ("procedure.json", proc, "application/json"),
        }
        if forms is not None:
            files["forms"] = ("forms.json", json.dumps(forms).encode("utf-8"), "application/json")
        return api.post("/api/v1/models", files=files)


@pytest.fixture
def receiver():
    """A local webhook receiver: (url, [(headers, body)])."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks", received
    server.shutdown()


# the one-stop tests' sandboxes, signers and configured app (issue 29)
from tests.api.onestop_fixtures import onestop, pki, sandboxes  # noqa: E402, F401
