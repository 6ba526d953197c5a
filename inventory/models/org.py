"""Who owns assets and where they are: owners, cost keys, business units, sites, locations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Numeric, UniqueConstraint, false
from sqlmodel import Field, SQLModel


class OwnerKind(StrEnum):
    MUNICIPALITY = "municipality"
    JOINT = "joint"
    COMPANY = "company"


class Owner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=120)
    org_number: str | None = Field(default=None, max_length=20)
    kind: str = Field(default=OwnerKind.MUNICIPALITY, max_length=20)
    # The day an owner leaves the partnership (Mörbylånga: 2026-12-31): from then on its
    # register can be handed over (services/handover.py).
    leaves_on: dt.date | None = None
    # Its capitalisation rule (domain/capitalisation.py): an acquisition is an investment
    # when it costs more than the threshold (kronor in öre, else this share of the purchase
    # year's prisbasbelopp) and is used at least the months; by_order tests the devices of
    # one purchase order together.
    capitalise_threshold_ore: int | None = Field(default=None, sa_column=Column(BigInteger))
    capitalise_share_pbb: Decimal = Field(
        default=Decimal("0.5"), sa_column=Column(Numeric(4, 2), nullable=False)
    )
    capitalise_min_months: int = 36
    capitalise_by_order: bool = False


class CostKey(SQLModel, table=True):
    """Users per owner on 1 January of the year before (cooperation agreement §13, Bilaga 3)."""

    __tablename__ = "cost_key"
    __table_args__ = (UniqueConstraint("year", "owner_id"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    owner_id: int = Field(foreign_key="owner.id")
    users: int


class BusinessUnit(SQLModel, table=True):
    __tablename__ = "business_unit"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    name: str = Field(max_length=120)


class Site(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    address: str | None = Field(default=None, max_length=200)
    owner_id: int | None = Field(default=None, foreign_key="owner.id")


class Location(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_id", "building", "room"),)
    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    building: str = Field(default="", max_length=120)
    room: str = Field(default="", max_length=120)
    is_server_hall: bool = False
    # The site's IT storage room: where a device taken back goes unless told otherwise.
    is_it_storage: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
