"""SQLite's search index (the FTS5 table asset_fts, inventory/maintained.py) filled set-based
when many assets are written at once.

Its insert trigger indexes each new asset as it is inserted: fired once per row, it made up
8 of the 11 seconds that 100 000 asset rows took to seed. For a block of many inserts the
trigger is dropped and put back unchanged (its SQL read from the schema), and the block's
rows are indexed by one statement afterwards. It all happens in the writer's transaction
(SQLite's DDL is transactional and it has one writer at a time): a failure puts the trigger
back too, and no other writer can insert an asset before the commit, by which time the
trigger is back. PostgreSQL's trigram index is kept by PostgreSQL itself: nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from . import maintained

_TRIGGER = maintained.SQLITE_SEARCH_TRIGGERS[0]  # asset_fts_insert
_TABLE = maintained.SEARCH_TABLE


@contextmanager
def insert_trigger_off(conn: Connection) -> Iterator[bool]:
    """The insert trigger dropped for the block and put back after it; yields whether it
    was dropped (False on PostgreSQL, or where there is none), in which case the caller
    indexes what it inserted (index_rows, or rebuild)."""
    trigger_sql = None
    if conn.dialect.name == "sqlite":
        trigger_sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,)
        ).scalar()
    if trigger_sql is None:
        yield False
        return
    if not conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # pysqlite opens a transaction only before INSERT/UPDATE/DELETE; without one the DROP
        # below would be committed on its own.
        conn.exec_driver_sql("BEGIN")
    conn.exec_driver_sql(f"DROP TRIGGER {_TRIGGER}")
    # On an error the writer rolls back, which puts the trigger back as well.
    yield True
    conn.exec_driver_sql(trigger_sql)


def index_rows(conn: Connection, ids: Sequence[int]) -> None:
    """Index these assets, as the trigger would have (SQLite takes up to 32 766 values)."""
    for start in range(0, len(ids), 10_000):
        chunk = ids[start : start + 10_000]
        conn.exec_driver_sql(
            f"INSERT INTO {_TABLE}(rowid, search_text) SELECT id, search_text FROM asset "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            tuple(chunk),
        )


def rebuild(conn: Connection) -> None:
    """Index every asset afresh (FTS5's own 'rebuild'): after seeding an empty table."""
    conn.exec_driver_sql(f"INSERT INTO {_TABLE}({_TABLE}) VALUES ('rebuild')")
