"""Reliability fixtures: fresh databases on the backend under test, shared dossier steps."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.api.conftest import (  # noqa: F401  (the live-server fixtures, for this package)
    api_tables,
    app,
    app_factory,
    live,
    tokens,
)
from tests.conftest import _create_pg_database, _drop_pg_database, postgres_url
from tests.helpers.people import ltp_declaration
from toantrinh.engine.db import Base, make_engine
from toantrinh.engine.migrate import upgrade
from toantrinh.engine.models_registry import import_all_models

ROOT = Path(__file__).resolve().parents[2]
LLTP = ROOT / "process_models" / "ly-lich-tu-phap"
DECLARATION = ltp_declaration()
# Task_Declare … Task_Deliver of the criminal-record certificate, with valid form data
STEPS = [
    ("Task_Declare", DECLARATION),
    ("Task_Pay", {"payment_method": "online", "payment_reference": "VNPAY-1"}),
    ("Task_Receive", {"intake_decision": "accept"}),
    ("Task_Transfer", {}),
    ("Task_Verify", {"has_criminal_record": False}),
    ("Task_Sign", {"decision": "approve"}),
    ("Task_Deliver", {"delivered_via": "vneid"}),
]
STEP_DATA = dict(STEPS)


def prepare_schema(url: str) -> None:
    """Migrations, plus the tables defined in code that the migrations do not have yet."""
    import_all_models()
    upgrade(url)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()


@pytest.fixture
def fresh_url(db_url, tmp_path) -> Iterator:
    """A factory of new, empty, migrated databases on the same backend as ``db_url``."""
    created: list[str] = []
    base = postgres_url()

    def factory() -> str:
        if make_url(db_url).get_backend_name() == "sqlite":
            url = f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:8]}.db'}"
        else:
            name, url = _create_pg_database(base)
            created.append(name)
        prepare_schema(url)
        return url

    yield factory
    from sqlalchemy.orm import close_all_sessions

    close_all_sessions()
    for name in created:
        _drop_pg_database(base, name)


@pytest.fixture
def all_tables(db_engine):
    Base.metadata.create_all(db_engine)
    return db_engine
