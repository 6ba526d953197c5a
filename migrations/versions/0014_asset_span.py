"""asset_span: each asset's owner and status over time, for reports on past days

Revision ID: 0014
Revises: 0013

Filled here from the history every asset already has (asset_event), cut into spans the way
the write point cuts them from now on (inventory/domain/spans.py).
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
import sqlmodel
from alembic import op

from inventory.services.spans import spans_for, values

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_CHUNK = 5_000


def upgrade() -> None:
    span = op.create_table(
        "asset_span",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["owner.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_asset_span_asset_ended", "asset_span", ["asset_id", "ended_on"])
    op.create_index("ix_asset_span_status_started", "asset_span", ["status", "started_on"])
    event = sa.table(
        "asset_event",
        sa.column("id", sa.Integer()),
        sa.column("asset_id", sa.Integer()),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column("changes", sa.JSON()),
    )
    rows = op.get_bind().execute(
        sa.select(event.c.asset_id, event.c.at, event.c.changes).order_by(
            event.c.asset_id, event.c.at, event.c.id
        )
    )
    batch: list[dict[str, object]] = []
    for asset_id, events in groupby(rows, key=itemgetter(0)):
        for s in spans_for((at, changes) for _, at, changes in events):
            # Only this revision's columns: later ones fill theirs (0016: from_owner_id).
            row = values(asset_id, s)
            batch.append({k: v for k, v in row.items() if k in span.c})
        if len(batch) >= _CHUNK:
            op.bulk_insert(span, batch)
            batch = []
    if batch:
        op.bulk_insert(span, batch)


def downgrade() -> None:
    op.drop_index("ix_asset_span_status_started", table_name="asset_span")
    op.drop_index("ix_asset_span_asset_ended", table_name="asset_span")
    op.drop_table("asset_span")
