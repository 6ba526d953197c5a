"""Reading an asset's life from its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from inventory.domain.life import life_story

ZONE = "Europe/Stockholm"


@dataclass
class E:
    at: dt.datetime
    changes: dict[str, Any]


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T09:00:00+00:00")


def test_holders_in_turn_with_their_time_and_reuses() -> None:
    events = [
        E(at("2023-08-20"), {"holder": [None, "Anna"], "status": [None, "deployed"]}),
        E(at("2025-06-15"), {"holder": ["Anna", None], "status": ["deployed", "returned"]}),
        E(at("2025-06-20"), {"status": ["returned", "reuse_pool"]}),
        E(at("2025-08-18"), {"holder": [None, "Elev 5A"], "status": ["reuse_pool", "deployed"]}),
    ]
    life = life_story(list(reversed(events)), zone=ZONE)  # order does not matter
    assert [(h.holder, h.since.isoformat(), h.until) for h in life.holdings] == [
        ("Anna", "2023-08-20", dt.date(2025, 6, 15)),
        ("Elev 5A", "2025-08-18", None),
    ]
    assert life.holdings[0].days(dt.date(2026, 11, 23)) == 665
    assert life.holdings[1].days(dt.date(2026, 11, 23)) == 462
    assert life.times_reused == 1


def test_a_device_never_handed_out_has_no_holders() -> None:
    assert (
        life_story([E(at("2026-01-01"), {"status": [None, "in_stock"]})], zone=ZONE).holdings == ()
    )


def test_a_hand_out_after_midnight_in_sweden_counts_from_that_day() -> None:
    """00:30 on 3 December in Stockholm is 23:30 UTC on the 2nd: the holding starts on the 3rd."""
    handed_out = dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC)
    life = life_story([E(handed_out, {"holder": [None, "Anna"]})], zone=ZONE)
    assert life.holdings[0].since == dt.date(2026, 12, 3)
