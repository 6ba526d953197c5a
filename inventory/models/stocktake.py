"""Stocktakes (inventering): what was scanned where, and the result kept at closing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Stocktake(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Exactly one of these says what is being counted: a room, a whole site or an owner.
    location_id: int | None = Field(default=None, foreign_key="location.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    owner_id: int | None = Field(default=None, foreign_key="owner.id")
    # Whose assets count: the starter's owner scope, kept so that whoever resumes sees the same.
    scope_owner_id: int | None = Field(default=None, foreign_key="owner.id")
    title: str = Field(max_length=200)
    status: str = Field(default="open", max_length=10, index=True)
    started_by: int = Field(foreign_key="app_user.id")
    started_at: dt.datetime
    closed_by: int | None = Field(default=None, foreign_key="app_user.id")
    closed_at: dt.datetime | None = None


class StocktakeScan(SQLModel, table=True):
    """One code scanned in a stocktake, saved when it reaches the server; a code counts once."""

    __tablename__ = "stocktake_scan"
    __table_args__ = (
        UniqueConstraint("stocktake_id", "code"),
        # A phone sends each of its scans under an id of its own until it hears the answer:
        # a resend finds the scan saved the first time (NULLs, the form's scans, never clash).
        Index("ix_stocktake_scan_client_id", "stocktake_id", "client_id", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="stocktake.id", index=True)
    # The tag, or what was scanned when it is no tag of ours.
    code: str = Field(max_length=300)
    asset_id: int | None = Field(default=None, foreign_key="asset.id")
    scanned_by: int = Field(foreign_key="app_user.id")
    # When it was scanned: the phone's own time for a scan that waited offline (bounded by
    # domain.scan.scan_time), else the moment it arrived.
    scanned_at: dt.datetime
    received_at: dt.datetime
    client_id: str | None = Field(default=None, max_length=36)
    # What the scan was answered (found | elsewhere | unknown), so that a resend is answered
    # the same though the asset has moved since. None for scans saved before it was kept.
    outcome: str | None = Field(default=None, max_length=10)


class StocktakeLine(SQLModel, table=True):
    """The result, written when the stocktake closes: one line per asset found, missing or
    misplaced, with its value then."""

    __tablename__ = "stocktake_line"
    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="stocktake.id", index=True)
    asset_id: int = Field(foreign_key="asset.id")
    outcome: str = Field(max_length=12)
    price_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
    book_value_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Where the register had it at closing (for misplaced ones: where it should have been).
    registered_location_id: int | None = Field(default=None, foreign_key="location.id")
