"""stocktake_scan.client_id, received_at, outcome: scans that waited offline on a phone

Revision ID: 0012
Revises: 0011

A phone in a server hall without signal keeps its scans and sends them later, each under an
id of its own until it hears the answer; a resend (the answer was lost) finds the scan saved
the first time by (stocktake_id, client_id) and is answered with the outcome kept then.
scanned_at becomes the phone's time of the scan and received_at the server's; the scans
saved before arrived as they were made, so both are their scanned_at.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True)
        )
        batch_op.add_column(
            sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True)
        )
    op.execute("UPDATE stocktake_scan SET received_at = scanned_at")
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.alter_column(
            "received_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )
        batch_op.create_index(
            "ix_stocktake_scan_client_id", ["stocktake_id", "client_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("stocktake_scan", schema=None) as batch_op:
        batch_op.drop_index("ix_stocktake_scan_client_id")
        batch_op.drop_column("outcome")
        batch_op.drop_column("client_id")
        batch_op.drop_column("received_at")
