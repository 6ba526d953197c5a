"""Owners as the partnership's administrators keep them: the day a member leaves.

An owner's leaving date decides when its register may be handed over (services/handover.py):
it belongs to both municipalities' affairs, so only an admin for all owners sees and sets it,
and every change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.errors import NotFound, ValidationFailed
from ..domain.text import N_
from ..models import Asset, Owner, OwnerHandover, User
from ..models.org import OwnerKind
from . import audit
from .access import is_unscoped_admin, require_unscoped_admin
from .fleet import active


@dataclass(frozen=True)
class OwnerRow:
    owner: Owner
    assets: int  # still in the fleet
    handed_over_on: dt.date | None


def has_handed_over(session: Session, owner_id: int | None) -> bool:
    """Whether the owner has left and its register was handed over: nothing of it is
    registered, moved to it or opened to its users again."""
    if owner_id is None:
        return False
    handed = select(OwnerHandover.id).where(OwnerHandover.owner_id == owner_id)
    return session.exec(handed).first() is not None


def may_manage(actor: User) -> bool:
    """For pages: whether to offer the owners' pages at all."""
    return is_unscoped_admin(actor)


def list_owners(session: Session, *, actor: User) -> list[OwnerRow]:
    require_unscoped_admin(actor)
    counts = dict(
        session.exec(
            select(Asset.owner_id, func.count())
            .where(active(Asset.status))
            .group_by(col(Asset.owner_id))
        ).all()
    )
    handed: dict[int, dt.date] = {
        h.owner_id: h.handed_over_on for h in session.exec(select(OwnerHandover))
    }
    owners = session.exec(select(Owner).order_by(col(Owner.name))).all()
    return [OwnerRow(o, counts.get(o.id, 0), handed.get(o.id)) for o in owners]  # type: ignore[arg-type]


def get_owner(session: Session, *, actor: User, owner_id: int) -> Owner:
    require_unscoped_admin(actor)
    owner = session.get(Owner, owner_id)
    if owner is None:
        raise NotFound()
    return owner


def set_leaves_on(
    session: Session,
    *,
    actor: User,
    owner: Owner,
    leaves_on: dt.date | None,
    remote_addr: str | None = None,
) -> Owner:
    """Set or clear the day the owner leaves the partnership. The joint property leaves with
    no one (it is divided, agreement §20), and a register already handed over keeps its date."""
    require_unscoped_admin(actor)
    if leaves_on is not None and owner.kind == OwnerKind.JOINT:
        raise ValidationFailed(
            {"leaves_on": N_("The joint property does not leave: it is divided (agreement §20).")}
        )
    handed = session.exec(select(OwnerHandover).where(OwnerHandover.owner_id == owner.id)).first()
    if handed is not None and leaves_on != owner.leaves_on:
        raise ValidationFailed(
            {"leaves_on": N_("This owner's register has been handed over: its date stays.")}
        )
    before = owner.leaves_on
    if before == leaves_on:
        return owner
    owner.leaves_on = leaves_on
    session.add(owner)
    audit.record(
        session,
        action="owner.leaves_on",
        actor=actor,
        subject=owner.slug,
        remote_addr=remote_addr,
        details={
            "before": before.isoformat() if before else None,
            "after": leaves_on.isoformat() if leaves_on else None,
        },
    )
    session.commit()
    return owner
