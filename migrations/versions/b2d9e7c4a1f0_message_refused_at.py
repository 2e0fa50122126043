"""message.refused_at: a message the engine refused to deliver (ambiguous correlation)

A message that matches more than one waiting dossier is never delivered to any of them
(engine/correlation.py, issue 27.1); the refusal is final and leaves the pending scan.

Revision ID: b2d9e7c4a1f0
Revises: c1e7a5f3d920
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from toantrinh.engine.db import UTCDateTime

revision = "b2d9e7c4a1f0"
down_revision = "c1e7a5f3d920"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refused_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("refused_at")
