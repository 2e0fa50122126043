"""Every request logs one structured line with its request id, the dossier it concerned
and its duration; a failure's line carries its traceback (issue 23, item 6)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from tests.api.test_resources import ADMIN, BPMN, PROCEDURE
from tests.helpers.people import CITIZEN_ID
from toantrinh.engine import logs


@pytest.fixture()
def deployed(client):
    response = client.post(
        "/api/v1/models", headers=ADMIN, json={"bpmn": BPMN, "procedure": PROCEDURE}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return client


@pytest.fixture()
def lines():
    stream = io.StringIO()
    handler = logs.handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def _request_lines(found, path):
    return [
        line
        for line in found
        if line["logger"] == "toantrinh.api.request" and line.get("path") == path
    ]


def test_a_request_line_has_the_request_id_the_dossier_and_the_duration(deployed, lines):
    client = deployed
    started = client.post(
        "/api/v1/dossiers",
        headers=ADMIN,
        json={"model": "ly-lich-tu-phap", "applicant_id": CITIZEN_ID},
    )
    assert started.status_code == 201, started.get_json()
    dossier = started.get_json()["id"]
    rid = started.headers["X-Request-Id"]
    [line] = _request_lines(lines(), "/api/v1/dossiers")
    assert line["request_id"] == rid and line["dossier_id"] == dossier
    assert line["status"] == 201 and line["level"] == "INFO" and line["duration_ms"] > 0

    shown = client.get(f"/api/v1/dossiers/{dossier}", headers={**ADMIN, "X-Request-Id": "abc-123"})
    assert shown.status_code == 200 and shown.headers["X-Request-Id"] == "abc-123"
    [line] = _request_lines(lines(), f"/api/v1/dossiers/{dossier}")
    assert (line["request_id"], line["dossier_id"]) == ("abc-123", dossier)
    assert isinstance(line["duration_ms"], float) and "time" in line


def test_a_failure_is_logged_with_its_traceback_and_the_request_id(app, lines, monkeypatch):
    from toantrinh.api.resources import tracking

    def explode():
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(tracking, "get_engine", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = app.test_client().get("/api/v1/tracking/HS-000000-00000000")
    assert answer.status_code == 500
    rid = answer.headers["X-Request-Id"]
    failures = [line for line in lines() if line["level"] == "ERROR"]
    assert failures and failures[0]["request_id"] == rid
    assert "Traceback" in failures[0]["traceback"] and "hỏng giữa chừng" in failures[0]["traceback"]
    [line] = _request_lines(lines(), "/api/v1/tracking/HS-000000-00000000")
    assert line["status"] == 500 and line["request_id"] == rid
