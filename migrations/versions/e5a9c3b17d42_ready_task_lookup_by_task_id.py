"""the inbox row of a task found by the task's id through an index, not a scan

``GET /api/v1/tasks/{id}``, its ``claim`` and ``complete`` and the batch endpoint look a
ready task up by ``task_id`` alone. The only index holding ``task_id`` was the unique key
(``dossier_id``, ``task_id``), whose leading column the lookup does not give, so every
such request read the whole ``ready_task`` table: 0.16 ms at 1,000 open tasks, 16.8 ms at
100,000 (PostgreSQL 15, ``EXPLAIN ANALYZE``), the database's work growing with the number
of dossiers in progress. With this index the lookup reads one index entry.

Revision ID: e5a9c3b17d42
Revises: c4d81f07a2e6
Create Date: 2026-11-23 23:45:00
"""

from alembic import op

revision = "e5a9c3b17d42"
down_revision = "c4d81f07a2e6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.create_index("ix_ready_task_task_id", ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.drop_index("ix_ready_task_task_id")
