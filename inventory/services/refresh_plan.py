"""The refresh plan for procurement: how many devices come due per budget year and quarter,
owner and category, what replacing them is estimated to cost and their embodied CO2e, the
backlog already overdue, and what the reuse pool can cover — under today's lifespans or a
what-if. The fleet is the one of the plan's first day, from asset_span (a plan from a past
day plans what was in the register then, by its owner of then; from today on, what is in it
now). It is grouped in SQL (owner, category, model, start date, override): Python sees the
groups, never every asset."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain import refresh_plan as rules
from ..domain.statuses import Status
from ..models import Asset, AssetSpan, Category, Manufacturer, Model, Owner, User
from . import scope, spans
from .reference_cache import reference_names


@dataclass(frozen=True)
class PlanFilter:
    start: dt.date
    years: int = rules.DEFAULT_YEARS
    owner: str | None = None  # slug
    category: str | None = None  # slug
    business_unit_id: int | None = None
    # What-if lifespans in months by category slug; empty for today's rules.
    lifespans: dict[str, int] = field(default_factory=dict)


@dataclass
class PlanLine:
    """Devices coming due in one quarter (None for the backlog) of one owner and category."""

    year: int | None
    quarter: int | None
    owner: str  # slug
    owner_name: str
    category: str  # slug
    category_name: str
    count: int = 0
    cost_ore: int = 0
    # Devices with neither a model price nor a category average: not in cost_ore.
    unpriced: int = 0
    co2e_kg: Decimal = Decimal(0)
    # Devices whose model has no carbon footprint: not in co2e_kg.
    no_footprint: int = 0


@dataclass(frozen=True)
class PoolCover:
    """What the reuse pool holds now of an owner's category, and how many of the plan's
    devices (backlog first) it could replace."""

    owner: str
    owner_name: str
    category: str
    category_name: str
    in_pool: int
    covers: int


@dataclass
class Plan:
    filter: PlanFilter
    # The lifespan each category is planned with, in months (a what-if's or today's).
    lifespans: dict[str, int]
    items: list[PlanLine]
    backlog: list[PlanLine]
    reuse_pool: list[PoolCover]

    @property
    def years(self) -> list[int]:
        return list(range(self.filter.start.year, self.filter.start.year + self.filter.years))

    def totals_by_year(self) -> dict[int, PlanLine]:
        """Per budget year, all owners and categories (the chart and the budget's total)."""
        totals = {year: _total(year) for year in self.years}
        for line in self.items:
            _add(totals[line.year], line)  # type: ignore[index]
        return totals

    def budget(self) -> dict[tuple[str, int], PlanLine]:
        """Per owner and budget year: the investment budget's shape, the backlog in the first
        year (it is to be bought now)."""
        out: dict[tuple[str, int], PlanLine] = {}
        first = self.filter.start.year
        for line in [*self.backlog, *self.items]:
            year = line.year if line.year is not None else first
            key = (line.owner, year)
            if key not in out:
                out[key] = PlanLine(year, None, line.owner, line.owner_name, "", "")
            _add(out[key], line)
        return dict(sorted(out.items(), key=lambda kv: (kv[1].owner_name, kv[0][1])))

    def backlog_total(self) -> PlanLine:
        total = _total(None)
        for line in self.backlog:
            _add(total, line)
        return total


def _total(year: int | None) -> PlanLine:
    return PlanLine(year, None, "", "", "", "")


def _add(into: PlanLine, line: PlanLine) -> None:
    into.count += line.count
    into.cost_ore += line.cost_ore
    into.unpriced += line.unpriced
    into.co2e_kg += line.co2e_kg
    into.no_footprint += line.no_footprint


def category_lifespans(session: Session) -> dict[str, int]:
    """Each category's target lifespan today, by slug (what the what-if is checked against)."""
    return {
        slug: months
        for slug, months in session.exec(select(Category.slug, Category.target_lifespan_months))
    }


@dataclass(frozen=True)
class _Context:
    """What a plan and its devices are computed with: the filter's WHERE terms, the
    reference rows, each category's planned lifespan and average price, the plan's end."""

    # The fleet on the plan's first day (asset_span; today's for a plan from today on): the
    # owner of that day, the filters; the rows are asset_span joined to asset.
    where: list[Any]
    # The same on the asset alone, as it is now: the averages paid and the reuse pool.
    asset_where: list[Any]
    owners: dict[int | None, Owner]
    categories: dict[int | None, Category]
    # model id -> (standard price, end of support, kg CO2e)
    models: dict[int | None, tuple[int | None, dt.date | None, Decimal | None]]
    lifespans: dict[str, int]
    averages: dict[int, int]
    end: dt.date

    def placed(
        self, flt: PlanFilter, owner: Owner, due: dt.date
    ) -> tuple[int | None, int | None] | None:
        """The (year, quarter) a device due on `due` is planned in, (None, None) for the
        backlog, None when the plan does not hold it."""
        if due >= self.end:
            return None
        # An owner that leaves the partnership replaces nothing after it has left.
        if owner.leaves_on is not None and max(due, flt.start) > owner.leaves_on:
            return None
        if due < flt.start:
            return None, None
        q = rules.quarter_of(due)
        return q.year, q.quarter


def _context(session: Session, actor: User, flt: PlanFilter) -> _Context:
    owner_id, category_id = reference_names(session).owner_and_category_ids(flt.owner, flt.category)
    categories = {c.id: c for c in session.exec(select(Category))}
    common: list[Any] = []
    if category_id is not None:
        common.append(col(Asset.category_id) == category_id)
    if flt.business_unit_id is not None:
        common.append(col(Asset.business_unit_id) == flt.business_unit_id)
    where = [
        *spans.covering(flt.start),
        col(AssetSpan.status) != Status.DISPOSED.value,
        scope.visible(actor, AssetSpan),
        *common,
    ]
    asset_where = [scope.visible(actor, Asset), *common]
    if owner_id is not None:
        where.append(col(AssetSpan.owner_id) == owner_id)
        asset_where.append(col(Asset.owner_id) == owner_id)
    # The category's average price paid in the two years before the plan starts: the
    # estimate for models without a standard price.
    since, until = rules.average_window(flt.start)
    averages = {
        cat: int(avg)
        for cat, avg in session.exec(
            select(Asset.category_id, func.avg(Asset.price_ore))
            .where(col(Asset.purchase_date) >= since, col(Asset.purchase_date) < until)
            .where(*asset_where)
            .group_by(col(Asset.category_id))
        )
        if avg is not None
    }
    models = {
        m_id: (price, eos, carbon)
        for m_id, price, eos, carbon in session.exec(
            select(
                col(Model.id),
                col(Model.standard_price_ore),
                col(Model.end_of_support),
                col(Model.carbon_kg),
            )
        )
    }
    return _Context(
        where=where,
        asset_where=asset_where,
        owners={o.id: o for o in session.exec(select(Owner))},
        categories=categories,
        models=models,
        lifespans={
            c.slug: flt.lifespans.get(c.slug, c.target_lifespan_months) for c in categories.values()
        },
        averages=averages,
        end=rules.plan_end(flt.start, flt.years),
    )


_START_DATE = spans.START
_SPAN_OF_ASSET = col(AssetSpan.asset_id) == col(Asset.id)


def refresh_plan(session: Session, *, actor: User, flt: PlanFilter) -> Plan:
    ctx = _context(session, actor, flt)
    groups = session.exec(
        select(  # type: ignore[call-overload]
            AssetSpan.owner_id,
            Asset.category_id,
            Asset.model_id,
            _START_DATE,
            Asset.due_override,
            Asset.end_of_support,
            func.count(),
        )
        .select_from(Asset)
        .join(AssetSpan, _SPAN_OF_ASSET)
        .where(*ctx.where)
        .group_by(
            AssetSpan.owner_id,
            Asset.category_id,
            Asset.model_id,
            _START_DATE,
            Asset.due_override,
            Asset.end_of_support,
        )
    )
    lines: dict[tuple[int | None, int | None, int, int], PlanLine] = {}
    for owner_ref, category_ref, model_ref, started, override, own_support, n in groups:
        owner = ctx.owners[owner_ref]
        category = ctx.categories[category_ref]
        price, model_support, carbon = ctx.models[model_ref]
        # The device's own end of support before its model's (services/support.py).
        end_of_support = own_support or model_support
        due = rules.due_date(
            _as_date(started), ctx.lifespans[category.slug], end_of_support, override
        )
        slot = ctx.placed(flt, owner, due)
        if slot is None:
            continue
        year, quarter = slot
        key = (year, quarter, owner_ref, category_ref)
        line = lines.get(key)
        if line is None:
            line = lines[key] = PlanLine(
                year, quarter, owner.slug, owner.name, category.slug, category.name
            )
        unit = rules.unit_cost_ore(price, ctx.averages.get(category_ref))
        line.count += n
        if unit is None:
            line.unpriced += n
        else:
            line.cost_ore += unit * n
        if carbon is None:
            line.no_footprint += n
        else:
            line.co2e_kg += Decimal(carbon) * n

    def order(line: PlanLine) -> tuple[int, int, str, str]:
        return (line.year or 0, line.quarter or 0, line.owner_name, line.category_name)

    items = sorted((x for x in lines.values() if x.year is not None), key=order)
    backlog = sorted((x for x in lines.values() if x.year is None), key=order)
    return Plan(
        filter=flt,
        lifespans=ctx.lifespans,
        items=items,
        backlog=backlog,
        reuse_pool=_pool_cover(
            session, ctx.asset_where, ctx.owners, ctx.categories, [*backlog, *items]
        ),
    )


@dataclass(frozen=True)
class DeviceDue:
    """One device behind a figure of the plan."""

    tag: str
    model: str
    owner: str  # name
    category: str  # name
    start: dt.date  # in service, else purchase
    due: dt.date
    unit_cost_ore: int | None
    co2e_kg: Decimal | None


def plan_devices(
    session: Session,
    *,
    actor: User,
    flt: PlanFilter,
    owner: str,
    category: str,
    year: int | None,
    quarter: int | None,
) -> list[DeviceDue]:
    """The devices behind one line of the plan (year and quarter None: the backlog), by due
    date: the owner's and category's active devices, each judged by the plan's rule."""
    narrowed = replace(flt, owner=owner, category=category)
    ctx = _context(session, actor, narrowed)
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Asset.tag,
            Asset.model_id,
            AssetSpan.owner_id,
            Asset.category_id,
            _START_DATE,
            Asset.due_override,
            Asset.end_of_support,
            Manufacturer.name,
            Model.name,
        )
        .join(AssetSpan, _SPAN_OF_ASSET)
        .join(Model, col(Model.id) == Asset.model_id)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .where(*ctx.where)
    )
    out = []
    for tag, model_ref, owner_ref, category_ref, started, override, own, maker, name in rows:
        price, model_support, carbon = ctx.models[model_ref]
        end_of_support = own or model_support
        category_row = ctx.categories[category_ref]
        begin = _as_date(started)
        due = rules.due_date(begin, ctx.lifespans[category_row.slug], end_of_support, override)
        if ctx.placed(narrowed, ctx.owners[owner_ref], due) != (year, quarter):
            continue
        out.append(
            DeviceDue(
                tag=tag,
                model=f"{maker} {name}",
                owner=ctx.owners[owner_ref].name,
                category=category_row.name,
                start=begin,
                due=due,
                unit_cost_ore=rules.unit_cost_ore(price, ctx.averages.get(category_ref)),
                co2e_kg=carbon,
            )
        )
    return sorted(out, key=lambda d: (d.due, d.tag))


def _pool_cover(
    session: Session,
    where: list,  # type: ignore[type-arg]
    owners: dict[int | None, Owner],
    categories: dict[int | None, Category],
    lines: list[PlanLine],
) -> list[PoolCover]:
    pool = session.exec(
        select(Asset.owner_id, Asset.category_id, func.count())
        .where(col(Asset.status) == Status.REUSE_POOL.value, *where)
        .group_by(col(Asset.owner_id), col(Asset.category_id))
    )
    due: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        due[(line.owner, line.category)] += line.count
    out = []
    for owner_ref, category_ref, n in pool:
        owner, category = owners[owner_ref], categories[category_ref]
        covers = min(n, due.get((owner.slug, category.slug), 0))
        out.append(PoolCover(owner.slug, owner.name, category.slug, category.name, n, covers))
    return sorted(out, key=lambda p: (p.owner_name, p.category_name))


def _as_date(value: object) -> dt.date:
    # SQLite hands a COALESCE of two dates back as text.
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
