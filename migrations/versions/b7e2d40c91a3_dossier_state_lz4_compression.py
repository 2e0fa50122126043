"""dossier.state: lz4 compression on PostgreSQL

Every step rewrites a dossier's state (5–10 KB of JSON), which PostgreSQL compresses out
of line (TOAST). Its default method, pglz, made that UPDATE about 40 % of a batched
step's commit (bench/engine.py); lz4 compresses about as well at a fraction of the CPU.
Only values written after the change use it; older ones stay readable as they are.
SQLite and PostgreSQL servers built without lz4 are left unchanged.

Revision ID: b7e2d40c91a3
Revises: 5f821a7b141b
Create Date: 2026-11-23 15:05:00
"""

from alembic import op
import sqlalchemy as sa


revision = "b7e2d40c91a3"
down_revision = "5f821a7b141b"
branch_labels = None
depends_on = None


def _lz4_available(bind) -> bool:
    if bind.dialect.name != "postgresql":
        return False
    if bind.execute(sa.text("SELECT current_setting('server_version_num')::int")).scalar() < 140000:
        return False
    # a server built without lz4 refuses the method; ask in a savepoint so that a refusal
    # leaves the migration's transaction usable
    try:
        with bind.begin_nested():
            bind.execute(sa.text("SET LOCAL default_toast_compression = 'lz4'"))
    except sa.exc.DBAPIError:
        return False
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if _lz4_available(bind):
        op.execute("ALTER TABLE dossier ALTER COLUMN state SET COMPRESSION lz4")


def downgrade() -> None:
    bind = op.get_bind()
    if _lz4_available(bind):
        op.execute("ALTER TABLE dossier ALTER COLUMN state SET COMPRESSION default")
