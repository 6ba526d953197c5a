"""What an asset was, when: its history cut into spans of one owner and one status, so that
reports can ask how the fleet stood on a past day, which devices retired in a period and
which were handed out again. Pure: the spans follow from the history's events alone.

A span runs from the local day it started to the day the next one started (`ended_on`,
exclusive; None while it lasts). It is what the asset was at the end of each day it covers,
so two changes on the same day leave a span of no days, which no day's report sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

# The fields whose change starts a new span: who owns it, its status, and who orders it for
# which service object (the quarterly invoicing basis).
KEY_FIELDS = ("owner_id", "status", "business_unit_id", "service_object_id")


@dataclass(frozen=True)
class Span:
    owner_id: int
    status: str
    # The status before this span: None for the first, as registered; the same as `status`
    # when only the owner changed (the split of the joint property), so that only a real
    # move counts as a retirement or a hand-out.
    from_status: str | None
    started_on: dt.date
    ended_on: dt.date | None = None
    # The owner before this span: None for the first; another than `owner_id` when the
    # device changed hands (the §20 split), which the asset ledger lists as a transfer.
    from_owner_id: int | None = None
    business_unit_id: int | None = None
    service_object_id: int | None = None
    # The day the status began: `started_on`, unless only the owner, unit or service object
    # changed, when it is the span before's; None while it is the status registered (which
    # reports reach back to the purchase with, as for the first span).
    status_since: dt.date | None = None


# Changes that date themselves: a disposal by the day the device left (domain/disposal.py),
# the §20 split by its date (services/partnership.py); either may be before the day recorded.
DATED_BY = ("disposed_on", "split_on")


def span_day(day: dt.date, changes: Mapping[str, Any], current: Span | None = None) -> dt.date:
    """The day an event's span starts: the day it was recorded, or the earlier day a dated
    change names (a split applied before its date counts from the day applied); never before
    the span it ends began, so that the spans run forward."""
    for name in DATED_BY:
        if (dated := changes.get(name)) and dated[1]:
            day = min(day, dt.date.fromisoformat(dated[1]))
            break
    return max(day, current.started_on) if current is not None else day


def next_span(current: Span | None, day: dt.date, changes: Mapping[str, Any]) -> Span | None:
    """The span an event starts, or None when it changes neither owner nor status. The first
    event (current is None) is the registration: its changes hold every field as
    [None, value]."""
    day = span_day(day, changes, current)
    if current is None:
        return Span(
            int(changes["owner_id"][1]), str(changes["status"][1]), None, day,
            business_unit_id=_id(changes.get("business_unit_id", [None, None])[1]),
            service_object_id=_id(changes.get("service_object_id", [None, None])[1]),
        )  # fmt: skip
    if not any(name in changes for name in KEY_FIELDS):
        return None

    def after(name: str) -> Any:
        return changes[name][1] if name in changes else getattr(current, name)

    status = str(after("status"))
    return Span(
        int(after("owner_id")), status, current.status, day, from_owner_id=current.owner_id,
        business_unit_id=_id(after("business_unit_id")),
        service_object_id=_id(after("service_object_id")),
        status_since=current.status_since if status == current.status else day,
    )  # fmt: skip


def _id(value: Any) -> int | None:
    return None if value is None else int(value)


def replay(events: Iterable[tuple[dt.date, Mapping[str, Any]]]) -> list[Span]:
    """An asset's spans from its events (local day, changes), oldest first."""
    spans: list[Span] = []
    for day, changes in events:
        started = next_span(spans[-1] if spans else None, day, changes)
        if started is None:
            continue
        if spans:
            spans[-1] = replace(spans[-1], ended_on=started.started_on)
        spans.append(started)
    return spans
