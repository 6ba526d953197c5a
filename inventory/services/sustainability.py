"""The committee's sustainability report: the active fleet's average age against each
category's target lifespan, the lifespan of the devices retired in the period, the reuse
pool's hand-outs, the climate footprint of purchases and the emissions avoided by long use,
and the two KPIs for the computers, with their trend over twelve tertials.

Past days are answered from asset_span (the owner and status each asset had, day by day;
services/spans.py), so a report on a past tertial counts the fleet as it stood then and an
owner that has left only until its leaving day. Categories, business units, dates and prices are
the register's as they are now: a reclassification corrects the past too. Every figure is a
SQL aggregate grouped by owner and category (or by period); Python sees the groups.

A device registered after it was bought (a fleet taken over from a spreadsheet) counts from
the day its age counts from (in service, else bought) in the status it was registered
with: the register did not know it before, the fleet had it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Float, and_, case, cast, func, literal, or_, true, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ..domain import sustainability as rules
from ..domain.periods import Period, last_tertials, year
from ..domain.statuses import Status
from ..models import Asset, AssetSpan, Category, Model, Owner, User
from . import scope, spans
from .date_sql import add_months, day_number, day_number_of, days_between, greatest, least
from .reference_cache import reference_names

TREND_TERTIALS = 12
CLIMATE_YEARS = 6


@dataclass(frozen=True)
class ReportFilter:
    # The fleet as it stood at the end of this day.
    on: dt.date
    # Retirements, hand-outs and purchases in it.
    period: Period
    owner: str | None = None  # slug
    category: str | None = None  # slug
    business_unit_id: int | None = None
    # The categories the KPIs count as computers (INVENTORY_KPI_COMPUTERS).
    computers: tuple[str, ...] = rules.DEFAULT_KPI_COMPUTERS


@dataclass
class Item:
    """One owner's category: its active fleet on the day, its retirements and hand-outs in
    the period."""

    owner: str
    owner_name: str
    category: str
    category_name: str
    # The category's target lifespan; None for the total of several categories.
    target_years: Decimal | None
    active_count: int = 0
    age_days: Decimal = Decimal(0)
    retired_count: int = 0
    lifespan_days: Decimal = Decimal(0)
    handed_out_count: int = 0
    reused_count: int = 0

    @property
    def average_age_years(self) -> Decimal | None:
        return rules.average_years(self.age_days, self.active_count)

    @property
    def average_lifespan_at_retirement_years(self) -> Decimal | None:
        return rules.average_years(self.lifespan_days, self.retired_count)

    @property
    def reused_share(self) -> Decimal | None:
        return rules.share(self.reused_count, self.handed_out_count)


@dataclass(frozen=True)
class ClimateYear:
    """The computers (or the chosen category) bought in a year, to the report's day in its
    own year, and the emissions avoided that year by devices used past depreciation."""

    year: int
    until: dt.date  # the last day counted (31 December, or the report's day)
    bought: int
    without_footprint: int
    total_kg: Decimal
    avoided_kg: Decimal
    # What the year is compared with: the year before (the last, partial year: the same
    # days a year before), in kg CO2e; None when nothing was bought then.
    compared_kg: Decimal | None
    # Devices bought then without a footprint: the comparison is incomplete with any.
    compared_without_footprint: int = 0

    @property
    def met(self) -> bool | None:
        """The −5 % target against the year compared with; None when it cannot be judged
        (nothing bought then, or devices without a footprint)."""
        return rules.climate_met(self.change) if self.complete else None

    @property
    def complete(self) -> bool:
        """Every device bought in both years has a footprint: only then do the totals
        compare (a missing footprint would count as no emissions)."""
        return self.without_footprint == 0 and self.compared_without_footprint == 0

    @property
    def change(self) -> Decimal | None:
        """Against `compared_kg`: the KPI's −5 %."""
        return rules.change(self.total_kg, self.compared_kg)

    @property
    def per_device_kg(self) -> Decimal | None:
        counted = self.bought - self.without_footprint
        return self.total_kg / counted if counted else None


_NOTHING_BOUGHT = ClimateYear(
    year=0, until=dt.date.min, bought=0, without_footprint=0, total_kg=Decimal(0),
    avoided_kg=Decimal(0), compared_kg=None,
)  # fmt: skip


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    active_count: int
    average_age_years: Decimal | None
    retired_count: int
    average_lifespan_years: Decimal | None
    handed_out_count: int
    reused_count: int

    @property
    def reused_share(self) -> Decimal | None:
        return rules.share(self.reused_count, self.handed_out_count)


