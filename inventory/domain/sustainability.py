"""The committee's sustainability figures (Agenda 2030 goal 12, DOMAIN.md) as rules: what
counts as a retirement, a hand-out and a reused device, the two KPIs' targets, and the
climate method (REFERENCE.md §3.3–3.4). Pure: the register's figures come in as numbers."""

from __future__ import annotations

from decimal import Decimal

from .statuses import DisposalKind, Status

# KPI "Lång livslängd och cirkulär användning av datorer": computers retired in the period
# were used five years on average.
LIFESPAN_TARGET_YEARS = Decimal(5)
# KPI "Minskat klimatavtryck på inköp av standarddatorer": −5 % a year.
CLIMATE_TARGET_CHANGE = Decimal("-0.05")
# The categories the KPIs count as computers unless INVENTORY_KPI_COMPUTERS says otherwise.
DEFAULT_KPI_COMPUTERS = ("pc", "chromebook")

# Ages are counted in days and given in years of 365.25 days (as the dashboard does).
DAYS_PER_YEAR = Decimal("365.25")

# The fleet: devices not yet delivered are not part of it, nor those that have left.
OUTSIDE_FLEET = (Status.ORDERED.value, Status.DISPOSED.value)
# A hand-out: a device given to a user from the stock, straight from delivery, or from the
# reuse pool; a device coming back from repair to its user is not handed out again.
HANDED_OUT_FROM = (Status.ORDERED.value, Status.IN_STOCK.value, Status.REUSE_POOL.value)
REUSED_FROM = Status.REUSE_POOL.value
# Devices that went to a departing owner's new IT organisation did not end their life.
NOT_RETIRED = (DisposalKind.HANDED_OVER.value,)


def years(days: Decimal | float) -> Decimal:
    return Decimal(str(days)) / DAYS_PER_YEAR


def average_years(total_days: Decimal | float | None, count: int) -> Decimal | None:
    """The average of `count` ages summed in days, in years; None with nothing to average."""
    if not count or total_days is None:
        return None
    return years(total_days) / count


def share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / whole if whole else None


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The relative change from `before` to `now` (−0.05 is 5 % less); None without a base."""
    if now is None or not before:
        return None
    return (now - before) / before


def lifespan_met(average: Decimal | None) -> bool | None:
    return None if average is None else average >= LIFESPAN_TARGET_YEARS


def climate_met(relative_change: Decimal | None) -> bool | None:
    return None if relative_change is None else relative_change <= CLIMATE_TARGET_CHANGE
