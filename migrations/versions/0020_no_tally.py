"""drop the asset tally and its triggers

Revision ID: 0020
Revises: 0019

Issue 16: asset_tally (0005) kept assets per (owner, category, status) by row triggers. It
saved the list a count and the dashboard two sums over a few hundred rows, but every write
of an asset updated one of its rows, so on PostgreSQL writers of the same owner, category and
status waited for each other's commit, a bulk import held those rows for its whole
transaction, and seeding 1 000 000 assets updated the same 156 rows a million times (44 MB of
dead row versions). Measured at 1 000 000 assets on PostgreSQL: the dashboard's one grouped
pass costs 5 ms more without it (of 120), and the list counts up to 10 000 in about 1 ms
either way; the last page counts exactly (45 ms). The list now counts the asset table.

Downgrade puts the table and its triggers back and counts it afresh.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inventory import maintained

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    maintained.drop_tally_triggers()
    op.drop_table(maintained.TALLY_TABLE)


def downgrade() -> None:
    op.create_table(
        maintained.TALLY_TABLE,
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "category_id", "status"),
    )
    maintained.create_tally_triggers()
    maintained.recount_tally()
