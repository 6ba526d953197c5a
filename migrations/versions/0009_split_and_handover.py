"""split proposals of the joint property (agreement §20), owner handover, owner.leaves_on

Revision ID: 0009
Revises: 0008

- split_proposal, split_line, split_adjustment: a proposal per split date, its lines (one
  per joint asset, with the values of that date) and the manual moves with their reasons.
- owner_handover: a departing owner's register handed over, and what that did.
- owner.leaves_on: the day an owner leaves the partnership.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owner_handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=False),
        sa.Column("performed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("performed_by_id", sa.Integer(), nullable=True),
        sa.Column("asset_count", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["performed_by_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id"),
    )
    op.create_table(
        "split_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("split_on", sa.Date(), nullable=False),
        sa.Column("cost_key_year", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("computed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "decision_comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False
        ),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("applied_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["applied_by_id"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["computed_by_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("split_on"),
    )
    op.create_table(
        "split_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("to_owner_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["split_proposal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_owner_id"],
            ["owner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("split_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_split_adjustment_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "split_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("asset_version", sa.Integer(), nullable=False),
        sa.Column("proposed_owner_id", sa.Integer(), nullable=False),
        sa.Column("to_owner_id", sa.Integer(), nullable=False),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("book_value_ore", sa.BigInteger(), nullable=False),
        sa.Column("purchase_price_ore", sa.BigInteger(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["split_proposal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposed_owner_id"],
            ["owner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_owner_id"],
            ["owner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "asset_id"),
    )
    with op.batch_alter_table("split_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_split_line_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_split_line_proposal_id"), ["proposal_id"], unique=False
        )

    with op.batch_alter_table("owner", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leaves_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later) alters owner in place; a
    # batch would rebuild it and drop its reference_version triggers (0005) with it.
    op.drop_column("owner", "leaves_on")

    with op.batch_alter_table("split_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_split_line_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_split_line_asset_id"))

    op.drop_table("split_line")
    with op.batch_alter_table("split_adjustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_split_adjustment_proposal_id"))

    op.drop_table("split_adjustment")
    op.drop_table("split_proposal")
    op.drop_table("owner_handover")
