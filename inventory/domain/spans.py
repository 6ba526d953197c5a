"""What an asset was, when: its history cut into spans of one owner and one status, so that
reports can ask how the fleet stood on a past day, which devices retired in a period and
which were handed out again. Pure: the spans follow from the history's events alone.

A span runs from the local day it started to the day the next one started (`ended_on`,
exclusive; None while it lasts). It is what the asset was at the end of each day it covers,
so two changes on the same day leave a span of no days, which no day's report sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The fields whose change starts a new span.
KEY_FIELDS = ("owner_id", "status")


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


def next_span(current: Span | None, day: dt.date, changes: Mapping[str, Any]) -> Span | None:
    """The span an event starts, or None when it changes neither owner nor status. The first
    event (current is None) is the registration: its changes hold every field as
    [None, value]."""
    if current is None:
        return Span(int(changes["owner_id"][1]), str(changes["status"][1]), None, day)
    if not any(name in changes for name in KEY_FIELDS):
        return None
    owner = int(changes["owner_id"][1]) if "owner_id" in changes else current.owner_id
    status = str(changes["status"][1]) if "status" in changes else current.status
    return Span(owner, status, current.status, day)


def replay(events: Iterable[tuple[dt.date, Mapping[str, Any]]]) -> list[Span]:
    """An asset's spans from its events (local day, changes), oldest first."""
    spans: list[Span] = []
    for day, changes in events:
        started = next_span(spans[-1] if spans else None, day, changes)
        if started is None:
            continue
        if spans:
            last = spans[-1]
            spans[-1] = Span(last.owner_id, last.status, last.from_status, last.started_on, day)
        spans.append(started)
    return spans
