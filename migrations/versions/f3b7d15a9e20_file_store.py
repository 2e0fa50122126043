"""dossier files may live in a file store: content nullable, lookups by hash

With ``TOANTRINH_FILE_STORE`` set, a dossier file's bytes are kept in a content-addressed
directory (engine/filestore.py) and its row holds only the metadata and SHA-256, so
``dossier_attachment.content`` may be NULL. The store's sweep and check look rows up by
hash: an index on ``dossier_attachment.sha256``, and a partial one on the
``content_hash`` of warehouse documents that have a file.

Revision ID: f3b7d15a9e20
Revises: d8e4b6a1f2c7
Create Date: 2026-12-04 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f3b7d15a9e20"
down_revision = "d8e4b6a1f2c7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_attachment", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.create_index(batch_op.f("ix_dossier_attachment_sha256"), ["sha256"])
    op.create_index(
        "ix_warehouse_documents_file_hash",
        "warehouse_documents",
        ["content_hash"],
        postgresql_where=sa.text("size IS NOT NULL"),
        sqlite_where=sa.text("size IS NOT NULL"),
    )


def downgrade() -> None:
    # a row whose file is in the store has no content to put back: refuse, rather than
    # fail half-way or drop the rows (``toantrinh files move-in`` brings them back first)
    bind = op.get_bind()
    outside = bind.execute(
        sa.text("SELECT count(*) FROM dossier_attachment WHERE content IS NULL")
    ).scalar()
    if outside:
        raise RuntimeError(
            f"{outside} dossier files are in the file store; run 'toantrinh files move-in' "
            "before downgrading"
        )
    op.drop_index("ix_warehouse_documents_file_hash", table_name="warehouse_documents")
    with op.batch_alter_table("dossier_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_attachment_sha256"))
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