@dataclass(frozen=True)
class Kpi:
    # False when the filter chose a category that is not a computer: nothing to count.
    applies: bool
    computers: tuple[str, ...]  # category slugs
    computer_names: tuple[str, ...]
    active_count: int
    average_age_years: Decimal | None
    retired_count: int
    average_lifespan_years: Decimal | None
    lifespan_target_years: Decimal
    lifespan_met: bool | None
    handed_out_count: int
    reused_count: int
    # The computers bought this year to the day, against the same days a year before.
    bought_kg: Decimal
    bought_kg_before: Decimal | None
    climate_change: Decimal | None
    climate_target_change: Decimal
    # None when it cannot be judged: nothing bought a year before, or devices of either
    # year without a footprint.
    climate_met: bool | None
    bought_without_footprint: int

    @property
    def reused_share(self) -> Decimal | None:
        return rules.share(self.reused_count, self.handed_out_count)


@dataclass
class Sustainability:
    filter: ReportFilter
    items: list[Item]
    kpi: Kpi
    trend: list[TrendPoint]
    climate: list[ClimateYear] = field(default_factory=list)

    def total(self) -> Item:
        """All the items together (the table's last line)."""
        out = Item("", "", "", "", None)
        for item in self.items:
            out.active_count += item.active_count
            out.age_days += item.age_days
            out.retired_count += item.retired_count
            out.lifespan_days += item.lifespan_days
            out.handed_out_count += item.handed_out_count
            out.reused_count += item.reused_count
        return out


# --- the SQL ---------------------------------------------------------------------------

_START = spans.START
_EFFECTIVE_START = spans.EFFECTIVE_START
# When a device was handed out: its first span, registered as deployed, from the day it was
# taken into use (else bought), if earlier than its registration.
_HANDED_OUT_ON = spans.reaching_back_to(_START)


def _covering(day: Any) -> list[ColumnElement[bool]]:
    """Spans of the fleet at the end of `day` (a date or a date column). An owner that has
    left has no fleet after its leaving day, however late its handover was recorded."""
    return [
        *spans.covering(day),
        col(AssetSpan.status).not_in(rules.OUTSIDE_FLEET),
        _START <= day,
        or_(col(Owner.leaves_on).is_(None), col(Owner.leaves_on) >= day),
    ]


def _retired_in(start: dt.date, end: dt.date) -> list[ColumnElement[bool]]:
    return [
        col(AssetSpan.status) == Status.DISPOSED.value,
        col(AssetSpan.from_status).is_not(None),
        col(AssetSpan.from_status) != Status.DISPOSED.value,
        col(AssetSpan.started_on) >= start,
        col(AssetSpan.started_on) <= end,
        or_(
            col(Asset.disposal_kind).is_(None),
            col(Asset.disposal_kind).not_in(rules.NOT_RETIRED),
        ),
    ]


def _handed_out_in(start: dt.date, end: dt.date) -> list[ColumnElement[bool]]:
    return [
        col(AssetSpan.status) == Status.DEPLOYED.value,
        or_(
            col(AssetSpan.from_status).in_(rules.HANDED_OUT_FROM),
            col(AssetSpan.from_status).is_(None),
        ),
        _HANDED_OUT_ON >= start,
        _HANDED_OUT_ON <= end,
    ]


_REUSED = case((col(AssetSpan.from_status) == rules.REUSED_FROM, 1), else_=0)


@dataclass(frozen=True)
class _Context:
    dialect: str
    # WHERE terms on the span and its asset: scope and owner on the span's owner (then),
    # category and unit on the asset's.
    where: list[ColumnElement[bool]]
    # The same on the asset alone (its owner now), for purchases.
    asset_where: list[ColumnElement[bool]]
    owners: dict[int, Owner]
    categories: dict[int, Category]
    computer_ids: list[int]

    def spans(self, *columns: Any) -> Any:
        return (
            select(*columns)
            .select_from(AssetSpan)
            .join(Asset, col(Asset.id) == col(AssetSpan.asset_id))
            .join(Owner, col(Owner.id) == col(AssetSpan.owner_id))
            .where(*self.where)
        )


