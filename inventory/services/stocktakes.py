"""Stocktakes (inventering): start one for a room, a site or an owner; scan items one by one
(each scan saved at once); close it to get found, missing, misplaced and unknown codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain.depreciation import book_value, depreciation_start
from ..domain.errors import NotFound, ValidationFailed
from ..domain.roles import Role
from ..domain.scan import tag_from_scan
from ..domain.text import N_
from ..models import (
    Asset,
    Location,
    Manufacturer,
    Model,
    Owner,
    Site,
    Stocktake,
    StocktakeLine,
    StocktakeScan,
    User,
)
from . import clock, scope, tag_aliases
from .access import require_role
from .assets import committing, diff, stage_change, tracked_values
from .catalog import location_choices, location_name
from .fleet import active
from .reference_cache import Named, reference_names

OPEN, CLOSED = "open", "closed"
FOUND, MISSING, MISPLACED = "found", "missing", "misplaced"


def start(
    session: Session,
    *,
    actor: User,
    now: dt.datetime,
    location_id: int | None = None,
    site_id: int | None = None,
    owner_slug: str | None = None,
) -> Stocktake:
    require_role(actor, Role.TECHNICIAN)
    if sum(x is not None and x != "" for x in (location_id, site_id, owner_slug)) != 1:
        raise ValidationFailed({"place": N_("Choose one room, one site or one owner to count.")})
    assert actor.id is not None
    stocktake = Stocktake(
        title="", started_by=actor.id, started_at=now, scope_owner_id=scope.scoped_owner(actor)
    )
    if location_id is not None:
        row = session.exec(
            scope.restrict(
                select(Location, Site)
                .join(Site, Site.id == Location.site_id)  # type: ignore[arg-type]
                .where(Location.id == location_id),
                actor,
                Site,
            )
        ).first()
        if row is None:
            raise ValidationFailed({"location_id": N_("Choose a location from the list.")})
        stocktake.location_id = location_id
        stocktake.title = location_name(row[1].name, row[0].building, row[0].room)
    elif site_id is not None:
        site = session.exec(
            scope.restrict(select(Site).where(Site.id == site_id), actor, Site)
        ).first()
        if site is None:
            raise ValidationFailed({"site_id": N_("Choose a site from the list.")})
        stocktake.site_id, stocktake.title = site_id, site.name
    else:
        owner = session.exec(
            scope.restrict(select(Owner).where(Owner.slug == owner_slug), actor, Owner)
        ).first()
        if owner is None:
            raise ValidationFailed({"owner": N_("Unknown owner.")})
        stocktake.owner_id, stocktake.title = owner.id, owner.name
    session.add(stocktake)
    session.commit()
    return stocktake


def get(session: Session, *, actor: User, stocktake_id: int) -> Stocktake:
    """Anyone of the same scope may resume it; to a user of another owner it does not exist."""
    require_role(actor, Role.VIEWER)
    stocktake = session.exec(
        scope.restrict(select(Stocktake).where(Stocktake.id == stocktake_id), actor, Stocktake)
    ).first()
    if stocktake is None:
        raise NotFound(N_("No such stocktake."))
    return stocktake


@dataclass(frozen=True)
class StartChoices:
    """What a stocktake may be started for: rooms, sites and owners in the actor's scope."""

    locations: list[tuple[int, str]]
    sites: list[tuple[int, str]]
    owners: list[Named]


def start_choices(session: Session, *, actor: User) -> StartChoices:
    names = reference_names(session)
    return StartChoices(
        locations=location_choices(session, actor=actor),
        sites=[(site.id, site.name) for site in names.sites_for(actor)],
        owners=names.owners_for(actor),
    )


def listing(session: Session, *, actor: User) -> list[Stocktake]:
    require_role(actor, Role.VIEWER)
    query = scope.restrict(select(Stocktake), actor, Stocktake).order_by(
        col(Stocktake.status).desc(), col(Stocktake.started_at).desc()
    )
    return list(session.exec(query.limit(200)))


def _in_stocktake_scope(stocktake: Stocktake) -> ColumnElement[bool]:
    """The assets its starter could see: whoever resumes it counts the same."""
    return scope.for_owner(stocktake.scope_owner_id, Asset)


def _registered_here(stocktake: Stocktake) -> ColumnElement[bool]:
    """Active assets the register places where the stocktake counts, within its scope."""
    if stocktake.location_id is not None:
        place = col(Asset.location_id) == stocktake.location_id
    elif stocktake.site_id is not None:
        rooms = select(Location.id).where(Location.site_id == stocktake.site_id)
        place = col(Asset.location_id).in_(rooms)
    else:
        place = col(Asset.owner_id) == stocktake.owner_id
    in_fleet = active(Asset.status)
    return and_(place, in_fleet, _in_stocktake_scope(stocktake))


