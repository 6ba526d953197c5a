"""Handing over a departing owner's register (cooperation agreement §20; Mörbylånga leaves
on 2026-12-31).

Two use cases. `export`: the owner's complete register — every asset, disposed ones too,
its full history in words, the reuse routine's assessments and the stocktake results — for
whoever takes over (exports/handover_*.py write it as XLSX, JSON and a Snipe-IT import CSV).
`hand_over`: on or after the owner's leaving date, once, in one transaction: every asset
still in the register leaves it as handed over (through the lifecycle and the write point
every change goes through, each with a history event naming the handover), the users
limited to that owner are deactivated and their API tokens revoked, and the handover is
recorded with its report and audited.

Only an admin for all owners does either: a handover ends one municipality's access and
its export holds the names of the people who have its devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain import handover as rules
from ..domain.depreciation import book_value, depreciation_start
from ..domain.errors import ValidationFailed
from ..domain.history import SYSTEM, Plural, action_label, change_lines
from ..domain.statuses import DisposalKind, Status
from ..domain.text import N_
from ..models import (
    Asset,
    AssetEvent,
    BusinessUnit,
    Category,
    Location,
    Manufacturer,
    Model,
    Owner,
    OwnerHandover,
    Site,
    SplitProposal,
    Stocktake,
    StocktakeLine,
    User,
)
from ..models.org import OwnerKind
from ..models.partnership import SplitState
from . import attachments, audit, catalog, lifecycle
from . import reuse as reuse_service
from . import users as user_service
from .access import require_unscoped_admin
from .assets import HistoryEntry, committing, diff, stage_change, tracked_values
from .flags import facts_for
from .fleet import active
from .support import SUPPORT_END

# The history event of each handed-over asset.
HANDOVER_ACTION = "handover"


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class ClosedUser:
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class HandoverReport:
    """What a handover did: kept on its OwnerHandover row."""

    owner_name: str
    handed_over_on: dt.date
    performed_at: dt.datetime
    performed_by: str
    asset_count: int
    users: list[ClosedUser]
    tokens_revoked: int


@dataclass(frozen=True)
class Overview:
    owner: Owner
    assets: int  # in the register, disposed ones too: what the export holds
    remaining: int  # still in the fleet: what a handover moves
    users: list[ClosedUser]  # limited to this owner and still active: whom it deactivates
    files: int  # evidence files of its assets: what the ZIP holds
    refusal: rules.Refusal | None  # why it cannot be handed over today
    report: HandoverReport | None  # once handed over


def overview(session: Session, *, actor: User, owner: Owner, today: dt.date) -> Overview:
    require_unscoped_admin(actor)
    counts = session.exec(
        select(Asset.status, func.count())
        .where(Asset.owner_id == owner.id)
        .group_by(col(Asset.status))
    ).all()
    done = report(session, actor=actor, owner=owner)
    return Overview(
        owner=owner,
        assets=sum(n for _, n in counts),
        remaining=sum(n for status, n in counts if Status(status).is_active),
        users=[ClosedUser(u.email, u.name, u.role) for u in _scoped_users(session, owner)],
        files=attachments.count_of_owner(session, owner_id=owner.id),
        refusal=_refusal(session, owner, today=today, handed_over=done is not None),
        report=done,
    )


def report(session: Session, *, actor: User, owner: Owner) -> HandoverReport | None:
    require_unscoped_admin(actor)
    row = session.exec(
        select(OwnerHandover, User.email)
        .outerjoin(User, col(User.id) == OwnerHandover.performed_by_id)
        .where(OwnerHandover.owner_id == owner.id)
    ).first()
    if row is None:
        return None
    record, performer = row
    return _report(record, owner, performer or "")


def _report(record: OwnerHandover, owner: Owner, performer: str) -> HandoverReport:
    details = record.details or {}
    return HandoverReport(
        owner_name=owner.name,
        handed_over_on=record.handed_over_on,
        performed_at=record.performed_at,
        performed_by=performer,
        asset_count=record.asset_count,
        users=[
            ClosedUser(u["email"], u.get("name", ""), u.get("role", ""))
            for u in details.get("users", [])
        ],
        tokens_revoked=int(details.get("tokens_revoked", 0)),
    )


def _refusal(
    session: Session, owner: Owner, *, today: dt.date, handed_over: bool
) -> rules.Refusal | None:
    return rules.refusal(**_facts(session, owner, today=today, handed_over=handed_over))


def _facts(session: Session, owner: Owner, *, today: dt.date, handed_over: bool) -> dict[str, Any]:
    """What decides whether the owner's register can be handed over today."""
    open_stocktakes = session.exec(
        select(func.count())
        .select_from(Stocktake)
        .where(
            col(Stocktake.status) == "open",
            or_(col(Stocktake.owner_id) == owner.id, col(Stocktake.scope_owner_id) == owner.id),
        )
    ).one()
    undecided = None
    if owner.leaves_on is not None:
        undecided = session.exec(
            select(col(SplitProposal.split_on))
            .where(
                col(SplitProposal.state) == SplitState.DRAFT,
                col(SplitProposal.split_on) <= owner.leaves_on,
            )
            .order_by(col(SplitProposal.split_on))
        ).first()
    return {
        "is_joint": owner.kind == OwnerKind.JOINT,
        "leaves_on": owner.leaves_on,
        "today": today,
        "handed_over": handed_over,
        "open_stocktakes": int(open_stocktakes),
        "undecided_split": undecided,
    }


