"""A database built by the migrations alone (what `toantrinh db upgrade` and `serve` do on
a new machine, and what a restore starts from) has every table the code uses."""

from __future__ import annotations

from sqlalchemy import inspect

from toantrinh.engine.db import Base, make_engine
from toantrinh.engine.migrate import upgrade
from toantrinh.engine.models_registry import import_all_models


def test_the_migrations_alone_create_every_table_the_code_defines(tmp_path):
    import_all_models()
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    missing = sorted(set(Base.metadata.tables) - present)
    assert not missing, f"tables only create_all makes: {missing}"
