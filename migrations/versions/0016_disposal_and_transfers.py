"""the asset ledger: a disposal's date and proceeds, and each span's previous owner

Revision ID: 0016
Revises: 0015

The finance department's asset ledger (anläggningsreskontra) lists what left the books in a
period, on the day it left and for how much, and what changed hands (the §20 split). A
disposal so far was dated by the day it was recorded: that day is taken as its date. A
span's previous owner is the owner of the span before it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place, never in a batch: SQLite would rebuild asset and drop its triggers
    # (inventory/maintained.py).
    op.add_column("asset", sa.Column("disposed_on", sa.Date(), nullable=True))
    op.add_column("asset", sa.Column("proceeds_ore", sa.BigInteger(), nullable=True))
    op.add_column("asset_span", sa.Column("from_owner_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE asset SET disposed_on = (SELECT s.started_on FROM asset_span s"
        " WHERE s.asset_id = asset.id AND s.ended_on IS NULL)"
        " WHERE status = 'disposed'"
    )
    # The spans were written in their order, so the one before has the next lower id.
    op.execute(
        "UPDATE asset_span SET from_owner_id = (SELECT p.owner_id FROM asset_span p"
        " WHERE p.asset_id = asset_span.asset_id AND p.id < asset_span.id"
        " ORDER BY p.id DESC LIMIT 1)"
        " WHERE from_status IS NOT NULL"
    )
    # The ledger's disposals and transfers in a period.
    op.create_index("ix_asset_disposed_on", "asset", ["disposed_on"])
    op.create_index("ix_asset_span_started", "asset_span", ["started_on"])


def downgrade() -> None:
    op.drop_index("ix_asset_span_started", table_name="asset_span")
    op.drop_index("ix_asset_disposed_on", table_name="asset")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later, PostgreSQL), for the
    # triggers' sake.
    op.execute("ALTER TABLE asset_span DROP COLUMN from_owner_id")
    op.execute("ALTER TABLE asset DROP COLUMN proceeds_ore")
    op.execute("ALTER TABLE asset DROP COLUMN disposed_on")
