"""Reference data kept by admins: category periods, models, sites, locations, business units.

Categories and models are shared by every owner; sites, locations and business units are
listed and opened within the actor's owner scope (services/scope.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain.assets import check_depreciation_months
from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..imports.end_of_support_csv import SupportEnd
from ..models import (
    Asset,
    AssetEvent,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    User,
)
from . import audit, clock, flags, scope, service_objects
from .access import require_role, require_unscoped_admin
from .catalog import location_name

# An argument left out: the value stays as it is.
KEEP = object()

Row = TypeVar("Row")

# --- reading: lists and lookups, within the actor's scope --------------------------------


def list_categories(session: Session, *, actor: User) -> list[Category]:
    """Shared by every owner: no scope."""
    require_role(actor, Role.VIEWER)
    return list(session.exec(select(Category).order_by(col(Category.name))))


def get_category(session: Session, *, actor: User, category_id: int) -> Category:
    require_role(actor, Role.ADMIN)
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound()
    return category


@dataclass(frozen=True)
class ModelRow:
    model: Model
    manufacturer: str
    category: str


def list_models(session: Session, *, actor: User, role: Role = Role.ADMIN) -> list[ModelRow]:
    """Shared by every owner: no scope. The admin pages list them for editing (`role`);
    the API to every reader."""
    require_role(actor, role)
    rows = session.exec(
        select(Model, Manufacturer.name, Category.name)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .join(Category, col(Category.id) == Model.category_id)
        .order_by(col(Category.name), col(Manufacturer.name), col(Model.name))
    ).all()
    return [ModelRow(model, maker, category) for model, maker, category in rows]


def get_model(session: Session, *, actor: User, model_id: int) -> tuple[Model, str]:
    """The model and its manufacturer's name."""
    require_role(actor, Role.ADMIN)
    row = session.exec(
        select(Model, Manufacturer.name)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .where(Model.id == model_id)
    ).first()
    if row is None:
        raise NotFound()
    return row[0], row[1]


