"""A technician's start page: their open stocktakes, the assets they touched last, and what
waits for them (returned devices to assess, devices in repair). A few small indexed queries,
each limited to what the page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.roles import Role
from ..domain.statuses import Status
from ..models import Asset, AssetEvent, Manufacturer, Model, Stocktake, User
from . import scope
from .access import require_role
from .stocktakes import OPEN

# How many of each the page lists; the counts say how many there are in all.
SHOWN = 5
RECENT = 6


@dataclass(frozen=True)
class Item:
    tag: str
    manufacturer: str
    model: str
    status: Status
    holder: str | None
    # When it came back, was reported faulty, or was last touched by the technician.
    at: dt.datetime | None


@dataclass(frozen=True)
class Waiting:
    """Devices in one status that need the technician: the first few and how many in all."""

    status: Status
    count: int
    items: list[Item]


@dataclass(frozen=True)
class Home:
    stocktakes: list[Stocktake]
    recent: list[Item]
    waiting: list[Waiting]


def _named(stmt):  # type: ignore[no-untyped-def]
    return stmt.join(Model, Model.id == Asset.model_id).join(  # type: ignore[arg-type]
        Manufacturer,
        Manufacturer.id == Model.manufacturer_id,  # type: ignore[arg-type]
    )


def _waiting(session: Session, actor: User, status: Status) -> Waiting:
    where = (col(Asset.status) == status.value, scope.visible(actor, Asset))
    count = session.exec(select(func.count()).select_from(Asset).where(*where)).one()
    rows = session.exec(
        _named(
            select(  # type: ignore[call-overload]
                Asset.tag,
                Manufacturer.name,
                Model.name,
                Asset.holder,
                Asset.returned_at,
                Asset.updated_at,
            )
        )
        .where(*where)
        # Oldest first: the device that has waited longest is taken first.
        .order_by(col(Asset.updated_at).asc())
        .limit(SHOWN)
    ).all()
    items = [
        Item(tag, maker, model, status, holder, returned_at or updated_at)
        for tag, maker, model, holder, returned_at, updated_at in rows
    ]
    return Waiting(status, int(count), items)


def technician_home(session: Session, *, actor: User) -> Home:
    require_role(actor, Role.TECHNICIAN)
    assert actor.id is not None
    stocktakes = list(
        session.exec(
            scope.restrict(select(Stocktake), actor, Stocktake)
            .where(Stocktake.status == OPEN)
            .order_by(col(Stocktake.started_at).desc())
            .limit(SHOWN)
        )
    )
    # The assets this technician changed last: their latest events, newest first, walked
    # backwards on ix_asset_event_actor_at (a few rows, however long their history).
    latest = session.exec(
        select(AssetEvent.asset_id)
        .where(AssetEvent.actor_id == actor.id)
        .order_by(col(AssetEvent.at).desc())
        .limit(RECENT * 8)
    ).all()
    ids = list(dict.fromkeys(latest))[:RECENT]
    # Scope is checked on the assets (one the user may no longer see is left out).
    rows = session.exec(
        scope.restrict(
            _named(
                select(  # type: ignore[call-overload]
                    Asset.id, Asset.tag, Manufacturer.name, Model.name, Asset.status, Asset.holder
                ).where(col(Asset.id).in_(ids))
            ),
            actor,
            Asset,
        )
    ).all()
    by_id = {row[0]: row[1:] for row in rows}
    recent = [
        Item(tag, maker, model, Status(status), holder, None)
        for tag, maker, model, status, holder in (by_id[i] for i in ids if i in by_id)
    ]
    waiting = [_waiting(session, actor, s) for s in (Status.RETURNED, Status.IN_REPAIR)]
    return Home(stocktakes=stocktakes, recent=recent, waiting=waiting)
