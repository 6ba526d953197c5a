"""The nightly SQLite backup: a consistent copy, the last seven kept; PostgreSQL skips."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inventory.jobs import run_job
from inventory.services.backup import backup_sqlite

from ..evidence import attach_later, pdf
from ..factories import Reference, make_asset, record_wipe


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


def test_the_backup_holds_the_evidence_files_bytes_and_all(
    engine: Engine, session: Session, ref: Reference, tmp_path: Path
) -> None:
    """Wipe reports are kept in the database, so the backup keeps them (on PostgreSQL,
    pg_dump does: bytea is dumped with its table)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("the online copy is SQLite's; PostgreSQL is backed up with pg_dump")
    asset = make_asset(session, ref)
    record_wipe(session, ref, asset)
    kept = attach_later(session, ref, asset, name="rapport.pdf")
    backup_sqlite(engine, folder=tmp_path, now=dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC))
    [copy_path] = tmp_path.glob("inventory-*.db")
    with sqlite3.connect(copy_path) as copy:
        row = copy.execute(
            "SELECT filename, kind, sha256, content FROM attachment WHERE id = ?", (kept.id,)
        ).fetchone()
    assert row == ("rapport.pdf", "wipe_report", hashlib.sha256(pdf()).hexdigest(), pdf())
