"""Names for ids: what an asset's references are called, for pages, history and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from ..models import (
    Asset,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    User,
)
from .assets import HistoryEntry


@dataclass(frozen=True)
class AssetDetails:
    model: str
    manufacturer: str
    category: Category
    owner: Owner
    business_unit: str | None
    location: str | None


def location_name(site: Site, location: Location) -> str:
    return " ".join(f"{site.name} {location.building} {location.room}".split())


def asset_details(session: Session, *, asset: Asset) -> AssetDetails:
    model = session.get(Model, asset.model_id)
    maker = session.get(Manufacturer, model.manufacturer_id) if model else None
    category = session.get(Category, asset.category_id)
    owner = session.get(Owner, asset.owner_id)
    assert model and maker and category and owner, "foreign keys guarantee these"
    unit = session.get(BusinessUnit, asset.business_unit_id) if asset.business_unit_id else None
    place = None
    if asset.location_id:
        location = session.get(Location, asset.location_id)
        site = session.get(Site, location.site_id) if location else None
        place = location_name(site, location) if site and location else None
    return AssetDetails(
        model=model.name,
        manufacturer=maker.name,
        category=category,
        owner=owner,
        business_unit=unit.name if unit else None,
        location=place,
    )


# Which table names each id field of the history.
_REFERENCE_FIELDS: dict[str, Any] = {
    "model_id": Model,
    "category_id": Category,
    "owner_id": Owner,
    "business_unit_id": BusinessUnit,
    "location_id": Location,
}


def history_labels(session: Session, history: list[HistoryEntry]) -> dict[tuple[str, Any], str]:
    """(field, id) -> name for every id that appears in the history: one query per table."""
    wanted: dict[str, set[int]] = {}
    for entry in history:
        for field, values in entry.changes.items():
            if field in _REFERENCE_FIELDS:
                wanted.setdefault(field, set()).update(v for v in values if isinstance(v, int))
    labels: dict[tuple[str, Any], str] = {}
    for field, ids in wanted.items():
        table = _REFERENCE_FIELDS[field]
        if table is Location:
            rows = session.exec(
                select(Location, Site)
                .join(Site, Site.id == Location.site_id)  # type: ignore[arg-type]
                .where(Location.id.in_(ids))  # type: ignore[union-attr]
            ).all()
            labels.update({(field, loc.id): location_name(site, loc) for loc, site in rows})
        else:
            for row in session.exec(select(table).where(table.id.in_(ids))).all():
                labels[(field, row.id)] = row.name
    return labels


@dataclass(frozen=True)
class FormChoices:
    models: list[tuple[int, str]]
    owners: list[tuple[int, str]]
    units: list[tuple[int, str]]
    locations: list[tuple[int, str]]


def asset_form_choices(session: Session, *, actor: User) -> FormChoices:
    models = session.exec(
        select(Model.id, Manufacturer.name, Model.name, Category.name)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)  # type: ignore[arg-type]
        .join(Category, Category.id == Model.category_id)  # type: ignore[arg-type]
        .order_by(Category.name, Manufacturer.name, Model.name)
    ).all()
    owners = session.exec(select(Owner).order_by(Owner.name)).all()
    units = session.exec(
        select(BusinessUnit, Owner.name)
        .join(Owner, Owner.id == BusinessUnit.owner_id)  # type: ignore[arg-type]
        .order_by(Owner.name, BusinessUnit.name)
    ).all()
    if actor.owner_id is not None:
        owners = [o for o in owners if o.id == actor.owner_id]
        units = [(u, n) for u, n in units if u.owner_id == actor.owner_id]
    locations = session.exec(
        select(Location, Site)
        .join(Site, Site.id == Location.site_id)  # type: ignore[arg-type]
        .order_by(Site.name, Location.building, Location.room)
    ).all()
    return FormChoices(
        models=[(i, f"{cat}: {maker} {name}") for i, maker, name, cat in models],  # type: ignore[misc]
        owners=[(o.id, o.name) for o in owners],  # type: ignore[misc]
        units=[(u.id, f"{owner} – {u.name}") for u, owner in units],  # type: ignore[misc]
        locations=[(loc.id, location_name(site, loc)) for loc, site in locations],  # type: ignore[misc]
    )
