"""imports: the files taken in, the history they wrote, and what device management says

Revision ID: 0018
Revises: 0017

Issue 15. import_run keeps each imported file: who, when, the file's name and digest, the
counts, and the rows it turned away. asset_event.import_id names the import behind a change.
asset gains what Intune and Google Admin report of a device: its own end of support (a
Chromebook's auto-update expiry, which may differ from its model's), its operating system
version, its primary user and the day it last checked in.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ASSET_COLUMNS = (
    ("end_of_support", sa.Date()),
    ("os_version", sa.String(length=60)),
    ("mdm_user", sa.String(length=200)),
    ("mdm_seen_on", sa.Date()),
)


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("owner.id"), nullable=True),
        sa.Column("valid_only", sa.Boolean(), nullable=False),
        sa.Column("create_missing", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("refs", sa.JSON(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_run_started_at", "import_run", ["started_at"])
    # In place, never in a batch: SQLite would rebuild the tables and drop their triggers
    # (inventory/maintained.py); without foreign keys, which SQLite could not drop in place.
    op.add_column("asset_event", sa.Column("import_id", sa.Integer(), nullable=True))
    op.create_index("ix_asset_event_import_id", "asset_event", ["import_id"])
    for name, type_ in ASSET_COLUMNS:
        op.add_column("asset", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later, PostgreSQL), for the
    # triggers' sake.
    for name, _ in reversed(ASSET_COLUMNS):
        op.execute(f"ALTER TABLE asset DROP COLUMN {name}")
    op.drop_index("ix_asset_event_import_id", table_name="asset_event")
    op.execute("ALTER TABLE asset_event DROP COLUMN import_id")
    op.drop_index("ix_import_run_started_at", table_name="import_run")
    op.drop_table("import_run")
