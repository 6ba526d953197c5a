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


# --- the grammar of issue 10: each form accepted, with its öre value ---------------------


@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("12500", 1_250_000),
        ("12 500", 1_250_000),
        ("12\u00a0500", 1_250_000),  # no-break space, as format_sek writes
        ("12\u202f500", 1_250_000),  # narrow no-break space, as some keyboards and Excel write
        ("1 234 567", 123_456_700),
        ("12 500,50", 1_250_050),
        ("12500,50", 1_250_050),
        ("12500,5", 1_250_050),
        ("1.234,50", 123_450),
        ("1.234.567,00", 123_456_700),
        ("1.234.567", 123_456_700),  # two dot groups cannot be a decimal mark
        ("12.5", 1_250),
        ("12.50", 1_250),
        ("12 500.50", 1_250_050),
        ("12 500 kr", 1_250_000),
        ("12 500kr", 1_250_000),
        ("12 500 KR", 1_250_000),
        ("12 500,50 SEK", 1_250_050),
        ("12 500:-", 1_250_000),
        ("12 500,-", 1_250_000),
        ("  12 500  ", 1_250_000),
        ("0,50", 50),
    ],
)
def test_every_accepted_form_gives_its_exact_ore(typed: str, ore: int) -> None:
    assert parse_sek(typed) == ore


@pytest.mark.parametrize(
    "typed", ["12.500", "1,234", "1.234", "12,500", "12 345,505", "1.234,567", "12.500 kr"]
)
def test_a_single_dot_or_comma_before_exactly_three_digits_is_refused_as_ambiguous(
    typed: str,
) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek(typed)
    message = err.value.errors["price"]
    assert "could mean thousands or öre" in message
    for form in ("12500", "12 500", "12 500,50", "12500,50", "1.234,50"):
        assert form in message


@pytest.mark.parametrize(
    "typed",
    [
        "12 34",  # a group of two digits
        "1 2345",  # a group of four
        "1234 567",  # a first group of four
        "12  500",  # two spaces between groups
        "1.23,4",  # a dot group of two digits
        "1.234 567,00",  # dots and spaces mixed
        "12,345.50",  # English style: a comma group and a dot decimal
        "1.234.50",  # dots as both groups and decimal mark
        "12,",
        ",50",
        "+12",
        "12 500 kr kr",
    ],
)
def test_misplaced_or_mixed_groups_are_refused_with_the_accepted_forms(typed: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek(typed)
    message = err.value.errors["price"]
    for form in ("12500", "12 500", "12 500,50", "12500,50", "1.234,50"):
        assert form in message


def test_more_than_two_decimals_is_refused_as_fractions_of_ore() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek("12,3456")
    assert err.value.errors["price"] == "A price has at most two decimals (öre)."


@pytest.mark.parametrize("typed", ["-12 500", "\u221212 500"])
def test_a_negative_amount_is_refused_as_negative(typed: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek(typed)
    assert err.value.errors["price"] == "A price cannot be negative."


def test_the_error_is_put_on_the_field_asked_for() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_sek("12.500", field="standard_price")
    assert list(err.value.errors) == ["standard_price"]


@given(st.integers(min_value=0, max_value=MAX_PRICE_ORE))
def test_the_edit_forms_prefilled_amount_parses_back_exactly(ore: int) -> None:
    # The edit forms show format_sek without its " kr".
    assert parse_sek(format_sek(ore).removesuffix("\u00a0kr")) == ore


@given(
    st.integers(min_value=0, max_value=MAX_PRICE_ORE // 100),
    st.sampled_from([" ", "\u00a0", "\u202f"]),
)
def test_whole_kronor_in_any_grouping_read_the_same(kronor: int, space: str) -> None:
    plain = str(kronor)
    grouped = f"{kronor:,}".replace(",", space)
    dotted = f"{kronor:,}".replace(",", ".")
    assert parse_sek(plain) == parse_sek(grouped) == kronor * 100
    assert parse_sek(dotted + ",00") == kronor * 100