def _context(session: Session, actor: User, flt: ReportFilter) -> _Context:
    owner_id, category_id = reference_names(session).owner_and_category_ids(flt.owner, flt.category)
    categories = {c.id: c for c in session.exec(select(Category)) if c.id is not None}
    common: list[ColumnElement[bool]] = []
    if category_id is not None:
        common.append(col(Asset.category_id) == category_id)
    if flt.business_unit_id is not None:
        common.append(col(Asset.business_unit_id) == flt.business_unit_id)
    where = [scope.visible(actor, AssetSpan), *common]
    asset_where = [scope.visible(actor, Asset), *common]
    if owner_id is not None:
        where.append(col(AssetSpan.owner_id) == owner_id)
        asset_where.append(col(Asset.owner_id) == owner_id)
    return _Context(
        dialect=session.get_bind().dialect.name,
        where=where,
        asset_where=asset_where,
        owners={o.id: o for o in session.exec(select(Owner)) if o.id is not None},
        categories=categories,
        computer_ids=[i for i, c in categories.items() if c.slug in flt.computers],
    )


def sustainability(session: Session, *, actor: User, flt: ReportFilter) -> Sustainability:
    ctx = _context(session, actor, flt)
    items = _items(session, ctx, flt)
    trend = _trend(session, ctx, flt)
    climate = _climate(session, ctx, flt)
    # The KPIs are the computers': with another category chosen they have nothing to count
    # (the climate table then shows that category's purchases, not the computers').
    applies = flt.category is None or flt.category in flt.computers
    this_year = climate[-1] if applies else _NOTHING_BOUGHT
    computers = [i for i in items if i.category in flt.computers]
    active = sum(i.active_count for i in computers)
    retired = sum(i.retired_count for i in computers)
    lifespan = rules.average_years(sum(i.lifespan_days for i in computers), retired)
    return Sustainability(
        filter=flt,
        items=items,
        kpi=Kpi(
            applies=applies,
            computers=flt.computers,
            computer_names=tuple(ctx.categories[i].name for i in ctx.computer_ids),
            active_count=active,
            average_age_years=rules.average_years(sum(i.age_days for i in computers), active),
            retired_count=retired,
            average_lifespan_years=lifespan,
            lifespan_target_years=rules.LIFESPAN_TARGET_YEARS,
            lifespan_met=rules.lifespan_met(lifespan),
            handed_out_count=sum(i.handed_out_count for i in computers),
            reused_count=sum(i.reused_count for i in computers),
            bought_kg=this_year.total_kg,
            bought_kg_before=this_year.compared_kg,
            climate_change=this_year.change,
            climate_target_change=rules.CLIMATE_TARGET_CHANGE,
            climate_met=this_year.met,
            bought_without_footprint=this_year.without_footprint
            + this_year.compared_without_footprint,
        ),
        trend=trend,
        climate=climate,
    )


def _items(session: Session, ctx: _Context, flt: ReportFilter) -> list[Item]:
    on, period = flt.on, flt.period
    key = (col(AssetSpan.owner_id), col(Asset.category_id))
    lines: dict[tuple[int, int], Item] = {}

    def line(owner_id: int, category_id: int) -> Item:
        found = lines.get((owner_id, category_id))
        if found is None:
            owner, category = ctx.owners[owner_id], ctx.categories[category_id]
            found = lines[(owner_id, category_id)] = Item(
                owner.slug,
                owner.name,
                category.slug,
                category.name,
                Decimal(category.target_lifespan_months) / 12,
            )
        return found

    age = days_between(ctx.dialect, literal(on, Date), _START)
    for owner_id, category_id, n, days in session.exec(
        ctx.spans(*key, func.count(), func.sum(age)).where(*_covering(on)).group_by(*key)
    ):
        item = line(owner_id, category_id)
        item.active_count, item.age_days = n, _decimal(days)
    lived = days_between(ctx.dialect, col(AssetSpan.started_on), _START)
    for owner_id, category_id, n, days in session.exec(
        ctx.spans(*key, func.count(), func.sum(lived))
        .where(*_retired_in(period.start, period.end))
        .group_by(*key)
    ):
        item = line(owner_id, category_id)
        item.retired_count, item.lifespan_days = n, _decimal(days)
    for owner_id, category_id, n, reused in session.exec(
        ctx.spans(*key, func.count(), func.sum(_REUSED))
        .where(*_handed_out_in(period.start, period.end))
        .group_by(*key)
    ):
        item = line(owner_id, category_id)
        item.handed_out_count, item.reused_count = n, int(reused or 0)
    return sorted(lines.values(), key=lambda i: (i.owner_name, i.category_name))


