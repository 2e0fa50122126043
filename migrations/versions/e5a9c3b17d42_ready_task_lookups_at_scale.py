"""inbox lookups that read an index, not the whole inbox, however many dossiers are open

Measured with ``bench/table_scale.py`` (PostgreSQL 15, 100,000 dossiers in progress):

* ``GET /api/v1/tasks/{id}``, its ``claim`` and ``complete`` and the batch endpoint look a
  ready task up by ``task_id`` alone; the only index holding it was the unique key
  (``dossier_id``, ``task_id``), whose leading column the lookup does not give, so each
  request read the whole table (16.8 ms at 100,000 rows). ``ix_ready_task_task_id``.
* An officer's inbox filters on agency and lanes and pages in order of arrival; with
  ``(lane, agency)`` every page sorted all of the agency's rows for the lane (51 ms for
  the first page of an agency with 33,000 tasks at its desk). ``ix_ready_task_inbox``
  (agency, lane, created_at, id) replaces it: the page reads its 20 entries in order.
* "Claimed by me" filtered the same rows again; ``ix_ready_task_claimed`` holds only the
  claimed rows (partial), so it costs the unclaimed majority nothing.

Revision ID: e5a9c3b17d42
Revises: c4d81f07a2e6
Create Date: 2026-11-23 23:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a9c3b17d42"
down_revision = "c4d81f07a2e6"
branch_labels = None
depends_on = None

CLAIMED = sa.text("claimed_by IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.drop_index("ix_ready_task_lane")
        batch_op.create_index(
            "ix_ready_task_inbox", ["agency", "lane", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_ready_task_claimed",
            ["claimed_by"],
            unique=False,
            postgresql_where=CLAIMED,
            sqlite_where=CLAIMED,
        )
        batch_op.create_index("ix_ready_task_task_id", ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ready_task", schema=None) as batch_op:
        batch_op.drop_index("ix_ready_task_task_id")
        batch_op.drop_index("ix_ready_task_claimed")
        batch_op.drop_index("ix_ready_task_inbox")
        batch_op.create_index("ix_ready_task_lane", ["lane", "agency"], unique=False)
