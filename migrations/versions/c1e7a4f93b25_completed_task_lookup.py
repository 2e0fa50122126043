"""the dossier in which a task was completed, by task id (partial index)

A request completing a task that another request has just completed finds no inbox row;
the task-completion events tell that the task existed and was done, so the loser gets
409 (a lost race) instead of 404 (issue 27.8). Only completion events are indexed.

Revision ID: c1e7a4f93b25
Revises: b2d9e7c4a1f0
Create Date: 2026-12-07 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c1e7a4f93b25"
down_revision = "b2d9e7c4a1f0"
branch_labels = None
depends_on = None

COMPLETED = sa.text("kind = 'task_completed'")


def upgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossier_event_completed_task",
            ["task_id"],
            unique=False,
            postgresql_where=COMPLETED,
            sqlite_where=COMPLETED,
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_event_completed_task")
