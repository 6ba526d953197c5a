"""prisbasbelopp and the owners' capitalisation rule

Revision ID: 0015
Revises: 0014

Each owner decides whether an acquisition is an investment (capitalised, depreciated) or
an expense (förbrukningsinventarie): by default, a cost above half the purchase year's
prisbasbelopp and a use of at least three years (REFERENCE.md §1.3). The prisbasbelopp of
2016-2026, as the government fixed them: 2016 44 300, 2017 44 800 (SFS 2016:863), 2018
45 500, 2019 46 500, 2020 47 300, 2021 47 600 (SFS 2020:764), 2022 48 300 (SFS 2021:866),
2023 52 500, 2024 57 300, 2025 58 800, 2026 59 200 (SFS 2025:872) kronor; later years are
entered as they are announced (Administration, or `inventory basbelopp set`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_KRONOR = {2016: 44_300, 2017: 44_800, 2018: 45_500, 2019: 46_500, 2020: 47_300,
           2021: 47_600, 2022: 48_300, 2023: 52_500, 2024: 57_300, 2025: 58_800,
           2026: 59_200}  # fmt: skip


def upgrade() -> None:
    table = op.create_table(
        "prisbasbelopp",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_ore", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.bulk_insert(table, [{"year": y, "amount_ore": kr * 100} for y, kr in _KRONOR.items()])
    # The sum of a purchase order's prices, read on every asset page, from the index alone.
    op.create_index("ix_asset_owner_order_price", "asset", ["owner_id", "order_ref", "price_ore"])
    # Added in place, never in a batch: SQLite would rebuild owner and drop its
    # reference_version triggers (inventory/maintained.py); constant defaults keep it in place.
    false = "0" if op.get_bind().dialect.name == "sqlite" else "false"
    op.add_column("owner", sa.Column("capitalise_threshold_ore", sa.BigInteger(), nullable=True))
    op.add_column(
        "owner",
        sa.Column("capitalise_share_pbb", sa.Numeric(4, 2), nullable=False, server_default="0.5"),
    )
    op.add_column(
        "owner",
        sa.Column("capitalise_min_months", sa.Integer(), nullable=False, server_default="36"),
    )
    op.add_column(
        "owner",
        sa.Column("capitalise_by_order", sa.Boolean(), nullable=False, server_default=false),
    )


def downgrade() -> None:
    op.drop_index("ix_asset_owner_order_price", table_name="asset")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later, PostgreSQL), for the same
    # reason.
    for column in (
        "capitalise_by_order",
        "capitalise_min_months",
        "capitalise_share_pbb",
        "capitalise_threshold_ore",
    ):
        op.execute(f"ALTER TABLE owner DROP COLUMN {column}")
    op.drop_table("prisbasbelopp")
