"""The lifecycle transition every path calls — the status form, the field actions, the
assessment, and the API and imports to come — so that its rules hold whichever way a change
arrives: the statuses' allowed moves, the reuse routine's (a wipe that counts for the
device's current cycle, a recycler and certificate, a reason for a young device), and what a
move does to the asset (its in-service date, its holder, its last return)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session, col, select

from ..domain import disposal, reuse, statuses
from ..domain.depreciation import depreciation_start
from ..domain.errors import ValidationFailed
from ..domain.lifecycle import younger_than_target
from ..domain.statuses import DisposalKind, Status
from ..domain.text import N_
from ..models import Assessment, Asset, AssetSpan, Category, OwnerHandover
from . import clock

# Statuses in which a device is still with its user: a move out of them is a return, after
# which only a new wipe lets it be reused or handed over.
WITH_USER = frozenset({Status.DEPLOYED})


def is_young(session: Session, asset: Asset, *, today: dt.date) -> bool:
    """Younger than its category's target lifespan (PCs: 5 years)."""
    category = session.get(Category, asset.category_id)
    assert category is not None
    start = depreciation_start(asset.purchase_date, asset.in_service_date)
    return younger_than_target(start, category.target_lifespan_months, today)


def cycle(asset: Asset) -> reuse.Cycle:
    returned_at = asset.returned_at
    return reuse.Cycle(
        purchase_date=asset.purchase_date,
        returned_at=returned_at,
        returned_on=clock.local_date(returned_at) if returned_at else None,
    )


def wipe_in_effect(session: Session, asset: Asset) -> reuse.RecordedWipe | None:
    """The latest recorded wipe that counts for the device's current cycle, if any."""
    if asset.id is None:
        return None
    rows = session.exec(
        select(Assessment)
        .where(Assessment.asset_id == asset.id, col(Assessment.wiped))
        .order_by(col(Assessment.assessed_at).desc(), col(Assessment.id).desc())
    ).all()
    current = cycle(asset)
    for row in rows:
        wipe = recorded_wipe(row)
        if wipe is not None and reuse.wipe_counts(wipe, current):
            return wipe
    return None


def recorded_wipe(row: Assessment) -> reuse.RecordedWipe | None:
    if not row.wiped or row.wiped_on is None:
        return None
    return reuse.RecordedWipe(
        on=row.wiped_on,
        recorded_at=_aware(row.assessed_at),
        recycler=row.recycler,
        certificate=row.certificate,
    )


_NO_WIPE_GIVEN = object()


def check(
    session: Session,
    *,
    asset: Asset,
    target: Status,
    today: dt.date,
    disposal_kind: DisposalKind | None = None,
    reason: str = "",
    wipe: reuse.RecordedWipe | None | object = _NO_WIPE_GIVEN,
    handover: OwnerHandover | None = None,
    disposed_on: dt.date | None = None,
    proceeds_ore: int | None = None,
) -> Status:
    """The status `move` would give the asset, or the error it would raise; nothing is
    changed. The status form's confirm step asks it before showing the change."""
    by_handover = (
        handover is not None and handover.id is not None and handover.owner_id == asset.owner_id
    )
    new = statuses.next_status(asset.status_enum, target, disposal_kind, by_handover=by_handover)
    # The ledger's rules and the reuse routine's, said together.
    refused = ValidationFailed({})
    if new is Status.DISPOSED:
        assert disposal_kind is not None  # next_status asks for it
        with _gathering(refused):
            disposal.check(
                disposal_kind, on=disposed_on or today, proceeds_ore=proceeds_ore, today=today,
                bought=asset.purchase_date, last_change=_last_change(session, asset),
            )  # fmt: skip
    elif disposed_on is not None or proceeds_ore is not None:
        field = "disposed_on" if disposed_on is not None else "proceeds"
        refused.errors[field] = N_("Only when disposing of the device.")
    if reuse.needs_wipe(new, disposal_kind):
        evidence = wipe_in_effect(session, asset) if wipe is _NO_WIPE_GIVEN else wipe
        assert evidence is None or isinstance(evidence, reuse.RecordedWipe)
        young = new is Status.DISPOSED and is_young(session, asset, today=today)
        with _gathering(refused):
            reuse.check_move(new, disposal_kind, wipe=evidence, young=young, reason=reason)
    if refused.errors:
        raise refused
    return new


@contextmanager
def _gathering(into: ValidationFailed) -> Iterator[None]:
    """Add a check's field errors to `into` instead of stopping at the first check."""
    try:
        yield
    except ValidationFailed as exc:
        into.errors.update(exc.errors)
        into.field_params.update(exc.field_params)


def move(
    session: Session,
    *,
    asset: Asset,
    target: Status,
    today: dt.date,
    now: dt.datetime,
    disposal_kind: DisposalKind | None = None,
    reason: str = "",
    wipe: reuse.RecordedWipe | None | object = _NO_WIPE_GIVEN,
    handover: OwnerHandover | None = None,
    disposed_on: dt.date | None = None,
    proceeds_ore: int | None = None,
) -> None:
    """Move `asset` to `target` on the asset object (the caller writes it, with its history,
    through assets.record_change), or raise with a clear message and change nothing (the
    rules: `check`).

    `wipe` is the wipe an assessment is recording with this move; other paths leave it out
    and the latest recorded wipe that still counts is used. `reason` is the written reason a
    young device needs to leave the register (a comment, or the assessment's reason).

    `handover` is the recorded handover of the asset's owner's register (services/handover.py):
    with it, and only with it, the asset leaves as handed over.

    A disposal is dated `disposed_on` (today unless given; domain/disposal.py), with what a
    sale brought in `proceeds_ore`."""
    current = asset.status_enum
    new = check(
        session, asset=asset, target=target, today=today, disposal_kind=disposal_kind,
        reason=reason, wipe=wipe, handover=handover, disposed_on=disposed_on,
        proceeds_ore=proceeds_ore,
    )  # fmt: skip
    if current in WITH_USER and new not in WITH_USER:
        asset.returned_at = now
    if not new.may_have_holder:
        # Whoever had it has given it back: their name leaves the record (the history keeps it).
        asset.holder = None
    if new is Status.DEPLOYED and asset.in_service_date is None:
        asset.in_service_date = today
    asset.status = new.value
    asset.disposal_kind = disposal_kind.value if disposal_kind else None
    if new is Status.DISPOSED:
        asset.disposed_on = disposed_on or today
        asset.proceeds_ore = proceeds_ore


def _last_change(session: Session, asset: Asset) -> dt.date | None:
    """The day its present owner-and-status span began: a disposal cannot be dated before."""
    if asset.id is None:
        return None
    return session.exec(
        select(col(AssetSpan.started_on)).where(
            AssetSpan.asset_id == asset.id, col(AssetSpan.ended_on).is_(None)
        )
    ).first()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes for the UTC it was given."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
