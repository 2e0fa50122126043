"""the tables every step writes: no index that no query reads; room for HOT updates

Every step of a dossier inserts two or three event rows and one or two inbox rows and
rewrites the dossier row (bench/engine.py: 17 events, 7 inbox rows, 8 dossier updates for
a criminal-record certificate). Each index on those tables is one more write per row:

* ``ix_ready_task_dossier_id`` repeats the leading column of ``uq_ready_task_task``
  (dossier_id, task_id), which serves every lookup by dossier and the cascade;
* ``ix_dossier_event_at`` and ``ix_dossier_event_kind``: events are read by dossier
  (``ix_dossier_event_dossier_at``), with the kind as a filter inside one dossier's rows;
  nothing looks them up by time or by kind alone.

On PostgreSQL the dossier table gets ``fillfactor = 70``: an UPDATE that changes no
indexed column is a heap-only tuple (no index entry written) only when the new version
fits on the same page; packed full, about half of the steps' updates were not (measured
877 HOT of 1,600 updates for 200 dossiers). Pages filled before the change keep their
layout until rewritten (VACUUM FULL or pg_repack); new ones leave the room.

Revision ID: c4d81f07a2e6
Revises: b7e2d40c91a3
Create Date: 2026-11-23 21:05:00
"""

from alembic import op

revision = "c4d81f07a2e6"
down_revision = "b7e2d40c91a3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.drop_index("ix_ready_task_dossier_id")
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_event_at")
        batch_op.drop_index("ix_dossier_event_kind")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE dossier SET (fillfactor = 70)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE dossier RESET (fillfactor)")
    with op.batch_alter_table("dossier_event", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_event_kind", ["kind"], unique=False)
        batch_op.create_index("ix_dossier_event_at", ["at"], unique=False)
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.create_index("ix_ready_task_dossier_id", ["dossier_id"], unique=False)
