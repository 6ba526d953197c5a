"""Nightly online backup of an SQLite database, keeping the last few copies.

SQLite's backup API copies a consistent snapshot while the app keeps serving. On PostgreSQL
this does nothing: use pg_dump (see the README)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from ..files import private_directory, private_file

KEEP = 7


def backup_sqlite(
    engine: Engine, *, folder: Path, now: dt.datetime, keep: int = KEEP
) -> dict[str, int]:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return {"skipped": 1}
    private_directory(folder)
    target = folder / f"inventory-{now:%Y%m%d-%H%M%S-%f}.db"
    # A copy of the register is as private as the register itself.
    private_file(target)
    source = sqlite3.connect(engine.url.database)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    copies = sorted(folder.glob("inventory-*.db"))
    for old in copies[:-keep]:
        old.unlink()
    return {"bytes": target.stat().st_size, "kept": min(len(copies), keep)}
