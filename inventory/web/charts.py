"""Report charts as geometry for inline SVG (templates/reports/chart.html draws it): no
script, no chart library and no font to fetch, so a chart shows on an intranet without
internet, without JavaScript, and on paper. Here only the arithmetic: values in, the
positions of bars, lines, ticks and a target line out, on a fixed viewBox."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 280
# Room for the value axis's numbers on the left and the period names below.
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 40
# Bootstrap's primary, teal, purple, orange, then greys: distinguishable in print too.
COLOURS = ("#0d6efd", "#20c997", "#6f42c1", "#fd7e14", "#6c757d", "#adb5bd")


@dataclass(frozen=True)
class Series:
    name: str
    # One value per label; None where there is nothing to show (no bar, a gap in the line).
    values: Sequence[float | None]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    # What a pointer's tooltip and a screen reader say: "T2 2026 · Datorer: 4,2".
    title: str


@dataclass(frozen=True)
class Line:
    points: str  # SVG polyline points, "x,y x,y ..."
    dots: tuple[tuple[float, float, str], ...]  # each point and its title
    colour: str


@dataclass(frozen=True)
class Tick:
    at: float  # the y (value axis) or x (label axis) position
    text: str
    # A label too wide for its slot goes on two lines: this is the second.
    more: str = ""


# About how wide a label's letter is at the chart's font size, in its units.
_LETTER = 7


def _label(at: float, text: str, slot: float) -> Tick:
    """A label, split at the space nearest its middle when it is wider than its slot
    ("Datorarbetsplats / administration")."""
    if len(text) * _LETTER <= slot or " " not in text:
        return Tick(at, text)
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return Tick(at, text[:cut], text[cut + 1 :])


@dataclass(frozen=True)
class Legend:
    name: str
    colour: str


@dataclass(frozen=True)
class Drawing:
    """Everything the template draws, in viewBox units."""

    width: int
    height: int
    left: int
    bottom_y: float  # where the value axis's zero is
    plot_right: float
    value_ticks: tuple[Tick, ...]
    label_ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...] = ()
    lines: tuple[Line, ...] = ()
    legend: tuple[Legend, ...] = ()
    # A dashed horizontal line at the target (the 5-year lifespan, a −5 % path), if any.
    target_y: float | None = None
    target_text: str = ""
    empty: bool = False


def _nice_top(largest: float) -> tuple[float, float]:
    """A round top for the value axis above `largest`, and its step (1, 2 or 5 × 10^n)."""
    if largest <= 0:
        return 1.0, 0.25
    rough = largest / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return step * math.ceil(largest / step), step


def _number(value: float, decimals: int) -> str:
    """Swedish style for axis and tooltip numbers: a decimal comma, a thin space per
    thousand."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def draw(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    kind: str = "bars",
    target: float | None = None,
    target_text: str = "",
    decimals: int = 1,
) -> Drawing:
    """Bars grouped per label (one per series), or one line per series, scaled so that the
    largest value or the target fits."""
    if kind not in {"bars", "lines"}:
        raise ValueError(f"unknown chart kind: {kind}")
    values = [v for s in series for v in s.values if v is not None]
    largest = max([*values, target or 0, 0])
    top, step = _nice_top(largest)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom_y = float(TOP + plot_h)

    def y_of(value: float) -> float:
        return round(bottom_y - plot_h * max(value, 0) / top, 1)

    ticks = []
    n = 0
    while n * step <= top + step / 1000:
        ticks.append(Tick(at=y_of(n * step), text=_number(n * step, 0 if step >= 1 else 2)))
        n += 1
    slot = plot_w / max(len(labels), 1)
    # Label every period when they fit, else every other one (twelve tertials on a phone).
    every = 1 if slot >= 60 else 2
    label_ticks = tuple(
        _label(round(LEFT + slot * (i + 0.5), 1), label, slot * every)
        for i, label in enumerate(labels)
        if i % every == 0 or i == len(labels) - 1
    )
    legend = tuple(Legend(s.name, COLOURS[i % len(COLOURS)]) for i, s in enumerate(series))
    bars: list[Bar] = []
    lines: list[Line] = []
    if kind == "bars":
        group = slot * 0.8
        width = group / max(len(series), 1)
        for si, s in enumerate(series):
            colour = COLOURS[si % len(COLOURS)]
            for i, value in enumerate(s.values):
                if value is None:
                    continue
                x = LEFT + slot * i + (slot - group) / 2 + width * si
                y = y_of(value)
                bars.append(
                    Bar(
                        x=round(x, 1),
                        y=y,
                        width=round(width * 0.9, 1),
                        height=round(bottom_y - y, 1),
                        colour=colour,
                        title=f"{labels[i]} · {s.name}: {_number(value, decimals)}",
                    )
                )
    else:
        for si, s in enumerate(series):
            colour = COLOURS[si % len(COLOURS)]
            dots = tuple(
                (
                    round(LEFT + slot * (i + 0.5), 1),
                    y_of(value),
                    f"{labels[i]} · {s.name}: {_number(value, decimals)}",
                )
                for i, value in enumerate(s.values)
                if value is not None
            )
            points = " ".join(f"{x},{y}" for x, y, _ in dots)
            lines.append(Line(points=points, dots=dots, colour=colour))
    return Drawing(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom_y=bottom_y,
        plot_right=float(WIDTH - RIGHT),
        value_ticks=tuple(ticks),
        label_ticks=label_ticks,
        bars=tuple(bars),
        lines=tuple(lines),
        legend=legend,
        target_y=None if target is None else y_of(target),
        target_text=target_text,
        empty=not values,
    )
