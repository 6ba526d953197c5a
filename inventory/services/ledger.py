"""The asset ledger's changes in a period, for the finance department's anläggningsreskontra:
what came onto the books (capitalised acquisitions, on their purchase date), what left them
(disposals, on the day the device left, with how, what it fetched and what was left of its
value) and what changed hands between owners (the §20 split), from the one owner to the
other at the book value of that day. Impairments are out of scope.

Only investments are on the books (domain/capitalisation.py, the owner's rule as now);
what was expensed when bought is counted apart. The ledger is a list by nature: each of its
entries is read once, in SQL, by the period's indexes (purchase date, disposal date, the
day a span began), never by a walk over the fleet; what is left of a value on a day is the
domain's own computation (domain/depreciation.py), and the totals are the entries' sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from ..domain.depreciation import book_value as value_left
from ..domain.depreciation import depreciation_start
from ..domain.periods import Period
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import Asset, AssetSpan, Category, Manufacturer, Model, Owner, User
from . import scope
from .book_value import capitalised_sql
from .reference_cache import reference_names


class EntryKind(StrEnum):
    ACQUISITION = "acquisition"
    DISPOSAL = "disposal"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EntryKind.ACQUISITION: N_("Acquisition"),
    EntryKind.DISPOSAL: N_("Disposal"),
    EntryKind.TRANSFER_OUT: N_("Transferred to another owner"),
    EntryKind.TRANSFER_IN: N_("Transferred from another owner"),
}


@dataclass(frozen=True)
class LedgerFilter:
    period: Period
    owner: str | None = None  # slug
    category: str | None = None  # slug
    business_unit_id: int | None = None


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    day: dt.date
    tag: str
    model: str
    owner: str  # slug: the owner whose books the entry is in
    owner_name: str
    category: str
    category_name: str
    acquisition_ore: int
    # Depreciation accumulated by the entry's day (0 for an acquisition).
    accumulated_ore: int
    order_ref: str | None = None
    disposal_kind: str | None = None
    proceeds_ore: int | None = None
    # A transfer's other side: who it went to, or came from (slug and name).
    counterpart: str | None = None
    counterpart_name: str | None = None

    @property
    def book_value_ore(self) -> int:
        return self.acquisition_ore - self.accumulated_ore


@dataclass
class LedgerLine:
    """The entries of one kind for one owner and category, summed."""

    owner: str
    owner_name: str
    category: str
    category_name: str
    kind: EntryKind
    count: int = 0
    acquisition_ore: int = 0
    accumulated_ore: int = 0
    proceeds_ore: int = 0

    @property
    def book_value_ore(self) -> int:
        return self.acquisition_ore - self.accumulated_ore


@dataclass
class Expensed:
    """Devices expensed when bought, not on the books: bought or disposed of in the period."""

    owner: str
    owner_name: str
    bought_count: int = 0
    bought_ore: int = 0
    disposed_count: int = 0
    proceeds_ore: int = 0


@dataclass
class Ledger:
    filter: LedgerFilter
    entries: list[Entry]
    lines: list[LedgerLine] = field(default_factory=list)
    expensed: list[Expensed] = field(default_factory=list)

    def total(self, kind: EntryKind | str) -> LedgerLine:
        wanted = EntryKind(kind)
        out = LedgerLine("", "", "", "", wanted)
        for line in self.lines:
            if line.kind is wanted:
                out.count += line.count
                out.acquisition_ore += line.acquisition_ore
                out.accumulated_ore += line.accumulated_ore
                out.proceeds_ore += line.proceeds_ore
        return out


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column <= period.end)


def ledger(session: Session, *, actor: User, flt: LedgerFilter) -> Ledger:
    owner_id, category_id = reference_names(session).owner_and_category_ids(flt.owner, flt.category)
    owners = {o.id: o for o in session.exec(select(Owner))}
    categories = {c.id: c for c in session.exec(select(Category))}
    invested, joins = capitalised_sql()

    def query(*columns: Any, span: bool = True) -> Any:
        """The asset's own columns the entries need, with whether it is an investment."""
        stmt = select(  # type: ignore[call-overload]
            case((invested, True), else_=False),
            col(Asset.tag),
            col(Manufacturer.name),
            col(Model.name),
            col(Asset.category_id),
            col(Asset.price_ore),
            col(Asset.depreciation_months),
            col(Asset.purchase_date),
            col(Asset.in_service_date),
            col(Asset.order_ref),
            *columns,
        ).select_from(Asset)
        if span:
            stmt = stmt.join(AssetSpan, col(AssetSpan.asset_id) == col(Asset.id))
        stmt = stmt.join(Model, col(Model.id) == col(Asset.model_id)).join(
            Manufacturer, col(Manufacturer.id) == col(Model.manufacturer_id)
        )
        for table, condition in joins:
            stmt = stmt.outerjoin(table, condition)
        if category_id is not None:
            stmt = stmt.where(col(Asset.category_id) == category_id)
        if flt.business_unit_id is not None:
            stmt = stmt.where(col(Asset.business_unit_id) == flt.business_unit_id)
        return stmt

    def owned(column: Any) -> list[ColumnElement[bool]]:
        terms = [scope.owner_visible(actor, column)]
        if owner_id is not None:
            terms.append(column == owner_id)
        return terms

    period = flt.period
    entries: list[Entry] = []
    expensed: dict[int, Expensed] = {}

    def apart(owner_ref: int) -> Expensed:
        o = owners[owner_ref]
        return expensed.setdefault(owner_ref, Expensed(o.slug, o.name))

    # Acquisitions: on the books of the owner it was registered for (its first span).
    bought = query(col(AssetSpan.owner_id)).where(
        col(AssetSpan.from_status).is_(None),
        _in(col(Asset.purchase_date), period),
        *owned(col(AssetSpan.owner_id)),
    )
    for row in session.exec(bought):
        (is_investment, *asset, owner_ref) = row
        if not is_investment:
            apart(owner_ref).bought_count += 1
            apart(owner_ref).bought_ore += int(asset[4])
            continue
        entries.append(_entry(EntryKind.ACQUISITION, asset[6], asset, owners[owner_ref],
                              categories))  # fmt: skip

    # Disposals: on the books of its last owner, on the day it left.
    disposed = query(
        col(Asset.owner_id), col(Asset.disposed_on), col(Asset.disposal_kind),
        col(Asset.proceeds_ore), span=False,
    ).where(
        col(Asset.status) == Status.DISPOSED.value,
        _in(col(Asset.disposed_on), period),
        *owned(col(Asset.owner_id)),
    )  # fmt: skip
    for row in session.exec(disposed):
        (is_investment, *asset, owner_ref, day, kind, proceeds) = row
        if not is_investment:
            apart(owner_ref).disposed_count += 1
            apart(owner_ref).proceeds_ore += int(proceeds or 0)
            continue
        entries.append(_entry(EntryKind.DISPOSAL, day, asset, owners[owner_ref], categories,
                              disposal_kind=kind, proceeds=proceeds))  # fmt: skip

    # Transfers: out of the one owner's books and into the other's, on the day of the change.
    changed_hands = and_(
        col(AssetSpan.from_owner_id).is_not(None),
        col(AssetSpan.from_owner_id) != col(AssetSpan.owner_id),
        _in(col(AssetSpan.started_on), period),
        invested,
    )
    sides = (
        (EntryKind.TRANSFER_OUT, col(AssetSpan.from_owner_id), col(AssetSpan.owner_id)),
        (EntryKind.TRANSFER_IN, col(AssetSpan.owner_id), col(AssetSpan.from_owner_id)),
    )
    for kind, own, other in sides:
        moved = query(own, other, col(AssetSpan.started_on)).where(changed_hands, *owned(own))
        for row in session.exec(moved):
            (_, *asset, owner_ref, other_ref, day) = row
            entries.append(_entry(kind, day, asset, owners[owner_ref], categories,
                                  counterpart=owners[other_ref]))  # fmt: skip

    entries.sort(key=lambda e: (e.day, e.tag, list(EntryKind).index(e.kind)))
    return Ledger(
        filter=flt,
        entries=entries,
        lines=_lines(entries),
        expensed=sorted(expensed.values(), key=lambda x: x.owner_name),
    )


