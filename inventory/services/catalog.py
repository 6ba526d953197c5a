"""Names for ids: what an asset's references are called, for pages, history and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ..domain.assets import lookup_tag, next_in_series
from ..domain.capitalisation import Decision
from ..domain.field_actions import Storage, return_place
from ..domain.lifecycle import LifecycleFacts
from ..domain.ordering import in_swedish_order
from ..domain.roles import Role
from ..models import (
    Assessment,
    Asset,
    AssetEvent,
    AssetTagAlias,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    ServiceObject,
    Site,
    User,
)
from . import attachments, capitalisation, scope, tag_aliases
from .access import asset_not_found, check_scope, require_role
from .assets import HistoryEntry
from .flags import facts_for
from .support import SUPPORT_END


@dataclass(frozen=True)
class AssetDetails:
    model: str
    manufacturer: str
    category_slug: str
    category_name: str
    target_lifespan_months: int
    horizon_months: int
    end_of_support: dt.date | None
    owner_slug: str
    owner_name: str
    business_unit: str | None
    location: str | None
    service_object: str | None = None
    # Investment or expense by the owner's rule (services/capitalisation.py), from the same
    # query: the rule, the purchase year's prisbasbelopp, the purchase order's total.
    capitalisation: Decision | None = None


def location_name(site: str, building: str, room: str) -> str:
    """'Slottsskolan Hus A A12': how people name a place."""
    return " ".join(f"{site} {building} {room}".split())


def with_names(stmt: Any) -> Any:
    """The joins that name an asset's model, maker, category, owner and place (the place
    may be missing)."""
    return (
        stmt.join(Model, Model.id == Asset.model_id)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)
        .join(Category, Category.id == Asset.category_id)
        .join(Owner, Owner.id == Asset.owner_id)
        .outerjoin(Location, Location.id == Asset.location_id)
        .outerjoin(Site, Site.id == Location.site_id)
    )


# Built once: constructing an eight-table join costs more than running it.
_ASSET_WITH_NAMES = (
    with_names(
        select(  # type: ignore[call-overload]
            Asset,
            Model.name,
            Manufacturer.name,
            Category.slug,
            Category.name,
            Category.target_lifespan_months,
            Category.horizon_months,
            SUPPORT_END,
            Owner.slug,
            Owner.name,
            BusinessUnit.name,
            Site.name,
            Location.building,
            Location.room,
            ServiceObject.name,
            *capitalisation.RULE_COLUMNS,
        )
    )
    .outerjoin(BusinessUnit, BusinessUnit.id == Asset.business_unit_id)
    .outerjoin(ServiceObject, col(ServiceObject.id) == Asset.service_object_id)
)
# Every asset with its names, for the API's list (assets_for_api) ...
_ASSETS_WITH_NAMES = _ASSET_WITH_NAMES
# ... and one, by its tag.
_ASSET_WITH_NAMES = _ASSETS_WITH_NAMES.where(Asset.tag == bindparam("tag"))


def get_asset_with_details(
    session: Session, *, actor: User, tag: str
) -> tuple[Asset, AssetDetails]:
    """The asset, loaded into the session to be changed, and everything it refers to, in
    one query."""
    require_role(actor, Role.VIEWER)
    wanted = lookup_tag(tag)
    row = session.exec(_ASSET_WITH_NAMES, params={"tag": wanted}).first() if wanted else None
    if row is None and wanted and (current := tag_aliases.tag_for_alias(session, wanted)):
        # labels: an earlier tag answers its asset (scope is checked below as for any tag)
        row = session.exec(_ASSET_WITH_NAMES, params={"tag": current}).first()
    if row is None:
        raise asset_not_found(tag)
    asset = row[0]
    check_scope(actor, asset, requested=tag)
    return asset, _details(row[1:], asset)


# The same query through Core, for reading only.
_ASSET_COLUMNS = tuple(Asset.__table__.c)  # type: ignore[attr-defined]
_ASSET_KEYS = tuple(c.key for c in _ASSET_COLUMNS)
_ASSET_ROW_WITH_NAMES = _ASSET_WITH_NAMES.with_only_columns(
    *_ASSET_COLUMNS, *list(_ASSET_WITH_NAMES.selected_columns)[len(_ASSET_COLUMNS) :]
)
_ASSET_ROWS_WITH_NAMES = _ASSETS_WITH_NAMES.with_only_columns(
    *_ASSET_COLUMNS, *list(_ASSETS_WITH_NAMES.selected_columns)[len(_ASSET_COLUMNS) :]
)


# The API lookup's statement: the same, with the asset's earlier tags joined on (labels):
# one row for an asset never renamed, one per earlier tag, oldest first, otherwise.
_ASSET_ROW_WITH_ALIASES = (
    _ASSET_ROW_WITH_NAMES.add_columns(AssetTagAlias.tag)
    .outerjoin(AssetTagAlias, col(AssetTagAlias.asset_id) == Asset.id)
    .order_by(col(AssetTagAlias.created_at), col(AssetTagAlias.id))
)


# The API lookup's statement with the asset's latest reuse assessment (and who made it)
# joined on too, so that the lookup stays one query.
_ASSESSOR = aliased(User)
_LATEST_ASSESSMENT_ID = (
    select(Assessment.id)
    .where(col(Assessment.asset_id) == Asset.id)
    .order_by(col(Assessment.assessed_at).desc(), col(Assessment.id).desc())
    .limit(1)
    .correlate(Asset)
    .scalar_subquery()
)
ASSESSMENT_KEYS = (
    "assessed_at", "assessed_by", "grade", "battery_health", "wiped", "wipe_method",
    "wiped_on", "wiped_by", "decision", "recycler", "certificate", "reason",
)  # fmt: skip
_API_ASSET = (
    _ASSET_ROW_WITH_ALIASES.add_columns(
        Assessment.assessed_at,
        _ASSESSOR.email,
        *(getattr(Assessment, key) for key in ASSESSMENT_KEYS[2:]),
        Assessment.id,
        attachments.has_files_clause().label("has_files"),
    )
    .outerjoin(Assessment, col(Assessment.id) == _LATEST_ASSESSMENT_ID)
    .outerjoin(_ASSESSOR, col(_ASSESSOR.id) == Assessment.assessed_by)
)


def read_asset_for_api(
    session: Session, *, actor: User, tag: str
) -> tuple[Asset, AssetDetails, list[str], dict[str, Any] | None]:
    """The asset, everything it refers to, its earlier tags (oldest first) and its latest
    reuse assessment (ASSESSMENT_KEYS and "attachments", its files' AttachmentInfo; None
    when never assessed), for showing: the API
    lookup, one of the hottest paths of the app, in one query. The asset is a plain copy of
    its row, not attached to the session: loading it through the ORM cost a third of the
    page. An earlier tag finds its asset too."""
    require_role(actor, Role.VIEWER)
    wanted = lookup_tag(tag)
    run = session.connection().execute
    rows = run(_API_ASSET, {"tag": wanted}).all() if wanted else []
    if not rows and wanted and (current := tag_aliases.tag_for_alias(session, wanted)):
        # labels: an earlier tag answers its asset (scope is checked below as for any tag)
        rows = run(_API_ASSET, {"tag": current}).all()
    if not rows:
        raise asset_not_found(tag)
    count, first = len(_ASSET_KEYS), rows[0]
    asset = Asset.model_construct(**dict(zip(_ASSET_KEYS, first[:count], strict=True)))
    check_scope(actor, asset, requested=tag)
    # After the names: the earlier tag, the assessment's keys, its id and whether it has files.
    alias_at = len(first) - len(ASSESSMENT_KEYS) - 3
    aliases = [row[alias_at] for row in rows if row[alias_at] is not None]
    latest = first[alias_at + 1 : alias_at + 1 + len(ASSESSMENT_KEYS)]
    assessment_id, has_files = first[-2], first[-1]
    assessment: dict[str, Any] | None = None
    if latest[0]:
        assessment = dict(zip(ASSESSMENT_KEYS, latest, strict=True))
        # A second query only for an assessment with files: nearly all have none.
        assessment["attachments"] = (
            attachments.of_assessment(session, assessment_id) if has_files else []
        )
    return asset, _details(first[count:alias_at], asset), aliases, assessment


# The asset page's query: the same, with the asset's history joined on, newest first. One
# row per event (every asset has at least its registration); the asset's columns repeat.
_ASSET_PAGE = (
    _ASSET_ROW_WITH_NAMES.add_columns(
        AssetEvent.at,
        AssetEvent.action,
        User.email,
        AssetEvent.changes,
        AssetEvent.comment,
        AssetEvent.import_id,
    )
    .outerjoin(AssetEvent, col(AssetEvent.asset_id) == Asset.id)
    .outerjoin(User, col(User.id) == AssetEvent.actor_id)
    .order_by(col(AssetEvent.at).desc(), col(AssetEvent.id).desc())
)
_EVENT_COLUMNS_START = len(_ASSET_ROW_WITH_NAMES.selected_columns)


def read_asset_page(
    session: Session, *, actor: User, tag: str
) -> tuple[Asset, AssetDetails, list[HistoryEntry]]:
    """read_asset_for_api without the assessment, and with the asset's history, newest
    first, in one query: the
    asset page's, the most visited page."""
    require_role(actor, Role.VIEWER)
    wanted = lookup_tag(tag)
    rows = session.connection().execute(_ASSET_PAGE, {"tag": wanted}).all() if wanted else []
    if not rows:
        raise asset_not_found(tag)
    count, events = len(_ASSET_KEYS), _EVENT_COLUMNS_START
    first = rows[0]
    asset = Asset.model_construct(**dict(zip(_ASSET_KEYS, first[:count], strict=True)))
    check_scope(actor, asset, requested=tag)
    history = [
        # No user: the page names the system, in the reader's language.
        HistoryEntry(at, action, email or "", changes, comment, import_id)
        for at, action, email, changes, comment, import_id in (row[events:] for row in rows)
        if at is not None  # an asset without events (none is registered so) has one row
    ]
    return asset, _details(first[count:events], asset), history


