"""A new table row without SQLModel's validating constructor.

SQLModel's __init__ checks and defaults every field through pydantic: 0.3 ms an asset, as
much an event, which made a third of an import's time (bench/imports.py). Where the values
were checked already (services/assets.py checks every field of an asset; an event is
written from checked values), `new_row` makes the instance through SQLAlchemy's own
instrumentation and sets the values given; the columns left out get their database default
or NULL when inserted, as with any constructor."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm.attributes import set_attribute

T = TypeVar("T")


def new_row(table: type[T], **values: Any) -> T:
    row: T = inspect(table).class_manager.new_instance()
    # What pydantic's own construction would have set, so that the row still prints and
    # dumps like any other.
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    for name, value in values.items():
        set_attribute(row, name, value)
    return row
