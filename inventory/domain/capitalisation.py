"""Investment or expense (investering or förbrukningsinventarie), the owner's rule: an
acquisition is capitalised — it carries a book value and is depreciated — when it costs
more than the threshold and is used at least the minimum time; else it is expensed when
bought. The common municipal threshold is half the purchase year's prisbasbelopp, and three
years (REFERENCE.md §1.3); municipalities set their own, in kronor or as a share of the
prisbasbelopp, and some test the devices of one purchase order together (200 PCs bought on
one order are one investment). Every device stays in the register either way. Pure: the
amounts come in as numbers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .text import N_

DEFAULT_SHARE = Decimal("0.5")
DEFAULT_MIN_MONTHS = 36


@dataclass(frozen=True)
class Rule:
    threshold_ore: int | None = None  # in kronor (öre) when set; else share × prisbasbelopp
    share_pbb: Decimal = DEFAULT_SHARE
    min_months: int = DEFAULT_MIN_MONTHS
    by_order: bool = False

    def threshold(self, prisbasbelopp_ore: int | None) -> int | None:
        """The amount to exceed, in öre; None when it is a share of a prisbasbelopp that is
        not known for the year."""
        if self.threshold_ore is not None:
            return self.threshold_ore
        if prisbasbelopp_ore is None:
            return None
        exact = Decimal(prisbasbelopp_ore) * self.share_pbb
        return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


class Reason(StrEnum):
    ABOVE = "above"  # costs more than the threshold and lives long enough
    ORDER_ABOVE = "order_above"  # its purchase order together costs more
    BELOW = "below"
    SHORT = "short"  # used less than the minimum time
    NO_BASBELOPP = "no_basbelopp"  # the purchase year's prisbasbelopp is not entered

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Reason.ABOVE: N_("Investment: costs more than the threshold, used long enough"),
    Reason.ORDER_ABOVE: N_("Investment: its purchase order together costs more than the threshold"),
    Reason.BELOW: N_("Expensed: costs no more than the threshold"),
    Reason.SHORT: N_("Expensed: used for less than the minimum time"),
    Reason.NO_BASBELOPP: N_("Expensed until the prisbasbelopp of its purchase year is entered"),
}


@dataclass(frozen=True)
class Decision:
    capitalised: bool
    reason: Reason
    tested_ore: int  # what was set against the threshold: the price, or the order's total
    threshold_ore: int | None


def decide(
    rule: Rule,
    *,
    price_ore: int,
    depreciation_months: int,
    prisbasbelopp_ore: int | None,
    order_total_ore: int | None = None,
) -> Decision:
    """`order_total_ore`: the prices of the devices of its purchase order together (its
    own included), when the owner tests orders together and the device has an order
    reference."""
    tested = order_total_ore if rule.by_order and order_total_ore is not None else price_ore
    threshold = rule.threshold(prisbasbelopp_ore)
    if depreciation_months < rule.min_months:
        return Decision(False, Reason.SHORT, tested, threshold)
    if threshold is None:
        return Decision(False, Reason.NO_BASBELOPP, tested, threshold)
    if tested <= threshold:
        return Decision(False, Reason.BELOW, tested, threshold)
    if price_ore > threshold:
        return Decision(True, Reason.ABOVE, tested, threshold)
    return Decision(True, Reason.ORDER_ABOVE, tested, threshold)
