"""dossier_attachment: files submitted with a dossier (engine/attachments.py)

The form fields marked ``x-component`` carry a file's code; until now no file could be
uploaded. Content in the row (bytea on PostgreSQL, blob on SQLite), deleted with its
dossier; the code unique, the dossier's files found by ``dossier_id``.

Revision ID: a3f61c9d2b58
Revises: e5a9c3b17d42
Create Date: 2026-12-03 15:10:00
"""

import sqlalchemy as sa
from alembic import op

from toantrinh.engine.db import UTCDateTime

revision = "a3f61c9d2b58"
down_revision = "e5a9c3b17d42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=120), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_dossier_attachment_dossier_id_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_attachment")),
        sa.UniqueConstraint("code", name=op.f("uq_dossier_attachment_code")),
    )
    with op.batch_alter_table("dossier_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dossier_attachment_dossier_id"), ["dossier_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_attachment_dossier_id"))
    op.drop_table("dossier_attachment")