def _scoped_users(session: Session, owner: Owner) -> list[User]:
    """The active users limited to this owner: a user sees one owner or all, so these are
    the ones whose whole access is that owner's register."""
    return list(
        session.exec(
            select(User)
            .where(col(User.owner_id) == owner.id, col(User.active))
            .order_by(col(User.email))
        )
    )


# --- handing over --------------------------------------------------------------------------


def handover_comment(owner: Owner, on: dt.date) -> str:
    """What each handed-over asset's history says. Kept in the register's language, like the
    comments people write."""
    return f"Överlämnad vid {owner.name}s utträde ur samverkan {on.isoformat()} (avtalet §20)"


def hand_over(
    session: Session,
    *,
    actor: User,
    owner: Owner,
    today: dt.date,
    now: dt.datetime,
    remote_addr: str | None = None,
) -> HandoverReport:
    """Hand the owner's register over, all of it or nothing (see the module's docstring)."""
    require_unscoped_admin(actor)
    already = session.exec(
        select(OwnerHandover.id).where(OwnerHandover.owner_id == owner.id)
    ).first()
    rules.check(**_facts(session, owner, today=today, handed_over=already is not None))
    assert owner.id is not None and actor.id is not None and owner.leaves_on is not None
    try:
        with committing(session, today=today):
            record = OwnerHandover(
                owner_id=owner.id,
                # The day it left, also when the handover is done days later: the register
                # counts the devices as the owner's fleet until then, and no longer.
                handed_over_on=owner.leaves_on,
                performed_at=now,
                performed_by_id=actor.id,
            )
            session.add(record)
            # Claims the owner: a second handover, even a simultaneous one, stops here.
            session.flush()
            moved = _hand_over_assets(session, actor=actor, owner=owner, record=record, now=now)
            users, tokens = _close_accounts(session, owner)
            record.asset_count = moved
            record.details = {
                "users": [{"email": u.email, "name": u.name, "role": u.role} for u in users],
                "tokens_revoked": tokens,
            }
            session.add(record)
            audit.record(
                session,
                action="owner.handover",
                actor=actor,
                subject=owner.slug,
                remote_addr=remote_addr,
                details={
                    "handed_over_on": owner.leaves_on.isoformat(),
                    "performed_on": today.isoformat(),
                    "assets": moved,
                    "users": [u.email for u in users],
                    "tokens_revoked": tokens,
                },
            )
    except IntegrityError:
        raise ValidationFailed(
            {"handover": N_("This owner's register has already been handed over.")}
        ) from None
    return _report(record, owner, actor.email)


