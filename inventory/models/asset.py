"""The asset register's main table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..domain.statuses import Status

# Optimistic locking: SQLAlchemy adds "AND version = :old" to every UPDATE and raises
# StaleDataError when someone else saved first.
_version_column = Column("version", Integer, nullable=False, default=1)


class Asset(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("model_id", "serial", name="uq_asset_model_serial"),
        # The list's filters: owner first, because scoped users always filter by it.
        Index("ix_asset_owner_category_status", "owner_id", "category_id", "status"),
        # Covers the dashboard's counts and average ages without reading the rows.
        Index(
            "ix_asset_category_owner_status_dates",
            "category_id",
            "owner_id",
            "status",
            "purchase_date",
            "in_service_date",
        ),
        Index("ix_asset_status_category", "status", "category_id"),
        # The start page's devices waiting in a status, longest first, and how many.
        Index("ix_asset_status_updated", "status", "updated_at"),
        # The list walks this in tag order and checks the usual filters in the index itself,
        # without reading the rows it skips.
        Index("ix_asset_tag_filters", "tag", "owner_id", "category_id", "status"),
        # An owner's purchase order, its devices' prices summed where the owner tests orders
        # together for capitalisation (services/capitalisation.py): on every asset page.
        Index("ix_asset_owner_order_price", "owner_id", "order_ref", "price_ore"),
    )
    __mapper_args__ = {"version_id_col": _version_column}

    id: int | None = Field(default=None, primary_key=True)
    tag: str = Field(max_length=32, unique=True)
    serial: str | None = Field(default=None, max_length=80, index=True)
    model_id: int = Field(foreign_key="model.id", index=True)
    category_id: int = Field(foreign_key="category.id")
    owner_id: int = Field(foreign_key="owner.id")
    business_unit_id: int | None = Field(default=None, foreign_key="business_unit.id", index=True)
    # What the ordering business unit is invoiced for it each quarter; no foreign key
    # (migration 0017): services/service_objects.py keeps it pointing at one.
    service_object_id: int | None = Field(default=None, index=True)
    location_id: int | None = Field(default=None, foreign_key="location.id", index=True)
    holder: str | None = Field(default=None, max_length=200)
    status: str = Field(default=Status.IN_STOCK, max_length=20)
    disposal_kind: str | None = Field(default=None, max_length=20)
    # For the asset ledger (domain/disposal.py): the day a disposed device left, and what a
    # sale or a recycler brought, in öre.
    disposed_on: dt.date | None = Field(default=None, index=True)
    proceeds_ore: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    purchase_date: dt.date = Field(index=True)
    in_service_date: dt.date | None = None
    price_ore: int = Field(sa_column=Column(BigInteger, nullable=False))
    depreciation_months: int
    supplier: str | None = Field(default=None, max_length=120)
    order_ref: str | None = Field(default=None, max_length=80)
    warranty_end: dt.date | None = None
    # A replacement date decided for this one asset (e.g. a known failing batch).
    due_override: dt.date | None = None
    hostname: str | None = Field(default=None, max_length=120)
    mac: str | None = Field(default=None, max_length=17)
    ip: str | None = Field(default=None, max_length=45)
    imei: str | None = Field(default=None, max_length=15)
    notes: str = Field(default="", max_length=4000)
    # This device's own end of support where it differs from its model's: a Chromebook's
    # auto-update expiry, from Google Admin (imports). The model's date applies otherwise.
    end_of_support: dt.date | None = None
    # What the device management (Intune, Google Admin) last said of it: its operating
    # system version, its primary user, and the day it last checked in.
    os_version: str | None = Field(default=None, max_length=60)
    mdm_user: str | None = Field(default=None, max_length=200)
    mdm_seen_on: dt.date | None = None
    # When the device last came back from a user (it left the deployed status): a data wipe
    # counts for reuse or disposal only if done and recorded after it (services/lifecycle.py).
    returned_at: dt.datetime | None = None
    version: int = Field(default=1, sa_column=_version_column)
    created_at: dt.datetime
    updated_at: dt.datetime = Field(index=True)
    # Lower-cased tag, serial, holder and hostname: what free-text search indexes
    # (SQLite FTS5 trigram table, PostgreSQL pg_trgm GIN index; see the migrations).
    search_text: str = Field(default="", max_length=800)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)
