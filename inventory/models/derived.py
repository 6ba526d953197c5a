"""Tables the database keeps by itself, with triggers (see migration 0005): the app reads
them and never writes them."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AssetTally(SQLModel, table=True):
    """How many assets there are of each owner, category and status. The list's counts for
    those filters are a sum over a few hundred rows instead of a walk over thousands of
    assets, and they stay exact."""

    __tablename__ = "asset_tally"
    owner_id: int = Field(primary_key=True)
    category_id: int = Field(primary_key=True)
    status: str = Field(max_length=20, primary_key=True)
    n: int


class ReferenceVersion(SQLModel, table=True):
    """A number that changes whenever owners, categories, sites, rooms or business units
    change, so that every process knows when its copy of them is out of date."""

    __tablename__ = "reference_version"
    id: int = Field(primary_key=True)
    n: int
