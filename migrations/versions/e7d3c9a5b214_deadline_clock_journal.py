"""the statutory clock's journal: receipt, stops and extensions of each dossier (issue 29.4)

Existing dossiers get no rows: their clock is taken to have started when they were
created, as before (engine/deadlines.py).

Revision ID: e7d3c9a5b214
Revises: c1e7a4f93b25
Create Date: 2026-12-07 06:10:00
"""

import sqlalchemy as sa
from alembic import op

import toantrinh.engine.db

revision = "e7d3c9a5b214"
down_revision = "c1e7a4f93b25"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=True),
        sa.Column("started_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("due_before", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_after", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_deadline_entry_dossier_id_dossier"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_entry")),
    )
    op.create_index("ix_deadline_entry_dossier", "deadline_entry", ["dossier_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deadline_entry_dossier", table_name="deadline_entry")
    op.drop_table("deadline_entry")
