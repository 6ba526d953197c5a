"""Date arithmetic in the database's own terms, for reports that aggregate in SQL: SQLite
counts days with julianday() and adds months with date(), PostgreSQL subtracts dates and
adds intervals. One function each, so that no query spells a dialect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, Integer, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement


def days_between(dialect: str, later: Any, earlier: Any) -> ColumnElement[Any]:
    """Whole days from `earlier` to `later` (negative when later is earlier)."""
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return cast(later - earlier, Float)


def add_months(dialect: str, day: Any, months: Any) -> ColumnElement[Any]:
    """`day` plus `months` calendar months, the last day of the month where the day does
    not exist (31 January + 1 month is 28/29 February), as domain/dates.add_months counts.
    PostgreSQL's interval arithmetic does so; SQLite's date() rolls over into the next month
    (3 March), which is then taken back to the end of the month before."""
    if dialect == "sqlite":
        rolled = func.date(day, func.printf("+%d months", months))
        return case(
            (
                func.strftime("%d", rolled) != func.strftime("%d", day),
                func.date(rolled, "start of month", "-1 day"),
            ),
            else_=rolled,
        )
    return cast(day + months * literal_column("interval '1 month'"), Date)


def least(dialect: str, *values: Any) -> ColumnElement[Any]:
    return func.min(*values) if dialect == "sqlite" else func.least(*values)


def greatest(dialect: str, *values: Any) -> ColumnElement[Any]:
    return func.max(*values) if dialect == "sqlite" else func.greatest(*values)


# Day numbers count from here on PostgreSQL (SQLite's are Julian days): only differences of
# day numbers mean anything.
_EPOCH: ColumnElement[Any] = literal_column("DATE '2000-01-01'")


def day_number(dialect: str, day: Any) -> ColumnElement[Any]:
    """The day as a whole number, for sums and comparisons over many rows that a date
    function per row would slow down."""
    if dialect == "sqlite":
        return cast(func.julianday(day), Integer)
    return cast(day - _EPOCH, Integer)


def day_number_of(dialect: str, day: dt.date) -> int:
    """The same number for a date known in Python."""
    if dialect == "sqlite":
        # julianday() of a date is its Julian day at midnight, x.5; cast drops the half.
        return day.toordinal() + 1_721_424
    return (day - dt.date(2000, 1, 1)).days
