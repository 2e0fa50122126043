"""retries of failed dossiers back off and stop: their count, and an index of those due

``dossier.retry_count`` counts the automatic retries of the current round
(engine/retries.py); ``ix_dossier_retry_due`` holds only the dossiers with a retry
scheduled, so that the scheduler's bounded scan reads a few index entries instead of
every dossier in error (issue 27 item 13). ``retry_at`` is set only while a retry is
scheduled: dossiers cancelled while in error lose theirs here.

Revision ID: c1e7a5f3d920
Revises: 9bb1f6665fb1
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c1e7a5f3d920"
down_revision = "9bb1f6665fb1"
branch_labels = None
depends_on = None

SCHEDULED = sa.text("retry_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retry_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_index(
            "ix_dossier_retry_due",
            ["retry_at"],
            unique=False,
            postgresql_where=SCHEDULED,
            sqlite_where=SCHEDULED,
        )
    # retry_at now means "a retry is scheduled": dossiers cancelled while in error kept it
    op.execute("UPDATE dossier SET retry_at = NULL WHERE status <> 'error' AND retry_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_retry_due")
        batch_op.drop_column("retry_count")
