"""Lifecycle rules on fixed reference dates: book value, due date and flags."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.dates import add_months
from inventory.domain.depreciation import book_value
from inventory.domain.lifecycle import AssetTerms, Flag, assess, replacement_due
from inventory.domain.statuses import Status

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
prices = st.integers(min_value=0, max_value=10_000_000_00)
months = st.integers(min_value=0, max_value=240)

# A PC bought for 12 490 kr, taken into use 15 August 2022: depreciated over 4 years, target 5.
PC = AssetTerms(
    purchase_date=date(2022, 8, 1),
    in_service_date=date(2022, 8, 15),
    price_ore=1_249_000,
    depreciation_months=48,
    target_lifespan_months=60,
)


@given(price=prices, start=days, period=months, a=days, b=days)
def test_book_value_never_rises_with_time(
    price: int, start: date, period: int, a: date, b: date
) -> None:
    earlier, later = sorted([a, b])
    assert book_value(price, start, period, later) <= book_value(price, start, period, earlier)


@given(price=prices, start=days, period=months, on=days)
def test_book_value_stays_between_zero_and_the_price(
    price: int, start: date, period: int, on: date
) -> None:
    assert 0 <= book_value(price, start, period, on) <= price


@given(price=prices, start=days, period=st.integers(min_value=1, max_value=240))
def test_book_value_is_zero_from_the_end_of_the_period(
    price: int, start: date, period: int
) -> None:
    assert book_value(price, start, period, add_months(start, period)) == 0
    assert book_value(price, start, period, start) == price


@given(start=days, target=months, eos=st.none() | days, override=st.none() | days)
def test_the_due_date_is_never_later_than_any_of_its_sources(
    start: date, target: int, eos: date | None, override: date | None
) -> None:
    due = replacement_due(start, target, eos, override)
    for source in (add_months(start, target), eos, override):
        if source is not None:
            assert due <= source
    assert due in {add_months(start, target), eos, override}


def test_a_pc_is_worth_half_after_two_years() -> None:
    assert assess(PC, today=date(2024, 8, 15)).book_value_ore == 624_500


def test_a_pc_taken_into_use_on_31_january_depreciates_by_calendar_months() -> None:
    terms = AssetTerms(
        purchase_date=date(2024, 1, 31),
        price_ore=480_000,
        depreciation_months=48,
        target_lifespan_months=60,
    )
    # 2024 is a leap year: a month after 31 January is 29 February.
    assert assess(terms, today=date(2024, 2, 28)).book_value_ore == 480_000
    assert assess(terms, today=date(2024, 2, 29)).book_value_ore == 470_000
    assert assess(terms, today=date(2024, 2, 29)).depreciation_end == date(2028, 1, 31)


def test_a_leap_day_start_ends_on_28_february() -> None:
    terms = AssetTerms(
        purchase_date=date(2024, 2, 29),
        price_ore=100_000,
        depreciation_months=12,
        target_lifespan_months=60,
    )
    assert assess(terms, today=date(2024, 3, 1)).depreciation_end == date(2025, 2, 28)


def test_depreciated_but_young_is_kept_not_replaced() -> None:
    facts = assess(PC, today=date(2026, 11, 23))
    assert facts.book_value_ore == 0
    assert Flag.DEPRECIATED_KEEP in facts.flags
    assert Flag.DUE_SOON in facts.flags and Flag.OVERDUE not in facts.flags
    assert facts.due_date == date(2027, 8, 15)


def test_past_the_target_lifespan_it_is_overdue() -> None:
    facts = assess(PC, today=date(2027, 8, 16))
    assert Flag.OVERDUE in facts.flags and Flag.DEPRECIATED_KEEP not in facts.flags


def test_end_of_support_brings_the_due_date_forward() -> None:
    chromebook = AssetTerms(
        purchase_date=date(2021, 8, 10),
        price_ore=350_000,
        depreciation_months=36,
        target_lifespan_months=60,
        end_of_support=date(2026, 6, 1),
    )
    facts = assess(chromebook, today=date(2026, 11, 23))
    assert facts.due_date == date(2026, 6, 1)
    assert {Flag.OVERDUE, Flag.END_OF_SUPPORT} <= set(facts.flags)


def test_warranty_ending_within_90_days() -> None:
    soon = AssetTerms(**{**PC.__dict__, "warranty_end": date(2026, 12, 31)})
    assert Flag.WARRANTY_ENDING in assess(soon, today=date(2026, 11, 23)).flags
    assert Flag.WARRANTY_ENDING not in assess(soon, today=date(2026, 9, 1)).flags
    assert Flag.WARRANTY_ENDING not in assess(soon, today=date(2027, 1, 1)).flags


def test_a_returned_young_device_is_a_reuse_candidate() -> None:
    back = AssetTerms(**{**PC.__dict__, "status": Status.RETURNED})
    assert Flag.REUSE_CANDIDATE in assess(back, today=date(2025, 1, 1)).flags
    assert Flag.REUSE_CANDIDATE not in assess(back, today=date(2028, 1, 1)).flags


def test_disposed_devices_carry_no_flags() -> None:
    gone = AssetTerms(**{**PC.__dict__, "status": Status.DISPOSED})
    assert assess(gone, today=date(2030, 1, 1)).flags == ()


@given(today=days)
def test_overdue_and_due_soon_never_come_together(today: date) -> None:
    flags = assess(PC, today=today).flags
    assert not (Flag.OVERDUE in flags and Flag.DUE_SOON in flags)


@given(today=days, horizon=st.integers(min_value=0, max_value=60))
def test_due_soon_means_due_within_the_horizon(today: date, horizon: int) -> None:
    terms = AssetTerms(**{**PC.__dict__, "horizon_months": horizon})
    facts = assess(terms, today=today)
    if Flag.DUE_SOON in facts.flags:
        assert today <= facts.due_date <= add_months(today, horizon)
    if Flag.OVERDUE in facts.flags:
        assert facts.due_date < today


def test_only_a_device_past_its_due_date_or_support_is_urgent() -> None:
    assert {flag for flag in Flag if flag.urgent} == {Flag.OVERDUE, Flag.END_OF_SUPPORT}
