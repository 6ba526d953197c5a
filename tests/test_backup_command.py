"""`inventory backup create FILE` and `restore FILE`, on SQLite and on PostgreSQL (pg_dump and
pg_restore): a register with its history, users, spans and evidence files copied and
restored into an empty database holds every table's every row, and goes on working there;
what cannot be restored is refused with a reason and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, func, select

from inventory import create_app
from inventory.config import Settings
from inventory.db import make_engine
from inventory.models import Asset, AssetEvent, Model, Owner, User
from inventory.schemas.asset import AssetInput
from inventory.seeding import demo
from inventory.services import assets

from .conftest import TEST_SECRET
from .factories import NOW, TODAY


@pytest.fixture
def other_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind: where a backup is restored."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_restored"
    admin = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.engine.dispose()


def _app(url: str, tmp_path: Path) -> Flask:
    return create_app(Settings(database_url=url, secret_key=TEST_SECRET, testing=True,
                               instance_path=tmp_path / "instance"))  # fmt: skip


def _every_row(engine: Engine) -> dict[str, list[str]]:
    """Each table's rows, as text, in an order of their own (JSON columns have none)."""
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {
            name: sorted(repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{name}"')))
            for name in names
        }


def test_a_backup_restored_into_an_empty_database_holds_every_row(
    engine: Engine, database_url: str, other_url: str, tmp_path: Path
) -> None:
    demo.seed_demo(engine, assets=150, seed=7)
    copy = tmp_path / "backups" / "register.backup"
    runner = _app(database_url, tmp_path).test_cli_runner()
    made = runner.invoke(args=["backup", "create", str(copy)])
    assert made.exit_code == 0, made.output
    assert copy.stat().st_mode & 0o077 == 0  # as private as the register
    again = runner.invoke(args=["backup", "create", str(copy)])
    assert again.exit_code == 2 and "exists already" in again.output

    restored_app = _app(other_url, tmp_path)
    done = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(copy)])
    assert done.exit_code == 0, done.output
    target = make_engine(other_url)
    original, restored = _every_row(engine), _every_row(target)
    assert restored.keys() == original.keys() and "attachment" in restored
    for name, rows in original.items():
        assert restored[name] == rows, name
    assert sum(len(rows) for rows in restored.values()) > 1000
    assert len(restored["asset"]) == 150 and restored["alembic_version"]

    # The restored register goes on: a new asset gets an id after the copy's, with history.
    with Session(target) as session:
        admin = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        owner = session.exec(select(Owner).where(Owner.slug == "borgholm")).one()
        model = session.exec(select(Model)).first()
        assert model is not None and owner.id is not None and model.id is not None
        data = AssetInput(tag="RESTORED-1", model_id=model.id, owner_id=owner.id,
                          purchase_date=TODAY, price_ore=1_000_000)  # fmt: skip
        added = assets.create_asset(session, actor=admin, data=data, today=TODAY, now=NOW)
        copied = session.exec(select(func.max(Asset.id)).where(Asset.tag != "RESTORED-1")).one()
        assert added.id is not None and copied is not None and added.id > copied
        history = session.exec(select(AssetEvent).where(AssetEvent.asset_id == added.id)).all()
        assert [e.action for e in history] == ["create"]
    target.dispose()


def _copied_and_restored(
    engine: Engine, database_url: str, other_url: str, tmp_path: Path, *, seed: int
) -> tuple[Path, FlaskCliRunner, Engine, dict[str, list[str]]]:
    """A seeded register copied, and the copy restored into the other database: the copy,
    a command runner on the other database, its engine, and its every row."""
    demo.seed_demo(engine, assets=20, seed=seed)
    copy = tmp_path / "register.backup"
    made = (
        _app(database_url, tmp_path).test_cli_runner().invoke(args=["backup", "create", str(copy)])
    )
    assert made.exit_code == 0, made.output
    runner = _app(other_url, tmp_path).test_cli_runner()
    assert runner.invoke(args=["backup", "restore", str(copy)]).exit_code == 0
    target = make_engine(other_url)
    return copy, runner, target, _every_row(target)


def test_a_restore_into_a_register_in_use_needs_replace_and_a_foreign_file_is_refused(
    engine: Engine, database_url: str, other_url: str, tmp_path: Path
) -> None:
    copy, runner, target, before = _copied_and_restored(engine, database_url, other_url,
                                                        tmp_path, seed=3)  # fmt: skip

    in_use = runner.invoke(args=["backup", "restore", str(copy)])
    assert in_use.exit_code == 2 and "replace it" in in_use.output
    foreign = tmp_path / "assets.csv"
    foreign.write_text("Inventarienummer;Serienummer\nBH-1;X\n")
    refused = runner.invoke(args=["backup", "restore", "--replace", str(foreign)])
    assert refused.exit_code == 2 and "not a backup" in refused.output
    assert _every_row(target) == before

    with Session(target) as session:  # a change since the copy, which the restore undoes
        session.exec(select(Asset)).first().notes = "ändrad efter kopian"  # type: ignore[union-attr]
        session.commit()
    assert _every_row(target) != before
    replaced = runner.invoke(args=["backup", "restore", "--replace", str(copy)])
    assert replaced.exit_code == 0, replaced.output
    assert _every_row(target) == before
    target.dispose()


def test_a_damaged_copy_replaces_nothing(
    engine: Engine, database_url: str, other_url: str, tmp_path: Path
) -> None:
    """A copy cut short (a full disk, a broken transfer) is refused, and the register it was
    to replace is still there, every row (the first version dropped it before finding out)."""
    copy, runner, target, before = _copied_and_restored(engine, database_url, other_url,
                                                        tmp_path, seed=5)  # fmt: skip
    assert len(before["asset"]) == 20
    cut = tmp_path / "cut.backup"
    cut.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    failed = runner.invoke(args=["backup", "restore", "--replace", str(cut)])
    assert failed.exit_code == 1 and "error:" in failed.output, failed.output
    assert _every_row(target) == before
    target.dispose()


def test_a_restore_that_fails_on_the_way_leaves_the_register_as_it_was(
    engine: Engine, database_url: str, other_url: str, tmp_path: Path
) -> None:
    """PostgreSQL: a copy that reads through but cannot be restored (here the target refuses
    to create indexes, through an event trigger outside the schema) leaves every row of the
    register it was to replace: the drop and the restore are one transaction."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite's copy is one transaction on the target already")
    copy, runner, target, before = _copied_and_restored(engine, database_url, other_url,
                                                        tmp_path, seed=7)  # fmt: skip
    guard = (
        "CREATE SCHEMA guard;"
        "CREATE FUNCTION guard.refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF tg_tag = 'CREATE INDEX' THEN RAISE EXCEPTION 'no indexes today'; END IF; END $$;"
        "CREATE EVENT TRIGGER refuse ON ddl_command_start EXECUTE FUNCTION guard.refuse();"
    )
    with target.begin() as conn:
        conn.exec_driver_sql(guard)
    try:
        failed = runner.invoke(args=["backup", "restore", "--replace", str(copy)])
        assert failed.exit_code == 1 and "no indexes today" in failed.output, failed.output
        assert _every_row(target) == before
    finally:
        with target.begin() as conn:
            conn.exec_driver_sql("DROP EVENT TRIGGER refuse; DROP SCHEMA guard CASCADE")
    replaced = runner.invoke(args=["backup", "restore", "--replace", str(copy)])
    assert replaced.exit_code == 0, replaced.output
    assert _every_row(target) == before
    target.dispose()
