"""Keeping asset_span in step with the history: the assets' write point calls `begin` with
each registration and `follow` with each later change it writes, and the demo seed and the migration that filled the table for the
history before it call `spans_for` with an asset's events. Both cut the same spans
(domain/spans.py), which tests/test_every_path.py checks after every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, insert, or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ..domain import spans as rules
from ..models import Asset, AssetSpan, User
from . import clock, scope

_SPANS = AssetSpan.__table__  # type: ignore[attr-defined]
_IS_OPEN = (_SPANS.c.asset_id == bindparam("asset")) & _SPANS.c.ended_on.is_(None)
_OPEN_SPAN = select(_SPANS).where(_IS_OPEN)
_CLOSE_SPAN = update(_SPANS).where(_IS_OPEN).values(ended_on=bindparam("day"))
_NEW_SPAN = insert(_SPANS)


def begin(
    session: Session, created: Sequence[tuple[int | None, Mapping[str, Any]]], now: dt.datetime
) -> None:
    """The first span of each new asset (its id, its registration's changes), in one
    statement however many an import registers."""
    day = clock.local_date(now)
    rows = []
    for asset_id, changes in created:
        started = rules.next_span(None, day, changes)
        assert started is not None and asset_id is not None
        rows.append(values(asset_id, started))
    if rows:
        session.connection().execute(_NEW_SPAN, rows)


def follow(session: Session, asset: Asset, changes: Mapping[str, Any], now: dt.datetime) -> None:
    """After a change to an existing asset: start the span it begins, if it begins one, and
    close the one it ends."""
    if not any(name in changes for name in rules.KEY_FIELDS):
        return
    day = clock.local_date(now)
    # The span it ends, whose start of status the next one may keep: read and closed as
    # rows, by statements built once, not objects, so that a change of thousands of assets
    # in one transaction (a selection's service object, the split) stays a few statements
    # an asset rather than a search of a growing identity map.
    conn = session.connection()
    current = conn.execute(_OPEN_SPAN, {"asset": asset.id}).first()
    started = rules.next_span(
        as_span(AssetSpan.model_construct(**current._mapping)) if current
        else _before(asset, changes, day),
        day, changes,
    )  # fmt: skip
    assert started is not None
    conn.execute(_CLOSE_SPAN, {"asset": asset.id, "day": started.started_on})
    conn.execute(_NEW_SPAN, values(asset.id, started))


def _before(asset: Asset, changes: Mapping[str, Any], day: dt.date) -> rules.Span:
    """What the asset was before the change, for an asset without spans (a row written
    around the services, as some tests do): the changes hold it, the asset has the rest."""
    was = {name: changes[name][0] if name in changes else getattr(asset, name)
           for name in rules.KEY_FIELDS}  # fmt: skip
    return rules.Span(int(was["owner_id"]), str(was["status"]), None, day,
                      business_unit_id=was["business_unit_id"],
                      service_object_id=was["service_object_id"])  # fmt: skip


def as_span(row: AssetSpan) -> rules.Span:
    return rules.Span(
        row.owner_id, row.status, row.from_status, row.started_on, row.ended_on,
        from_owner_id=row.from_owner_id, business_unit_id=row.business_unit_id,
        service_object_id=row.service_object_id, status_since=row.status_since,
    )  # fmt: skip


def row(asset_id: int | None, span: rules.Span) -> AssetSpan:
    return AssetSpan(**values(asset_id, span))


def values(asset_id: int | None, span: rules.Span) -> dict[str, Any]:
    """The span's columns, for an insert of many."""
    return {
        "asset_id": asset_id,
        "owner_id": span.owner_id,
        "status": span.status,
        "from_status": span.from_status,
        "started_on": span.started_on,
        "ended_on": span.ended_on,
        "from_owner_id": span.from_owner_id,
        "business_unit_id": span.business_unit_id,
        "service_object_id": span.service_object_id,
        "status_since": span.status_since,
    }


def spans_for(events: Iterable[tuple[dt.datetime, Mapping[str, Any]]]) -> list[rules.Span]:
    """An asset's spans from its events (moment, changes), in the register's local days."""
    return rules.replay((clock.local_date(at), changes) for at, changes in events)


# The day an asset's age counts from.
START = func.coalesce(Asset.in_service_date, Asset.purchase_date)


def reaching_back_to(day: Any) -> ColumnElement[Any]:
    """A span's first day, the first one reaching back to `day` when that is earlier: a
    device registered after it was bought (a fleet taken over from a spreadsheet) was there,
    in the status it was registered with, before the register knew it."""
    return case(
        (and_(col(AssetSpan.from_status).is_(None), day < col(AssetSpan.started_on)), day),
        else_=col(AssetSpan.started_on),
    )


# The register's own: from its purchase (the books and the stock hold it from then).
EFFECTIVE_START = reaching_back_to(col(Asset.purchase_date))


# The first day of the status a span is in: its status's own start, else (the status it was
# registered with) reaching back to the purchase, as EFFECTIVE_START does for the first span.
STATUS_SINCE = case(
    (col(AssetSpan.status_since).is_not(None), col(AssetSpan.status_since)),
    (col(Asset.purchase_date) < col(AssetSpan.started_on), col(Asset.purchase_date)),
    else_=col(AssetSpan.started_on),
)


def covering(day: Any) -> list[ColumnElement[bool]]:
    """The spans that say what each asset was at the end of `day` (a date or a date column);
    a query joins asset_span to asset for them. For a day from today on, each asset's open
    span: what it is now."""
    return [
        EFFECTIVE_START <= day,
        or_(col(AssetSpan.ended_on).is_(None), col(AssetSpan.ended_on) > day),
    ]


@dataclass(frozen=True)
class DayFilter:
    """A report on one day: the fleet or the books as they stood at its end."""

    on: dt.date
    owner: str | None = None  # slug
    category: str | None = None  # slug
    business_unit_id: int | None = None


def day_terms(
    actor: User, owner_id: int | None, category_id: int | None, business_unit_id: int | None
) -> list[ColumnElement[bool]]:
    """A report's filters on asset_span joined to asset: the actor's scope and the owner on
    the span's owner (the owner of that day), the category and unit on the asset's."""
    terms = [scope.visible(actor, AssetSpan)]
    if owner_id is not None:
        terms.append(col(AssetSpan.owner_id) == owner_id)
    if category_id is not None:
        terms.append(col(Asset.category_id) == category_id)
    if business_unit_id is not None:
        terms.append(col(Asset.business_unit_id) == business_unit_id)
    return terms
