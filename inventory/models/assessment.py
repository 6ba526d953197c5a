"""Assessments of returned devices in the reuse routine."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class Assessment(SQLModel, table=True):
    __tablename__ = "asset_assessment"
    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    assessed_at: dt.datetime
    assessed_by: int = Field(foreign_key="app_user.id")
    grade: str = Field(max_length=1)
    battery_health: int | None = None
    wiped: bool = False
    wipe_method: str = Field(default="", max_length=120)
    wiped_on: dt.date | None = None
    wiped_by: str = Field(default="", max_length=120)
    decision: str = Field(max_length=20)
    recycler: str = Field(default="", max_length=120)
    certificate: str = Field(default="", max_length=80)
    reason: str = Field(default="", max_length=1000)
