"""Shared fixtures: a real database on every configured backend.

Every test that takes ``session`` (or a fixture built on it) runs once on SQLite and,
when a PostgreSQL URL is configured (``DATABASE_URL`` or ``TOANTRINH_TEST_POSTGRES_URL``
starting with ``postgresql``), once more on PostgreSQL — in a fresh database created for
this run and dropped at its end. CI exports the PostgreSQL URL, so both always run there.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from toantrinh.engine.db import Base, make_engine, make_sessionmaker
from toantrinh.engine.models_registry import import_all_models

ROOT = Path(__file__).resolve().parent.parent

# an S3-compatible service and buckets for the file store's tests (moto's server)
pytest_plugins = ["tests.helpers.s3"]

# every state dump in the suite (and in the servers it starts) checks that the dicts the
# serializer reuses for finished tasks equal freshly built ones (engine/serialization.py)
os.environ.setdefault("TOANTRINH_VERIFY_STATE_MEMO", "1")
os.environ.setdefault("TOANTRINH_VERIFY_WALK", "1")
os.environ.setdefault("TOANTRINH_VERIFY_FORMS", "1")
# every journaled step (engine/store/journal.py) is rebuilt from the database after its commit
# and compared with the workflow the step left
os.environ.setdefault("TOANTRINH_VERIFY_JOURNAL", "1")


def postgres_url() -> str | None:
    url = os.environ.get("TOANTRINH_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url if url.startswith("postgresql") else None


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_url() else [])


def _create_pg_database(base_url: str) -> tuple[str, str]:
    name = f"tt_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(base_url: str, name: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request, tmp_path_factory):
    """A migrated, empty database URL for the backend of this parameter."""
    from toantrinh.engine.migrate import upgrade

    import_all_models()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    base = postgres_url()
    name, url = _create_pg_database(base)
    try:
        upgrade(url)
        yield url
    finally:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        _drop_pg_database(base, name)


@pytest.fixture(scope="session")
def db_engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _truncate(engine) -> None:
    from sqlalchemy import inspect

    existing = set(inspect(engine).get_table_names())
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in existing]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # a session a test forgot to close would make TRUNCATE wait forever
            conn.execute(text("SET LOCAL lock_timeout = '15s'"))
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def session_factory(db_engine):
    _truncate(db_engine)
    return make_sessionmaker(db_engine)


@pytest.fixture
def session(session_factory):
    s = session_factory()
    yield s
    s.rollback()
    s.close()


@pytest.fixture(autouse=True)
def _reset_clock():
    from toantrinh.engine import clock

    before = clock.offset_seconds()
    yield
    clock.set_offset(before)