def owner_choices(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """(id, name) of the owners the actor may choose, by name."""
    owners = session.exec(scope.restrict(select(Owner), actor, Owner).order_by(col(Owner.name)))
    return [(o.id, o.name) for o in owners if o.id is not None]


@dataclass(frozen=True)
class SiteRow:
    site: Site
    owner: str  # the owner's name, "" for a site tied to none


def list_sites(session: Session, *, actor: User, role: Role = Role.ADMIN) -> list[SiteRow]:
    require_role(actor, role)
    rows = session.exec(
        scope.restrict(
            select(Site, Owner.name).outerjoin(Owner, col(Owner.id) == Site.owner_id),
            actor,
            Site,
        ).order_by(col(Site.name))
    ).all()
    return [SiteRow(site, owner or "") for site, owner in rows]


def _visible_row(session: Session, actor: User, entity: type[Row], row_id: int) -> Row:
    """One row for an admin page, in the actor's scope: another owner's is answered as a
    missing one."""
    require_role(actor, Role.ADMIN)
    query = scope.restrict(select(entity).where(entity.id == row_id), actor, entity)  # type: ignore[attr-defined]
    found = session.exec(query).first()
    if found is None:
        raise NotFound()
    return found  # type: ignore[no-any-return]


def get_site(session: Session, *, actor: User, site_id: int) -> Site:
    return _visible_row(session, actor, Site, site_id)


@dataclass(frozen=True)
class LocationRow:
    location: Location
    name: str  # "Slottsskolan Hus A A12"


def list_locations(session: Session, *, actor: User, role: Role = Role.ADMIN) -> list[LocationRow]:
    require_role(actor, role)
    rows = session.exec(
        scope.restrict(
            select(Location, Site.name).join(Site, col(Site.id) == Location.site_id), actor, Site
        ).order_by(col(Site.name), col(Location.building), col(Location.room))
    ).all()
    return [LocationRow(loc, location_name(site, loc.building, loc.room)) for loc, site in rows]


def get_location(session: Session, *, actor: User, location_id: int) -> Location:
    return _visible_row(session, actor, Location, location_id)


def site_choices(session: Session, *, actor: User) -> list[tuple[int, str]]:
    rows = session.exec(scope.restrict(select(Site.id, Site.name), actor, Site).order_by(Site.name))
    return [(i, name) for i, name in rows if i is not None]


@dataclass(frozen=True)
class UnitRow:
    unit: BusinessUnit
    owner: str


def list_units(session: Session, *, actor: User, role: Role = Role.ADMIN) -> list[UnitRow]:
    require_role(actor, role)
    rows = session.exec(
        scope.restrict(
            select(BusinessUnit, Owner.name).join(Owner, col(Owner.id) == BusinessUnit.owner_id),
            actor,
            BusinessUnit,
        ).order_by(col(Owner.name), col(BusinessUnit.name))
    ).all()
    return [UnitRow(unit, owner) for unit, owner in rows]


def get_unit(session: Session, *, actor: User, unit_id: int) -> BusinessUnit:
    return _visible_row(session, actor, BusinessUnit, unit_id)


# --- changing ------------------------------------------------------------------------------


def update_category(
    session: Session,
    *,
    actor: User,
    category: Category,
    depreciation_months: int,
    target_lifespan_months: int,
    name: str,
    horizon_months: int | None = None,
    today: dt.date | None = None,
    service_object_id: int | None | object = KEEP,
) -> Category:
    """Change a category. Its lifespan and horizon decide its assets' replacement flags,
    which are recomputed in the same transaction (not left to the nightly job). Its service
    object is what devices registered later belong to unless told otherwise; those already
    registered keep theirs (the asset list sets them for a selection)."""
    require_unscoped_admin(actor)
    if service_object_id is not KEEP:
        assert service_object_id is None or isinstance(service_object_id, int)
        service_objects.check_object(session, service_object_id)
        category.service_object_id = service_object_id
    check_depreciation_months(depreciation_months)
    check_depreciation_months(target_lifespan_months, field="target_lifespan_months")
    if not name.strip():
        raise ValidationFailed({"name": N_("A name is required.")})
    category.name = name.strip()
    category.depreciation_months = depreciation_months
    category.target_lifespan_months = target_lifespan_months
    if horizon_months is not None:
        if not 0 <= horizon_months <= 120:
            raise ValidationFailed({"horizon_months": N_("A horizon is between 0 and 120 months.")})
        category.horizon_months = horizon_months
    session.add(category)
    # A period changes every book value of the category: kept with before and after.
    _audit_row(session, actor, "category", category, category.name)
    flags.refresh(
        session, where=col(Asset.category_id) == category.id, today=today or clock.today()
    )
    session.commit()
    return category


def adopt_lifespans(
    session: Session,
    *,
    actor: User,
    lifespans: dict[str, int],
    today: dt.date,
    now: dt.datetime | None = None,
) -> list[Category]:
    """Make a refresh plan's what-if the rule: each named category's target lifespan, in
    months, in one transaction with its assets' flags recomputed and an audit entry naming
    before and after. Only an admin for all owners: the lifespans are both owners' rules."""
    require_unscoped_admin(actor)
    if not lifespans:
        raise ValidationFailed({"lifespans": N_("No lifespan was changed.")})
    categories = {
        c.slug: c
        for c in session.exec(select(Category).where(col(Category.slug).in_(list(lifespans))))
    }
    errors: dict[str, str] = {}
    for slug, months in lifespans.items():
        if slug not in categories:
            errors[f"lifespan.{slug}"] = N_("Unknown category.")
        else:
            try:
                check_depreciation_months(months, field=f"lifespan.{slug}")
            except ValidationFailed as exc:
                errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    changes = {}
    for slug, months in sorted(lifespans.items()):
        category = categories[slug]
        changes[slug] = [category.target_lifespan_months, months]
        category.target_lifespan_months = months
        session.add(category)
    ids = [c.id for c in categories.values()]
    flags.refresh(session, where=col(Asset.category_id).in_(ids), today=today)
    audit.record(
        session,
        action="lifespans_adopted",
        actor=actor,
        subject=", ".join(sorted(lifespans)),
        details={"target_lifespan_months": changes},
        at=now,
    )
    session.commit()
    return sorted(categories.values(), key=lambda c: c.name)


def save_model(
    session: Session,
    *,
    actor: User,
    model: Model | None,
    manufacturer: str,
    name: str,
    category_id: int,
    standard_price_ore: int | None,
    end_of_support: dt.date | None,
    carbon_kg: Decimal | None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Model:
    """Register or change a model. A model's category is its assets' category: when it
    changes, its assets move with it, each with a history event, in the same transaction.
    Its end of support and its category decide its assets' flags: they are recomputed in
    that transaction too."""
    require_unscoped_admin(actor)
    errors: dict[str, str] = {}
    if not manufacturer.strip():
        errors["manufacturer"] = N_("A manufacturer is required.")
    if not name.strip():
        errors["name"] = N_("A name is required.")
    if session.get(Category, category_id) is None:
        errors["category_id"] = N_("Choose a category from the list.")
    if carbon_kg is not None and not (carbon_kg.is_finite() and 0 <= carbon_kg < 100_000):
        errors["carbon_kg"] = N_("A footprint is between 0 and 100 000 kg CO2e.")
    if errors:
        raise ValidationFailed(errors)
    maker = session.exec(
        select(Manufacturer).where(Manufacturer.name == manufacturer.strip())
    ).first()
    if maker is None:
        maker = Manufacturer(name=manufacturer.strip())
        session.add(maker)
        session.flush()
    if model is not None:
        # Held until the commit: an asset registered meanwhile waits, then sees the new
        # category (PostgreSQL; SQLite has one writer at a time anyway).
        session.refresh(model, with_for_update=True)
    model = model or Model(manufacturer_id=0, category_id=0, name="")
    moved_from = model.category_id if model.id is not None else category_id
    model.manufacturer_id = maker.id  # type: ignore[assignment]
    model.name = name.strip()
    model.category_id = category_id
    model.standard_price_ore = standard_price_ore
    model.end_of_support = end_of_support
    model.carbon_kg = carbon_kg
    session.add(model)
    if moved_from != category_id:
        _move_assets(session, actor, model, moved_from, now or clock.utcnow())
    duplicate = N_("This manufacturer already has a model by that name.")
    _audit_row(
        session, actor, "model", model, f"{maker.name} {model.name}", unique=("name", duplicate)
    )
    flags.refresh(session, where=col(Asset.model_id) == model.id, today=today or clock.today())
    _commit_unique(session, "name", duplicate)
    return model


def _move_assets(
    session: Session, actor: User, model: Model, from_category: int, now: dt.datetime
) -> None:
    # Not flushed here: the model's own change is checked (unique names) at the commit.
    with session.no_autoflush:
        moved = session.scalars(
            update(Asset)
            .where(col(Asset.model_id) == model.id)
            .values(category_id=model.category_id, version=Asset.version + 1, updated_at=now)
            .returning(col(Asset.id)),
            execution_options={"synchronize_session": "fetch"},
        ).all()
        if not moved:
            return
    change = {"category_id": [from_category, model.category_id]}
    session.add_all(
        AssetEvent(asset_id=i, actor_id=actor.id, at=now, action="edit", changes=change)
        for i in moved
        if i is not None
    )


def save_site(
    session: Session,
    *,
    actor: User,
    site: Site | None,
    name: str,
    address: str,
    owner_id: int | None,
) -> Site:
    require_unscoped_admin(actor)
    if not name.strip():
        raise ValidationFailed({"name": N_("A name is required.")})
    if owner_id is not None and session.get(Owner, owner_id) is None:
        raise ValidationFailed({"owner_id": N_("Choose an owner from the list.")})
    site = site or Site(name="")
    site.name, site.address, site.owner_id = name.strip(), address.strip() or None, owner_id
    session.add(site)
    taken = N_("A site by that name already exists.")
    _audit_row(session, actor, "site", site, site.name, unique=("name", taken))
    _commit_unique(session, "name", taken)
    return site


def save_location(
    session: Session,
    *,
    actor: User,
    location: Location | None,
    site_id: int,
    building: str,
    room: str,
    is_server_hall: bool,
    is_it_storage: bool = False,
) -> Location:
    require_unscoped_admin(actor)
    if session.get(Site, site_id) is None:
        raise ValidationFailed({"site_id": N_("Choose a site from the list.")})
    location = location or Location(site_id=site_id)
    location.site_id, location.building, location.room = site_id, building.strip(), room.strip()
    location.is_server_hall = is_server_hall
    location.is_it_storage = is_it_storage
    session.add(location)
    taken = N_("That building and room already exist at the site.")
    place = " ".join(p for p in (location.building, location.room) if p)
    _audit_row(session, actor, "location", location, place, unique=("room", taken))
    _commit_unique(session, "room", taken)
    return location


def save_business_unit(
    session: Session, *, actor: User, unit: BusinessUnit | None, owner_id: int, name: str
) -> BusinessUnit:
    require_role(actor, Role.ADMIN)
    if unit is not None and not scope.owns(actor, unit.owner_id):
        raise NotFound()  # as get_unit: another owner's unit is not revealed
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = N_("A name is required.")
    if session.get(Owner, owner_id) is None:
        errors["owner_id"] = N_("Choose an owner from the list.")
    if not scope.owns(actor, owner_id):
        errors["owner_id"] = N_("You can only make changes for your own municipality.")
    if errors:
        raise ValidationFailed(errors)
    unit = unit or BusinessUnit(owner_id=owner_id, name="")
    unit.owner_id, unit.name = owner_id, name.strip()
    session.add(unit)
    taken = N_("The owner already has a business unit by that name.")
    _audit_row(session, actor, "business_unit", unit, unit.name, unique=("name", taken))
    _commit_unique(session, "name", taken)
    return unit


def _audit_row(
    session: Session,
    actor: User,
    kind: str,
    row: Any,
    subject: str,
    unique: tuple[str, str] | None = None,
) -> None:
    """The audit entry of the row's change, before and after: read before the flush that
    gives a new row its id (a clash of names answered as the commit would)."""
    changes, created = audit.row_changes(row), row.id is None
    if unique is not None:
        _flush_unique(session, *unique)
    else:
        session.flush()
    audit.record_row(session, actor=actor, kind=kind, row=row, changes=changes,
                     created=created, subject=subject)  # fmt: skip


def _flush_unique(session: Session, field: str, message: str) -> None:
    """Flush now, answering a unique constraint as _commit_unique does."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ValidationFailed({field: message}) from None


def _commit_unique(session: Session, field: str, message: str) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationFailed({field: message}) from None


@dataclass(frozen=True)
class SupportEndReport:
    updated: int
    unchanged: int
    unknown: list[str]


def apply_end_of_support(
    session: Session,
    *,
    rows: Sequence[SupportEnd],
    actor: User | None = None,
    today: dt.date | None = None,
) -> SupportEndReport:
    """Set the models' end-of-support dates, all or nothing, with the flags of the changed
    models' assets recomputed in the same transaction. Rows naming no model of ours are
    reported, not created. `actor` is None only for the command line."""
    if actor is not None:
        require_unscoped_admin(actor)
    models = {
        (maker.lower(), model.name.lower()): model
        for model, maker in session.exec(
            select(Model, Manufacturer.name).join(
                Manufacturer,
                col(Manufacturer.id) == Model.manufacturer_id,
            )
        )
    }
    updated = unchanged = 0
    changed: list[int] = []
    unknown: list[str] = []
    for row in rows:
        model = models.get((row.manufacturer.lower(), row.model.lower()))
        if model is None:
            unknown.append(f"{row.manufacturer} {row.model}")
        elif model.end_of_support == row.end_of_support:
            unchanged += 1
        else:
            model.end_of_support = row.end_of_support
            session.add(model)
            assert model.id is not None
            changed.append(model.id)
            updated += 1
            # As a change on the models page is: in the audit log with before and after.
            audit.record_row(session, actor=actor, kind="model", row=model,
                             changes=audit.row_changes(model), created=False,
                             subject=f"{row.manufacturer} {model.name}")  # fmt: skip
    if changed:
        session.flush()
        flags.refresh(session, where=col(Asset.model_id).in_(changed), today=today or clock.today())
    session.commit()
    return SupportEndReport(updated=updated, unchanged=unchanged, unknown=unknown)
