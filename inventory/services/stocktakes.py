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
from ..domain.scan import scan_time, tag_from_scan
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
    # A phone's resend of a scan saved before (its first answer was lost): answered as then,
    # nothing written.
    replayed: bool = False


_CLOSED = N_("This stocktake is closed; start a new one to scan.")


def record_scan(
    session: Session,
    *,
    actor: User,
    stocktake: Stocktake,
    code: str,
    base_url: str,
    now: dt.datetime,
    client_id: str | None = None,
    scanned_at: dt.datetime | None = None,
) -> ScanOutcome:
    """Save one scan; `now` is when it arrives. A phone that scanned offline sends its own
    time of the scan (`scanned_at`) and an id it gave the scan (`client_id`), and sends it
    again until it hears an answer: a resend of an id saved before is answered as the first
    time and writes nothing, so each scan counts once however often it is sent."""
    require_role(actor, Role.TECHNICIAN)
    if client_id is not None:
        earlier = _answer_again(session, stocktake, client_id, code, base_url)
        if earlier is not None:
            return earlier
    if stocktake.status != OPEN:
        return _after_closing(session, stocktake, code, base_url, client_id)
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
        return _after_closing(session, stocktake, code, base_url, client_id)
    asset = _asset_counted_as(session, stocktake, tag)
    if asset is not None:
        # An old label counts as the asset: saved under its current tag, so that its old
        # and new labels count once between them.
        tag = asset.tag
        if _scanned_before(session, stocktake, asset):
            session.rollback()
            return ScanOutcome("repeat", tag)
    if asset is None:
        kind = "unknown"
    else:
        here = session.exec(
            select(Asset.id).where(Asset.id == asset.id, _registered_here(stocktake))
        ).first()
        kind = "found" if here else "elsewhere"
    scan = StocktakeScan(
        stocktake_id=stocktake.id,  # type: ignore[arg-type]
        code=tag,
        asset_id=asset.id if asset else None,
        scanned_by=actor.id,  # type: ignore[arg-type]
        scanned_at=scan_time(scanned_at, started_at=stocktake.started_at, received_at=now),
        received_at=now,
        client_id=client_id,
        outcome=kind,
    )
    session.add(scan)
    try:
        session.commit()
    except IntegrityError:
        # Sent twice at once (two tabs), or the same code from two phones at once.
        session.rollback()
        if client_id is not None:
            earlier = _answer_again(session, stocktake, client_id, code, base_url)
            if earlier is not None:
                return earlier
        if not _code_counted(session, stocktake, tag):
            raise
        return ScanOutcome("repeat", tag)
    return ScanOutcome(kind, tag)


def _asset_counted_as(session: Session, stocktake: Stocktake, tag: str) -> Asset | None:
    """The asset a scanned tag (or an old tag of it) counts as: what the stocktake counts is
    limited by its own scope, whoever scans."""
    in_scope = _in_stocktake_scope(stocktake)
    return session.exec(
        select(Asset).where(Asset.tag == tag, in_scope)
    ).first() or tag_aliases.asset_by_alias(session, tag, in_scope)


def _answer_again(
    session: Session, stocktake: Stocktake, client_id: str, code: str, base_url: str
) -> ScanOutcome | None:
    """The answer to a scan saved before under this id, or None when none was."""
    earlier = session.exec(
        select(StocktakeScan).where(
            StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.client_id == client_id
        )
    ).first()
    if earlier is None:
        return None
    try:
        tag = tag_from_scan(code, base_url=base_url)
    except ValidationFailed:
        tag = None
    asset = _asset_counted_as(session, stocktake, tag) if tag is not None else None
    if tag != earlier.code and (asset is None or asset.id != earlier.asset_id):
        # Not a resend: a phone must never give two scans one id, and the second is not
        # to vanish as if it were the first.
        raise ValidationFailed(
            {"client_id": N_("This scan's id came before with another code: scan it again.")}
        )
    kind = earlier.outcome or ("unknown" if earlier.asset_id is None else "found")
    return ScanOutcome(kind, earlier.code, replayed=True)


def _after_closing(
    session: Session, stocktake: Stocktake, code: str, base_url: str, client_id: str | None
) -> ScanOutcome:
    """A scan that arrives after the stocktake closed is refused, with one exception: a
    phone's scan of a code the stocktake had counted anyway is what it was before the close,
    a repeat. (Repeats are not saved, so a repeat's resend after the close finds no scan of
    its id, and must still be answered as the first time.)"""
    if client_id is not None:
        try:
            tag = tag_from_scan(code, base_url=base_url)
        except ValidationFailed:
            raise ValidationFailed({"code": _CLOSED}) from None
        asset = _asset_counted_as(session, stocktake, tag)
        if asset is not None:
            tag = asset.tag
        if _code_counted(session, stocktake, tag) or (
            asset is not None and _scanned_before(session, stocktake, asset)
        ):
            return ScanOutcome("repeat", tag)
    raise ValidationFailed({"code": _CLOSED})


def _code_counted(session: Session, stocktake: Stocktake, tag: str) -> bool:
    found = session.exec(
        select(StocktakeScan.id).where(
            StocktakeScan.stocktake_id == stocktake.id, StocktakeScan.code == tag
        )
    ).first()
    return found is not None


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
