"""asset tag aliases: a corrected tag's old labels keep working

Revision ID: 0008
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asset_tag_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tag"),
    )
    with op.batch_alter_table("asset_tag_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_tag_alias_asset_id"), ["asset_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("asset_tag_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_tag_alias_asset_id"))
    op.drop_table("asset_tag_alias")
