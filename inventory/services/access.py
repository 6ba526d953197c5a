"""Who may see and do what: roles and owner scope, checked by every service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import Session, col, select

from ..domain.errors import NotFound, PermissionDenied
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Asset, Location, Owner, Site, User
from ..models.org import OwnerKind


def require_role(actor: User, role: Role) -> None:
    if not actor.active or not actor.role_enum.at_least(role):
        raise PermissionDenied()


def require_unscoped_admin(actor: User) -> None:
    """Shared reference data (categories, models, sites) belongs to both municipalities:
    only an admin not limited to one owner may change it."""
    require_role(actor, Role.ADMIN)
    if actor.owner_id is not None:
        raise PermissionDenied(N_("Only an administrator for all owners may change this."))


def in_scope(actor: User, owner_id: int | None) -> bool:
    return actor.owner_id is None or actor.owner_id == owner_id


def asset_not_found(tag: str) -> NotFound:
    return NotFound(N_("No asset has the tag %(tag)s."), tag=tag[:40])


def check_scope(actor: User, asset: Asset, *, requested: str | None = None) -> None:
    """Another owner's asset is answered exactly as a missing one: its existence is not
    revealed. Where it was looked up by a tag someone typed, give that (the message for a
    missing asset repeats it as typed, not as stored)."""
    if not in_scope(actor, asset.owner_id):
        raise asset_not_found(asset.tag if requested is None else requested)


def site_scope(actor: User) -> ColumnElement[bool]:
    """The sites whose rooms a user may place assets in: their own owner's, the joint
    property's (server halls, shared offices) and those not tied to an owner.
    site_owner_in_scope below answers the same for a site already read."""
    if actor.owner_id is None:
        return true()
    joint = select(Owner.id).where(Owner.kind == OwnerKind.JOINT)
    return or_(
        col(Site.owner_id).is_(None),
        col(Site.owner_id) == actor.owner_id,
        col(Site.owner_id).in_(joint),
    )


def site_owner_in_scope(
    actor: User, site_owner_id: int | None, *, joint_owner_ids: frozenset[int]
) -> bool:
    """site_scope for a site already read (the menus' cached copy): the same three cases."""
    return (
        actor.owner_id is None
        or site_owner_id is None
        or site_owner_id == actor.owner_id
        or site_owner_id in joint_owner_ids
    )


def may_place(session: Session, actor: User, location_id: int) -> bool:
    """Whether the actor may register an asset as being at this location."""
    found = session.exec(
        select(Location.id)
        .join(Site, col(Site.id) == Location.site_id)
        .where(Location.id == location_id, site_scope(actor))
    ).first()
    return found is not None


def check_owner_allowed(actor: User, owner_id: int) -> None:
    if not in_scope(actor, owner_id):
        raise PermissionDenied(N_("You can only register assets for your own municipality."))


def asset_scope(actor: User, owner_column: Any = None) -> ColumnElement[bool]:
    """A WHERE clause limiting assets to the actor's owner."""
    if actor.owner_id is None:
        return true()
    column = col(Asset.owner_id) if owner_column is None else owner_column
    return column == actor.owner_id  # type: ignore[no-any-return]
