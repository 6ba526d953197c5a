"""service objects: what each device is invoiced as, to the business unit that orders it

Revision ID: 0017
Revises: 0016

From 2026 the committee's services are split into objects ordered by the business units
and invoiced quarterly (DOMAIN.md): the eight of the committee's list are written here, in
its order; admins edit the list. Each category may name the object its devices belong to;
each asset carries its own. asset_span gains the unit and the object of each span (the
invoicing basis of past quarters), and the day its status began (how long a device has lain
in stock, which an owner's change alone does not restart). The spans so far take the unit
the asset has now (the history before knew no service objects), and their status's first
day from the spans before them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OBJECTS = (
    "Datorarbetsplats administration",
    "Datorarbetsplats pedagogisk",
    "Mobila enheter",
    "IT-infrastruktur",
    "Utskrifter",
    "Digital arbetsplats",
    "Systemdrift verksamhetssystem",
    "Övriga IT-tjänster",
)


def upgrade() -> None:
    table = op.create_table(
        "service_object",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.bulk_insert(table, [{"name": n, "position": i} for i, n in enumerate(OBJECTS, 1)])
    # Added in place, never in a batch: SQLite would rebuild the tables and drop their
    # triggers (inventory/maintained.py). Without a foreign key, which SQLite could not drop
    # in place on the way down: services/service_objects.py refuses to delete one in use.
    op.add_column("category", sa.Column("service_object_id", sa.Integer(), nullable=True))
    op.add_column("asset", sa.Column("service_object_id", sa.Integer(), nullable=True))
    op.create_index("ix_asset_service_object_id", "asset", ["service_object_id"])
    op.add_column("asset_span", sa.Column("business_unit_id", sa.Integer(), nullable=True))
    op.add_column("asset_span", sa.Column("service_object_id", sa.Integer(), nullable=True))
    op.add_column("asset_span", sa.Column("status_since", sa.Date(), nullable=True))
    op.execute(
        "UPDATE asset_span SET business_unit_id ="
        " (SELECT a.business_unit_id FROM asset a WHERE a.id = asset_span.asset_id)"
    )
    # The latest span up to this one that began with a change of status; none (NULL) while
    # the status is the one registered (domain/spans.py).
    op.execute(
        "UPDATE asset_span SET status_since = (SELECT MAX(p.started_on) FROM asset_span p"
        " WHERE p.asset_id = asset_span.asset_id AND p.id <= asset_span.id"
        " AND p.from_status IS NOT NULL AND p.from_status <> p.status)"
    )


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later, PostgreSQL), for the
    # triggers' sake.
    for column in ("status_since", "service_object_id", "business_unit_id"):
        op.execute(f"ALTER TABLE asset_span DROP COLUMN {column}")
    op.drop_index("ix_asset_service_object_id", table_name="asset")
    op.execute("ALTER TABLE asset DROP COLUMN service_object_id")
    op.execute("ALTER TABLE category DROP COLUMN service_object_id")
    op.drop_table("service_object")
