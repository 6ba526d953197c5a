"""Money is exact: öre in, öre out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.errors import ValidationFailed
from inventory.domain.money import MAX_PRICE_ORE, format_sek, ore_to_sek, parse_sek


@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("12 345,50", 1_234_550),
        ("12345.5", 1_234_550),
        ("12\u00a0345 kr", 1_234_500),
        ("12.345,50", 1_234_550),
        ("0", 0),
        ("7 990:-", 799_000),
        ("9 999 SEK", 999_900),
    ],
)
def test_prices_are_read_as_swedes_type_them(typed: str, ore: int) -> None:
    assert parse_sek(typed) == ore


@pytest.mark.parametrize(
    "typed", ["", "abc", "-100", "12,345", "1,001", "NaN", "1e400", "12 345,505", "200000000"]
)
def test_bad_prices_are_refused_with_a_field_error(typed: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek(typed)
    assert "price" in err.value.errors


@given(st.integers(min_value=0, max_value=MAX_PRICE_ORE))
def test_formatting_and_parsing_round_trip_exactly(ore: int) -> None:
    assert parse_sek(format_sek(ore)) == ore


@given(st.integers(min_value=0, max_value=MAX_PRICE_ORE))
def test_ore_to_sek_is_exact(ore: int) -> None:
    assert ore_to_sek(ore) * 100 == Decimal(ore)


def test_swedish_format_groups_thousands_with_a_space() -> None:
    assert format_sek(1_234_550) == "12\u00a0345,50\u00a0kr"
