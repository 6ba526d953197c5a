"""Lifecycle flags as the nightly job last computed them, for filtering lists and counting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class AssetFlag(SQLModel, table=True):
    __tablename__ = "asset_flag"
    __table_args__ = (
        # The dashboard counts flags per category and owner from this index alone.
        Index("ix_asset_flag_counts", "flag", "category_id", "owner_id"),
        # The dashboard says how old its figures are: the oldest day any flag was computed.
        Index("ix_asset_flag_computed_on", "computed_on"),
    )
    flag: str = Field(max_length=20, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", primary_key=True, index=True)
    # Copied from the asset when the flags are computed, like the flags themselves.
    category_id: int = Field(foreign_key="category.id")
    owner_id: int = Field(foreign_key="owner.id")
    due_date: dt.date
    computed_on: dt.date


class JobRun(SQLModel, table=True):
    """One run of a scheduled job. (job, slot) is unique: of several schedulers that wake for
    the same slot, the one whose insert succeeds runs it, the others skip."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "slot"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=40, index=True)
    slot: str = Field(max_length=40)
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    outcome: str = Field(default="running", max_length=12)
    counts: str = Field(default="", max_length=2000)
    error: str = Field(default="", max_length=4000)
