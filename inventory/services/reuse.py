"""The reuse routine as a use case: assess a returned device, record its wipe, decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain import attachments as files_rules
from ..domain import reuse
from ..domain.errors import Conflict, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
from ..domain.text import N_
from ..models import Assessment, Asset, Category, Manufacturer, Model, Owner, User
from . import attachments, clock, lifecycle
from .access import asset_scope, check_scope, require_role
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
    files: Sequence[tuple[files_rules.Kind, files_rules.Upload]] = (),
    max_bytes: int = 10 * files_rules.MEGABYTE,
) -> Assessment:
    """Save the assessment, with its evidence `files` (the wipe tool's report, the
    recycler's certificate), and move the device as decided: all of it or, with every
    reason at once, nothing."""
    require_role(actor, Role.TECHNICIAN)
    check_scope(actor, asset)
    if asset.version != expected_version:
        raise Conflict()
    if asset.status_enum not in ASSESSED:
        raise ValidationFailed(
            {"status": N_("Only a device back with IT is assessed; take it back first.")}
        )
    young = lifecycle.is_young(session, asset, today=today)
    checked = _check(
        data, files, max_bytes=max_bytes, young=young, today=today, now=now, asset=asset
    )
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
            wipe=reuse.recorded(data, now=now), proceeds_ore=data.proceeds_ore,
        )  # fmt: skip
    evidence = []
    for kind, file in checked:
        attachment = attachments.new_attachment(
            asset=asset, kind=kind, checked=file, actor=actor, now=now
        )
        attachment.assessment = assessment  # its id is known once both are flushed
        evidence.append(attachment)
    changes = (
        diff(before, tracked_values(asset))
        | assessment_changes(assessment)
        | attachments.history_changes(checked)
    )
    record_change(
        session, asset=asset, actor=actor, now=now, today=today, action="assessment",
        changes=changes, comment=data.reason, also=(assessment, *evidence),
    )  # fmt: skip
    return assessment


def _check(
    data: reuse.AssessmentInput,
    files: Sequence[tuple[files_rules.Kind, files_rules.Upload]],
    *,
    max_bytes: int,
    young: bool,
    today: dt.date,
    now: dt.datetime,
    asset: Asset,
) -> list[tuple[files_rules.Kind, files_rules.CheckedFile]]:
    """The assessment's rules and its files' (type, size, and that each belongs to what was
    decided), every failure on its own field at once."""
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    checked = []
    for kind, upload in files:
        try:
            checked.append(
                (kind, files_rules.check_file(upload, max_bytes=max_bytes, field=kind.value))
            )
        except ValidationFailed as exc:
            errors.update(exc.errors)
            params.update(exc.field_params)
            continue
        misfit = files_rules.misfit_in_assessment(
            kind, wiped=data.wipe is not None, decision=data.decision
        )
        if misfit is not None:
            errors[kind.value] = misfit
    try:
        reuse.check(data, young=young, today=today, cycle=lifecycle.cycle(asset), now=now)
    except ValidationFailed as exc:
        errors = exc.errors | errors
        params = exc.field_params | params
    if errors:
        raise ValidationFailed(errors, params)
    return checked


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


@dataclass(frozen=True)
class AssessmentRecord:
    """One assessment as a controller checks it: the device, who assessed it, the wipe."""

    tag: str
    serial: str | None
    manufacturer: str
    model: str
    owner: str
    assessed_at: dt.datetime
    assessed_by: str
    grade: str
    battery_health: int | None
    wiped: bool
    wipe_method: str
    wiped_on: dt.date | None
    wiped_by: str
    decision: str
    recycler: str
    certificate: str
    reason: str


_RECORD_COLUMNS = (
    Asset.tag,
    Asset.serial,
    Manufacturer.name,
    Model.name,
    Owner.name,
    Assessment.assessed_at,
    User.email,
    Assessment.grade,
    Assessment.battery_health,
    Assessment.wiped,
    Assessment.wipe_method,
    Assessment.wiped_on,
    Assessment.wiped_by,
    Assessment.decision,
    Assessment.recycler,
    Assessment.certificate,
    Assessment.reason,
)


def _records() -> Any:
    return (
        select(*_RECORD_COLUMNS)  # type: ignore[call-overload]
        .join(Asset, col(Asset.id) == Assessment.asset_id)
        .join(Model, col(Model.id) == Asset.model_id)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .join(Owner, col(Owner.id) == Asset.owner_id)
        .join(User, col(User.id) == Assessment.assessed_by)
    )


def assessments(
    session: Session,
    *,
    actor: User,
    since: dt.date | None = None,
    until: dt.date | None = None,
    owner_id: int | None = None,
) -> list[AssessmentRecord]:
    """Every assessment of the actor's assets (of one owner's, with `owner_id`), oldest
    first, optionally of the local days from `since` to `until`: the record a controller
    checks the wipes against."""
    require_role(actor, Role.VIEWER)
    stmt = _records().where(asset_scope(actor))
    if owner_id is not None:
        stmt = stmt.where(col(Asset.owner_id) == owner_id)
    if since is not None:
        stmt = stmt.where(col(Assessment.assessed_at) >= clock.start_of_day(since))
    if until is not None:
        stmt = stmt.where(
            col(Assessment.assessed_at) < clock.start_of_day(until + dt.timedelta(days=1))
        )
    rows = session.exec(stmt.order_by(col(Assessment.assessed_at), col(Assessment.id))).all()
    return [AssessmentRecord(*row) for row in rows]


@dataclass(frozen=True)
class PoolDevice:
    tag: str
    category: str
    manufacturer: str
    model: str
    purchase_date: dt.date
    grade: str | None
    battery_health: int | None
    wiped_on: dt.date | None


POOL_LIMIT = 1000


def pool(session: Session, *, actor: User) -> list[PoolDevice]:
    """What can be handed out now, by category and model, oldest first, each with its
    latest assessment (grade, battery, when it was wiped)."""
    require_role(actor, Role.VIEWER)
    latest = (
        select(func.max(Assessment.id))
        .where(Assessment.asset_id == Asset.id)
        .correlate(Asset)
        .scalar_subquery()
    )
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Asset.tag,
            Category.name,
            Manufacturer.name,
            Model.name,
            Asset.purchase_date,
            Assessment.grade,
            Assessment.battery_health,
            Assessment.wiped_on,
        )
        .join(Category, col(Category.id) == Asset.category_id)
        .join(Model, col(Model.id) == Asset.model_id)
        .join(Manufacturer, col(Manufacturer.id) == Model.manufacturer_id)
        .outerjoin(Assessment, col(Assessment.id) == latest)
        .where(col(Asset.status) == Status.REUSE_POOL.value, asset_scope(actor))
        .order_by(Category.name, Manufacturer.name, Model.name, col(Asset.purchase_date))
        .limit(POOL_LIMIT)
    ).all()
    return [PoolDevice(*row) for row in rows]
