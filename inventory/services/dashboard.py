"""The dashboard's figures: counts per category × owner and per status, as SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.statuses import Status
from ..models import Asset, Category, Owner, User
from .access import asset_scope


@dataclass(frozen=True)
class Dashboard:
    owners: list[Owner]
    categories: list[Category]
    # (category_id, owner_id) -> active assets
    by_category_owner: dict[tuple[int, int], int]
    by_status: dict[Status, int]

    def category_total(self, category_id: int) -> int:
        return sum(n for (c, _), n in self.by_category_owner.items() if c == category_id)

    def owner_total(self, owner_id: int) -> int:
        return sum(n for (_, o), n in self.by_category_owner.items() if o == owner_id)

    @property
    def active_total(self) -> int:
        return sum(self.by_category_owner.values())


def dashboard(session: Session, *, actor: User) -> Dashboard:
    scope = asset_scope(actor)
    pairs = session.exec(
        select(col(Asset.category_id), col(Asset.owner_id), func.count())
        .where(scope, col(Asset.status).not_in([s.value for s in Status if not s.is_active]))
        .group_by(col(Asset.category_id), col(Asset.owner_id))
    ).all()
    statuses = session.exec(
        select(Asset.status, func.count()).where(scope).group_by(Asset.status)
    ).all()
    owners = list(session.exec(select(Owner).order_by(col(Owner.id))).all())
    if actor.owner_id is not None:
        owners = [o for o in owners if o.id == actor.owner_id]
    return Dashboard(
        owners=owners,
        categories=list(session.exec(select(Category).order_by(col(Category.id))).all()),
        by_category_owner={(c, o): n for c, o, n in pairs},
        by_status={Status(s): n for s, n in statuses},
    )
