"""officer assignment: a dossier's lead and co-handlers, delegations while away (issue 29.6)

Revision ID: f1a8b2c6d937
Revises: e7d3c9a5b214
Create Date: 2026-12-07 05:40:00
"""

import sqlalchemy as sa
from alembic import op

import toantrinh.engine.db

revision = "f1a8b2c6d937"
down_revision = "e7d3c9a5b214"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"],
                                name=op.f("fk_dossier_assignment_dossier_id_dossier"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_assignment")),
    )
    op.create_index("ix_dossier_assignment_dossier", "dossier_assignment", ["dossier_id", "ended_at"])
    op.create_index("ix_dossier_assignment_officer", "dossier_assignment", ["officer", "ended_at"])
    op.create_table(
        "officer_delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("delegate", sa.String(length=200), nullable=False),
        sa.Column("starts_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", toantrinh.engine.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_delegation")),
    )
    op.create_index("ix_officer_delegation_delegate", "officer_delegation", ["delegate", "ends_at"])


def downgrade() -> None:
    op.drop_index("ix_officer_delegation_delegate", table_name="officer_delegation")
    op.drop_table("officer_delegation")
    op.drop_index("ix_dossier_assignment_officer", table_name="dossier_assignment")
    op.drop_index("ix_dossier_assignment_dossier", table_name="dossier_assignment")
    op.drop_table("dossier_assignment")
