"""asset_event (actor_id, at) index and location.is_it_storage: a technician's start page

Revision ID: 0011
Revises: 0010

The start page lists the assets a technician changed last: an index on the events' actor
and time answers it without reading the whole history. A site's IT storage room is where a
device taken back goes unless the technician says otherwise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy of the table): location keeps its triggers that bump
    # the reference data's version.
    op.create_index("ix_asset_event_actor_at", "asset_event", ["actor_id", "at"], unique=False)
    op.add_column(
        "location",
        sa.Column("is_it_storage", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The reference data's IT storage rooms (seeding/reference.py) are named so.
    op.execute(
        sa.text("UPDATE location SET is_it_storage = :yes WHERE room = 'IT-lager'").bindparams(
            yes=True
        )
    )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35 and later): a batch would rebuild location and drop
    # its reference_version triggers (0005) with it.
    op.drop_column("location", "is_it_storage")
    op.drop_index("ix_asset_event_actor_at", table_name="asset_event")
