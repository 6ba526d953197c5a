"""Alembic environment: the engine comes from the app (inventory.migrate), never from a file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inventory.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # The search index lives outside the models: the SQLite FTS5 table (and its shadow
    # tables) and the PostgreSQL trigram index are made by hand in the migration.
    if type_ == "table" and name and name.startswith("asset_fts"):
        return False
    if type_ == "index" and name == "ix_asset_search_trgm":
        return False
    return True


def run_migrations() -> None:
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations()
