"""Calendar rules. `today` is always a parameter."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo


def add_months(start: date, months: int) -> date:
    """Calendar-correct: 31 January + 1 month is the last day of February."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    day = start.day
    # Every month has 28 days: only later days need the month's length (the flag job
    # calls this half a million times for 100 000 assets).
    if day > 28:
        day = min(day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (negative if end is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months


def age_years(start: date, today: date) -> float:
    return round(max((today - start).days, 0) / 365.25, 2)


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of an aware moment where the register is kept (INVENTORY_TIMEZONE):
    a device handed out at 00:30 in Sweden is handed out that day, not the day before in UTC."""
    if moment.tzinfo is None:
        raise ValueError("local_date needs an aware datetime (the register stores UTC)")
    return moment.astimezone(zone_info(zone)).date()
