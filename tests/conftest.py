"""Fixtures: a real database per test (SQLite file, or PostgreSQL when
INVENTORY_TEST_DATABASE_URL is set), the app, its HTTP client and the CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from inventory import create_app, migrate
from inventory.config import Settings
from inventory.db import make_engine

from .factories import TODAY, Reference, TickingClock, make_reference

PG_URL = os.environ.get("INVENTORY_TEST_DATABASE_URL", "")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


# (table, rows) the migrations leave in an otherwise empty PostgreSQL database.
_MIGRATED_ROWS: list[tuple[Any, list[dict[str, Any]]]] = []


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per run; each test then gets a fresh copy (SQLite) or emptied tables."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        # What the migrations wrote (the prisbasbelopp of past years, the reference version),
        # put back after each test's TRUNCATE: a fresh SQLite copy has it too.
        with engine.connect() as conn:
            _MIGRATED_ROWS[:] = [
                (table, rows)
                for table in SQLModel.metadata.sorted_tables
                if (rows := [dict(r) for r in conn.execute(table.select()).mappings()])
            ]
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture
def database_url(_template_db: str, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        engine = make_engine(PG_URL)
        tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            for table, rows in _MIGRATED_ROWS:
                # The TRUNCATE's own triggers may have written some again (reference_version).
                conn.execute(table.delete())
                conn.execute(table.insert(), rows)
                # Rows restored with their ids: the id sequence goes on after them, as it
                # did after the migration (the service objects).
                if "id" in table.c and table.c.id.autoincrement is not False:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                        f" (SELECT MAX(id) FROM {table.name}))"
                    ))  # fmt: skip
        engine.dispose()
        yield PG_URL
        return
    path = tmp_path / "test.db"
    shutil.copy(_template_db, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def ref(session: Session) -> Reference:
    return make_reference(session)


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Callable[..., Flask]:
    def build(**overrides: Any) -> Flask:
        settings = Settings(
            database_url=database_url,
            secret_key=TEST_SECRET,
            instance_path=tmp_path / "instance",
            csrf_enabled=overrides.pop("csrf_enabled", False),
            testing=True,
            # Reports and book values are computed on this date, whatever day the tests run.
            extra={"today": TODAY, "now": TickingClock()},
            **overrides,
        )
        return create_app(settings)

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    application = make_app()
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, email: str, password: str = "correct-horse-battery") -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def as_user(client: FlaskClient) -> Callable[[str], FlaskClient]:
    def log_in(email: str) -> FlaskClient:
        login(client, email)
        return client

    return log_in
