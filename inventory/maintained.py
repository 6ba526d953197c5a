"""What the database keeps up to date by itself on the asset table, written once: the
migrations that install it call these functions, and so do those that must put it back.

- The search index. SQLite: the FTS5 table asset_fts (trigram tokenizer, its content is
  asset.search_text) and the triggers asset_fts_insert, _delete and _update that keep it in
  step. PostgreSQL: the pg_trgm GIN index ix_asset_search_trgm, kept by PostgreSQL itself.
  Installed by 0001.
- The tally: asset_tally, assets per (owner, category, status), kept by row triggers
  (asset_tally_insert, _delete and _update on SQLite; asset_tally calling asset_tally_keep()
  on PostgreSQL). Installed by 0005, dropped by 0020 (its row locks cost writers more than
  its counts saved readers); revisions 0005 to 0019 hold it.

The rule: a migration that rebuilds asset calls `after_asset_rebuild()` right after the
`with op.batch_alter_table("asset")` block that rebuilt it, in upgrade and downgrade alike.
SQLite alters little in place, so Alembic's batch mode rebuilds the table ("move and copy":
create _alembic_tmp_asset, copy the rows, drop asset, rename), and SQLite drops a table's
triggers with the table; the search index and the tally would then silently stop following
writes. A batch of only add_column (without a SQL-expression default or a stored computed
value), create_index and drop_index alters in place; anything else in the batch (drop_column,
alter_column, a constraint) or recreate="always" rebuilds (alembic's
SQLiteImpl.requires_recreate_in_batch). On PostgreSQL every batch alters in place and nothing
is lost, so the call does nothing there.
tests/test_migration_walk.py walks every revision down and up and fails when one forgets.

Past migrations call these functions, so a definition here is what those revisions installed:
a migration that changes one adds the new definition beside the old and teaches
`after_asset_rebuild` which one a revision holds.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

SEARCH_TABLE = "asset_fts"
SQLITE_SEARCH_TRIGGERS = ("asset_fts_insert", "asset_fts_delete", "asset_fts_update")
POSTGRESQL_SEARCH_INDEX = "ix_asset_search_trgm"
TALLY_TABLE = "asset_tally"
SQLITE_TALLY_TRIGGERS = ("asset_tally_insert", "asset_tally_delete", "asset_tally_update")
POSTGRESQL_TALLY_TRIGGER = "asset_tally"
POSTGRESQL_TALLY_FUNCTION = "asset_tally_keep"

# The tally's key: a change of any of these moves an asset from one row to another.
_TALLY_KEY = ("owner_id", "category_id", "status")
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


def _dialect() -> str:
    return str(op.get_bind().dialect.name)


# The search index ------------------------------------------------------------------------


def create_search_index() -> None:
    """The FTS5 table and its triggers (SQLite), or the trigram index (PostgreSQL)."""
    if _dialect() == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
            "search_text, content='asset', content_rowid='id', tokenize='trigram')"
        )
        create_search_triggers()
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            f"CREATE INDEX {POSTGRESQL_SEARCH_INDEX} ON asset USING gin (search_text gin_trgm_ops)"
        )


def create_search_triggers() -> None:
    """SQLite: the triggers that copy asset.search_text into asset_fts on every write."""
    op.execute(
        "CREATE TRIGGER asset_fts_insert AFTER INSERT ON asset BEGIN "
        "INSERT INTO asset_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER asset_fts_delete AFTER DELETE ON asset BEGIN "
        "INSERT INTO asset_fts(asset_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER asset_fts_update AFTER UPDATE OF search_text ON asset BEGIN "
        "INSERT INTO asset_fts(asset_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO asset_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def drop_search_triggers() -> None:
    for trigger in SQLITE_SEARCH_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def drop_search_index() -> None:
    if _dialect() == "sqlite":
        drop_search_triggers()
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    else:
        op.execute(f"DROP INDEX IF EXISTS {POSTGRESQL_SEARCH_INDEX}")


def rebuild_search() -> None:
    """SQLite: refill asset_fts from asset.search_text (FTS5's own 'rebuild' command), for
    writes its triggers missed. PostgreSQL's index cannot miss a write."""
    if _dialect() == "sqlite":
        op.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES('rebuild')")


# The tally ------------------------------------------------------------------------------


def create_tally_triggers() -> None:
    """The row triggers that keep asset_tally (the table exists already)."""
    if _dialect() == "sqlite":
        _sqlite_tally_triggers()
    else:
        _postgresql_tally_trigger()


def _sqlite_tally_triggers() -> None:
    op.execute(f"CREATE TRIGGER asset_tally_insert AFTER INSERT ON asset BEGIN {_TALLY_ADD} END")
    op.execute(f"CREATE TRIGGER asset_tally_delete AFTER DELETE ON asset BEGIN {_TALLY_REMOVE} END")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _TALLY_KEY)
    op.execute(
        f"CREATE TRIGGER asset_tally_update AFTER UPDATE OF {', '.join(_TALLY_KEY)} ON asset "
        f"WHEN {changed} BEGIN {_TALLY_REMOVE} {_TALLY_ADD} END"
    )


def _postgresql_tally_trigger() -> None:
    old, new = (", ".join(f"{side}.{c}" for c in _TALLY_KEY) for side in ("OLD", "NEW"))
    # A move between two keys changes two rows. They are locked in key order, so that two
    # opposite moves at the same time cannot each wait for the other's row.
    op.execute(
        f"CREATE FUNCTION {POSTGRESQL_TALLY_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP = 'UPDATE' AND ({old}) IS NOT DISTINCT FROM ({new}) THEN RETURN NULL; END IF; "
        f"IF TG_OP = 'UPDATE' AND ({new}) < ({old}) THEN {_TALLY_ADD} {_TALLY_REMOVE} "
        f"ELSE "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_TALLY_REMOVE} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_TALLY_ADD} END IF; "
        "END IF; RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {POSTGRESQL_TALLY_TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF "
        f"{', '.join(_TALLY_KEY)} ON asset FOR EACH ROW EXECUTE FUNCTION "
        f"{POSTGRESQL_TALLY_FUNCTION}()"
    )


def drop_tally_triggers() -> None:
    if _dialect() == "sqlite":
        for trigger in SQLITE_TALLY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {POSTGRESQL_TALLY_TRIGGER} ON asset")
        op.execute(f"DROP FUNCTION IF EXISTS {POSTGRESQL_TALLY_FUNCTION}()")


def recount_tally() -> None:
    """asset_tally counted afresh from asset."""
    op.execute(f"DELETE FROM {TALLY_TABLE}")
    op.execute(
        f"INSERT INTO {TALLY_TABLE} (owner_id, category_id, status, n) "
        "SELECT owner_id, category_id, status, count(*) FROM asset "
        "GROUP BY owner_id, category_id, status"
    )


# After a rebuild ------------------------------------------------------------------------


def after_asset_rebuild() -> None:
    """Put back what SQLite dropped with the asset table, for what this revision holds: the
    search triggers where asset_fts exists, the tally triggers where asset_tally exists; then
    refill the index and recount the tally. Safe to call when nothing was dropped."""
    if _dialect() != "sqlite":
        return
    tables = set(inspect(op.get_bind()).get_table_names())
    if SEARCH_TABLE in tables:
        drop_search_triggers()
        create_search_triggers()
        rebuild_search()
    if TALLY_TABLE in tables:
        drop_tally_triggers()
        create_tally_triggers()
        recount_tally()
