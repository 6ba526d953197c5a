"""The files the app creates for its data (the SQLite database with its WAL, the secret key,
backups) are readable by the server's user only, whatever the umask."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import text

from inventory import mail, migrate
from inventory.config import Settings
from inventory.db import make_engine
from inventory.services.backup import backup_sqlite


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask of 022 would leave new files readable by every user on the host."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_wal_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "inventory.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:  # held open, so that the -wal and -shm files remain
            conn.execute(text("CREATE TABLE note (body TEXT)"))
            conn.execute(text("INSERT INTO note VALUES ('Anna Andersson has IT-000001')"))
            conn.commit()
            companions = [p for p in path.parent.iterdir() if p != path]
            assert {p.name for p in companions} >= {"inventory.db-wal", "inventory.db-shm"}
            assert mode(path) == 0o600
            assert all(mode(p) == 0o600 for p in companions), [oct(mode(p)) for p in companions]
    finally:
        engine.dispose()
    assert mode(path.parent) == 0o700


def test_an_existing_database_file_is_left_as_the_operator_made_it(tmp_path: Path) -> None:
    path = tmp_path / "inventory.db"
    path.touch(mode=0o640)
    os.chmod(path, 0o640)
    make_engine(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o640


def test_the_generated_secret_key_and_instance_folder_are_private(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    settings = Settings.from_env({"INVENTORY_INSTANCE_PATH": str(instance)})
    key = instance / "secret_key"
    assert mode(instance) == 0o700
    assert mode(key) == 0o600
    assert key.read_text() == settings.secret_key and len(settings.secret_key) >= 40
    # Read again, not made again.
    assert Settings.from_env({"INVENTORY_INSTANCE_PATH": str(instance)}).secret_key == (
        settings.secret_key
    )


def test_backups_and_their_folder_are_private(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'inventory.db'}")
    try:
        migrate.upgrade(engine)
        folder = tmp_path / "backups"
        backup_sqlite(engine, folder=folder, now=dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC))
    finally:
        engine.dispose()
    copies = list(folder.glob("inventory-*.db"))
    assert len(copies) == 1
    assert mode(folder) == 0o700
    assert mode(copies[0]) == 0o600


def test_the_folder_of_mail_written_as_files_is_private(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", secret_key="k" * 40, instance_path=tmp_path)
    message = EmailMessage()
    message["To"], message["Subject"] = "tekniker@borgholm.se", "Veckans sammanfattning"
    message.set_content("IT-000001 hos Anna Andersson")
    assert mail.send([message], settings) == 1
    assert mode(tmp_path / "mail") == 0o700
