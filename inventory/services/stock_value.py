"""The value of the IT stock (lagervärde) on a date: the devices in stock then (asset_span,
the owner of that day) per owner and category, at purchase price, with how long they have
lain there; those there for more than six months are counted apart and listed. Every device
in stock counts, investment or expense: it is what the stock holds. SQL aggregates, and a
list only of the long-lying ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, case, func, literal
from sqlmodel import Session, col, select

from ..domain.dates import add_months
from ..domain.statuses import Status
from ..models import Asset, AssetSpan, Category, Manufacturer, Model, Owner, User
from . import spans
from .date_sql import days_between
from .reference_cache import reference_names

LONG_MONTHS = 6
# The long-lying devices listed on the page; the count says how many there are in all.
LISTED = 500


StockFilter = spans.DayFilter


@dataclass
class StockLine:
    owner: str
    owner_name: str
    category: str
    category_name: str
    count: int = 0
    value_ore: int = 0
    days_total: int = 0  # days in stock, summed
    long_count: int = 0  # in stock for more than six months
    long_value_ore: int = 0

    @property
    def average_days(self) -> float | None:
        return self.days_total / self.count if self.count else None


@dataclass(frozen=True)
class LongInStock:
    tag: str
    model: str
    owner_name: str
    category_name: str
    since: dt.date
    days: int
    price_ore: int


@dataclass
class StockValue:
    filter: StockFilter
    lines: list[StockLine]
    long: list[LongInStock]

    def total(self) -> StockLine:
        out = StockLine("", "", "", "")
        for line in self.lines:
            out.count += line.count
            out.value_ore += line.value_ore
            out.days_total += line.days_total
            out.long_count += line.long_count
            out.long_value_ore += line.long_value_ore
        return out


def stock_value(session: Session, *, actor: User, flt: StockFilter) -> StockValue:
    on = flt.on
    owner_id, category_id = reference_names(session).owner_and_category_ids(flt.owner, flt.category)
    where = [
        *spans.covering(on),
        col(AssetSpan.status) == Status.IN_STOCK.value,
        *spans.day_terms(actor, owner_id, category_id, flt.business_unit_id),
    ]
    dialect = session.get_bind().dialect.name
    # In stock since its status began: a change of owner (the split), unit or service object
    # while it lies there does not restart the count.
    since = spans.STATUS_SINCE
    days = days_between(dialect, literal(on, Date), since)
    # More than six months: in stock since before the day six months earlier.
    long_ago = add_months(on, -LONG_MONTHS)
    is_long = since < long_ago
    joined = (
        select()  # type: ignore[call-overload]
        .select_from(AssetSpan)
        .join(Asset, col(Asset.id) == col(AssetSpan.asset_id))
        .where(*where)
    )
    rows = session.exec(
        joined.add_columns(
            col(AssetSpan.owner_id),
            col(Asset.category_id),
            func.count(),
            func.sum(col(Asset.price_ore)),
            func.sum(days),
            func.sum(case((is_long, 1), else_=0)),
            func.sum(case((is_long, col(Asset.price_ore)), else_=0)),
        ).group_by(col(AssetSpan.owner_id), col(Asset.category_id))
    )
    owners = {o.id: o for o in session.exec(select(Owner))}
    categories = {c.id: c for c in session.exec(select(Category))}
    lines = []
    for owner_ref, category_ref, n, value, total_days, long_n, long_value in rows:
        owner, category = owners[owner_ref], categories[category_ref]
        lines.append(
            StockLine(owner.slug, owner.name, category.slug, category.name, int(n),
                      int(value or 0), int(total_days or 0), int(long_n or 0),
                      int(long_value or 0))
        )  # fmt: skip
    lines.sort(key=lambda x: (x.owner_name, x.category_name))
    listed = session.exec(
        joined.add_columns(
            col(Asset.tag),
            col(Manufacturer.name),
            col(Model.name),
            col(AssetSpan.owner_id),
            col(Asset.category_id),
            since,
            col(Asset.price_ore),
        )
        .join(Model, col(Model.id) == col(Asset.model_id))
        .join(Manufacturer, col(Manufacturer.id) == col(Model.manufacturer_id))
        .where(is_long)
        .order_by(since, col(Asset.tag))
        .limit(LISTED)
    )
    long = [
        LongInStock(tag, f"{maker} {name}", owners[o].name, categories[c].name,
                    _as_date(start), (on - _as_date(start)).days, int(price))
        for tag, maker, name, o, c, start, price in listed
    ]  # fmt: skip
    return StockValue(filter=flt, lines=lines, long=long)


def _as_date(value: object) -> dt.date:
    # SQLite hands a CASE of two dates back as text.
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
