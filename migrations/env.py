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
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch operation rebuilds a table by dropping it, which the foreign keys of
            # the rows that refer to it refuse (the app turns them on for every connection).
            # SQLite takes this pragma outside a transaction only; the check below finds
            # what the migrations left dangling.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                context.configure(
                    connection=connection,
                    target_metadata=target_metadata,
                    include_object=include_object,
                    render_as_batch=sqlite,
                    compare_type=True,
                )
                context.run_migrations()
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if dangling:
                        raise RuntimeError(f"migrations left broken references: {dangling[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


run_migrations()
