"""Who may do what: roles, and the owner-scope checks the asset services call.

The scope rule itself lives in services/scope.py; the functions here that speak of
scope are the names the asset services were written against, kept as thin wrappers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from ..domain.errors import NotFound, PermissionDenied
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Asset, Location, Site, User
from . import scope


def require_role(actor: User, role: Role) -> None:
    if not actor.active or not actor.role_enum.at_least(role):
        raise PermissionDenied()


def is_unscoped_admin(actor: User) -> bool:
    """An active admin not limited to one owner: who changes what both municipalities share
    (reference data, cost keys, owners, the split) and runs the register's jobs. For pages,
    to offer those at all; services refuse with require_unscoped_admin."""
    return (
        actor.active and actor.role_enum.at_least(Role.ADMIN) and scope.scoped_owner(actor) is None
    )


def require_unscoped_admin(actor: User) -> None:
    """Shared reference data (categories, models, sites) belongs to both municipalities:
    only an admin not limited to one owner may change it."""
    require_role(actor, Role.ADMIN)
    if scope.scoped_owner(actor) is not None:
        raise PermissionDenied(N_("Only an administrator for all owners may change this."))


def in_scope(actor: User, owner_id: int | None) -> bool:
    """scope.owns, by its older name."""
    return scope.owns(actor, owner_id)


def asset_not_found(tag: str) -> NotFound:
    return NotFound(N_("No asset has the tag %(tag)s."), tag=tag[:40])


def check_scope(actor: User, asset: Asset, *, requested: str | None = None) -> None:
    """Another owner's asset is answered exactly as a missing one: its existence is not
    revealed. Where it was looked up by a tag someone typed, give that (the message for a
    missing asset repeats it as typed, not as stored)."""
    if not scope.owns(actor, asset.owner_id):
        raise asset_not_found(asset.tag if requested is None else requested)


def site_scope(actor: User) -> ColumnElement[bool]:
    """scope.visible(actor, Site): the sites whose rooms a user may place assets in."""
    return scope.visible(actor, Site)


def site_owner_in_scope(
    actor: User, site_owner_id: int | None, *, joint_owner_ids: frozenset[int]
) -> bool:
    """scope.site_visible, by its older name."""
    return scope.site_visible(actor, site_owner_id, joint_owner_ids=joint_owner_ids)


def may_place(session: Session, actor: User, location_id: int) -> bool:
    """Whether the actor may register an asset as being at this location."""
    found = session.exec(
        scope.restrict(select(Location.id).where(Location.id == location_id), actor, Location)
    ).first()
    return found is not None


def check_owner_allowed(actor: User, owner_id: int) -> None:
    if not scope.owns(actor, owner_id):
        raise PermissionDenied(N_("You can only register assets for your own municipality."))


def asset_scope(actor: User, owner_column: Any = None) -> ColumnElement[bool]:
    """scope.visible(actor, Asset); with owner_column, the same comparison on another
    table's owner column (prefer scope.visible with that table)."""
    if owner_column is None:
        return scope.visible(actor, Asset)
    if scope.scoped_owner(actor) is None:
        return scope.visible(actor, Asset)  # true()
    return owner_column == scope.scoped_owner(actor)  # type: ignore[no-any-return]