def _hand_over_assets(
    session: Session, *, actor: User, owner: Owner, record: OwnerHandover, now: dt.datetime
) -> int:
    """Each asset still in the fleet leaves as handed over, through the lifecycle's one
    transition and the one write point (search text, flags, history stay in step)."""
    remaining = session.exec(
        select(Asset)
        .where(col(Asset.owner_id) == owner.id, active(Asset.status))
        .order_by(col(Asset.tag))
    ).all()
    comment = handover_comment(owner, record.handed_over_on)
    for asset in remaining:
        before = tracked_values(asset)
        lifecycle.move(
            session, asset=asset, target=Status.DISPOSED, disposal_kind=DisposalKind.HANDED_OVER,
            today=record.handed_over_on, now=now, handover=record,
        )  # fmt: skip
        stage_change(
            session, asset=asset, actor=actor, now=now, action=HANDOVER_ACTION,
            changes=diff(before, tracked_values(asset)), comment=comment,
        )  # fmt: skip
    return len(remaining)


def _close_accounts(session: Session, owner: Owner) -> tuple[list[User], int]:
    """Deactivate the owner's users, ending their sessions, and revoke their tokens."""
    users = _scoped_users(session, owner)
    for user in users:
        user.active = False
        user.session_version += 1  # every session issued before is refused (models/user.py)
        session.add(user)
    limited = select(User.id).where(col(User.owner_id) == owner.id)
    return users, user_service.revoke_tokens(session, limited)


def handed_over_on(session: Session, *, owner: Owner) -> dt.date:
    record = session.exec(select(OwnerHandover).where(OwnerHandover.owner_id == owner.id)).one()
    return record.handed_over_on


def handed_over_owner(session: Session, *, user: User) -> Owner | None:
    """The owner whose handover closed this (inactive) user's account, if that is why it is
    closed: for telling them so when they try to log in."""
    if user.active or user.owner_id is None:
        return None
    row = session.exec(
        select(Owner, OwnerHandover)
        .join(OwnerHandover, col(OwnerHandover.owner_id) == Owner.id)
        .where(col(Owner.id) == user.owner_id)
    ).first()
    if row is None:
        return None
    owner, record = row
    listed = {u.get("email") for u in (record.details or {}).get("users", [])}
    return owner if user.email in listed else None


# --- the export ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRecord:
    tag: str
    serial: str | None
    category: str
    manufacturer: str
    model: str
    status: Status
    disposal_kind: DisposalKind | None
    holder: str | None
    business_unit: str | None
    location: str | None
    purchase_date: dt.date
    in_service_date: dt.date | None
    price_ore: int
    book_value_ore: int  # on the export's valuation date
    depreciation_months: int
    warranty_end: dt.date | None
    replacement_due: dt.date | None  # for an asset in the fleet, or as handed over
    supplier: str | None
    order_ref: str | None
    hostname: str | None
    mac: str | None
    ip: str | None
    imei: str | None
    notes: str
    registered_at: dt.datetime
    # What the asset was when it was handed over: the status and holder the receiving
    # organisation takes it on with (the register itself keeps no holder for it).
    handed_over_from: Status | None = None
    holder_at_handover: str | None = None

    @property
    def status_as_handed_over(self) -> Status:
        return self.handed_over_from or self.status

    @property
    def holder_as_handed_over(self) -> str | None:
        return self.holder_at_handover if self.handed_over_from else self.holder


@dataclass(frozen=True)
class HistoryRecord:
    tag: str
    at: dt.datetime
    actor: str
    action: str
    action_text: str
    changes: dict[str, Any]
    text: str  # the changes in words, one per line
    comment: str


@dataclass(frozen=True)
class StocktakeRecord:
    stocktake_id: int
    title: str
    closed_at: dt.datetime | None
    tag: str
    outcome: str
    price_ore: int
    book_value_ore: int
    registered_at: str | None


