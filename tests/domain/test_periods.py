"""Reporting periods: tertials, the interim report, years and any from–to."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain import periods
from inventory.domain.errors import ValidationFailed

D = dt.date


def test_the_three_tertials_of_a_year() -> None:
    assert periods.tertial(2026, 1) == periods.Period(D(2026, 1, 1), D(2026, 4, 30), "T1 2026")
    assert periods.tertial(2026, 2) == periods.Period(D(2026, 5, 1), D(2026, 8, 31), "T2 2026")
    assert periods.tertial(2026, 3) == periods.Period(D(2026, 9, 1), D(2026, 12, 31), "T3 2026")
    with pytest.raises(ValueError):
        periods.tertial(2026, 4)


@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2099, 12, 31)))
def test_every_day_is_in_its_own_tertial_and_the_twelve_before_join_up(day: dt.date) -> None:
    here = periods.tertial_of(day)
    assert day in here
    twelve = periods.last_tertials(day)
    assert len(twelve) == 12 and twelve[-1] == here
    for earlier, later in itertools.pairwise(twelve):
        assert later.start == earlier.end + dt.timedelta(days=1)


def test_periods_from_the_query_string() -> None:
    today = D(2026, 12, 2)
    parse = periods.parse_period
    assert parse({}, today=today).name == "T3 2026"
    assert parse({"year": "2026", "tertial": "2"}, today=today).name == "T2 2026"
    assert parse({"year": "2025"}, today=today) == periods.year(2025)
    interim = parse({"year": "2026", "part": "interim"}, today=today)
    assert (interim.start, interim.end, interim.name) == (
        D(2026, 1, 1),
        D(2026, 8, 31),
        "jan–aug 2026",
    )
    custom = parse({"from": "2026-01-01", "to": "2026-03-15"}, today=today)
    assert (custom.start, custom.end) == (D(2026, 1, 1), D(2026, 3, 15))
    assert parse({"on": "2025-06-30"}, today=today).name == "T2 2025"


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        ({"year": "26"}, {"year"}),
        ({"year": "2026", "tertial": "4"}, {"tertial"}),
        ({"tertial": "1"}, {"year"}),
        ({"year": "2026", "part": "summer"}, {"part"}),
        ({"from": "2026-01-01"}, {"to"}),
        ({"from": "2026-03-01", "to": "2026-01-01"}, {"to"}),
        ({"on": "2026-02-30"}, {"on"}),
    ],
)
def test_bad_periods_name_the_field(args: dict[str, str], fields: set[str]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        periods.parse_period(args, today=D(2026, 12, 2))
    assert set(refused.value.errors) == fields
