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

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFERENCE_TABLES = ("owner", "category", "site", "location", "business_unit")
_KEY = ("owner_id", "category_id", "status")


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
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()
    op.execute(
        "INSERT INTO asset_tally (owner_id, category_id, status, n) "
        "SELECT owner_id, category_id, status, count(*) FROM asset "
        "GROUP BY owner_id, category_id, status"
    )
    # A random start: a database made anew under a running process does not repeat the
    # numbers its caches already hold.
    op.execute(f"INSERT INTO reference_version (id, n) VALUES (1, {secrets.randbelow(2**30) + 1})")


# One statement each, shared by both dialects' trigger bodies.
_TALLY_ADD = (
    "INSERT INTO asset_tally (owner_id, category_id, status, n) "
    "VALUES (NEW.owner_id, NEW.category_id, NEW.status, 1) "
    "ON CONFLICT (owner_id, category_id, status) DO UPDATE SET n = asset_tally.n + 1;"
)
_TALLY_REMOVE = (
    "UPDATE asset_tally SET n = n - 1 WHERE owner_id = OLD.owner_id "
    "AND category_id = OLD.category_id AND status = OLD.status;"
)
_BUMP = (
    "INSERT INTO reference_version (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = reference_version.n + 1;"
)


def _sqlite_triggers() -> None:
    op.execute(f"CREATE TRIGGER asset_tally_insert AFTER INSERT ON asset BEGIN {_TALLY_ADD} END")
    op.execute(f"CREATE TRIGGER asset_tally_delete AFTER DELETE ON asset BEGIN {_TALLY_REMOVE} END")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _KEY)
    op.execute(
        f"CREATE TRIGGER asset_tally_update AFTER UPDATE OF {', '.join(_KEY)} ON asset "
        f"WHEN {changed} BEGIN {_TALLY_REMOVE} {_TALLY_ADD} END"
    )
    for table in REFERENCE_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER reference_version_{table}_{event.lower()} "
                f"AFTER {event} ON {table} BEGIN {_BUMP} END"
            )


def _postgresql_triggers() -> None:
    old, new = (", ".join(f"{side}.{c}" for c in _KEY) for side in ("OLD", "NEW"))
    # A move between two keys changes two rows. They are locked in key order, so that two
    # opposite moves at the same time cannot each wait for the other's row.
    op.execute(
        "CREATE FUNCTION asset_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new}) THEN RETURN NULL; END IF; "
        f"IF TG_OP = 'UPDATE' AND ({new}) < ({old}) THEN {_TALLY_ADD} {_TALLY_REMOVE} "
        f"ELSE "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_TALLY_REMOVE} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_TALLY_ADD} END IF; "
        "END IF; RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER asset_tally AFTER INSERT OR DELETE OR UPDATE OF {', '.join(_KEY)} "
        "ON asset FOR EACH ROW EXECUTE FUNCTION asset_tally_keep()"
    )
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
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("asset_tally_insert", "asset_tally_delete", "asset_tally_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in REFERENCE_TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS reference_version_{table}_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS asset_tally ON asset")
        op.execute("DROP FUNCTION IF EXISTS asset_tally_keep()")
        for table in REFERENCE_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS reference_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS reference_version_bump()")
    with op.batch_alter_table("asset", schema=None) as batch_op:
        batch_op.drop_index("ix_asset_tag_filters")
    op.drop_table("reference_version")
    op.drop_table("asset_tally")