def last_assessment(history: list[HistoryEntry]) -> HistoryEntry | None:
    """The newest assessment in a history (newest first): its event holds every field the
    assessment recorded, so the asset page shows it without another query."""
    return next((entry for entry in history if entry.action == "assessment"), None)


def _details(names: Any, asset: Asset) -> AssetDetails:
    model, maker, category_slug, category_name, lifespan, horizon, end_of_support = names[:7]
    owner_slug, owner_name, unit, site, building, room = names[7:13]
    return AssetDetails(
        model=model,
        manufacturer=maker,
        category_slug=category_slug,
        category_name=category_name,
        target_lifespan_months=lifespan,
        horizon_months=horizon,
        end_of_support=end_of_support,
        owner_slug=owner_slug,
        owner_name=owner_name,
        business_unit=unit,
        location=location_name(site, building, room) if site else None,
        service_object=names[13],
        capitalisation=capitalisation.decide_from_row(asset, names[14:]),
    )


# Which table names each id field of the history.
_REFERENCE_FIELDS: dict[str, Any] = {
    "model_id": Model,
    "category_id": Category,
    "owner_id": Owner,
    "business_unit_id": BusinessUnit,
    "location_id": Location,
    "service_object_id": ServiceObject,
}


def history_labels(
    session: Session, history: Sequence[HistoryEntry], *, with_registrations: bool = False
) -> dict[tuple[str, Any], str]:
    """(field, id) -> name for every id that appears in the history: one query per table.
    The asset page shows what a registration set through the asset itself, so its ids are
    named only `with_registrations` (for a history written out in full)."""
    wanted: dict[str, set[int]] = {}
    for entry in history:
        if entry.action == "create" and not with_registrations:
            continue
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
            labels.update(
                {
                    (field, loc.id): location_name(site.name, loc.building, loc.room)
                    for loc, site in rows
                }
            )
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
    service_objects: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    # model id -> its category's name: the form shows it when a model is chosen.
    model_categories: dict[int, str] = dataclasses.field(default_factory=dict)


