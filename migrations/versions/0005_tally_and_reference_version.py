"""asset tally, reference version, tag-order index with the list's filters

Revision ID: 0005
Revises: 0004

Two small tables kept by triggers, on SQLite and PostgreSQL alike:

- asset_tally: assets per (owner, category, status), so that the list counts those
  filters exactly without walking the assets. On PostgreSQL, writers of assets with the
  same (owner, category, status) wait for each other's commit on its row: short waits at a
  municipality's rate of edits; a bulk import holds them for its whole transaction. Kept by
  row triggers, so TRUNCATE of asset must truncate asset_tally too (the tests do);
- reference_version: a number bumped by every change to owners, categories, sites,
  locations and business units, which tells each process when to reload its copy of them.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

from inventory import maintained

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFERENCE_TABLES = ("owner", "category", "site", "location", "business_unit")


def upgrade() -> None:
    op.create_table(
        "asset_tally",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "category_id", "status"),
    )
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.create_index(
            "ix_asset_tag_filters", ["tag", "owner_id", "category_id", "status"], unique=False
        )
    # The tally's triggers are defined in inventory/maintained.py, for the migrations that
    # rebuild asset on SQLite (which drops them) and must put them back.
    maintained.create_tally_triggers()
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()
    maintained.recount_tally()
    # A random start: a database made anew under a running process does not repeat the
    # numbers its caches already hold.
    op.execute(f"INSERT INTO reference_version (id, n) VALUES (1, {secrets.randbelow(2**30) + 1})")


# Shared by both dialects' trigger bodies.
_BUMP = (
    "INSERT INTO reference_version (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = reference_version.n + 1;"
)


def _sqlite_triggers() -> None:
    for table in REFERENCE_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER reference_version_{table}_{event.lower()} "
                f"AFTER {event} ON {table} BEGIN {_BUMP} END"
            )


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_BUMP} RETURN NULL; END $$"
    )
    for table in REFERENCE_TABLES:
        op.execute(
            f"CREATE TRIGGER reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump()"
        )


def downgrade() -> None:
    maintained.drop_tally_triggers()
    if op.get_bind().dialect.name == "sqlite":
        for table in REFERENCE_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS reference_version_{table}_{event}")
    else:
        for table in REFERENCE_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS reference_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS reference_version_bump()")
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_tag_filters")
    op.drop_table("reference_version")
    op.drop_table("asset_tally")
