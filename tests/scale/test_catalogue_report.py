"""The catalogue report on Celery workers (``TOANTRINH_REPORTS=celery``): the app sends the
job, a real worker computes it and keeps it in Redis, and every app process — here two
apps, as two gunicorn processes would be — reads it from there. Real HTTP, real Redis,
a real ``celery worker`` subprocess."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.api.conftest import ADMIN_TOKEN, create_token, make_app, serve
from tests.api.test_catalogue_report_jobs import ASYNC, ask_async, deploy, poll
from tests.scale.conftest import REDIS_URL
from toantrinh.engine import tasks
from toantrinh.engine.catalogue_report import RedisStore


@pytest.fixture
def apps(scale_db_url, sessions, monkeypatch) -> Iterator[list]:
    """Two live apps over the workers' database, sending reports to the workers."""
    from toantrinh.api.app import db

    queue = f"tt-report-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(tasks, "QUEUE", queue)
    made = [
        make_app(scale_db_url, TOANTRINH_REPORTS="celery", TOANTRINH_REDIS_URL=REDIS_URL)
        for _ in range(2)
    ]
    servers = [serve(app) for app in made]
    lives = [next(server) for server in servers]
    yield lives
    for server in servers:
        next(server, None)
    for app in made:
        with app.app_context():
            db.engine.dispose()
    client = redis.Redis.from_url(REDIS_URL)
    for name in client.scan_iter(f"{RedisStore.PREFIX}*"):
        client.delete(name)


def test_catalogue_report_computed_by_a_worker_is_read_by_every_app(apps, start_worker):
    one, two = apps
    worker = start_worker("reports", tasks.QUEUE)
    admin = one.api(ADMIN_TOKEN)
    reformer = create_token(one.api(), name="Lê Cải Cách", role="reformer")
    deploy(admin, "ly-lich-tu-phap")

    pending = ask_async(one.api(reformer))
    # asked again through the other app while it runs: the same job, not a second one
    again = two.api(reformer).get("/api/v1/simplification/catalogue", headers=ASYNC)
    assert again.status_code in (200, 202)
    done = poll(two.api(reformer), pending["status_url"])
    assert done["state"] == "done"
    report = two.api(reformer).get(done["report_url"], headers=ASYNC)
    assert report.status_code == 200, report.text
    assert report.json()["ranked_by_readiness"] == ["ly-lich-tu-phap"]
    assert one.api(reformer).get(done["report_url"], headers=ASYNC).text == report.text
    log = worker.log.read_text()
    assert log.count("toantrinh.catalogue_report") >= 1
    assert log.count("succeeded") == 1, log  # one job for the key, however many asked

    # a new deployment: a new key, a new job on the worker
    deploy(admin, "dang-ky-khai-sinh")
    fresh = ask_async(one.api(reformer))
    assert fresh["key"] != pending["key"]
    poll(one.api(reformer), fresh["status_url"])
    answer = two.api(reformer).get(fresh["report_url"], headers=ASYNC)
    assert answer.status_code == 200 and answer.json()["totals"]["procedures"] == 2