@dataclass(frozen=True)
class HandoverExport:
    owner_name: str
    owner_slug: str
    org_number: str | None
    leaves_on: dt.date | None
    valued_on: dt.date
    generated_at: dt.datetime
    assets: list[AssetRecord]
    history: list[HistoryRecord]
    assessments: list[reuse_service.AssessmentRecord]
    stocktakes: list[StocktakeRecord]
    # The evidence files' details; their bytes are in the ZIP (attached_files).
    attachments: list[attachments.AttachmentInfo] = field(default_factory=list)
    handover: HandoverReport | None = None
    counts: dict[str, int] = field(default_factory=dict)


EXPORT_FORMATS = frozenset({"xlsx", "json", "snipeit-csv"})


def export(
    session: Session,
    *,
    actor: User,
    owner: Owner,
    today: dt.date,
    now: dt.datetime,
    translate: Callable[[str], str],
    file_format: str,
    remote_addr: str | None = None,
    plural: Plural | None = None,
) -> HandoverExport:
    """The owner's complete register, with the history in words in the reader's language
    (`translate`). It holds the names of the devices' holders: the export is audited."""
    require_unscoped_admin(actor)
    valued_on = min(owner.leaves_on, today) if owner.leaves_on else today
    assets = _asset_records(session, owner, valued_on=valued_on, today=today)
    history = _history_records(session, owner, translate, plural)
    data = HandoverExport(
        owner_name=owner.name,
        owner_slug=owner.slug,
        org_number=owner.org_number,
        leaves_on=owner.leaves_on,
        valued_on=valued_on,
        generated_at=now,
        assets=_with_handover_state(assets, history),
        history=history,
        assessments=reuse_service.assessments(session, actor=actor, owner_id=owner.id),
        stocktakes=_stocktake_records(session, owner),
        attachments=attachments.of_owner(session, owner_id=owner.id),
        handover=report(session, actor=actor, owner=owner),
    )
    audit.record(
        session,
        action="owner.export",
        actor=actor,
        subject=owner.slug,
        remote_addr=remote_addr,
        details={"format": file_format, "assets": len(data.assets)},
    )
    session.commit()
    return data


@dataclass(frozen=True)
class AttachedFiles:
    """The owner's evidence files for the ZIP: their details (the manifest), and their bytes
    by id, read a few at a time in the same order."""

    files: list[attachments.AttachmentInfo]
    contents: Iterator[tuple[int, bytes]]


def attached_files(
    session: Session, *, actor: User, owner: Owner, remote_addr: str | None = None
) -> AttachedFiles:
    """Every evidence file of the owner's assets, to go with its register. Audited like the
    other downloads: wipe reports name the devices' users."""
    require_unscoped_admin(actor)
    assert owner.id is not None
    files = attachments.of_owner(session, owner_id=owner.id)
    audit.record(
        session,
        action="owner.export",
        actor=actor,
        subject=owner.slug,
        remote_addr=remote_addr,
        details={
            "format": "files-zip",
            "files": len(files),
            "bytes": sum(f.size_bytes for f in files),
        },
    )
    session.commit()
    return AttachedFiles(files, attachments.contents_of_owner(session, owner_id=owner.id))


_ASSETS = catalog.with_names(
    select(  # type: ignore[call-overload]
        Asset,
        Model.name,
        Manufacturer.name,
        Category.name,
        Category.target_lifespan_months,
        Category.horizon_months,
        SUPPORT_END,
        BusinessUnit.name,
        Site.name,
        Location.building,
        Location.room,
    )
).outerjoin(BusinessUnit, col(BusinessUnit.id) == Asset.business_unit_id)


