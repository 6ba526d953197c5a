"""What the API takes in and gives out (pydantic): the bodies and query strings it checks,
and the JSON it answers, as the OpenAPI document describes them (api/spec.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field

from ..domain.field_actions import FieldAction
from ..domain.statuses import DisposalKind, Status
from ..schemas.asset import AssetCore
from .spec import Lenient, Strict

Kronor = Annotated[Decimal, Field(ge=0, max_digits=11, decimal_places=2)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Text = Annotated[str, Field(max_length=200)]


class AssetFields(Strict):
    """An asset's own fields, as the form has them (owner by slug, money in kronor)."""

    serial: Annotated[str, Field(max_length=80)] | None = None
    business_unit_id: Id | None = None
    service_object_id: Id | None = None
    location_id: Id | None = None
    holder: Text | None = None
    in_service_date: dt.date | None = None
    depreciation_months: Annotated[int, Field(ge=1, le=600)] | None = None
    supplier: Annotated[str, Field(max_length=120)] | None = None
    order_ref: Annotated[str, Field(max_length=80)] | None = None
    warranty_end: dt.date | None = None
    due_override: dt.date | None = None
    hostname: Annotated[str, Field(max_length=120)] | None = None
    mac: Annotated[str, Field(max_length=40)] | None = None
    ip: Annotated[str, Field(max_length=60)] | None = None
    imei: Annotated[str, Field(max_length=40)] | None = None
    notes: Annotated[str, Field(max_length=4000)] | None = None
    # Written into the history with the change.
    comment: Annotated[str, Field(max_length=2000)] = ""


class AssetCreate(AssetFields):
    tag: Annotated[str, Field(min_length=1, max_length=32)]
    model_id: Id
    owner: Annotated[str, Field(min_length=1, max_length=40)]
    purchase_date: dt.date
    price_sek: Kronor
    status: Literal["ordered", "in_stock", "deployed"] = "in_stock"


class AssetUpdate(AssetFields):
    """Only the fields given change; null empties a field that may be empty."""

    tag: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    model_id: Id | None = None
    owner: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    purchase_date: dt.date | None = None
    price_sek: Kronor | None = None


class Transition(Strict):
    """A lifecycle move, by the same rules as the status form."""

    target: Status
    disposal_kind: DisposalKind | None = None
    disposed_on: dt.date | None = None
    proceeds_sek: Kronor | None = None
    comment: Annotated[str, Field(max_length=2000)] = ""


class Action(Strict):
    """A field action, as a technician's phone does it."""

    holder: Text = ""
    business_unit_id: Id | None = None
    location_id: Id | None = None
    comment: Annotated[str, Field(max_length=2000)] = ""


class AssetQuery(Lenient):
    owner: Annotated[str, Field(max_length=40)] | None = None
    category: Annotated[str, Field(max_length=40)] | None = None
    status: Status | None = None
    site: Id | None = None
    location: Id | None = None
    unit: Id | None = None
    flag: Literal["overdue", "due_soon", "end_of_support"] | None = None
    q: Annotated[str, Field(max_length=100)] | None = None
    sort: (
        Literal[
            "tag",
            "-tag",
            "purchase_date",
            "-purchase_date",
            "price",
            "-price",
            "updated",
            "-updated",
        ]
        | None
    ) = None
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    per_page: Annotated[int, Field(ge=1, le=500)] = 25
    # Only assets changed at or after this moment (ISO 8601, with its zone).
    updated_since: (
        Annotated[
            AwareDatetime,
            Field(
                ge=dt.datetime(1970, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
            ),
        ]
        | None
    ) = None
    # Walk the whole register: start without it (cursor=""), then pass each page's next_cursor.
    cursor: Annotated[str, Field(max_length=40)] | None = None
    on: dt.date | None = None


class OnQuery(Lenient):
    on: dt.date | None = None


class AssetListItem(AssetCore):
    """An asset as the list gives it: the single asset's fields and lifecycle facts; its
    assessment and earlier tags are on the asset itself (GET /assets/{tag})."""


class AssetPage(BaseModel):
    items: list[AssetListItem]
    # The page's number, or null when walking by cursor.
    page: int | None
    per_page: int
    # The assets the filter matches (not counted when walking by cursor: null).
    total: int | None
    # Pass as cursor for the next page; null after the last.
    next_cursor: str | None = None


class Change(BaseModel):
    field: str
    label: str
    before: str
    after: str


class HistoryItem(BaseModel):
    at: dt.datetime
    action: str
    label: str
    actor: str
    comment: str
    changes: list[Change]
    # The import that made the change, if one did.
    import_id: int | None = None


class History(BaseModel):
    tag: str
    items: list[HistoryItem]


class Named(BaseModel):
    id: int
    name: str


class OwnerItem(BaseModel):
    slug: str
    name: str
    kind: str
    leaves_on: dt.date | None = None


class CategoryItem(BaseModel):
    id: int
    slug: str
    name: str
    depreciation_months: int
    target_lifespan_months: int
    horizon_months: int
    service_object_id: int | None = None


class ModelItem(BaseModel):
    id: int
    manufacturer: str
    name: str
    category: str
    end_of_support: dt.date | None = None


class SiteItem(BaseModel):
    id: int
    name: str
    owner: str | None = None


class LocationItem(BaseModel):
    id: int
    site_id: int
    site: str
    building: str
    room: str
    name: str


class UnitItem(BaseModel):
    id: int
    owner: str
    name: str


class Items(BaseModel):
    items: list[dict[str, object]]


class OwnerList(BaseModel):
    items: list[OwnerItem]


class CategoryList(BaseModel):
    items: list[CategoryItem]


class ModelList(BaseModel):
    items: list[ModelItem]


class NamedList(BaseModel):
    items: list[Named]


class SiteList(BaseModel):
    items: list[SiteItem]


class LocationList(BaseModel):
    items: list[LocationItem]


class UnitList(BaseModel):
    items: list[UnitItem]


class TokenCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    # At most a year; a token for an integration is renewed, not kept for ever.
    expires_in_days: Annotated[int, Field(ge=1, le=366)] = 90
    # An administrator may create one for another user (by e-mail).
    user: Annotated[str, Field(max_length=254)] | None = None


class TokenItem(BaseModel):
    id: int
    name: str
    user: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked: bool


class TokenList(BaseModel):
    items: list[TokenItem]


class NewToken(TokenItem):
    # Shown this once: only its hash is kept.
    token: str


class Report(BaseModel):
    """A report's figures; each report's page describes its columns."""

    model_config = {"extra": "allow"}


__all__ = ["FieldAction"]


class ReportQuery(Lenient):
    """A report's filters and its date or period; each report reads those it has (the
    report's page names them) and refuses a malformed one with 400."""

    on: str | None = Field(default=None, description="The reference date, YYYY-MM-DD.")
    from_: str | None = Field(default=None, alias="from", description="A period's first day.")
    to: str | None = Field(default=None, description="A period's last day.")
    year: str | None = None
    tertial: str | None = None
    quarter: str | None = None
    years: str | None = None
    owner: str | None = Field(default=None, description="An owner's slug.")
    category: str | None = Field(default=None, description="A category's slug.")
    unit: str | None = Field(default=None, description="A business unit's id.")