@dataclass(frozen=True)
class ScanOutcome:
    kind: str  # found | elsewhere | repeat | unknown
    code: str


def record_scan(
    session: Session,
    *,
    actor: User,
    stocktake: Stocktake,
    code: str,
    base_url: str,
    now: dt.datetime,
) -> ScanOutcome:
    require_role(actor, Role.TECHNICIAN)
    if stocktake.status != OPEN:
        raise ValidationFailed({"code": N_("This stocktake is closed; start a new one to scan.")})
    tag = tag_from_scan(code, base_url=base_url)  # junk and foreign labels: a clear error
    # Claim the open stocktake for this transaction: a close running at the same moment
    # waits for it, or this scan sees the stocktake closed.
    still_open = session.execute(
        update(Stocktake)
        .where(col(Stocktake.id) == stocktake.id, col(Stocktake.status) == OPEN)
        .values(status=OPEN)
    )
    if still_open.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise ValidationFailed({"code": N_("This stocktake is closed; start a new one to scan.")})
    # What the stocktake counts is limited by its own scope, whoever scans.
    asset = session.exec(
        select(Asset).where(Asset.tag == tag, _in_stocktake_scope(stocktake))
    ).first() or tag_aliases.asset_by_alias(session, tag, _in_stocktake_scope(stocktake))
    if asset is not None:
        # An old label counts as the asset: saved under its current tag, so that its old
        # and new labels count once between them.
        tag = asset.tag
        if _scanned_before(session, stocktake, asset):
            session.rollback()
            return ScanOutcome("repeat", tag)
    scan = StocktakeScan(
        stocktake_id=stocktake.id,  # type: ignore[arg-type]
        code=tag,
        asset_id=asset.id if asset else None,
        scanned_by=actor.id,  # type: ignore[arg-type]
        scanned_at=now,
    )
    session.add(scan)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        repeated = session.exec(
            select(StocktakeScan.id).where(
                StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.code == tag
            )
        ).first()
        if repeated is None:
            raise
        return ScanOutcome("repeat", tag)
    if asset is None:
        return ScanOutcome("unknown", tag)
    here = session.exec(
        select(Asset.id).where(Asset.id == asset.id, _registered_here(stocktake))
    ).first()
    return ScanOutcome("found" if here else "elsewhere", tag)


def _scanned_before(session: Session, stocktake: Stocktake, asset: Asset) -> bool:
    """Whether the asset was scanned already under another code (its tag was corrected
    between two scans of the stocktake)."""
    found = session.exec(
        select(StocktakeScan.id).where(
            StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.asset_id == asset.id
        )
    ).first()
    return found is not None


@dataclass(frozen=True)
class Progress:
    scanned: int
    expected: int
    recent: list[str]


def progress(session: Session, *, stocktake: Stocktake) -> Progress:
    scanned = session.exec(
        select(func.count())
        .select_from(StocktakeScan)
        .where(StocktakeScan.stocktake_id == stocktake.id)
    ).one()
    expected = session.exec(
        select(func.count()).select_from(Asset).where(_registered_here(stocktake))
    ).one()
    recent = session.exec(
        select(StocktakeScan.code)
        .where(StocktakeScan.stocktake_id == stocktake.id)
        .order_by(col(StocktakeScan.id).desc())
        .limit(10)
    ).all()
    return Progress(scanned=scanned, expected=expected, recent=list(recent))