def _entry(
    kind: EntryKind,
    day: Any,
    asset: list[Any],
    owner: Owner,
    categories: dict[int | None, Category],
    *,
    disposal_kind: str | None = None,
    proceeds: int | None = None,
    counterpart: Owner | None = None,
) -> Entry:
    tag, maker, model, category_ref, price, months, purchased, in_service, order_ref = asset
    day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    start = depreciation_start(purchased, in_service)
    left = price if kind is EntryKind.ACQUISITION else value_left(price, start, months, day)
    category = categories[category_ref]
    return Entry(
        kind=kind,
        day=day,
        tag=tag,
        model=f"{maker} {model}",
        owner=owner.slug,
        owner_name=owner.name,
        category=category.slug,
        category_name=category.name,
        acquisition_ore=int(price),
        accumulated_ore=int(price) - left,
        order_ref=order_ref,
        disposal_kind=disposal_kind,
        proceeds_ore=None if proceeds is None else int(proceeds),
        counterpart=counterpart.slug if counterpart else None,
        counterpart_name=counterpart.name if counterpart else None,
    )


def _lines(entries: Iterable[Entry]) -> list[LedgerLine]:
    lines: dict[tuple[str, str, EntryKind], LedgerLine] = {}
    for e in entries:
        line = lines.setdefault(
            (e.owner, e.category, e.kind),
            LedgerLine(e.owner, e.owner_name, e.category, e.category_name, e.kind),
        )
        line.count += 1
        line.acquisition_ore += e.acquisition_ore
        line.accumulated_ore += e.accumulated_ore
        line.proceeds_ore += e.proceeds_ore or 0
    order = list(EntryKind)
    return sorted(
        lines.values(), key=lambda x: (x.owner_name, x.category_name, order.index(x.kind))
    )
