"""The dashboard's figures, as SQL aggregates: counts per category × owner and per status,
the stored lifecycle flags, the reuse pool, and the active fleet's average age against the
target lifespan (the committee's headline figure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Float, cast, func, literal
from sqlmodel import Session, col, select

from ..domain.lifecycle import AgeBand, Flag, age_band
from ..domain.statuses import Status
from ..models import Asset, AssetFlag, Category, Owner, User
from . import scope


@dataclass(frozen=True)
class AgeBar:
    """A category's average age against its target lifespan, as the dashboard draws it."""

    category: Category
    age_years: float
    target_years: float
    band: AgeBand
    # The bar's length in steps of 5 % of the target (CSS classes bar-0 … bar-100: the
    # Content-Security-Policy allows no style attributes); an age past the target fills it.
    filled: int
    # (owner name, average age in years) of each owner shown with devices of the category.
    by_owner: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Dashboard:
    owners: list[Owner]
    categories: list[Category]
    # (category_id, owner_id) -> active assets
    by_category_owner: dict[tuple[int, int], int]
    by_status: dict[Status, int]
    # (category_id, owner_id) -> average age in years of the active fleet
    average_age: dict[tuple[int, int], float] = field(default_factory=dict)
    # flag -> (category_id, owner_id) -> assets, as the flag job last stored them
    flagged: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    reuse_pool: dict[tuple[int, int], int] = field(default_factory=dict)
    # The oldest day any shown flag was computed (the last full run of the flag job; a
    # changed asset's flags are recomputed at once); None when none is stored.
    flags_computed_on: dt.date | None = None

    # Shown on the dashboard, in this order.
    WATCHED = (Flag.OVERDUE, Flag.DUE_SOON, Flag.END_OF_SUPPORT)

    def category_age(self, category_id: int) -> float | None:
        """Average age of a category's active fleet across the owners shown."""
        pairs = [(k, n) for k, n in self.by_category_owner.items() if k[0] == category_id]
        total = sum(n for _, n in pairs)
        if not total:
            return None
        return sum(self.average_age.get(k, 0.0) * n for k, n in pairs) / total

    def age_bars(self) -> list[AgeBar]:
        """Each category with an active fleet, in the page's order."""
        bars = []
        for category in self.categories:
            assert category.id is not None
            age = self.category_age(category.id)
            if age is None:
                continue
            target = category.target_lifespan_months
            share = min(1.0, age * 12 / target) if target else 1.0
            bars.append(
                AgeBar(
                    category=category,
                    age_years=age,
                    target_years=target / 12,
                    band=age_band(age, target, category.horizon_months),
                    filled=round(share * 20) * 5,
                    by_owner=tuple(
                        (o.name, self.average_age[(category.id, o.id)])
                        for o in self.owners
                        if o.id is not None and (category.id, o.id) in self.average_age
                    ),
                )
            )
        return bars

    def category_total(self, category_id: int) -> int:
        return sum(n for (c, _), n in self.by_category_owner.items() if c == category_id)

    def owner_total(self, owner_id: int) -> int:
        return sum(n for (_, o), n in self.by_category_owner.items() if o == owner_id)

    @property
    def active_total(self) -> int:
        return sum(self.by_category_owner.values())


def _age_days(session: Session, today: dt.date) -> ColumnElement[float]:
    """Days from taking into use (or purchase) to `today`, in the database's own date maths."""
    start = func.coalesce(Asset.in_service_date, Asset.purchase_date)
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(literal(today.isoformat())) - func.julianday(start)
    return cast(literal(today) - start, Float)


def dashboard(session: Session, *, actor: User, today: dt.date) -> Dashboard:
    # One pass over the assets the actor may see, grouped by category, owner and status:
    # counts, the reuse pool and the ages all come from it. Summed ages rather than averages,
    # so that the statuses of the active fleet add up exactly.
    groups = session.exec(
        select(  # type: ignore[call-overload]
            col(Asset.category_id),
            col(Asset.owner_id),
            col(Asset.status),
            func.count(),
            func.sum(_age_days(session, today)),
        )
        .where(scope.visible(actor, Asset))
        .group_by(col(Asset.category_id), col(Asset.owner_id), col(Asset.status))
    ).all()
    in_fleet: dict[tuple[int, int], int] = {}
    age_days: dict[tuple[int, int], float] = {}
    by_status: dict[Status, int] = {}
    pool: dict[tuple[int, int], int] = {}
    for category_id, owner_id, status_value, n, days in groups:
        status, key = Status(status_value), (category_id, owner_id)
        by_status[status] = by_status.get(status, 0) + n
        if status is Status.REUSE_POOL:
            pool[key] = n
        if status.is_active:
            in_fleet[key] = in_fleet.get(key, 0) + n
            age_days[key] = age_days.get(key, 0.0) + float(days or 0)
    flagged_rows = session.exec(
        select(AssetFlag.flag, AssetFlag.category_id, AssetFlag.owner_id, func.count())
        .where(
            scope.visible(actor, AssetFlag),
            col(AssetFlag.flag).in_([f.value for f in Dashboard.WATCHED]),
        )
        .group_by(col(AssetFlag.flag), col(AssetFlag.category_id), col(AssetFlag.owner_id))
    ).all()
    flags_computed_on = session.exec(
        select(func.min(AssetFlag.computed_on)).where(scope.visible(actor, AssetFlag))
    ).one()
    owners = list(session.exec(scope.restrict(select(Owner), actor, Owner).order_by(col(Owner.id))))
    return Dashboard(
        owners=owners,
        categories=list(session.exec(select(Category).order_by(col(Category.id))).all()),
        by_category_owner=in_fleet,
        by_status=by_status,
        average_age={key: age_days[key] / n / 365.25 for key, n in in_fleet.items()},
        flagged=_nest(flagged_rows),
        reuse_pool=pool,
        flags_computed_on=flags_computed_on,
    )


def _nest(rows: Sequence[tuple[str, int, int, int]]) -> dict[str, dict[tuple[int, int], int]]:
    nested: dict[str, dict[tuple[int, int], int]] = {}
    for flag, category, owner, n in rows:
        nested.setdefault(flag, {})[(category, owner)] = n
    return nested
