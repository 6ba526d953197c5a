"""Calendar rules. `today` is always a parameter."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from .errors import ValidationFailed
from .text import N_

INVALID_DATE = N_("Invalid date: use YYYY-MM-DD.")
# Exactly what the message asks for: not Python's wider ISO forms ("20250230", "2025-W09-7"),
# not one-digit months, not other scripts' digits.
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str | None, *, field: str = "date") -> date | None:
    """A date as typed (YYYY-MM-DD): None when nothing was typed (whether one is required is
    the caller's rule, so that an empty field says "required" and a wrong one says this);
    ValidationFailed({field: INVALID_DATE}) for a malformed or impossible date (2025-02-30)."""
    typed = (text or "").strip()
    if not typed:
        return None
    found = _ISO_DATE.fullmatch(typed)
    try:
        if found is None:
            raise ValueError(typed)
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise ValidationFailed({field: INVALID_DATE}) from None


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