def _trend(session: Session, ctx: _Context, flt: ReportFilter) -> list[TrendPoint]:
    """The computers' figures for each of the twelve tertials up to the one the fleet's day
    falls in, each counted to its last day (the last one to the fleet's day)."""
    periods = [
        Period(p.start, min(p.end, flt.on), p.name) for p in last_tertials(flt.on, TREND_TERTIALS)
    ]
    days = [p.end for p in periods]
    computers = col(Asset.category_id).in_(ctx.computer_ids)
    fleet = _fleet_on_days(session, ctx, days, computers)
    first, last = periods[0].start, periods[-1].end
    which = case(
        *((and_(col(AssetSpan.started_on) >= p.start, col(AssetSpan.started_on) <= p.end), i)
          for i, p in enumerate(periods)),
        else_=-1,
    )  # fmt: skip
    lived = days_between(ctx.dialect, col(AssetSpan.started_on), _START)
    retired = {
        i: (n, _decimal(total))
        for i, n, total in session.exec(
            ctx.spans(which, func.count(), func.sum(lived))
            .where(computers, *_retired_in(first, last))
            .group_by(which)
        )
    }
    which_start = case(
        *((and_(_HANDED_OUT_ON >= p.start, _HANDED_OUT_ON <= p.end), i)
          for i, p in enumerate(periods)),
        else_=-1,
    )  # fmt: skip
    handed = {
        i: (n, int(reused or 0))
        for i, n, reused in session.exec(
            ctx.spans(which_start, func.count(), func.sum(_REUSED))
            .where(computers, *_handed_out_in(first, last))
            .group_by(which_start)
        )
    }
    points = []
    for i, (p, d) in enumerate(zip(periods, days, strict=True)):
        n, total = fleet.get(d, (0, Decimal(0)))
        r, lifespan = retired.get(i, (0, Decimal(0)))
        h, reused = handed.get(i, (0, 0))
        points.append(
            TrendPoint(
                period=p,
                active_count=n,
                average_age_years=rules.average_years(total, n),
                retired_count=r,
                average_lifespan_years=rules.average_years(lifespan, r),
                handed_out_count=h,
                reused_count=reused,
            )
        )
    return points


# An open span's end, as a day number later than any report's.
_OPEN = 10_000_000


def _fleet_on_days(
    session: Session, ctx: _Context, days: Sequence[dt.date], *where: ColumnElement[bool]
) -> dict[dt.date, tuple[int, Decimal]]:
    """The fleet (count, summed age in days) at the end of each day, in one pass: the spans
    are first grouped by their day numbers (many devices share them), once, then joined to
    the days; at 100 000 assets, a date function per span and day was most of the report's
    time on SQLite."""
    d = ctx.dialect
    first = day_number(d, _EFFECTIVE_START).label("first")
    # A span ends when the next one starts, or with the day after its owner left.
    stop = least(
        d,
        func.coalesce(day_number(d, col(AssetSpan.ended_on)), _OPEN),
        func.coalesce(day_number(d, col(Owner.leaves_on)) + 1, _OPEN),
    ).label("stop")
    age_from = day_number(d, _START).label("age_from")
    grouped = (
        ctx.spans(first, stop, age_from, func.count().label("n"))
        .where(col(AssetSpan.status).not_in(rules.OUTSIDE_FLEET), *where)
        .group_by(first, stop, age_from)
        .cte("fleet_spans")
        .prefix_with("MATERIALIZED")
    )
    numbers = {day_number_of(d, day): day for day in days}
    day_rows = union_all(*(select(literal(n).label("n")) for n in numbers)).subquery()
    at = day_rows.c.n
    rows = session.exec(
        select(at, func.sum(grouped.c.n), func.sum(grouped.c.n * (at - grouped.c.age_from)))
        .select_from(grouped)
        .join(day_rows, true())
        .where(grouped.c.first <= at, grouped.c.stop > at, grouped.c.age_from <= at)
        .group_by(at)
    )
    return {numbers[int(n)]: (int(count), _decimal(total)) for n, count, total in rows}


def _climate(session: Session, ctx: _Context, flt: ReportFilter) -> list[ClimateYear]:
    """The last six years to the report's day: purchases of the computers (or of the chosen
    category), each year against the one before (the last, partial year against the same
    days a year before), and the emissions avoided each year."""
    last = min(flt.period.end, flt.on)
    years = list(range(last.year - CLIMATE_YEARS + 1, last.year + 1))
    # The years counted: each one whole, the last to the day, and the year before the first
    # (the first one's comparison), and the same days a year before the last.
    windows = [year(y) for y in [years[0] - 1, *years]]
    windows[-1] = Period(windows[-1].start, last, windows[-1].name)
    same_days = _year_before(last)
    bought = {i: _bought(session, ctx, flt, w) for i, w in enumerate([*windows, same_days])}
    avoided = _avoided(session, ctx, flt, windows[1:])
    out = []
    for i, y in enumerate(years, start=1):
        n, without, kg = bought[i]
        base = bought[len(windows)] if i == len(windows) - 1 else bought[i - 1]
        out.append(
            ClimateYear(
                year=y,
                until=windows[i].end,
                bought=n,
                without_footprint=without,
                total_kg=kg,
                avoided_kg=avoided[i - 1],
                compared_kg=base[2] if base[0] else None,
                compared_without_footprint=base[1],
            )
        )
    return out


