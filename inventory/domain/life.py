"""An asset's life read from its history: holders in turn, time with each, times reused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .dates import local_date


class Event(Protocol):
    @property
    def at(self) -> dt.datetime: ...

    @property
    def changes(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Holding:
    holder: str
    since: dt.date
    until: dt.date | None  # None: still holds it

    def days(self, today: dt.date) -> int:
        return ((self.until or today) - self.since).days


@dataclass(frozen=True)
class Life:
    holdings: tuple[Holding, ...]
    times_reused: int


def life_story(events: Sequence[Event], *, zone: str) -> Life:
    """`events` in any order; holder changes and pool hand-outs are what count. Days are
    the register's local days (`zone`): a hand-out at 00:30 in Sweden is that day's."""
    holdings: list[Holding] = []
    current: tuple[str, dt.date] | None = None
    reused = 0
    for event in sorted(events, key=lambda e: e.at):
        day = local_date(event.at, zone)
        if "holder" in event.changes:
            _, after = event.changes["holder"]
            if current is not None:
                holdings.append(Holding(current[0], current[1], day))
            current = (after, day) if after else None
        if event.changes.get("status") == ["reuse_pool", "deployed"]:
            reused += 1
    if current is not None:
        holdings.append(Holding(current[0], current[1], None))
    return Life(holdings=tuple(holdings), times_reused=reused)
