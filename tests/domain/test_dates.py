"""Calendar arithmetic: month ends and leap days."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.dates import add_months, months_between, parse_date
from inventory.domain.errors import ValidationFailed

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def test_31_january_plus_one_month_is_the_last_of_february() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_a_leap_day_plus_a_year_is_28_february() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_pcs_bought_in_august_2021_reach_five_years_in_august_2026() -> None:
    assert add_months(date(2021, 8, 15), 60) == date(2026, 8, 15)


@given(start=days, months=st.integers(min_value=-600, max_value=600))
def test_adding_months_moves_the_month_exactly(start: date, months: int) -> None:
    moved = add_months(start, months)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    # The same day of the month, or the month's last day where it has fewer.
    assert moved.day == min(start.day, calendar.monthrange(moved.year, moved.month)[1])


@given(start=days, months=st.integers(min_value=0, max_value=600))
def test_months_between_undoes_add_months(start: date, months: int) -> None:
    assert months_between(start, add_months(start, months)) == months


@given(a=days, b=days)
def test_months_between_is_monotonic(a: date, b: date) -> None:
    first, second = sorted([a, b])
    assert months_between(first, second) >= 0


# --- dates as typed (issue 10) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2025-02-28", date(2025, 2, 28)),
        ("2024-02-29", date(2024, 2, 29)),
        (" 2025-12-31 ", date(2025, 12, 31)),
    ],
)
def test_a_date_typed_as_yyyy_mm_dd_is_read(typed: str, day: date) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "2025-02-30",  # impossible: February has no 30th
        "2025-02-29",  # not a leap year
        "2025-13-01",
        "2025-00-10",
        "0000-01-01",
        "2025-2-3",  # one-digit month and day
        "20250228",  # Python accepts this ISO form; the message asks for YYYY-MM-DD
        "2025-W09-5",
        "28/02/2025",
        "2025-02-28T10:00",
        "yesterday",
        "２０２５-０２-２８",  # full-width digits
    ],
)
def test_a_malformed_or_impossible_date_says_invalid_date(typed: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_date(typed, field="purchase_date")
    assert err.value.errors == {"purchase_date": "Invalid date: use YYYY-MM-DD."}


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_nothing_typed_is_no_date_and_not_an_error(typed: str | None) -> None:
    assert parse_date(typed) is None


@given(days)
def test_every_date_reads_back_from_its_iso_form(day: date) -> None:
    assert parse_date(day.isoformat()) == day