def _asset_records(
    session: Session, owner: Owner, *, valued_on: dt.date, today: dt.date
) -> list[AssetRecord]:
    rows = session.exec(_ASSETS.where(Asset.owner_id == owner.id).order_by(col(Asset.tag))).all()
    records = []
    for asset, model, maker, category, lifespan, horizon, eos, unit, site, building, room in rows:
        status = asset.status_enum
        due = (
            facts_for(
                asset, target_lifespan_months=lifespan, horizon_months=horizon,
                end_of_support=eos, today=today,
            ).due_date
            if status.is_active or asset.disposal_kind == DisposalKind.HANDED_OVER
            else None
        )  # fmt: skip
        start = depreciation_start(asset.purchase_date, asset.in_service_date)
        records.append(
            AssetRecord(
                tag=asset.tag,
                serial=asset.serial,
                category=category,
                manufacturer=maker,
                model=model,
                status=status,
                disposal_kind=DisposalKind(asset.disposal_kind) if asset.disposal_kind else None,
                holder=asset.holder,
                business_unit=unit,
                location=catalog.location_name(site, building, room) if site else None,
                purchase_date=asset.purchase_date,
                in_service_date=asset.in_service_date,
                price_ore=asset.price_ore,
                book_value_ore=book_value(
                    asset.price_ore, start, asset.depreciation_months, valued_on
                ),
                depreciation_months=asset.depreciation_months,
                warranty_end=asset.warranty_end,
                replacement_due=due,
                supplier=asset.supplier,
                order_ref=asset.order_ref,
                hostname=asset.hostname,
                mac=asset.mac,
                ip=asset.ip,
                imei=asset.imei,
                notes=asset.notes,
                registered_at=asset.created_at,
            )
        )
    return records


def _history_records(
    session: Session, owner: Owner, translate: Callable[[str], str], plural: Plural | None
) -> list[HistoryRecord]:
    rows = session.exec(
        select(AssetEvent, Asset.tag, User.email)
        .join(Asset, col(Asset.id) == AssetEvent.asset_id)
        .outerjoin(User, col(User.id) == AssetEvent.actor_id)
        .where(col(Asset.owner_id) == owner.id)
        .order_by(col(Asset.tag), col(AssetEvent.at), col(AssetEvent.id))
    ).all()
    entries = [
        HistoryEntry(e.at, e.action, email or translate(SYSTEM), e.changes, e.comment)
        for e, _, email in rows
    ]
    names = catalog.history_labels(session, entries, with_registrations=True)
    return [
        HistoryRecord(
            tag=tag,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            action_text=translate(action_label(entry.action)),
            changes=entry.changes,
            text="\n".join(
                change_lines(
                    entry.action, entry.changes, names=names, translate=translate, plural=plural
                )
            ),
            comment=entry.comment,
        )
        for entry, (_, tag, _) in zip(entries, rows, strict=True)
    ]


def _with_handover_state(
    assets: list[AssetRecord], history: list[HistoryRecord]
) -> list[AssetRecord]:
    """Each handed-over asset with the status and holder its handover event moved it from."""
    moved = {h.tag: h.changes for h in history if h.action == HANDOVER_ACTION}
    records = []
    for asset in assets:
        changes = moved.get(asset.tag)
        if changes is not None and "status" in changes:
            holder = changes.get("holder", [asset.holder, asset.holder])[0]
            asset = replace(
                asset, handed_over_from=Status(changes["status"][0]), holder_at_handover=holder
            )
        records.append(asset)
    return records


def _stocktake_records(session: Session, owner: Owner) -> list[StocktakeRecord]:
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Stocktake.id,
            Stocktake.title,
            Stocktake.closed_at,
            Asset.tag,
            StocktakeLine.outcome,
            StocktakeLine.price_ore,
            StocktakeLine.book_value_ore,
            Site.name,
            Location.building,
            Location.room,
        )
        .join(Stocktake, col(Stocktake.id) == StocktakeLine.stocktake_id)
        .join(Asset, col(Asset.id) == StocktakeLine.asset_id)
        .outerjoin(Location, col(Location.id) == StocktakeLine.registered_location_id)
        .outerjoin(Site, col(Site.id) == Location.site_id)
        .where(col(Asset.owner_id) == owner.id)
        .order_by(col(Stocktake.closed_at), col(Stocktake.id), col(Asset.tag))
    ).all()
    return [
        StocktakeRecord(
            stocktake_id=sid,
            title=title,
            closed_at=closed_at,
            tag=tag,
            outcome=outcome,
            price_ore=price,
            book_value_ore=value,
            registered_at=catalog.location_name(site, building, room) if site else None,
        )
        for sid, title, closed_at, tag, outcome, price, value, site, building, room in rows
    ]
