"""Schema migrations (Alembic) driven from code: ``toantrinh db upgrade``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from toantrinh.bpmn import datafiles
from toantrinh.engine.db import default_database_url

MIGRATIONS = datafiles.folder("migrations")


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", (url or default_database_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def revision(message: str, url: str | None = None) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)
