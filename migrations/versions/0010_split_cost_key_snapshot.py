"""split_proposal.cost_key_users, split_line.site_owner_id: what a proposal was computed with

Revision ID: 0010
Revises: 0009

A proposal's lines are balanced to the key of its year as it was when it was computed. The
key is kept with the proposal, so that the page reads it with that key and applying refuses
a proposal whose key has since changed (until it is computed again). Proposals computed
before have none and are read with the current key, as before.

Each line also keeps its site's owner then: a site given to another owner afterwards makes
the proposal stale (to be computed again), though no asset's version changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("split_proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost_key_users", sa.JSON(), nullable=True))
    with op.batch_alter_table("split_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_owner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_split_line_site_owner_id_owner", "owner", ["site_owner_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("split_line", schema=None) as batch_op:
        batch_op.drop_constraint("fk_split_line_site_owner_id_owner", type_="foreignkey")
        batch_op.drop_column("site_owner_id")
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): no rebuild needed.
    op.drop_column("split_proposal", "cost_key_users")
