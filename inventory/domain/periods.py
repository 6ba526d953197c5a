"""Reporting periods as the committee and the controllers name them: a tertial (T1
January–April, T2 May–August, T3 September–December), the interim report's January–August
(delår), a calendar year, or any from–to (REFERENCE.md §1.5). Pure: the date is a parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .dates import parse_date
from .errors import ValidationFailed
from .numbers import parse_whole
from .text import N_

# The earliest and latest years a report is asked for: the register holds nothing older.
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    # How people write it: "T2 2026", "2026", "jan–aug 2026", "2026-01-01–2026-03-15".
    name: str

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def tertial(year: int, number: int) -> Period:
    if number not in (1, 2, 3):
        raise ValueError(f"a tertial is 1, 2 or 3, not {number}")
    first_month = 4 * (number - 1) + 1
    start = dt.date(year, first_month, 1)
    end = dt.date(year + 1, 1, 1) if number == 3 else dt.date(year, first_month + 4, 1)
    return Period(start, end - dt.timedelta(days=1), f"T{number} {year}")


def tertial_of(day: dt.date) -> Period:
    return tertial(day.year, (day.month - 1) // 4 + 1)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), str(number))


def interim(number: int) -> Period:
    """January–August: the interim report (delårsrapport) of a year."""
    return Period(dt.date(number, 1, 1), dt.date(number, 8, 31), f"jan–aug {number}")


def last_tertials(day: dt.date, count: int = 12) -> list[Period]:
    """The `count` tertials up to and including the one `day` falls in, oldest first."""
    current = tertial_of(day)
    index = current.start.year * 3 + (current.start.month - 1) // 4
    out = []
    for n in range(index - count + 1, index + 1):
        out.append(tertial(n // 3, n % 3 + 1))
    return out


def parse_period(args: Mapping[str, str], *, today: dt.date) -> Period:
    """A period from a query string: `year` with `tertial` (1-3) or `part=interim`, `year`
    alone, `from` and `to`, or `on` (the tertial that day falls in); none of them: the
    current tertial. Field errors name the field."""
    errors: dict[str, str] = {}
    try:
        number = parse_whole(args.get("year"), MIN_YEAR, MAX_YEAR)
    except ValueError:
        errors["year"] = N_("The year must be a year from 2000 to 2100.")
        number = None
    try:
        third = parse_whole(args.get("tertial"), 1, 3)
    except ValueError:
        errors["tertial"] = N_("The tertial must be 1, 2 or 3.")
        third = None
    part = (args.get("part") or "").strip()
    if part and part != "interim":
        errors["part"] = N_("Unknown part of the year.")
    dates: dict[str, dt.date | None] = {}
    for name in ("from", "to", "on"):
        try:
            dates[name] = parse_date(args.get(name), field=name)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            dates[name] = None
        day = dates[name]
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            errors[name] = N_("The date must be in the years 2000 to 2100.")
            dates[name] = None
    if (third or part) and number is None and "year" not in errors:
        errors["year"] = N_("Give the year of the tertial.")
    start, end = dates["from"], dates["to"]
    if (start is None) != (end is None) and not errors:
        errors["from" if start is None else "to"] = N_("Give both the first and the last day.")
    if start and end and end < start:
        errors["to"] = N_("The last day is before the first.")
    if errors:
        raise ValidationFailed(errors)
    if number is not None and third is not None:
        return tertial(number, third)
    if number is not None and part == "interim":
        return interim(number)
    if number is not None:
        return year(number)
    if start is not None and end is not None:
        return Period(start, end, f"{start.isoformat()}–{end.isoformat()}")
    return tertial_of(dates["on"] or today)
