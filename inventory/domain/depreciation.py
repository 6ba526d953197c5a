"""Book value: straight-line depreciation by whole months from the in-service date
(municipal practice under RKR R4: depreciation starts when the asset is taken into use)."""

from __future__ import annotations

from datetime import date

from .dates import months_between


def depreciation_start(purchase_date: date, in_service_date: date | None) -> date:
    """Depreciation and age count from the day the asset was taken into use (RKR R4), or
    from the purchase when that day is not known."""
    return in_service_date or purchase_date


def book_value(price_ore: int, start: date, months: int, on: date) -> int:
    """What is left of the price after the months that have passed by `on`, in öre.
    Never below zero, never above the price; a period of 0 months is expensed at once."""
    if months <= 0:
        return 0
    elapsed = min(max(months_between(start, on), 0), months)
    return price_ore - price_ore * elapsed // months
