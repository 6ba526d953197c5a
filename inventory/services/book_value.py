"""The book value report for the controllers: on a date, per owner and category, the
capitalised devices on the books with their acquisition value, accumulated depreciation and
book value; the depreciation each of the next five years would bring (the budget's capital
cost, if every device stays) and each month of the date's year; and the devices expensed
when bought, apart.

Everything in SQL, grouped by owner and category. The books on a past day are the devices
in the register then and not yet disposed of (asset_span, the owner of that day), bought by
that day. Straight-line depreciation by whole months from the in-service date (else the
purchase date), as domain/depreciation.py computes it for one asset: the accumulated
depreciation after `m` whole months is price × m ÷ period, rounded down to öre. Whether a
device is an investment follows its owner's rule (domain/capitalisation.py) as now."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ..domain.statuses import Status
from ..models import Asset, AssetSpan, Category, Owner, Prisbasbelopp, User
from . import spans
from .reference_cache import reference_names

FUTURE_YEARS = 5


BookFilter = spans.DayFilter


@dataclass
class BookLine:
    owner: str
    owner_name: str
    category: str
    category_name: str
    count: int = 0
    acquisition_ore: int = 0
    accumulated_ore: int = 0
    # The depreciation of each of the next years (on's year first), and of each month of
    # on's year, in öre.
    by_year: list[int] = field(default_factory=list)
    by_month: list[int] = field(default_factory=list)
    # Devices of the owner's category on the books' day that were expensed when bought.
    expensed_count: int = 0
    expensed_ore: int = 0

    @property
    def book_value_ore(self) -> int:
        return self.acquisition_ore - self.accumulated_ore


@dataclass
class BookValue:
    filter: BookFilter
    lines: list[BookLine]
    years: list[int]

    def total(self) -> BookLine:
        out = BookLine("", "", "", "", by_year=[0] * len(self.years), by_month=[0] * 12)
        for line in self.lines:
            out.count += line.count
            out.acquisition_ore += line.acquisition_ore
            out.accumulated_ore += line.accumulated_ore
            out.expensed_count += line.expensed_count
            out.expensed_ore += line.expensed_ore
            out.by_year = [a + b for a, b in zip(out.by_year, line.by_year, strict=True)]
            out.by_month = [a + b for a, b in zip(out.by_month, line.by_month, strict=True)]
        return out


def _part(name: str, day: Any) -> ColumnElement[int]:
    return cast(func.extract(name, day), Integer)


_START = spans.START


def _accumulated(day: dt.date, rows: Any) -> ColumnElement[int]:
    """Σ-able over the grouped rows: their accumulated depreciation at the end of `day`, in
    öre: whole months from the start to the day (one less while the start's day of the
    month, or the month's last day where it is shorter, is not reached), between 0 and the
    period, each device rounded down to öre as domain/depreciation.py rounds it."""
    last = calendar.monthrange(day.year, day.month)[1]
    months = (day.year - rows.c.start_y) * 12 + (day.month - rows.c.start_m)
    anniversary = case((rows.c.start_d < last, rows.c.start_d), else_=literal(last))
    elapsed = months - case((anniversary > day.day, 1), else_=0)
    period = rows.c.period
    clamped = case((elapsed < 0, 0), (elapsed > period, period), else_=elapsed)
    # Integer division (//), as the domain's: SQLAlchemy's / divides as numbers, which
    # PostgreSQL's cast back to an integer would round instead of cutting.
    each = case((period <= 0, rows.c.price), else_=rows.c.price * clamped // period)
    return rows.c.n * each


def capitalised_sql() -> tuple[ColumnElement[bool], tuple[tuple[Any, Any], ...]]:
    """Whether the asset is an investment by its owner's rule, as SQL, with the two joins
    it needs: the purchase year's prisbasbelopp, the total of its purchase order."""
    order = (
        select(
            col(Asset.owner_id).label("owner_id"),
            col(Asset.order_ref).label("order_ref"),
            func.sum(Asset.price_ore).label("total"),
        )
        .where(col(Asset.order_ref).is_not(None), func.trim(col(Asset.order_ref)) != "")
        .group_by(col(Asset.owner_id), col(Asset.order_ref))
        .subquery("order_total")
    )
    pbb = select(Prisbasbelopp).subquery("pbb")
    rule = Owner.__table__.alias("rule_owner")  # type: ignore[attr-defined]
    threshold = func.coalesce(
        rule.c.capitalise_threshold_ore, func.round(pbb.c.amount_ore * rule.c.capitalise_share_pbb)
    )
    tested = case(
        (and_(rule.c.capitalise_by_order, order.c.total.is_not(None)), order.c.total),
        else_=col(Asset.price_ore),
    )
    decided = and_(
        col(Asset.depreciation_months) >= rule.c.capitalise_min_months,
        threshold.is_not(None),
        tested > threshold,
    )
    joins = (
        (rule, rule.c.id == col(Asset.owner_id)),
        (pbb, pbb.c.year == _part("year", col(Asset.purchase_date))),
        (order, and_(order.c.owner_id == col(Asset.owner_id),
                     order.c.order_ref == col(Asset.order_ref))),
    )  # fmt: skip
    return decided, joins


def book_value(session: Session, *, actor: User, flt: BookFilter) -> BookValue:
    on = flt.on
    owner_id, category_id = reference_names(session).owner_and_category_ids(flt.owner, flt.category)
    where: list[ColumnElement[bool]] = [
        *spans.covering(on),
        col(AssetSpan.status) != Status.DISPOSED.value,
        col(Asset.purchase_date) <= on,
        *spans.day_terms(actor, owner_id, category_id, flt.business_unit_id),
    ]
    years = list(range(on.year, on.year + FUTURE_YEARS))
    year_ends = [dt.date(on.year - 1, 12, 31)] + [dt.date(y, 12, 31) for y in years]
    month_ends = [dt.date(on.year - 1, 12, 31)] + [
        dt.date(on.year, m, calendar.monthrange(on.year, m)[1]) for m in range(1, 13)
    ]
    capitalised, joins = capitalised_sql()
    # The devices on the books, grouped first by what their depreciation depends on (many
    # share it: one order's devices), with the dates' parts taken once: the report's twenty
    # dates are then integer sums over these groups.
    key: tuple[Any, ...] = (
        col(AssetSpan.owner_id).label("owner_id"),
        col(Asset.category_id).label("category_id"),
        case((capitalised, 1), else_=0).label("invested"),
        col(Asset.price_ore).label("price"),
        col(Asset.depreciation_months).label("period"),
        _part("year", _START).label("start_y"),
        _part("month", _START).label("start_m"),
        _part("day", _START).label("start_d"),
    )
    grouped = (
        select(*key, func.count().label("n"))  # type: ignore[call-overload]
        .select_from(AssetSpan)
        .join(Asset, col(Asset.id) == col(AssetSpan.asset_id))
    )
    for table, condition in joins:
        grouped = grouped.outerjoin(table, condition)
    rows = grouped.where(*where).group_by(*key).cte("books").prefix_with("MATERIALIZED")
    invested = rows.c.invested == 1

    def when_invested(value: Any) -> Any:
        return func.sum(case((invested, value), else_=0))

    stmt = select(  # type: ignore[call-overload]
        rows.c.owner_id,
        rows.c.category_id,
        when_invested(rows.c.n),
        when_invested(rows.c.n * rows.c.price),
        when_invested(_accumulated(on, rows)),
        func.sum(case((invested, 0), else_=rows.c.n)),
        func.sum(case((invested, 0), else_=rows.c.n * rows.c.price)),
        *(when_invested(_accumulated(d, rows)) for d in year_ends),
        *(when_invested(_accumulated(d, rows)) for d in month_ends),
    ).group_by(rows.c.owner_id, rows.c.category_id)
    owners = {o.id: o for o in session.exec(select(Owner))}
    categories = {c.id: c for c in session.exec(select(Category))}
    lines = []
    for row in session.exec(stmt):
        owner_ref, category_ref, n, price, accumulated, expensed_n, expensed_ore = row[:7]
        at_year_ends = [int(v or 0) for v in row[7 : 7 + len(year_ends)]]
        at_month_ends = [int(v or 0) for v in row[7 + len(year_ends) :]]
        owner, category = owners[owner_ref], categories[category_ref]
        lines.append(
            BookLine(
                owner=owner.slug,
                owner_name=owner.name,
                category=category.slug,
                category_name=category.name,
                count=int(n or 0),
                acquisition_ore=int(price or 0),
                accumulated_ore=int(accumulated or 0),
                by_year=[b - a for a, b in pairwise(at_year_ends)],
                by_month=[b - a for a, b in pairwise(at_month_ends)],
                expensed_count=int(expensed_n or 0),
                expensed_ore=int(expensed_ore or 0),
            )
        )
    lines.sort(key=lambda x: (x.owner_name, x.category_name))
    return BookValue(filter=flt, lines=lines, years=years)
