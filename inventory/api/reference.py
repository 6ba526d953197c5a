"""The API's reference data: owners, manufacturers, models, sites, locations, business units
and service objects, each with the id the asset fields take. Scoped users see their owner's
sites, places and units, and what is shared."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from .. import db
from ..domain.roles import Role
from ..models import Manufacturer
from ..services import reference, scope, service_objects
from ..services.reference_cache import reference_names
from ..web.access import requires
from ..web.helpers import signed_in
from . import bp
from .bodies import LocationList, ModelList, NamedList, OwnerList, SiteList, UnitList
from .spec import documented


@bp.route("/owners")
@requires(Role.VIEWER)
@documented("GET", "/owners", summary="The owners (municipalities, joint property, companies)",
            tag="Reference", role=Role.VIEWER, response=OwnerList)  # fmt: skip
def owners() -> dict[str, Any]:
    s = db.session()
    user = signed_in()
    from ..models import Owner

    rows = s.exec(select(Owner).order_by(Owner.name)).all()
    return {
        "items": [
            {"slug": o.slug, "name": o.name, "kind": o.kind, "leaves_on": o.leaves_on}
            for o in rows
            if scope.owns(user, o.id)
        ]
    }


@bp.route("/manufacturers")
@requires(Role.VIEWER)
@documented("GET", "/manufacturers", summary="The manufacturers", tag="Reference",
            role=Role.VIEWER, response=NamedList)  # fmt: skip
def manufacturers() -> dict[str, Any]:
    rows = db.session().exec(select(Manufacturer).order_by(Manufacturer.name)).all()
    return {"items": [{"id": m.id, "name": m.name} for m in rows]}


@bp.route("/models")
@requires(Role.VIEWER)
@documented("GET", "/models", summary="The models, with their category and end of support",
            tag="Reference", role=Role.VIEWER, response=ModelList)  # fmt: skip
def models() -> dict[str, Any]:
    rows = reference.list_models(db.session(), actor=signed_in(), role=Role.VIEWER)
    slugs = {c.name: c.slug for c in reference_names(db.session()).categories}
    return {
        "items": [
            {"id": r.model.id, "manufacturer": r.manufacturer, "name": r.model.name,
             "category": slugs.get(r.category, r.category),
             "end_of_support": r.model.end_of_support}
            for r in rows
        ]
    }  # fmt: skip


@bp.route("/sites")
@requires(Role.VIEWER)
@documented("GET", "/sites", summary="The sites", tag="Reference", role=Role.VIEWER,
            response=SiteList)  # fmt: skip
def sites() -> dict[str, Any]:
    rows = reference.list_sites(db.session(), actor=signed_in(), role=Role.VIEWER)
    return {
        "items": [{"id": r.site.id, "name": r.site.name, "owner": r.owner or None} for r in rows]
    }


@bp.route("/locations")
@requires(Role.VIEWER)
@documented("GET", "/locations", summary="The places assets are at", tag="Reference",
            role=Role.VIEWER, response=LocationList)  # fmt: skip
def locations() -> dict[str, Any]:
    rows = reference.list_locations(db.session(), actor=signed_in(), role=Role.VIEWER)
    names = {s.id: s.name for s in reference_names(db.session()).sites}
    return {
        "items": [
            {"id": r.location.id, "site_id": r.location.site_id,
             "site": names.get(r.location.site_id, ""), "building": r.location.building,
             "room": r.location.room, "name": r.name}
            for r in rows
        ]
    }  # fmt: skip


@bp.route("/business-units")
@requires(Role.VIEWER)
@documented("GET", "/business-units", summary="The business units of each owner",
            tag="Reference", role=Role.VIEWER, response=UnitList)  # fmt: skip
def business_units() -> dict[str, Any]:
    rows = reference.list_units(db.session(), actor=signed_in(), role=Role.VIEWER)
    return {"items": [{"id": r.unit.id, "owner": r.owner, "name": r.unit.name} for r in rows]}


@bp.route("/service-objects")
@requires(Role.VIEWER)
@documented("GET", "/service-objects", summary="The service objects devices are invoiced as",
            tag="Reference", role=Role.VIEWER, response=NamedList)  # fmt: skip
def service_object_list() -> dict[str, Any]:
    return {"items": [{"id": o.id, "name": o.name} for o in service_objects.ordered(db.session())]}
