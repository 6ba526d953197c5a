"""Alembic environment: the engine comes from the app (inventory.migrate), never from a file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inventory.models  # noqa: F401  (registers the tables)
from inventory.migrate import include_object

config = context.config
target_metadata = SQLModel.metadata


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
