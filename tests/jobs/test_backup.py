"""The nightly SQLite backup: a consistent copy, the last seven kept; PostgreSQL skips."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from inventory.jobs import run_job
from inventory.services.backup import backup_sqlite

from ..factories import Reference, make_asset


def test_a_backup_is_a_working_copy_and_old_ones_go(
    engine: Engine, session: Session, ref: Reference, tmp_path: Path
) -> None:
    make_asset(session, ref)
    if engine.dialect.name != "sqlite":
        run = run_job(engine, "backup", slot="x", today=dt.date(2026, 11, 23))
        assert run is not None and run.outcome == "ok" and '"skipped": 1' in run.counts
        return
    folder = tmp_path / "backups"
    for second in range(9):
        backup_sqlite(
            engine, folder=folder, now=dt.datetime(2026, 11, 23, 1, 30, second, tzinfo=dt.UTC)
        )
    copies = sorted(folder.glob("inventory-*.db"))
    assert len(copies) == 7 and copies[0].name.startswith("inventory-20261123-013002")
    with sqlite3.connect(copies[-1]) as copy:
        assert copy.execute("SELECT count(*) FROM asset").fetchone() == (1,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_backup_job_runs_from_the_registry(engine: Engine, ref: Reference) -> None:
    run = run_job(engine, "backup", slot="nightly", today=dt.date(2026, 11, 23))
    assert run is not None and run.outcome == "ok"
