"""warehouse_documents: digitized dossier components with their file

An officer who has checked a file submitted with a dossier keeps it in the applicant's
e-data warehouse (Decree 45/2020/NĐ-CP; Circular 01/2023/TT-VPCP), so that later
dossiers name it by its result code instead of uploading it again. The document now
holds its file (bytea on PostgreSQL, blob on SQLite, read only when downloaded) and
the code of the dossier file it was kept from, unique: a file is kept once.

Revision ID: d8e4b6a1f2c7
Revises: a3f61c9d2b58
Create Date: 2026-12-04 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d8e4b6a1f2c7"
down_revision = "a3f61c9d2b58"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("warehouse_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_attachment", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("filename", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("media_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_warehouse_documents_source_attachment"), ["source_attachment"]
        )


def downgrade() -> None:
    with op.batch_alter_table("warehouse_documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_warehouse_documents_source_attachment"), type_="unique"
        )
        batch_op.drop_column("content")
        batch_op.drop_column("size")
        batch_op.drop_column("media_type")
        batch_op.drop_column("filename")
        batch_op.drop_column("source_attachment")
