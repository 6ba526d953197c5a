"""Personal data kept no longer than needed: the nightly anonymisation of the names of
people whose holding of a device ended longer ago than the retention time (domain/personal.py
says which), in the history and in what imports recorded of their rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import String, bindparam, cast, or_, update
from sqlmodel import Session, col, select

from ..domain.dates import add_months
from ..domain.personal import ANONYMISED, PERSONAL_FIELDS, anonymised, expired_names
from ..models import AssetEvent, ImportRun
from . import audit, clock

DEFAULT_RETENTION_MONTHS = 12
_CHUNK = 500  # assets whose events are read and rewritten at a time

_EVENTS = AssetEvent.__table__  # type: ignore[attr-defined]
_REWRITE = (
    update(_EVENTS)
    .where(_EVENTS.c.id == bindparam("event_id"))
    .values(changes=bindparam("new_changes"))
)


def cutoff(now: dt.datetime, months: int) -> dt.datetime:
    """The start (local midnight, as UTC) of the day `months` before today."""
    return clock.start_of_day(add_months(clock.local_date(now), -months))


def anonymise_expired(session: Session, *, now: dt.datetime, months: int) -> dict[str, int]:
    """Replace the names of holdings ended before the cutoff, in one transaction; how many
    events and imports were changed. Running it again changes nothing more."""
    before = cutoff(now, months)
    mentions = or_(*(cast(AssetEvent.changes, String).like(f'%"{f}"%') for f in PERSONAL_FIELDS))
    asset_ids = list(
        session.exec(
            select(AssetEvent.asset_id)
            .where(mentions, col(AssetEvent.at) < before)
            .distinct()
            .order_by(col(AssetEvent.asset_id))
        )
    )
    events = 0
    for chunk in _chunks(asset_ids):
        rows = session.exec(
            select(AssetEvent.id, AssetEvent.asset_id, AssetEvent.at, AssetEvent.changes)
            .where(col(AssetEvent.asset_id).in_(chunk), mentions, col(AssetEvent.at) < before)
            .order_by(col(AssetEvent.asset_id), col(AssetEvent.at), col(AssetEvent.id))
        ).all()
        rewrites: list[dict[str, Any]] = []
        for _, group in groupby(rows, key=lambda r: r[1]):
            history = [(int(event_id or 0), _aware(at), dict(changes))
                       for event_id, _, at, changes in group]  # fmt: skip
            changes_of = {event_id: changes for event_id, _, changes in history}
            expired = expired_names(history, before=before)
            for event_id, names in expired.items():
                rewrites.append(
                    {"event_id": event_id, "new_changes": anonymised(changes_of[event_id], names)}
                )
        if rewrites:
            session.connection().execute(_REWRITE, rewrites)
            events += len(rewrites)
    imports = _scrub_imports(session, before)
    if events or imports:
        audit.record(session, action="personal_data.anonymised", at=now,
                     details={"events": events, "imports": imports, "months": months})  # fmt: skip
    session.commit()
    return {"events": events, "imports": imports}


def _scrub_imports(session: Session, before: dt.datetime) -> int:
    """What imports finished before the cutoff recorded of their rows' people: their rows'
    changes of those fields, and the values their reasons quoted for them."""
    scrubbed = 0
    for run in session.exec(select(ImportRun).where(col(ImportRun.finished_at) < before)):
        rows, changed = [], False
        for row in run.rows:
            new = _scrubbed_row(row)
            changed |= new != row
            rows.append(new)
        if changed:
            run.rows = rows
            session.add(run)
            scrubbed += 1
    return scrubbed


def _scrubbed_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    changes = row.get("changes") or {}
    out["changes"] = {
        field: [ANONYMISED if v not in (None, "") else v for v in pair]
        if field in PERSONAL_FIELDS else pair
        for field, pair in changes.items()
    }  # fmt: skip
    out["reasons"] = [
        {**reason, "params": {k: ANONYMISED for k in (reason.get("params") or {})}}
        if reason.get("key") in PERSONAL_FIELDS else reason
        for reason in row.get("reasons") or []
    ]  # fmt: skip
    return out


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _aware(at: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC; PostgreSQL aware."""
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
