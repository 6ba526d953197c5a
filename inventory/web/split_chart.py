"""The proposal page's chart: each side's book value against its exact share, as horizontal
bars the template draws as inline SVG (no script, no chart library: it shows without
JavaScript and prints). Here only the geometry, on a scale of 0-1000 across the chart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..services.partnership import Summary

WIDTH = 1000
# One colour per side in owner id order (Bootstrap's primary and teal), then greys.
COLOURS = ("#0d6efd", "#20c997", "#6f42c1", "#fd7e14")


@dataclass(frozen=True)
class Bar:
    name: str
    percent: Decimal  # the side's share of the cost key, one decimal
    book_value_ore: int
    share_ore: int
    value_width: float  # the book value's bar, 0-WIDTH
    share_at: float  # where the exact share ends, 0-WIDTH
    colour: str


def bars(summary: Summary) -> list[Bar]:
    """One bar per side, all on the scale of the largest book value or share (so that the
    longest reaches across)."""
    top = max([max(s.book_value_ore, s.share_ore) for s in summary.sides] + [1])
    return [
        Bar(
            name=side.name,
            percent=side.percent,
            book_value_ore=side.book_value_ore,
            share_ore=side.share_ore,
            value_width=round(WIDTH * side.book_value_ore / top, 1),
            share_at=round(WIDTH * side.share_ore / top, 1),
            colour=COLOURS[i % len(COLOURS)],
        )
        for i, side in enumerate(summary.sides)
    ]
