"""The refresh plan's rules: when a device comes due, in which budget quarter, and what its
replacement is estimated to cost. Pure: values in, values out; the date is a parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .dates import add_months
from .errors import ValidationFailed
from .lifecycle import replacement_due
from .numbers import parse_whole
from .text import N_

MAX_YEARS = 10
DEFAULT_YEARS = 5
# A what-if lifespan, in months: a month to twenty years.
MIN_LIFESPAN_MONTHS, MAX_LIFESPAN_MONTHS = 1, 240


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int  # 1-4

    @property
    def name(self) -> str:
        return f"Q{self.quarter} {self.year}"


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def plan_end(start: dt.date, years: int) -> dt.date:
    """The first day after the plan: `years` whole budget (calendar) years, the first the
    year of `start`, so that a plan from 2026-12-02 for five years covers 2026–2030."""
    return dt.date(start.year + years, 1, 1)


def due_date(
    start: dt.date, lifespan_months: int, end_of_support: dt.date | None, override: dt.date | None
) -> dt.date:
    """The lifecycle rules' due date (domain/lifecycle.py), with the plan's lifespan."""
    return replacement_due(start, lifespan_months, end_of_support, override)


def unit_cost_ore(standard_price_ore: int | None, category_average_ore: int | None) -> int | None:
    """What one replacement is estimated to cost: the model's standard price, else what the
    category's devices cost on average in the last two years; None when neither is known."""
    if standard_price_ore is not None:
        return standard_price_ore
    return category_average_ore


def average_window(start: dt.date) -> tuple[dt.date, dt.date]:
    """The purchases a category's average price is taken over: the two years before `start`
    (from inclusive, to exclusive)."""
    return add_months(start, -24), start


def parse_lifespans(args: Mapping[str, str], known: Mapping[str, int]) -> dict[str, int]:
    """The what-if's `lifespan.<category slug>=<months>` from a query string; `known` maps the
    category slugs there are to their current target lifespans. A lifespan equal to the
    current one is no change and is left out."""
    errors: dict[str, str] = {}
    lifespans: dict[str, int] = {}
    for name, raw in args.items():
        if not name.startswith("lifespan."):
            continue
        slug = name.removeprefix("lifespan.")
        value = (raw or "").strip()
        if not value:
            continue
        if slug not in known:
            errors[name] = N_("Unknown category.")
        elif not (value.isascii() and value.isdigit()) or not (
            MIN_LIFESPAN_MONTHS <= int(value) <= MAX_LIFESPAN_MONTHS
        ):
            errors[name] = N_("The lifespan must be a whole number of months from 1 to 240.")
        elif int(value) != known[slug]:
            lifespans[slug] = int(value)
    if errors:
        raise ValidationFailed(errors)
    return lifespans


def parse_years(raw: str | None) -> int:
    try:
        years = parse_whole(raw, 1, MAX_YEARS)
    except ValueError:
        raise ValidationFailed({"years": N_("The number of years must be from 1 to 10.")}) from None
    return DEFAULT_YEARS if years is None else years


def kg_text(kg: Decimal) -> str:
    """kg CO2e with one decimal, as JSON gives it."""
    return f"{kg.quantize(Decimal('0.1'))}"
