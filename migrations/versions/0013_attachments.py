"""attachment: the reuse routine's evidence files (wipe reports, recyclers' certificates)

Revision ID: 0013
Revises: 0012

The files' bytes are kept in the database (bytea on PostgreSQL, BLOB on SQLite): outside the
web root, written in the same transaction as the assessment they prove, and in every backup.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"]),
        sa.ForeignKeyConstraint(["assessment_id"], ["asset_assessment.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "kind", name="uq_attachment_assessment_kind"),
    )
    op.create_index("ix_attachment_asset_id", "attachment", ["asset_id"])
    op.create_index("ix_attachment_assessment_id", "attachment", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_attachment_assessment_id", table_name="attachment")
    op.drop_index("ix_attachment_asset_id", table_name="attachment")
    op.drop_table("attachment")
