"""Investment or expense by the owner's rule, against amounts worked out by hand: the
prisbasbelopp of 2025 is 58 800 kr, half of it 29 400 kr."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.capitalisation import Reason, Rule, decide

PBB_2025 = 58_800_00
HALF = 29_400_00


def test_the_default_rule_is_more_than_half_a_prisbasbelopp_and_three_years() -> None:
    rule = Rule()
    assert rule.threshold(PBB_2025) == HALF
    at = decide(rule, price_ore=HALF, depreciation_months=48, prisbasbelopp_ore=PBB_2025)
    assert (at.capitalised, at.reason) == (False, Reason.BELOW)  # not more than
    over = decide(rule, price_ore=HALF + 1, depreciation_months=48, prisbasbelopp_ore=PBB_2025)
    assert (over.capitalised, over.reason, over.threshold_ore) == (True, Reason.ABOVE, HALF)
    short = decide(rule, price_ore=90_000_00, depreciation_months=35, prisbasbelopp_ore=PBB_2025)
    assert (short.capitalised, short.reason) == (False, Reason.SHORT)
    assert decide(
        rule, price_ore=HALF + 1, depreciation_months=36, prisbasbelopp_ore=PBB_2025
    ).capitalised


def test_a_purchase_order_tested_together() -> None:
    """200 PCs at 12 490 kr on one order: 2 498 000 kr together, one investment."""
    together = Rule(by_order=True)
    order = 200 * 12_490_00
    pc = decide(together, price_ore=12_490_00, depreciation_months=48,
                prisbasbelopp_ore=PBB_2025, order_total_ore=order)  # fmt: skip
    assert (pc.capitalised, pc.reason, pc.tested_ore) == (True, Reason.ORDER_ABOVE, order)
    alone = decide(Rule(), price_ore=12_490_00, depreciation_months=48,
                   prisbasbelopp_ore=PBB_2025, order_total_ore=order)  # fmt: skip
    assert (alone.capitalised, alone.reason, alone.tested_ore) == (False, Reason.BELOW, 12_490_00)
    # A single server above the threshold on an order is an investment in its own right.
    server = decide(together, price_ore=110_000_00, depreciation_months=60,
                    prisbasbelopp_ore=PBB_2025, order_total_ore=110_000_00)  # fmt: skip
    assert server.reason is Reason.ABOVE


def test_a_threshold_in_kronor_and_a_missing_prisbasbelopp() -> None:
    helsingborg = Rule(threshold_ore=100_000_00)  # more than 100 000 kr, REFERENCE §1.3
    assert decide(helsingborg, price_ore=99_999_00, depreciation_months=60,
                  prisbasbelopp_ore=None).reason is Reason.BELOW  # fmt: skip
    unknown = decide(Rule(), price_ore=90_000_00, depreciation_months=60, prisbasbelopp_ore=None)
    assert (unknown.capitalised, unknown.reason) == (False, Reason.NO_BASBELOPP)
    # A share is rounded to whole öre: a third of 58 800 kr is 19 600 kr.
    assert Rule(share_pbb=Decimal("0.33")).threshold(PBB_2025) == 19_404_00


@given(
    price=st.integers(0, 10**9),
    order=st.one_of(st.none(), st.integers(0, 10**10)),
    months=st.integers(0, 120),
    by_order=st.booleans(),
    threshold=st.one_of(st.none(), st.integers(0, 10**8)),
)
def test_capitalised_exactly_when_long_enough_and_above(
    price: int, order: int | None, months: int, by_order: bool, threshold: int | None
) -> None:
    rule = Rule(threshold_ore=threshold, by_order=by_order)
    d = decide(rule, price_ore=price, depreciation_months=months, prisbasbelopp_ore=PBB_2025,
               order_total_ore=order)  # fmt: skip
    limit = HALF if threshold is None else threshold
    tested = order if by_order and order is not None else price
    assert d.tested_ore == tested
    assert d.capitalised == (months >= 36 and tested > limit)
