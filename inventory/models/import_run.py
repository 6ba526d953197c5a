"""Imports: one row per file taken in (or being taken in), with what it did."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class ImportRun(SQLModel, table=True):
    """A file imported into the register. Its changes to assets are the history events that
    carry its id (AssetEvent.import_id); the rows it turned away are kept here, with why."""

    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    started_at: dt.datetime = Field(index=True)
    finished_at: dt.datetime | None = None
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    # native | snipeit | google-admin | intune (imports/tabular.Format, plus native)
    format: str = Field(max_length=20)
    # The owner rows without one were imported for, if any.
    owner_id: int | None = Field(default=None, foreign_key="owner.id")
    valid_only: bool = False
    create_missing: bool = False
    # checked (a dry run: nothing written) | running → done | refused (rows with errors:
    # nothing written) | failed. A run that never finished (a killed process) stays
    # "running" with nothing written: its transaction was never committed.
    outcome: str = Field(default="running", max_length=12)
    rows_total: int = 0
    # {"created": n, "updated": n, "unchanged": n, "rejected": n, "not_found": n, "conflict": n}
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Models, locations and business units the file names and the register lacks, created
    # when the user agreed: [{"kind", "name", "rows", "created"}].
    refs: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Every row but the unchanged: [{"line", "tag", "outcome", "changes", "reasons"}].
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error: str = Field(default="", max_length=2000)
