"""The report charts' geometry (inventory/web/charts.py), computed by hand."""

from __future__ import annotations

import pytest

from inventory.web import charts


def test_bars_are_scaled_to_a_round_top_with_the_target_inside() -> None:
    drawing = charts.draw(
        ["T1 2026", "T2 2026"],
        [charts.Series("Datorer", [4.0, None]), charts.Series("Surfplattor", [2.5, 3.0])],
        target=5.0,
        target_text="Mål 5 år",
    )
    # Largest 5 (the target): step 2 (5/4 = 1.25 rounds up to 2), top 6.
    assert [t.text for t in drawing.value_ticks] == ["0", "2", "4", "6"]
    plot_h = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert drawing.bottom_y == charts.TOP + plot_h
    assert drawing.target_y == round(drawing.bottom_y - plot_h * 5 / 6, 1)
    # Three bars: the missing value draws none. Each bar's top is its value on that scale.
    assert len(drawing.bars) == 3
    first = drawing.bars[0]
    assert first.y == round(drawing.bottom_y - plot_h * 4 / 6, 1)
    assert first.height == round(drawing.bottom_y - first.y, 1)
    assert first.title == "T1 2026 · Datorer: 4,0"
    # The second series' bars stand right of the first's within each period's slot.
    tablet_t2 = drawing.bars[2]
    assert tablet_t2.title == "T2 2026 · Surfplattor: 3,0"
    assert tablet_t2.x > drawing.bars[1].x
    assert [item.name for item in drawing.legend] == ["Datorer", "Surfplattor"]


def test_lines_leave_gaps_and_nothing_to_show_is_said() -> None:
    drawing = charts.draw(
        ["2024", "2025", "2026"],
        [charts.Series("kg", [None, 120, 1500.5])],
        kind="lines",
        decimals=0,
    )
    (line,) = drawing.lines
    assert len(line.dots) == 2 and line.points.count(",") == 2
    # Python rounds half to even: 1 500,5 is shown as 1 500.
    assert line.dots[1][2] == "2026 · kg: 1\u202f500"
    assert [t.text for t in drawing.value_ticks][-1] == "2\u202f000"
    empty = charts.draw(["T1"], [charts.Series("x", [None])])
    assert empty.empty and not empty.bars


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        charts.draw(["a"], [charts.Series("x", [1.0])], kind="pie")
