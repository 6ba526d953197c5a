"""The reuse routine as a use case: assess a returned device, record its wipe, decide."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from ..domain import reuse, statuses
from ..domain.dates import add_months
from ..domain.depreciation import depreciation_start
from ..domain.errors import Conflict, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import Assessment, Asset, Category, User
from .access import check_scope, require_role
from .assets import commit_change, diff, event, tracked_values


def is_young(session: Session, asset: Asset, *, today: dt.date) -> bool:
    """Younger than its category's target lifespan (PCs: 5 years)."""
    category = session.get(Category, asset.category_id)
    assert category is not None
    start = depreciation_start(asset.purchase_date, asset.in_service_date)
    return today < add_months(start, category.target_lifespan_months)


def has_recorded_wipe(session: Session, asset: Asset) -> bool:
    return (
        session.exec(
            select(Assessment.id).where(Assessment.asset_id == asset.id, col(Assessment.wiped))
        ).first()
        is not None
    )


def assess(
    session: Session,
    *,
    actor: User,
    asset: Asset,
    data: reuse.AssessmentInput,
    today: dt.date,
    now: dt.datetime,
    expected_version: int,
) -> Assessment:
    require_role(actor, Role.TECHNICIAN)
    check_scope(actor, asset)
    if asset.version != expected_version:
        raise Conflict()
    if asset.status_enum is not Status.RETURNED:
        raise ValidationFailed(
            {"status": N_("Only a returned device is assessed; take it back first.")}
        )
    reuse.check(data, young=is_young(session, asset, today=today), today=today)
    assert actor.id is not None and asset.id is not None
    assessment = Assessment(
        asset_id=asset.id,
        assessed_at=now,
        assessed_by=actor.id,
        grade=data.grade.value,
        battery_health=data.battery_health,
        wiped=data.wipe is not None,
        wipe_method=data.wipe.method.strip() if data.wipe else "",
        wiped_on=data.wipe.on if data.wipe else None,
        wiped_by=data.wipe.by.strip() if data.wipe else "",
        decision=data.decision.value,
        recycler=data.recycler.strip(),
        certificate=data.certificate.strip(),
        reason=data.reason.strip(),
    )
    before = tracked_values(asset)
    asset.status = statuses.next_status(
        asset.status_enum, data.decision.target, data.decision.disposal_kind
    )
    asset.disposal_kind = data.decision.disposal_kind.value if data.decision.disposal_kind else None
    asset.updated_at = now
    changes = diff(before, tracked_values(asset))
    changes["assessment"] = [None, f"{data.grade.value} / {data.decision.value}"]
    session.add_all([asset, assessment])
    session.add(event(asset, actor, now, "assessment", changes, data.reason))
    commit_change(session)
    return assessment
