"""The asset list: filters, free-text search, sorting and pagination, set-based and indexed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..domain.errors import ValidationFailed
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import (
    Asset,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    User,
)
from .access import asset_scope

SORTS: dict[str, Any] = {
    "tag": col(Asset.tag).asc(),
    "-tag": col(Asset.tag).desc(),
    "purchase_date": col(Asset.purchase_date).asc(),
    "-purchase_date": col(Asset.purchase_date).desc(),
    "price": col(Asset.price_ore).asc(),
    "-price": col(Asset.price_ore).desc(),
    "updated": col(Asset.updated_at).asc(),
    "-updated": col(Asset.updated_at).desc(),
}
MAX_PER_PAGE = 200
MAX_QUERY = 100
# The trigram index answers substrings of three characters or more.
MIN_INDEXED_QUERY = 3


@dataclass(frozen=True)
class AssetFilter:
    owner: str | None = None
    category: str | None = None
    status: str | None = None
    location_id: int | None = None
    business_unit_id: int | None = None
    q: str = ""
    sort: str = "tag"
    page: int = 1
    per_page: int = 50

    def with_page(self, page: int) -> AssetFilter:
        return replace(self, page=page)


def parse_filter(args: dict[str, str]) -> AssetFilter:
    """Query-string values to a filter; anything malformed is a clear field error."""
    errors: dict[str, str] = {}

    def number(name: str, default: int | None, low: int, high: int) -> int | None:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not low <= int(raw) <= high:
            errors[name] = N_("Must be a whole number in range.")
            return default
        return int(raw)

    status = (args.get("status") or "").strip() or None
    if status is not None and status not in {s.value for s in Status}:
        errors["status"] = N_("Unknown status.")
    sort = (args.get("sort") or "tag").strip()
    if sort not in SORTS:
        errors["sort"] = N_("Unknown sort order.")
    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        errors["q"] = N_("The search text is too long (at most 100 characters).")
    result = AssetFilter(
        owner=(args.get("owner") or "").strip() or None,
        category=(args.get("category") or "").strip() or None,
        status=status,
        location_id=number("location", None, 1, 2**31),
        business_unit_id=number("unit", None, 1, 2**31),
        q=q,
        sort=sort,
        page=number("page", 1, 1, 100_000) or 1,
        per_page=number("per_page", 50, 1, MAX_PER_PAGE) or 50,
    )
    if errors:
        raise ValidationFailed(errors)
    return result


@dataclass(frozen=True)
class AssetRow:
    tag: str
    serial: str | None
    status: Status
    holder: str | None
    purchase_date: dt.date
    price_ore: int
    model: str
    manufacturer: str
    category: str
    owner: str
    owner_slug: str
    location: str | None


@dataclass
class Page:
    items: list[AssetRow]
    total: int
    filter: AssetFilter
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.filter.per_page))


def conditions(session: Session, actor: User, flt: AssetFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [asset_scope(actor)]
    errors: dict[str, str] = {}
    if flt.owner:
        owner_id = session.exec(select(Owner.id).where(Owner.slug == flt.owner)).first()
        if owner_id is None:
            errors["owner"] = N_("Unknown owner.")
        where.append(col(Asset.owner_id) == owner_id)
    if flt.category:
        category_id = session.exec(select(Category.id).where(Category.slug == flt.category)).first()
        if category_id is None:
            errors["category"] = N_("Unknown category.")
        where.append(col(Asset.category_id) == category_id)
    if errors:
        raise ValidationFailed(errors)
    if flt.status:
        where.append(col(Asset.status) == flt.status)
    if flt.location_id:
        where.append(col(Asset.location_id) == flt.location_id)
    if flt.business_unit_id:
        where.append(col(Asset.business_unit_id) == flt.business_unit_id)
    if flt.q:
        where.append(search_condition(session, flt.q))
    return where


def search_condition(session: Session, q: str) -> ColumnElement[bool]:
    """Substring search on tag, serial, holder, model and hostname, through the database's
    trigram index: SQLite FTS5 (tokenize=trigram) or PostgreSQL pg_trgm."""
    needle = q.strip().lower()
    if len(needle) < MIN_INDEXED_QUERY:
        # Too short for trigrams: match tags and serials from their start only.
        return or_(
            col(Asset.tag).like(needle.upper() + "%"),
            col(Asset.serial).like(needle + "%"),
        )
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # Models are few (a few hundred rows): match their names directly.
    models = (
        select(Model.id)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)  # type: ignore[arg-type]
        .where(func.lower(Manufacturer.name + " " + Model.name).like(pattern, escape="\\"))
    )
    by_model = col(Asset.model_id).in_(models)
    if session.get_bind().dialect.name == "sqlite":
        phrase = '"' + needle.replace('"', '""') + '"'
        ids = text("SELECT rowid FROM asset_fts WHERE asset_fts MATCH :phrase").bindparams(
            phrase=phrase
        )
        return or_(col(Asset.id).in_(ids.columns(literal_column("rowid"))), by_model)
    return or_(col(Asset.search_text).like(pattern, escape="\\"), by_model)


def list_assets(session: Session, *, actor: User, flt: AssetFilter) -> Page:
    where = and_(*conditions(session, actor, flt))
    total = session.exec(select(func.count()).select_from(Asset).where(where)).one()
    place = func.coalesce(Site.name + " " + Location.building + " " + Location.room, Site.name)
    stmt = (
        sa_select(  # type: ignore[call-overload]
            Asset.tag,
            Asset.serial,
            Asset.status,
            Asset.holder,
            Asset.purchase_date,
            Asset.price_ore,
            Model.name,
            Manufacturer.name,
            Category.slug,
            Owner.name,
            Owner.slug,
            place,
        )
        .join(Model, Model.id == Asset.model_id)  # type: ignore[arg-type]
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)  # type: ignore[arg-type]
        .join(Category, Category.id == Asset.category_id)  # type: ignore[arg-type]
        .join(Owner, Owner.id == Asset.owner_id)  # type: ignore[arg-type]
        .join(Location, Location.id == Asset.location_id, isouter=True)  # type: ignore[arg-type]
        .join(Site, Site.id == Location.site_id, isouter=True)  # type: ignore[arg-type]
        .where(where)
        .order_by(SORTS[flt.sort], col(Asset.id))
        .offset((flt.page - 1) * flt.per_page)
        .limit(flt.per_page)
    )
    items = [
        AssetRow(
            r[0],
            r[1],
            Status(r[2]),
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            " ".join(r[11].split()) if r[11] else None,
        )
        for r in session.execute(stmt).all()
    ]
    return Page(items=items, total=total, filter=flt)


def filter_choices(session: Session, *, actor: User) -> dict[str, list[tuple[str, str]]]:
    """What the list's filter menus offer (small reference tables)."""
    from .catalog import asset_form_choices

    common = asset_form_choices(session, actor=actor)
    owners = session.exec(select(Owner).order_by(Owner.name)).all()
    return {
        "owner": [(o.slug, o.name) for o in owners if actor.owner_id in (None, o.id)],
        "category": [
            (c.slug, c.name) for c in session.exec(select(Category).order_by(Category.name))
        ],
        "status": [(s.value, s.label) for s in Status],
        "location": [(str(i), name) for i, name in common.locations],
        "unit": [(str(i), name) for i, name in common.units],
    }
