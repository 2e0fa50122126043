"""A throwaway PostgreSQL database for one benchmark run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the server of ``server_url``
    (``tt_bench_*``, through psycopg), dropped on the way out."""
    if "+psycopg" not in server_url:
        server_url = server_url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"tt_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
