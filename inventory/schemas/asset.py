"""Asset input (from forms, API bodies and imports) and output (the API's JSON)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

from sqlmodel import SQLModel


@dataclass
class AssetInput:
    """Parsed, typed values; the service checks the rules that need the database."""

    tag: str
    model_id: int
    owner_id: int
    purchase_date: dt.date
    price_ore: int
    serial: str | None = None
    business_unit_id: int | None = None
    # None: the category's service object.
    service_object_id: int | None = None
    location_id: int | None = None
    holder: str | None = None
    in_service_date: dt.date | None = None
    # None: the category's default period.
    depreciation_months: int | None = None
    supplier: str | None = None
    order_ref: str | None = None
    warranty_end: dt.date | None = None
    # A replacement date decided for this asset; earlier than the rules' date wins.
    due_override: dt.date | None = None
    hostname: str | None = None
    mac: str | None = None
    ip: str | None = None
    imei: str | None = None
    notes: str = ""
    # What device management reports and an import brings (end_of_support, os_version,
    # mdm_user, mdm_seen_on): only the fields given are written, the rest kept as they are.
    reported: dict[str, object] = field(default_factory=dict)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "reported"]


# What AssetInput.reported may hold, and the longest text of each.
REPORTED_TEXT = {"os_version": 60, "mdm_user": 200}
REPORTED_DATES = ("end_of_support", "mdm_seen_on")


class AttachmentPublic(SQLModel):
    """An evidence file of an assessment, without its bytes: `url` downloads it."""

    id: int
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str
    url: str


class AssessmentPublic(SQLModel):
    """An asset's latest assessment in the reuse routine, with its data wipe."""

    assessed_at: dt.datetime
    assessed_by: str
    grade: str
    battery_health: int | None
    wiped: bool
    wipe_method: str
    wiped_on: dt.date | None
    wiped_by: str
    decision: str
    recycler: str
    certificate: str
    reason: str
    # The wipe tool's report and the recycler's certificate, when attached.
    attachments: list[AttachmentPublic] = []


class AssetCore(SQLModel):
    """An asset with what it refers to and its lifecycle facts: the list's items."""

    tag: str
    serial: str | None
    category: str
    model: str
    manufacturer: str
    owner: str
    business_unit: str | None
    # What the business unit is invoiced for it each quarter.
    service_object: str | None = None
    location: str | None
    holder: str | None
    status: str
    disposal_kind: str | None
    # The asset ledger's: the day a disposed device left, and what a sale brought.
    disposed_on: dt.date | None = None
    proceeds_sek: Decimal | None = None
    purchase_date: dt.date
    in_service_date: dt.date | None
    price_sek: Decimal
    depreciation_months: int
    warranty_end: dt.date | None
    supplier: str | None
    order_ref: str | None
    hostname: str | None
    mac: str | None
    ip: str | None
    imei: str | None
    notes: str = ""
    # What device management last reported (Intune, Google Admin imports).
    os_version: str | None = None
    mdm_user: str | None = None
    mdm_seen_on: dt.date | None = None
    version: int
    updated_at: dt.datetime
    end_of_support: dt.date | None
    age_years: float
    book_value_sek: Decimal
    # An investment (carries a book value in the accounts) or an expense, by the owner's
    # capitalisation rule; why, in words, in capitalisation_reason.
    capitalised: bool = False
    capitalisation_reason: str = ""
    depreciation_end: dt.date
    due_date: dt.date
    flags: list[str]
    reasons: list[str]


class AssetPublic(AssetCore):
    """One asset, as GET /assets/{tag} gives it: with its latest assessment and earlier tags."""

    assessment: AssessmentPublic | None = None
    # Earlier tags whose printed labels still lead here, oldest first.
    aliases: list[str] = []
