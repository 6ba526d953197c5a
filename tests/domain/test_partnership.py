"""The §20 split's rules (domain/partnership.py): cost-key shares, the allocation, money
shares and compensation; examples, then properties over random fleets and keys."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.domain.errors import ValidationFailed
from inventory.domain.partnership import (
    Basis,
    SplitItem,
    Transfer,
    allocate,
    check_cost_key,
    largest_remainder,
    percent,
    settle,
    shares,
    transfers,
)

BORGHOLM, MORBYLANGA, JOINT = 1, 2, 3
KEY_2025 = {MORBYLANGA: 2002, BORGHOLM: 1658}


def item(n: int, value: int, site_owner: int | None = None, category: int = 1) -> SplitItem:
    return SplitItem(n, f"T-{n:04d}", category, site_owner, value, max(value, 100_000))


def test_the_2025_key_is_54_7_and_45_3_per_cent() -> None:
    exact = shares(KEY_2025)
    assert exact == {BORGHOLM: Fraction(1658, 3660), MORBYLANGA: Fraction(2002, 3660)}
    assert (str(percent(exact[MORBYLANGA])), str(percent(exact[BORGHOLM]))) == ("54.7", "45.3")


@pytest.mark.parametrize("users", [None, {}, {BORGHOLM: 1658}, {BORGHOLM: 1658, MORBYLANGA: 0}])
def test_a_missing_or_incomplete_key_is_an_error_naming_the_year(
    users: dict[int, int] | None,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_cost_key(2026, users)
    assert refused.value.field_params == {"cost_key": {"year": 2026}}


def test_a_municipality_without_users_is_left_out_of_the_key() -> None:
    assert check_cost_key(2026, {**KEY_2025, 4: 0}) == {BORGHOLM: 1658, MORBYLANGA: 2002}


def test_shares_in_money_add_up_to_the_total_by_largest_remainder() -> None:
    # 100 öre by 1658 : 2002: quotas 45.30 and 54.70 -> 45 and 54, the öre left to .70.
    assert largest_remainder(100, KEY_2025) == {BORGHOLM: 45, MORBYLANGA: 55}
    assert largest_remainder(1, {1: 1, 2: 1}) == {1: 1, 2: 0}  # a tie: the lower id


def test_with_three_sides_the_largest_debtor_pays_the_largest_creditor_first() -> None:
    assert transfers({1: -700, 2: 500, 3: 200}) == (Transfer(1, 2, 500), Transfer(1, 3, 200))
    assert transfers({1: 300, 2: -100, 3: -200}) == (Transfer(3, 1, 200), Transfer(2, 1, 100))
    assert transfers({1: 0, 2: 0}) == ()


def test_a_site_of_a_municipality_keeps_its_items_whatever_the_balance() -> None:
    result = allocate(KEY_2025, [item(1, 9_000_000, BORGHOLM), item(2, 100, MORBYLANGA)])
    assert [(a.to_owner_id, a.basis) for a in result.assignments] == [
        (BORGHOLM, Basis.SITE),
        (MORBYLANGA, Basis.SITE),
    ]
    (pay,) = result.settlement.transfers
    assert pay.from_owner_id == BORGHOLM and pay.to_owner_id == MORBYLANGA


def test_the_improvement_pass_finds_a_swap_the_greedy_pass_missed() -> None:
    """Equal keys, values 5, 4, 3, 3, 3 (in thousands; 18 in all, 9 each). Greedy, each to
    the side lacking more (a tie: the lower id): 5 -> A, 4 -> B, 3 -> B (B lacks 5, A 4),
    3 -> A (A lacks 4, B 2), 3 -> B (B lacks 2, A 1): A 8, B 10. No single item of B is
    below 2 to move; swapping B's 4 for A's 3 gives 9 : 9."""
    items = [item(n, v * 1000, JOINT) for n, v in enumerate([5, 4, 3, 3, 3], start=1)]
    result = allocate({1: 1, 2: 1}, items)
    assert result.settlement.transfers == ()
    assert {s.book_value_ore for s in result.settlement.sides} == {9000}


def test_adjustments_override_without_rebalancing() -> None:
    items = [item(1, 500, JOINT), item(2, 500, JOINT)]
    free = allocate({1: 1, 2: 1}, items)
    assert {a.to_owner_id for a in free.assignments} == {1, 2}
    pinned = allocate({1: 1, 2: 1}, items, {2: free.assignments[0].to_owner_id})
    assert [a.basis for a in pinned.assignments] == [Basis.BALANCE, Basis.ADJUSTED]
    assert pinned.assignments[1].proposed_owner_id == free.assignments[1].to_owner_id
    assert pinned.settlement.transfers == (
        Transfer(free.assignments[0].to_owner_id, free.assignments[1].to_owner_id, 500),
    )


# --- properties ---------------------------------------------------------------------------


@st.composite
def fleets(draw: st.DrawFn) -> tuple[dict[int, int], list[SplitItem], dict[int, int]]:
    """A key of 2 to 4 municipalities (ids 1..n; the joint owner 9 and a company 8 own sites
    too), items of any value (a third of them worthless) at any of those sites or none, and
    adjustments of some of them."""
    n = draw(st.integers(2, 4))
    key = {owner: draw(st.integers(1, 5000)) for owner in range(1, n + 1)}
    count = draw(st.integers(0, 40))
    site_owners = st.sampled_from([None, 9, 8, *key])
    values = st.one_of(st.just(0), st.integers(1, 50_000_000))
    items = [
        SplitItem(
            asset_id=100 + i,
            tag=f"IT-{draw(st.integers(0, 999)):03d}-{i}",
            category_id=draw(st.integers(1, 3)),
            site_owner_id=draw(site_owners),
            book_value_ore=draw(values),
            purchase_price_ore=draw(st.integers(0, 60_000_000)),
        )
        for i in range(count)
    ]
    chosen = draw(st.sets(st.sampled_from([i.asset_id for i in items]))) if items else set()
    adjustments = {a: draw(st.sampled_from(sorted(key))) for a in sorted(chosen)}
    return key, items, adjustments


@settings(max_examples=300, deadline=None)
@given(fleets())
def test_every_item_is_assigned_exactly_once_to_a_side_of_the_key(
    fleet: tuple[dict[int, int], list[SplitItem], dict[int, int]],
) -> None:
    key, items, adjustments = fleet
    result = allocate(key, items, adjustments)
    assert [a.asset_id for a in result.assignments] == [i.asset_id for i in items]
    assert all(a.to_owner_id in key and a.proposed_owner_id in key for a in result.assignments)
    assert sum(s.count for s in result.settlement.sides) == len(items)


@settings(max_examples=300, deadline=None)
@given(fleets())
def test_each_sides_items_and_compensation_equal_its_exact_share_to_the_ore(
    fleet: tuple[dict[int, int], list[SplitItem], dict[int, int]],
) -> None:
    key, items, adjustments = fleet
    settlement = allocate(key, items, adjustments).settlement
    total = sum(i.book_value_ore for i in items)
    assert settlement.joint_total_ore == total
    assert sum(s.share_ore for s in settlement.sides) == total
    received = {owner: 0 for owner in key}
    for t in settlement.transfers:
        assert t.ore > 0 and t.from_owner_id != t.to_owner_id
        received[t.from_owner_id] -= t.ore
        received[t.to_owner_id] += t.ore
    for side in settlement.sides:
        assert side.book_value_ore + received[side.owner_id] == side.share_ore
        # The share in öre is the exact fraction of the total, rounded by less than an öre.
        assert abs(side.share_ore - side.share * total) < 1
    assert len(settlement.transfers) <= len(key) - 1


@settings(max_examples=300, deadline=None)
@given(fleets())
def test_site_bound_items_go_to_the_sites_owner_unless_adjusted(
    fleet: tuple[dict[int, int], list[SplitItem], dict[int, int]],
) -> None:
    key, items, adjustments = fleet
    result = allocate(key, items, adjustments)
    for it, a in zip(items, result.assignments, strict=True):
        if it.asset_id in adjustments:
            assert (a.to_owner_id, a.basis) == (adjustments[it.asset_id], Basis.ADJUSTED)
        elif it.site_owner_id in key:
            assert (a.to_owner_id, a.basis) == (it.site_owner_id, Basis.SITE)
        else:
            assert a.basis is Basis.BALANCE and a.to_owner_id == a.proposed_owner_id


@settings(max_examples=200, deadline=None)
@given(fleets(), st.randoms(use_true_random=False))
def test_the_split_does_not_depend_on_the_order_of_the_items(
    fleet: tuple[dict[int, int], list[SplitItem], dict[int, int]], rng: random.Random
) -> None:
    key, items, adjustments = fleet
    shuffled = list(items)
    rng.shuffle(shuffled)
    first = {a.asset_id: a for a in allocate(key, items, adjustments).assignments}
    second = {a.asset_id: a for a in allocate(key, shuffled, adjustments).assignments}
    assert first == second


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.lists(st.integers(1, 50_000_000), min_size=1, max_size=40),
)
def test_two_sides_without_sites_are_balanced_within_the_largest_item(
    a: int, b: int, values: list[int]
) -> None:
    """What whole items cannot balance is less than the largest of them (plus the öre of
    rounding): greedy largest-first to the side furthest below leaves no more than that."""
    items = [item(n, v, JOINT) for n, v in enumerate(values)]
    settlement = allocate({1: a, 2: b}, items).settlement
    paid = sum(t.ore for t in settlement.transfers)
    assert paid <= max(values) + 1


def test_settling_a_split_of_nothing_pays_nothing() -> None:
    empty = settle(KEY_2025, {})
    assert empty.joint_total_ore == 0 and empty.transfers == ()
    assert [s.share_ore for s in empty.sides] == [0, 0]
