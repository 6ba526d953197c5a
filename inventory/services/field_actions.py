"""Actions on a scanned asset: seen here, hand out, take back, move, report fault, add note.
Each writes one history event in the same transaction as its change."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from ..domain import field_actions as rules
from ..domain.errors import Conflict, ValidationFailed
from ..domain.field_actions import FieldAction
from ..domain.roles import Role
from ..domain.text import N_
from ..models import Asset, BusinessUnit, User
from . import clock, lifecycle
from .access import check_scope, may_place, require_role
from .assets import diff, record_change, tracked_values


def perform(
    session: Session,
    *,
    actor: User,
    asset: Asset,
    action: FieldAction,
    now: dt.datetime,
    expected_version: int,
    today: dt.date | None = None,
    holder: str = "",
    business_unit_id: int | None = None,
    location_id: int | None = None,
    comment: str = "",
) -> Asset:
    require_role(actor, Role.TECHNICIAN)
    check_scope(actor, asset)
    if asset.version != expected_version:
        raise Conflict()
    if action not in rules.available(asset.status_enum):
        raise ValidationFailed({"action": N_("That cannot be done with the asset in its status.")})
    rules.check_input(action, holder=holder, location_id=location_id, comment=comment)
    if location_id is not None and not may_place(session, actor, location_id):
        raise ValidationFailed({"location_id": N_("Choose a location from the list.")})
    if business_unit_id is not None:
        unit = session.get(BusinessUnit, business_unit_id)
        if unit is None or unit.owner_id != asset.owner_id:
            raise ValidationFailed(
                {"business_unit_id": N_("The business unit must belong to the owner.")}
            )

    today = today or clock.local_date(now)
    before = tracked_values(asset)
    if action.target is not None:
        lifecycle.move(session, asset=asset, target=action.target, today=today, now=now)
    if action is FieldAction.HAND_OUT:
        asset.holder = holder.strip()
        asset.business_unit_id = business_unit_id or asset.business_unit_id
    if location_id is not None and action.takes_location:
        asset.location_id = location_id
    record_change(
        session, asset=asset, actor=actor, now=now, today=today, action=action.value,
        changes=diff(before, tracked_values(asset)), comment=comment,
    )  # fmt: skip
    return asset
