"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from inventory import migrate


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_database_is_at_head(engine: Engine) -> None:
    assert migrate.is_current(engine)
    assert not migrate.is_empty(engine)


def test_the_search_index_exists(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        assert "asset_fts" in inspect(engine).get_table_names()
    else:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_asset_search_trgm'")
            )
            assert found.first() is not None