def asset_form_choices(session: Session, *, actor: User) -> FormChoices:
    models = session.exec(
        select(Model.id, Manufacturer.name, Model.name, Category.name)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)  # type: ignore[arg-type]
        .join(Category, Category.id == Model.category_id)  # type: ignore[arg-type]
        .order_by(Category.name, Manufacturer.name, Model.name)
    ).all()
    owners = session.exec(scope.restrict(select(Owner), actor, Owner).order_by(Owner.name)).all()
    units = session.exec(
        scope.restrict(
            select(BusinessUnit, Owner.name).join(
                Owner,
                Owner.id == BusinessUnit.owner_id,  # type: ignore[arg-type]
            ),
            actor,
            BusinessUnit,
        ).order_by(Owner.name, BusinessUnit.name)
    ).all()
    return FormChoices(
        models=in_swedish_order([(i, f"{cat}: {maker} {name}") for i, maker, name, cat in models]),  # type: ignore[misc]
        owners=[(o.id, o.name) for o in owners],  # type: ignore[misc]
        units=in_swedish_order([(u.id, f"{owner} – {u.name}") for u, owner in units]),  # type: ignore[misc]
        locations=location_choices(session, actor=actor),
        service_objects=[
            (o.id, o.name)  # type: ignore[misc]
            for o in session.exec(
                select(ServiceObject).order_by(col(ServiceObject.position), col(ServiceObject.name))
            )
        ],
        model_categories={i: cat for i, _maker, _name, cat in models},  # type: ignore[misc]
    )


