"""The append-only history of every asset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class AssetEvent(SQLModel, table=True):
    __tablename__ = "asset_event"
    # A technician's start page lists the assets they changed last.
    __table_args__ = (Index("ix_asset_event_actor_at", "actor_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    at: dt.datetime = Field(index=True)
    # create | edit | status | (later) seen, moved, note ...
    action: str = Field(max_length=30)
    # {field: [before, after]} with JSON-friendly values (dates ISO, money in öre)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    comment: str = Field(default="", max_length=2000)
    # The import that made this change, if one did (models/import_run.py); no foreign key
    # (migration 0018), like the columns added in place before it.
    import_id: int | None = Field(default=None, index=True)
