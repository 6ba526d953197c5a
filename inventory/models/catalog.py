"""What assets are: categories, manufacturers and models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Column, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel


class Category(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=80)
    depreciation_months: int
    target_lifespan_months: int
    # How far ahead replacements are flagged "due soon" (procurement's planning horizon).
    horizon_months: int = Field(default=12, sa_column_kwargs={"server_default": "12"})
    # The service object its devices belong to unless told otherwise (quarterly invoicing);
    # no foreign key (migration 0017): services/service_objects.py keeps it pointing at one.
    service_object_id: int | None = None


class Manufacturer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)


class Model(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("manufacturer_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    manufacturer_id: int = Field(foreign_key="manufacturer.id")
    category_id: int = Field(foreign_key="category.id", index=True)
    name: str = Field(max_length=120)
    standard_price_ore: int | None = Field(default=None, sa_column=Column(BigInteger))
    end_of_support: dt.date | None = None
    # Product carbon footprint, whole life cycle, from the manufacturer's PCF sheet.
    carbon_kg: Decimal | None = Field(default=None, sa_column=Column(Numeric(10, 1)))