def close(
    session: Session, *, actor: User, stocktake: Stocktake, today: dt.date, now: dt.datetime
) -> None:
    """Write the result: found and misplaced from the scans, missing from the register."""
    require_role(actor, Role.TECHNICIAN)
    # Only one close can win: the status changes only from open.
    closing = session.execute(
        update(Stocktake)
        .where(col(Stocktake.id) == stocktake.id, col(Stocktake.status) == OPEN)
        .values(status=CLOSED, closed_by=actor.id, closed_at=now)
    )
    if closing.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise ValidationFailed({"stocktake": N_("This stocktake is already closed.")})
    expected_ids = set(session.exec(select(Asset.id).where(_registered_here(stocktake))))
    scanned = session.exec(
        select(Asset)
        .join(StocktakeScan, col(StocktakeScan.asset_id) == Asset.id)
        .where(StocktakeScan.stocktake_id == stocktake.id, _in_stocktake_scope(stocktake))
    ).all()
    lines = [(a, FOUND if a.id in expected_ids else MISPLACED) for a in scanned]
    missing_ids = sorted(i for i in expected_ids - {a.id for a in scanned} if i is not None)
    # In chunks: an owner's whole fleet is more ids than a statement may carry.
    for start in range(0, len(missing_ids), 5000):
        chunk = missing_ids[start : start + 5000]
        lines += [(a, MISSING) for a in session.exec(select(Asset).where(col(Asset.id).in_(chunk)))]
    for asset, outcome in lines:
        in_use_from = depreciation_start(asset.purchase_date, asset.in_service_date)
        session.add(
            StocktakeLine(
                stocktake_id=stocktake.id,  # type: ignore[arg-type]
                asset_id=asset.id,  # type: ignore[arg-type]
                outcome=outcome,
                price_ore=asset.price_ore,
                book_value_ore=book_value(
                    asset.price_ore, in_use_from, asset.depreciation_months, today
                ),
                registered_location_id=asset.location_id,
            )
        )
    session.commit()
    session.refresh(stocktake)


@dataclass(frozen=True)
class ResultLine:
    tag: str
    model: str
    outcome: str
    price_ore: int
    book_value_ore: int
    registered_at: str | None


@dataclass
class Result:
    lines: dict[str, list[ResultLine]]
    unknown: list[str]
    missing_price_ore: int = field(init=False)
    missing_book_value_ore: int = field(init=False)

    def __post_init__(self) -> None:
        missing = self.lines.get(MISSING, [])
        self.missing_price_ore = sum(line.price_ore for line in missing)
        self.missing_book_value_ore = sum(line.book_value_ore for line in missing)


def result(session: Session, *, stocktake: Stocktake) -> Result:
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Asset.tag,
            Manufacturer.name,
            Model.name,
            StocktakeLine.outcome,
            StocktakeLine.price_ore,
            StocktakeLine.book_value_ore,
            Site.name,
            Location.building,
            Location.room,
        )
        .join(Asset, Asset.id == StocktakeLine.asset_id)
        .join(Model, Model.id == Asset.model_id)
        .join(Manufacturer, Manufacturer.id == Model.manufacturer_id)
        .outerjoin(Location, Location.id == StocktakeLine.registered_location_id)
        .outerjoin(Site, Site.id == Location.site_id)
        .where(StocktakeLine.stocktake_id == stocktake.id)
        .order_by(Asset.tag)
    ).all()
    lines: dict[str, list[ResultLine]] = {FOUND: [], MISSING: [], MISPLACED: []}
    for tag, maker, model, outcome, price, value, site, building, room in rows:
        place = location_name(site, building, room) if site else None
        lines[outcome].append(ResultLine(tag, f"{maker} {model}", outcome, price, value, place))
    unknown = session.exec(
        select(StocktakeScan.code)
        .where(StocktakeScan.stocktake_id == stocktake.id, col(StocktakeScan.asset_id).is_(None))
        .order_by(StocktakeScan.code)
    ).all()
    return Result(lines=lines, unknown=list(unknown))


def move_misplaced_here(
    session: Session, *, actor: User, stocktake: Stocktake, now: dt.datetime
) -> int:
    """Register the misplaced items found in this room as being here, each with a history event."""
    require_role(actor, Role.TECHNICIAN)
    if stocktake.status != CLOSED or stocktake.location_id is None:
        raise ValidationFailed(
            {"stocktake": N_("Only a closed stocktake of one room can move items there.")}
        )
    assets = session.exec(
        select(Asset)
        .join(StocktakeLine, col(StocktakeLine.asset_id) == Asset.id)
        .where(
            StocktakeLine.stocktake_id == stocktake.id,
            StocktakeLine.outcome == MISPLACED,
            # Not if it has been moved since the count, or has left the register.
            col(Asset.location_id).is_not_distinct_from(StocktakeLine.registered_location_id),
            active(Asset.status),
            scope.visible(actor, Asset),
            _in_stocktake_scope(stocktake),
        )
    ).all()
    with committing(session, today=clock.local_date(now)):
        for asset in assets:
            before = tracked_values(asset)
            asset.location_id = stocktake.location_id
            stage_change(
                session, asset=asset, actor=actor, now=now, action="move",
                changes=diff(before, tracked_values(asset)),
                comment=f"Inventering #{stocktake.id}",
            )  # fmt: skip
    return len(assets)
