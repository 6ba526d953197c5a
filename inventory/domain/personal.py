"""Personal data in the history: who held a device, and whom device management named as its
user. Storage limitation (GDPR art. 5(1)(e); REFERENCE.md §2.3): once a holding ended longer
ago than the retention time, the name leaves the history and a mark takes its place, so that
the history keeps its shape ("Holder: (anonymised) → —"). Pure: which names of which events
go, from an asset's events alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .text import N_

# The fields whose values name people.
PERSONAL_FIELDS = ("holder", "mdm_user")
# What an anonymised value is stored as, and what the history shows for it.
ANONYMISED = "\u2205anonymised"
ANONYMISED_LABEL = N_("(anonymised)")


def expired_names(
    events: Iterable[tuple[int, dt.datetime, Mapping[str, Any]]], *, before: dt.datetime
) -> dict[int, dict[str, set[str]]]:
    """event id -> field -> the names in that event's changes whose holding ended before
    `before`. `events` are one asset's, oldest first. A holding of a name ends at the event
    that changes the field away from it; one not ended yet (the device is still theirs) is
    kept, as are the events of a later holding by the same person."""
    out: dict[int, dict[str, set[str]]] = {}
    ordered = list(events)
    for field in PERSONAL_FIELDS:
        ends: dict[str, dt.datetime] = {}  # name -> the end of the holding we are inside
        for event_id, at, changes in reversed(ordered):
            pair = changes.get(field)
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                continue
            old, new = pair
            if isinstance(old, str) and old and old != new:
                ends[old] = at  # this event ends old's holding
            for name in {old, new}:
                if isinstance(name, str) and name and name != ANONYMISED:
                    end = ends.get(name)
                    if end is not None and end < before:
                        out.setdefault(event_id, {}).setdefault(field, set()).add(name)
    return out


def anonymised(changes: Mapping[str, Any], names: Mapping[str, set[str]]) -> dict[str, Any]:
    """`changes` with those names of those fields replaced by the mark."""
    out = dict(changes)
    for field, gone in names.items():
        out[field] = [ANONYMISED if value in gone else value for value in changes[field]]
    return out
