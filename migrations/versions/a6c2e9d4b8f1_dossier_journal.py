"""dossier journal: steps kept as commands, the state dumped now and then

A step that completes a user task (or starts a dossier) is written as one row of
``dossier_journal`` instead of a new dump of the whole state (engine/journal.py);
``dossier.state`` is the state as it was at ``dossier.state_version``. Existing states
are complete at their ``lock_version``.

Revision ID: a6c2e9d4b8f1
Revises: f3b7d15a9e20
Create Date: 2026-12-06 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a6c2e9d4b8f1"
down_revision = "f3b7d15a9e20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute("UPDATE dossier SET state_version = lock_version")
    op.create_table(
        "dossier_journal",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id", "lock_version"),
    )


def downgrade() -> None:
    # a journaled dossier's state is its snapshot *and* its journal: dropping the journal
    # would lose steps; ``toantrinh dossier settle`` stores every such state first
    pending = op.get_bind().execute(sa.text("SELECT count(*) FROM dossier_journal")).scalar()
    if pending:
        raise RuntimeError(
            f"{pending} journal rows hold steps not yet in a stored state; run "
            "'toantrinh dossier settle' before downgrading"
        )
    op.drop_table("dossier_journal")
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("state_version")
