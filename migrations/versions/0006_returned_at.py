"""an asset's last return, for the reuse routine's wipe rule; flags' computed day indexed

Revision ID: 0006
Revises: 0005

asset.returned_at is when the device last left the deployed status. Existing registers get
it from their history: the latest event that moved the status away from deployed.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no rebuild of asset on SQLite, so its triggers stay.
    op.add_column(
        "asset", sa.Column("returned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )
    op.create_index("ix_asset_flag_computed_on", "asset_flag", ["computed_on"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        left_deployed = "json_extract(e.changes, '$.status[0]') = 'deployed'"
    else:
        left_deployed = "(e.changes -> 'status' ->> 0) = 'deployed'"
    op.execute(
        "UPDATE asset SET returned_at = (SELECT max(e.at) FROM asset_event e "
        f"WHERE e.asset_id = asset.id AND {left_deployed})"
    )


def downgrade() -> None:
    op.drop_index("ix_asset_flag_computed_on", table_name="asset_flag")
    # SQLite (3.35+) drops the column in place, without rebuilding asset and its triggers.
    op.drop_column("asset", "returned_at")
