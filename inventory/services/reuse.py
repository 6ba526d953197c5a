"""The reuse routine as a use case: assess a returned device, record its wipe, decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from ..domain import reuse
from ..domain.errors import Conflict, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import Assessment, Asset, User
from . import lifecycle
from .access import check_scope, require_role
from .assets import diff, record_change, tracked_values


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
    if asset.status_enum not in ASSESSED:
        raise ValidationFailed(
            {"status": N_("Only a device back with IT is assessed; take it back first.")}
        )
    young = lifecycle.is_young(session, asset, today=today)
    reuse.check(data, young=young, today=today, cycle=lifecycle.cycle(asset), now=now)
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
    if data.decision.target is not asset.status_enum:  # "keep as a spare" of a spare stays
        lifecycle.move(
            session, asset=asset, target=data.decision.target, today=today, now=now,
            disposal_kind=data.decision.disposal_kind, reason=data.reason,
            wipe=reuse.recorded(data, now=now),
        )  # fmt: skip
    changes = diff(before, tracked_values(asset)) | assessment_changes(assessment)
    record_change(
        session, asset=asset, actor=actor, now=now, today=today, action="assessment",
        changes=changes, comment=data.reason, also=(assessment,),
    )  # fmt: skip
    return assessment


# Where an assessment can be made: a device back with IT, whatever comes next.
ASSESSED = frozenset({Status.RETURNED, Status.IN_STOCK, Status.IN_REPAIR, Status.REUSE_POOL})

# An assessment's fields as its history event records them, in the order they are shown.
ASSESSMENT_FIELDS = (
    "grade",
    "battery_health",
    "wipe_method",
    "wiped_on",
    "wiped_by",
    "decision",
    "recycler",
    "certificate",
)


def assessment_changes(assessment: Assessment) -> dict[str, list[Any]]:
    """What the assessment recorded, for its history event: every filled-in field."""
    values = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    return {
        name: [None, value.isoformat() if isinstance(value, dt.date) else value]
        for name, value in values.items()
        if value not in (None, "")
    }
