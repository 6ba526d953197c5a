"""Who may see and do what: roles and owner scope, checked by every service."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true
from sqlmodel import col

from ..domain.errors import NotFound, PermissionDenied
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Asset, User


def require_role(actor: User, role: Role) -> None:
    if not actor.active or not actor.role_enum.at_least(role):
        raise PermissionDenied()


def in_scope(actor: User, owner_id: int) -> bool:
    return actor.owner_id is None or actor.owner_id == owner_id


def check_scope(actor: User, asset: Asset) -> None:
    """Another owner's asset is answered as not found: its existence is not revealed."""
    if not in_scope(actor, asset.owner_id):
        raise NotFound()


def check_owner_allowed(actor: User, owner_id: int) -> None:
    if not in_scope(actor, owner_id):
        raise PermissionDenied(N_("You can only register assets for your own municipality."))


def asset_scope(actor: User, owner_column: Any = None) -> ColumnElement[bool]:
    """A WHERE clause limiting assets to the actor's owner."""
    if actor.owner_id is None:
        return true()
    column = col(Asset.owner_id) if owner_column is None else owner_column
    return column == actor.owner_id  # type: ignore[no-any-return]