def _selected(ctx: _Context, flt: ReportFilter) -> list[ColumnElement[bool]]:
    """The climate figures' devices: the chosen category, else the computers."""
    if flt.category:
        return ctx.asset_where
    return [*ctx.asset_where, col(Asset.category_id).in_(ctx.computer_ids)]


def _bought(
    session: Session, ctx: _Context, flt: ReportFilter, window: Period
) -> tuple[int, int, Decimal]:
    """How many devices were bought in the window, how many of them without a footprint,
    and their footprints' sum in kg CO2e."""
    n, with_footprint, kg = session.exec(
        select(func.count(), func.count(col(Model.carbon_kg)), func.sum(col(Model.carbon_kg)))
        .select_from(Asset)
        .join(Model, col(Model.id) == col(Asset.model_id))
        .where(*_selected(ctx, flt))
        .where(col(Asset.purchase_date) >= window.start, col(Asset.purchase_date) <= window.end)
    ).one()
    return int(n), int(n) - int(with_footprint), _decimal(kg)


def _avoided(
    session: Session, ctx: _Context, flt: ReportFilter, windows: Sequence[Period]
) -> list[Decimal]:
    """For each window: Σ footprint × (days used in it past the depreciation period) ÷
    (days of the period), over the devices with a footprint (domain/sustainability.py).
    The devices are grouped first by the day their period ended and the day they left,
    with their kg per day summed, once; then each window takes its overlap of days."""
    d = ctx.dialect
    gone = (
        select(col(AssetSpan.asset_id), col(AssetSpan.started_on).label("left_on"))
        .where(col(AssetSpan.status) == Status.DISPOSED.value, col(AssetSpan.ended_on).is_(None))
        .subquery()
    )
    written_off = add_months(d, _START, col(Asset.depreciation_months))
    period_days = days_between(d, written_off, _START)
    begin = day_number(d, written_off).label("begin")
    # It left the register, or its owner left the partnership.
    left = least(
        d,
        func.coalesce(day_number(d, gone.c.left_on), _OPEN),
        func.coalesce(day_number(d, col(Owner.leaves_on)) + 1, _OPEN),
    ).label("left")
    past = (
        # As a float: the footprint column's one decimal would round each device's share.
        select(
            begin, left, func.sum(_as_float(col(Model.carbon_kg)) / period_days).label("kg_per_day")
        )
        .select_from(Asset)
        .join(Model, col(Model.id) == col(Asset.model_id))
        .join(Owner, col(Owner.id) == col(Asset.owner_id))
        .outerjoin(gone, gone.c.asset_id == col(Asset.id))
        .where(*_selected(ctx, flt), col(Model.carbon_kg).is_not(None), period_days > 0)
        .group_by(begin, left)
        .cte("past_depreciation")
        .prefix_with("MATERIALIZED")
    )
    rows = union_all(
        *(
            select(
                literal(i).label("i"),
                literal(day_number_of(d, w.start)).label("first"),
                literal(day_number_of(d, w.end) + 1).label("stop"),
            )
            for i, w in enumerate(windows)
        )
    ).subquery()
    until = least(d, past.c.left, rows.c.stop)
    since = greatest(d, past.c.begin, rows.c.first)
    totals = {
        i: _decimal(total)
        for i, total in session.exec(
            select(rows.c.i, _as_float(func.sum(past.c.kg_per_day * (until - since))))
            .select_from(past)
            .join(rows, true())
            .where(until > since)
            .group_by(rows.c.i)
        )
    }
    return [totals.get(i, Decimal(0)) for i in range(len(windows))]


def _year_before(last: dt.date) -> Period:
    """1 January to `last`'s day, a year earlier (28 February for the 29th)."""
    try:
        until = last.replace(year=last.year - 1)
    except ValueError:
        until = last.replace(year=last.year - 1, day=28)
    return Period(dt.date(until.year, 1, 1), until, str(until.year))


def _as_float(value: Any) -> ColumnElement[float]:
    return cast(value, Float)


def _decimal(value: object) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _as_date(value: object) -> dt.date:
    """A date as the database returns it (SQLite: text from a literal)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
