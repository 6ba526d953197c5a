"""A table the database keeps by itself, with triggers (see migration 0005): the app reads
it and never writes it."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ReferenceVersion(SQLModel, table=True):
    """A number that changes whenever owners, categories, sites, rooms or business units
    change, so that every process knows when its copy of them is out of date."""

    __tablename__ = "reference_version"
    id: int = Field(primary_key=True)
    n: int