def location_choices(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """(id, "Slottsskolan Hus A A12") of the rooms the actor may place assets in."""
    rows = session.exec(
        scope.restrict(
            select(Location.id, Site.name, Location.building, Location.room).join(
                Site,
                Site.id == Location.site_id,  # type: ignore[arg-type]
            ),
            actor,
            Site,
        ).order_by(Site.name, Location.building, Location.room)
    ).all()
    # Klassrum 2 before Klassrum 10, Åkerboskolan after Vickleby: as people read them.
    return in_swedish_order(  # type: ignore[return-value]
        [(i, location_name(site, building, room)) for i, site, building, room in rows]  # type: ignore[misc]
    )


def lifecycle_facts(asset: Asset, details: AssetDetails, *, today: dt.date) -> LifecycleFacts:
    """Age, book value, due date and flags of an asset on `today`."""
    return facts_for(
        asset,
        target_lifespan_months=details.target_lifespan_months,
        horizon_months=details.horizon_months,
        end_of_support=details.end_of_support,
        today=today,
    )


def next_free_tags(session: Session, *, actor: User) -> dict[int, str]:
    """For each owner the actor may register assets for, the tag after the highest one in the
    series of that owner's latest asset ("IT-010234" → "IT-010235"), skipping tags in use or
    kept as an earlier tag of a relabelled asset. An owner with no asset yet gets none."""
    series: dict[int, tuple[str, int, int]] = {}
    for owner_id in session.exec(scope.restrict(select(Owner.id), actor, Owner)).all():
        latest = session.exec(
            select(Asset.tag).where(Asset.owner_id == owner_id).order_by(col(Asset.id).desc())
        ).first()
        found = next_in_series(latest)
        if found is not None and owner_id is not None:
            series[owner_id] = found
    # Owners usually share one series (the demo's IT-nnnnnn): look each up once.
    free = {key: _next_free(session, *key) for key in {(p, w) for p, w, _ in series.values()}}
    return {owner_id: free[(p, w)] for owner_id, (p, w, _) in series.items() if free[(p, w)]}


def _next_free(session: Session, prefix: str, width: int) -> str:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite compares text byte by byte: a range on the tag index finds the series.
        in_series = and_(
            col(Asset.tag) >= prefix, col(Asset.tag) < prefix[:-1] + chr(ord(prefix[-1]) + 1)
        )
    else:
        # PostgreSQL may sort by a locale's rules (sv_SE ignores hyphens at first): LIKE.
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        in_series = col(Asset.tag).like(escaped + "%", escape="\\")
    highest = session.exec(
        select(func.max(Asset.tag)).where(in_series, func.length(Asset.tag) == len(prefix) + width)
    ).one()
    number = (next_in_series(highest) or (prefix, width, 1))[2]
    for _ in range(50):
        tag = f"{prefix}{number:0{width}d}"
        taken = session.exec(select(Asset.id).where(Asset.tag == tag)).first() or (
            session.exec(select(AssetTagAlias.id).where(AssetTagAlias.tag == tag)).first()
        )
        if not taken:
            return tag
        number += 1
    return ""


def return_place_for(session: Session, *, actor: User, asset: Asset) -> int | None:
    """The IT storage a device taken back most likely goes to (domain.field_actions)."""
    stores = session.exec(
        scope.restrict(
            select(Location.id, Location.site_id, Site.owner_id)
            .join(Site, Site.id == Location.site_id)  # type: ignore[arg-type]
            .where(col(Location.is_it_storage))
            .order_by(col(Location.id)),
            actor,
            Site,
        )
    ).all()
    asset_site = (
        session.exec(select(Location.site_id).where(Location.id == asset.location_id)).first()
        if asset.location_id is not None
        else None
    )
    return return_place(
        [Storage(*row) for row in stores],
        asset_site_id=asset_site,
        asset_owner_id=asset.owner_id,
        technician_owner_id=actor.owner_id,
    )


@dataclass(frozen=True)
class ApiPage:
    rows: list[tuple[Asset, AssetDetails]]
    total: int | None  # counted for numbered pages only
    more: bool  # a cursor walk has rows after these


def assets_for_api(
    session: Session,
    *,
    actor: User,
    flt: Any,
    updated_since: dt.datetime | None,
    after_id: int | None,
    page: int,
    per_page: int,
) -> ApiPage:
    """The API's list: each asset with what it refers to, as the single asset has it, in one
    query a page. A cursor walk (after_id) goes by id, which no change reorders, and counts
    nothing; numbered pages go in the filter's sort order, with the total."""
    from .asset_list import order_by, where_clause

    require_role(actor, Role.VIEWER)
    where = [where_clause(session, actor=actor, flt=flt)]
    if updated_since is not None:
        where.append(col(Asset.updated_at) >= updated_since)
    stmt = _ASSET_ROWS_WITH_NAMES.where(*where)
    total = None
    if after_id is not None:
        stmt = stmt.where(col(Asset.id) > after_id).order_by(col(Asset.id)).limit(per_page + 1)
    else:
        total = session.exec(
            select(func.count()).select_from(Asset).where(*where)  # type: ignore[call-overload]
        ).one()
        stmt = stmt.order_by(*order_by(flt.sort)).offset((page - 1) * per_page).limit(per_page)
    rows = session.connection().execute(stmt).all()
    more = after_id is not None and len(rows) > per_page
    count = len(_ASSET_KEYS)
    out = []
    for row in rows[:per_page]:
        # A plain record of the row's fields, read as an asset is (the rules read fields
        # only): building a model instance for each of a page's hundreds cost a sixth of it.
        asset: Any = SimpleNamespace(**dict(zip(_ASSET_KEYS, row[:count], strict=True)))
        out.append((asset, _details(row[count:], asset)))
    return ApiPage(out, total, more)
