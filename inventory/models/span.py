"""asset_span: each asset's owner and status over time, cut from its history
(domain/spans.py). Written at the assets' one write point (services/assets.stage_change)
and by the demo seed; reports read it for the fleet as it stood on a past day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class AssetSpan(SQLModel, table=True):
    __tablename__ = "asset_span"
    __table_args__ = (
        # The write point closes an asset's open span.
        Index("ix_asset_span_asset_ended", "asset_id", "ended_on"),
        # Moves in a period (retirements, hand-outs) by the status they reached.
        Index("ix_asset_span_status_started", "status", "started_on"),
        # Transfers in a period (the asset ledger).
        Index("ix_asset_span_started", "started_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id")
    owner_id: int = Field(foreign_key="owner.id")
    status: str = Field(max_length=20)
    from_status: str | None = Field(default=None, max_length=20)
    started_on: dt.date
    # Exclusive: the day the next span started; None while this one lasts.
    ended_on: dt.date | None = None
    # The owner of the span before (domain/spans.py): None for the first.
    from_owner_id: int | None = None
    # Who ordered it and for what, then: the quarterly invoicing basis.
    business_unit_id: int | None = None
    service_object_id: int | None = None
    # The day its status began, which an owner's, unit's or service object's change alone
    # does not move: how long a device has lain in stock.
    status_since: dt.date | None = None
