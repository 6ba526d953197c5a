"""Owner scope, in one place: which rows a user limited to one owner may see.

Every query of assets, places, units, users, stocktakes and job runs in services/ goes
through `visible(actor, Entity)` (a WHERE clause) or `restrict(stmt, actor, Entity)`;
rows already read are judged by `owns` and `site_visible`, which say the same in Python.
Like NetBox's `restrict(user, action)` on every queryset: a query written without it is
the odd one out in review.

The rule (issue 10). An unscoped user (owner_id None) sees every row. A user scoped to
an owner sees:

- Asset, and what is kept per asset (AssetFlag, AssetEvent, AssetSpan,
  StocktakeLine): their owner's only (AssetSpan: the owner of that time). The joint
  property's assets are not theirs.
- Owner: their own only: it is the one owner they may register assets for. The joint
  owner is not offered to them; only its sites are (next point).
- Site and Location: their owner's, the joint property's (server halls, shared offices,
  cooperation agreement §9) and sites tied to no owner: where their assets may stand.
- BusinessUnit: their owner's only.
- User (the admin pages): users scoped to the same owner; never an unscoped user, who
  would see and change both municipalities' assets. A scoped admin creates and changes
  users of their own owner only, in any role, and can neither unscope a user nor move
  one to another owner (services/users.py, in_scope_of_admin).
- Stocktake: those started within the same scope (Stocktake.scope_owner_id). A stocktake
  an unscoped user started may count both owners' assets and is not shown to them.
- JobRun: none. Jobs run over the whole register and their counts are the register's, so
  only an unscoped admin starts jobs and reads their runs (services/job_runs.py).
- SplitProposal, SplitLine, SplitAdjustment: none. The §20 split divides the joint property
  between the municipalities: its figures are both sides', read by unscoped users only and
  changed by an unscoped admin (services/partnership.py).

Another owner's row is answered exactly as a missing one (404): its existence is not
revealed. Each clause is a plain WHERE on an owner column (or an IN over the few sites),
one the large tables' indexes hold (asset, asset_flag), so scoped queries use
the plans unscoped ones use; users, stocktakes, units and sites are few.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import col, select

from ..models import (
    Asset,
    AssetEvent,
    AssetFlag,
    AssetSpan,
    BusinessUnit,
    JobRun,
    Location,
    Owner,
    Site,
    SplitAdjustment,
    SplitLine,
    SplitProposal,
    Stocktake,
    StocktakeLine,
    User,
)
from ..models.org import OwnerKind

Statement = TypeVar("Statement")

# The owner column that decides, for the tables that carry one. Prebuilt statements (the
# asset list's) compare it with a bound parameter instead of calling `visible`.
_OWNER_COLUMNS: dict[type, Any] = {
    Asset: col(Asset.owner_id),
    AssetFlag: col(AssetFlag.owner_id),
    # The owner the asset had then: a report on a past day counts it for that owner.
    AssetSpan: col(AssetSpan.owner_id),
    Owner: col(Owner.id),
    BusinessUnit: col(BusinessUnit.owner_id),
    User: col(User.owner_id),
    Stocktake: col(Stocktake.scope_owner_id),
}


def scoped_owner(actor: User) -> int | None:
    """The owner the actor is limited to; None when they see every owner."""
    return actor.owner_id


def owns(actor: User, owner_id: int | None) -> bool:
    """Whether a row of this owner (an asset, a business unit, a user) is in the actor's
    scope: `visible` for a row already read."""
    return actor.owner_id is None or actor.owner_id == owner_id


def site_visible(
    actor: User, site_owner_id: int | None, *, joint_owner_ids: frozenset[int]
) -> bool:
    """`visible(actor, Site)` for a site already read (the menus' cached copy)."""
    return (
        actor.owner_id is None
        or site_owner_id is None
        or site_owner_id == actor.owner_id
        or site_owner_id in joint_owner_ids
    )


def owner_column(entity: type) -> Any:
    """The column `visible` compares with the actor's owner, for statements built once
    and run with the owner as a parameter."""
    return _OWNER_COLUMNS[entity]


def owner_visible(actor: User, owner_column: Any) -> ColumnElement[bool]:
    """`visible` on another owner column of a table that has one (the owner before a
    transfer, asset_span.from_owner_id): the same rule, on that column."""
    return true() if actor.owner_id is None else owner_column == actor.owner_id  # type: ignore[no-any-return]


def visible(actor: User, entity: type) -> ColumnElement[bool]:
    """The WHERE clause limiting `entity`'s rows to what the actor may see."""
    return for_owner(actor.owner_id, entity)


def restrict(stmt: Statement, actor: User, entity: type) -> Statement:
    """`stmt` limited to the rows of `entity` the actor may see."""
    return stmt.where(visible(actor, entity))  # type: ignore[attr-defined,no-any-return]


def for_owner(owner_id: int | None, entity: type) -> ColumnElement[bool]:
    """What a user scoped to `owner_id` sees (everything when None): for work done on an
    owner's behalf without a user, such as the weekly digest to its technicians or a
    stocktake counting within its starter's scope."""
    if owner_id is None:
        return true()
    if entity in _OWNER_COLUMNS:
        return _OWNER_COLUMNS[entity] == owner_id  # type: ignore[no-any-return]
    if entity is Site:
        joint = select(Owner.id).where(Owner.kind == OwnerKind.JOINT)
        return or_(
            col(Site.owner_id).is_(None),
            col(Site.owner_id) == owner_id,
            col(Site.owner_id).in_(joint),
        )
    if entity is Location:
        return col(Location.site_id).in_(select(Site.id).where(for_owner(owner_id, Site)))
    if entity is AssetEvent:
        return col(AssetEvent.asset_id).in_(select(Asset.id).where(col(Asset.owner_id) == owner_id))
    if entity is StocktakeLine:
        return col(StocktakeLine.asset_id).in_(
            select(Asset.id).where(col(Asset.owner_id) == owner_id)
        )
    if entity in (JobRun, SplitProposal, SplitLine, SplitAdjustment):
        return false()
    raise TypeError(f"no owner scope is defined for {entity.__name__}")
