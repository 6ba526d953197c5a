"""The §20 split of the joint property, as a proposal the committee decides on.

A proposal is kept per split date (default: the agreement's end, Settings.split_on). While it
is a draft it is computed again from the register on demand (`compute`), and assets can be
moved by hand with a reason (`adjust`: kept with who and when, the latest per asset winning,
also over a recompute). The committee's decision is recorded and applied in one transaction
(`apply`): every joint asset's owner becomes its line's, through the assets' one write point,
each with a history event naming the decision; the proposal is then frozen.

Who: only an admin for all owners computes, adjusts and applies; unscoped users of any role
read; a user scoped to one owner finds no proposal at all (404), as services/scope.py says.

For a page and for the XLSX/PDF exports, the read functions give plain values:

- `summary(...)`: the proposal's state and decision, the cost key used, and per side the
  count, book value, purchase price, exact share, share in öre and the difference, with the
  compensation (one transfer for two sides, `transfers` for any number) and the categories
  and sites that occur (for filter menus);
- `lines(...)`: the items, filterable by category, site and side, in tag order, each with
  its names and the reason of its adjustment if any;
- `adjustment_log(...)`: every adjustment, oldest first, with who made it.
- for the page and the exports besides: `count_lines` (the items a filter finds, for paging
  `lines`), `models_of_lines` (each item's model), `parties` (the sides' names and
  organisation numbers) and `adjustment_moves` (the log with each move's from and to).

Valuation: every joint asset purchased on or before the split date and not disposed on it,
at its book value on that date (domain.depreciation, as the lifecycle rules compute it). A
disposal is final, so an asset that is not disposed now was not disposed then; for one that
is, the day its status became disposed (its history) decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..domain import partnership as rules
from ..domain.assets import lookup_tag
from ..domain.depreciation import book_value, depreciation_start
from ..domain.errors import NotFound, PermissionDenied, ValidationFailed
from ..domain.roles import Role
from ..domain.statuses import Status
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
    Site,
    SplitAdjustment,
    SplitLine,
    SplitProposal,
    User,
)
from ..models.org import OwnerKind
from ..models.partnership import SplitState
from . import assets as asset_writes
from . import audit, clock, cost_keys, owners, scope
from .access import require_role

# The history event of an asset moved by the decided split.
SPLIT_ACTION = "split"
# Tags named in a message at most; the rest are counted.
_TAGS_SHOWN = 30

NO_PROPOSAL = N_("There is no split proposal for %(on)s: compute one first.")
FROZEN = N_("The split of %(on)s was decided (%(ref)s) and applied: it can no longer change.")
KEY_CHANGED = N_(
    "The cost key of %(year)s has changed since the proposal was computed: compute the "
    "proposal again, check it, then apply it."
)
COMPUTED_MEANWHILE = N_(
    "Someone computed this proposal at the same moment: open it again to see theirs."
)
DEPARTED = N_(
    "%(owner)s's register has already been handed over: it can be given nothing more. Move "
    "its items to the other side, or ask why the handover came before the split."
)
STALE = N_(
    "The register has changed since the proposal was computed (%(tags)s): compute the "
    "proposal again, check it, then apply it."
)


# --- who may -------------------------------------------------------------------------------------


def may_read_split(actor: User) -> bool:
    return actor.active and scope.scoped_owner(actor) is None


def may_change_split(actor: User) -> bool:
    """For pages: whether to offer computing, moving and applying."""
    return may_read_split(actor) and actor.role_enum.at_least(Role.ADMIN)


def _require_reader(actor: User) -> None:
    require_role(actor, Role.VIEWER)
    if not may_read_split(actor):
        raise NotFound()  # a scoped user: as if there were no split at all


def _require_decider(actor: User) -> None:
    _require_reader(actor)
    if not may_change_split(actor):
        raise PermissionDenied(
            N_("Only an administrator for all owners may change or apply the split.")
        )


def _find(session: Session, actor: User, on: dt.date) -> SplitProposal | None:
    query = scope.restrict(select(SplitProposal), actor, SplitProposal)
    return session.exec(query.where(SplitProposal.split_on == on)).first()


def get_proposal(session: Session, *, actor: User, on: dt.date) -> SplitProposal:
    """The proposal for `on`; NotFound (with a message naming the date) when there is none."""
    _require_reader(actor)
    proposal = _find(session, actor, on)
    if proposal is None:
        raise NotFound(NO_PROPOSAL, on=on.isoformat())
    return proposal


def _draft(session: Session, actor: User, on: dt.date) -> SplitProposal:
    """The draft of `on`, locked until the caller commits (PostgreSQL): a recompute, an
    adjustment and an apply of one proposal take turns, so that what is applied is what
    was read."""
    proposal = get_proposal(session, actor=actor, on=on)
    session.refresh(proposal, with_for_update=True)
    _refuse_frozen(proposal)
    return proposal


def _refuse_frozen(proposal: SplitProposal) -> None:
    if proposal.state == SplitState.APPLIED:
        raise ValidationFailed(
            {"proposal": FROZEN},
            {"proposal": {"on": proposal.split_on.isoformat(), "ref": proposal.decision_ref}},
        )


# --- what is split -------------------------------------------------------------------------------


@dataclass(frozen=True)
class JointAsset:
    """A joint asset in the split, valued on the split date."""

    item: rules.SplitItem
    version: int
    site_id: int | None


# What valuing an asset on a date needs of it, with where it stands.
_VALUED = (
    col(Asset.id), col(Asset.tag), col(Asset.category_id), col(Asset.status),
    col(Asset.price_ore), col(Asset.purchase_date), col(Asset.in_service_date),
    col(Asset.depreciation_months), col(Asset.version), col(Asset.updated_at),
    col(Location.site_id), col(Site.owner_id),
)  # fmt: skip


def joint_assets(session: Session, *, on: dt.date) -> list[JointAsset]:
    """Every joint asset in the split of `on` (see the module's docstring), in tag order: one
    query for the assets with their site's owner, one for the disposals among them."""
    joint = select(Owner.id).where(Owner.kind == OwnerKind.JOINT)
    rows = session.execute(
        sa_select(*_VALUED)
        .select_from(Asset)
        .outerjoin(Location, col(Location.id) == col(Asset.location_id))
        .outerjoin(Site, col(Site.id) == col(Location.site_id))
        .where(col(Asset.owner_id).in_(joint), col(Asset.purchase_date) <= on)
        .order_by(col(Asset.tag))
    ).all()
    disposed_at = _disposals(session, joint)
    found = []
    for row in rows:
        disposed_on = None
        if row.status == Status.DISPOSED:
            disposed_on = clock.local_date(disposed_at.get(row.id, row.updated_at))
        if not rules.in_split(row.purchase_date, disposed_on, on=on):
            continue
        start = depreciation_start(row.purchase_date, row.in_service_date)
        item = rules.SplitItem(
            asset_id=row.id,
            tag=row.tag,
            category_id=row.category_id,
            site_owner_id=row.owner_id,
            book_value_ore=book_value(row.price_ore, start, row.depreciation_months, on),
            purchase_price_ore=row.price_ore,
        )
        found.append(JointAsset(item, row.version, row.site_id))
    return found


def _disposals(session: Session, joint: object) -> dict[int, dt.datetime]:
    """When each disposed joint asset became disposed: its history's first event that set
    the status to disposed."""
    became = AssetEvent.changes[("status", 1)].as_string()  # type: ignore[index]
    rows = session.execute(
        select(col(AssetEvent.asset_id), func.min(col(AssetEvent.at)))
        .join(Asset, col(Asset.id) == col(AssetEvent.asset_id))
        .where(
            col(Asset.owner_id).in_(joint),  # type: ignore[arg-type]
            col(Asset.status) == Status.DISPOSED,
            became == Status.DISPOSED.value,
        )
        .group_by(col(AssetEvent.asset_id))
    ).all()
    return {asset_id: at for asset_id, at in rows}


def _latest_adjustments(session: Session, proposal_id: int) -> dict[int, tuple[int, str]]:
    """Asset id -> (owner id, reason) of each asset's latest adjustment: the one in force."""
    rows = session.exec(
        select(SplitAdjustment.asset_id, SplitAdjustment.to_owner_id, SplitAdjustment.reason)
        .where(SplitAdjustment.proposal_id == proposal_id)
        .order_by(col(SplitAdjustment.at), col(SplitAdjustment.id))
    ).all()
    return {asset_id: (owner, reason) for asset_id, owner, reason in rows}


# --- computing, adjusting, applying ---------------------------------------------------------------


def compute(session: Session, *, actor: User, on: dt.date, now: dt.datetime) -> SplitProposal:
    """Compute the draft for `on` anew from the register (creating it the first time), keeping
    its adjustments, and commit. Refused for a decided split and without a cost key."""
    _require_decider(actor)
    key = cost_keys.key_for_split(session, on=on)
    users = rules.check_cost_key(key.year, key.users)
    proposal = _find(session, actor, on)
    if proposal is not None:
        # Locked (PostgreSQL): an adjustment or an apply of this draft waits for the lines.
        session.refresh(proposal, with_for_update=True)
        _refuse_frozen(proposal)
    else:
        proposal = SplitProposal(split_on=on, cost_key_year=key.year, computed_at=now)
        session.add(proposal)
        try:
            session.flush()
        except IntegrityError:
            # Someone computed the first draft of this date at the same moment.
            session.rollback()
            raise ValidationFailed({"proposal": COMPUTED_MEANWHILE}) from None
    assert proposal.id is not None
    assets = joint_assets(session, on=on)
    latest = _latest_adjustments(session, proposal.id)
    pinned = {a: owner for a, (owner, _) in latest.items() if owner in users}
    allocation = rules.allocate(users, [a.item for a in assets], pinned)
    session.execute(delete(SplitLine).where(col(SplitLine.proposal_id) == proposal.id))
    if assets:
        session.execute(
            insert(SplitLine),
            [
                {
                    "proposal_id": proposal.id,
                    "asset_id": a.item.asset_id,
                    "asset_version": a.version,
                    "proposed_owner_id": line.proposed_owner_id,
                    "to_owner_id": line.to_owner_id,
                    "basis": line.basis.value,
                    "book_value_ore": a.item.book_value_ore,
                    "purchase_price_ore": a.item.purchase_price_ore,
                    "tag": a.item.tag,
                    "category_id": a.item.category_id,
                    "site_id": a.site_id,
                    "site_owner_id": a.item.site_owner_id,
                }
                for a, line in zip(assets, allocation.assignments, strict=True)
            ],
        )
    proposal.cost_key_year = key.year
    proposal.cost_key_users = _snapshot(users)
    proposal.computed_at = now
    proposal.computed_by_id = actor.id
    session.add(proposal)
    _audit(session, "split.compute", actor, on, now, {
        "cost_key": {row.slug: row.users for row in key.rows},
        "lines": len(assets),
        "joint_total_ore": allocation.settlement.joint_total_ore,
    })  # fmt: skip
    session.commit()
    return proposal


def adjust(
    session: Session,
    *,
    actor: User,
    on: dt.date,
    tags: Sequence[str],
    to_owner_slug: str,
    reason: str,
    now: dt.datetime,
) -> int:
    """Move the assets of `tags` to `to_owner_slug`'s side with a reason (required), and
    commit: the lines follow at once, the adjustments are kept with who and when and survive
    a recompute. Moving an asset back to the side the rules proposed is allowed (it stays
    pinned there). Returns the number of lines moved."""
    _require_decider(actor)
    proposal = _draft(session, actor, on)
    key = cost_keys.key_for_split(session, on=on)
    owners = {row.slug: row.owner_id for row in key.rows if row.users > 0}
    reason = (reason or "").strip()
    wanted = {lookup_tag(t) or t.strip() for t in tags if t.strip()}
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    if not reason:
        errors["reason"] = N_("Give a reason for the move.")
    elif len(reason) > 500:
        errors["reason"] = N_("A reason is at most 500 characters.")
    if to_owner_slug not in owners:
        errors["to_owner"] = N_("Choose one of the municipalities of the cost key.")
    if not wanted:
        errors["tags"] = N_("Choose at least one asset to move.")
    lines = session.exec(
        select(SplitLine).where(
            SplitLine.proposal_id == proposal.id, col(SplitLine.tag).in_(sorted(wanted))
        )
    ).all()
    unknown = wanted - {line.tag for line in lines}
    if unknown:
        errors["tags"] = N_("Not in the proposal: %(tags)s.")
        params["tags"] = {"tags": _listed(unknown)}
    if errors:
        raise ValidationFailed(errors, params)
    owner_id = owners[to_owner_slug]
    for line in lines:
        session.add(
            SplitAdjustment(
                proposal_id=proposal.id,  # type: ignore[arg-type]
                asset_id=line.asset_id,
                to_owner_id=owner_id,
                reason=reason,
                actor_id=actor.id,
                at=now,
            )
        )
        line.to_owner_id = owner_id
        line.basis = rules.Basis.ADJUSTED
        session.add(line)
    _audit(session, "split.adjust", actor, on, now, {
        "tags": sorted(wanted), "to": to_owner_slug, "reason": reason,
    })  # fmt: skip
    session.commit()
    return len(lines)


def apply(
    session: Session,
    *,
    actor: User,
    on: dt.date,
    decided_on: dt.date | None,
    decision_ref: str,
    comment: str = "",
    now: dt.datetime,
    today: dt.date,
) -> SplitProposal:
    """Record the committee's decision and carry it out in one transaction: every line's
    asset gets the line's owner through the assets' write point (assets.stage_change), with a
    history event "split" naming the decision; the proposal becomes applied and frozen. All
    or nothing. Refused twice, and refused when the register changed since the proposal was
    computed (an asset edited, disposed or no longer joint, or a joint asset not in it): the
    message names the tags and asks for a recompute."""
    _require_decider(actor)
    proposal = _draft(session, actor, on)
    decision_ref = (decision_ref or "").strip()
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    if decided_on is None:
        errors["decided_on"] = N_("Give the date of the committee's decision.")
    elif decided_on > today:
        errors["decided_on"] = N_("A decision cannot be dated in the future.")
    if not decision_ref:
        errors["decision_ref"] = N_("Give the decision's reference, e.g. ITN § 45/2026.")
    elif len(decision_ref) > 80:
        errors["decision_ref"] = N_("A decision reference is at most 80 characters.")
    if len(comment) > 2000:
        errors["comment"] = N_("A comment is at most 2000 characters.")
    if errors:
        raise ValidationFailed(errors)
    lines = _applicable_lines(session, proposal)
    joint = select(Owner.id).where(Owner.kind == OwnerKind.JOINT)
    assets = {a.id: a for a in session.exec(select(Asset).where(col(Asset.owner_id).in_(joint)))}
    unit_owner = dict(session.exec(select(BusinessUnit.id, BusinessUnit.owner_id)).all())
    said = f"{decision_ref}: {comment}" if comment else decision_ref
    with asset_writes.committing(session, today=today):
        for line in lines:
            asset = assets[line.asset_id]
            before = asset_writes.tracked_values(asset)
            asset.owner_id = line.to_owner_id
            if asset.business_unit_id and unit_owner.get(asset.business_unit_id) != asset.owner_id:
                # A business unit belongs to one owner: the joint property's does not follow.
                asset.business_unit_id = None
            # Dated by the split (domain/spans.py): the asset ledger's transfer is of that day.
            changes = asset_writes.diff(before, asset_writes.tracked_values(asset))
            changes["split_on"] = [None, on.isoformat()]
            asset_writes.stage_change(
                session, asset=asset, actor=actor, now=now, action=SPLIT_ACTION,
                changes=changes, comment=said,
            )  # fmt: skip
        proposal.state = SplitState.APPLIED
        proposal.decided_on = decided_on
        proposal.decision_ref = decision_ref
        proposal.decision_comment = comment
        proposal.applied_at = now
        proposal.applied_by_id = actor.id
        session.add(proposal)
        _audit(session, "split.apply", actor, on, now, {
            "decided_on": decided_on.isoformat() if decided_on else None,
            "decision_ref": decision_ref,
            "lines": len(lines),
        })  # fmt: skip
    return proposal


def _snapshot(users: Mapping[int, int]) -> dict[str, int]:
    """The key as the proposal keeps it (JSON keys are strings)."""
    return {str(owner): n for owner, n in sorted(users.items())}


def _key_of(proposal: SplitProposal, current: Mapping[int, int]) -> dict[int, int]:
    """The key the proposal was computed with; the current one for a proposal computed
    before keys were kept with it."""
    if proposal.cost_key_users is None:
        return dict(current)
    return {int(owner): n for owner, n in proposal.cost_key_users.items()}


def _audit(
    session: Session,
    action: str,
    actor: User,
    on: dt.date,
    now: dt.datetime,
    details: dict[str, Any],
) -> None:
    """The audit log's entry for a step of the split of `on`, in the step's transaction."""
    audit.record(
        session, action=action, actor=actor, subject=on.isoformat(), details=details, at=now
    )


def check_applicable(session: Session, *, actor: User, on: dt.date) -> None:
    """Whether the draft of `on` could be applied as it stands (for the confirm step, so
    that it is not offered for a proposal that would be refused): raises as apply would."""
    _require_decider(actor)
    _applicable_lines(session, _draft(session, actor, on))
    session.rollback()  # the draft's lock is not kept while the decider reads the summary


def _applicable_lines(session: Session, proposal: SplitProposal) -> Sequence[SplitLine]:
    """The proposal's lines, if it can be applied as computed: its key unchanged, none of
    its assets changed, no side handed over already."""
    lines = session.exec(
        select(SplitLine).where(SplitLine.proposal_id == proposal.id).order_by(col(SplitLine.tag))
    ).all()
    key = cost_keys.key_for_split(session, on=proposal.split_on)
    current = rules.check_cost_key(key.year, key.users)
    if _key_of(proposal, current) != current:
        raise ValidationFailed(
            {"proposal": KEY_CHANGED}, {"proposal": {"year": proposal.cost_key_year}}
        )
    _refuse_stale(session, proposal.split_on, lines)
    _refuse_departed(session, lines)
    return lines


def _refuse_departed(session: Session, lines: Sequence[SplitLine]) -> None:
    """A municipality whose register was handed over gets nothing more (services/owners.py):
    the handover waits for the split, not the other way round."""
    for owner_id in sorted({line.to_owner_id for line in lines}):
        if owners.has_handed_over(session, owner_id):
            owner = session.get(Owner, owner_id)
            raise ValidationFailed(
                {"proposal": DEPARTED}, {"proposal": {"owner": owner.name if owner else ""}}
            )


def _changed_since(line: SplitLine, now: JointAsset) -> bool:
    """Whether the asset of a line is no longer as it was computed: edited (its version),
    or standing elsewhere as far as the rules go: another site, or its site now another
    owner's (a site's owner changes without touching its assets' versions)."""
    return (
        now.version != line.asset_version
        or now.site_id != line.site_id
        or now.item.site_owner_id != line.site_owner_id
    )


def _refuse_stale(session: Session, on: dt.date, lines: Sequence[SplitLine]) -> None:
    now_in_split = {a.item.asset_id: a for a in joint_assets(session, on=on)}
    stale = {
        line.tag
        for line in lines
        if line.asset_id not in now_in_split or _changed_since(line, now_in_split[line.asset_id])
    }
    in_lines = {line.asset_id for line in lines}
    stale |= {a.item.tag for i, a in now_in_split.items() if i not in in_lines}
    if stale:
        raise ValidationFailed({"proposal": STALE}, {"proposal": {"tags": _listed(stale)}})


def _listed(tags: Iterable[str]) -> str:
    ordered = sorted(tags)
    shown = ", ".join(ordered[:_TAGS_SHOWN])
    return shown if len(ordered) <= _TAGS_SHOWN else f"{shown} … (+{len(ordered) - _TAGS_SHOWN})"


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One municipality's side of the split."""

    owner_id: int
    slug: str
    name: str
    users: int
    share: Fraction  # exact
    percent: Decimal  # the share in per cent, one decimal
    count: int
    book_value_ore: int
    purchase_price_ore: int
    share_ore: int  # the exact share of the joint total, to the öre (shares add up to it)

    @property
    def difference_ore(self) -> int:
        """What its items lack of its share (negative: by how much they exceed it)."""
        return self.share_ore - self.book_value_ore


@dataclass(frozen=True)
class Payment:
    from_slug: str
    from_name: str
    to_slug: str
    to_name: str
    ore: int


@dataclass(frozen=True)
class Summary:
    """The proposal on one page (or the first sheet of an export)."""

    proposal_id: int
    on: dt.date
    state: str  # SplitState
    cost_key_year: int
    computed_at: dt.datetime
    computed_by: str  # the e-mail address of who computed it last, "" if unknown
    decided_on: dt.date | None
    decision_ref: str
    decision_comment: str
    applied_at: dt.datetime | None
    applied_by: str
    joint_total_ore: int
    joint_purchase_price_ore: int
    sides: tuple[Side, ...]  # in owner id order
    transfers: tuple[Payment, ...]  # what settles the difference; empty when nothing does
    adjusted_count: int
    categories: tuple[tuple[int, str], ...]  # (id, name) of the categories of the lines
    sites: tuple[tuple[int, str], ...]  # (id, name) of the sites of the lines
    # A draft whose year's cost key was changed after it was computed: read with the key it
    # was computed with, and to be computed again before it can be applied.
    key_changed: bool = False

    @property
    def applied(self) -> bool:
        return self.state == SplitState.APPLIED

    @property
    def compensation(self) -> Payment | None:
        """The one payment between two sides (None when they are even)."""
        return self.transfers[0] if self.transfers else None


def summary(session: Session, *, actor: User, on: dt.date) -> Summary:
    """Totals per side against the cost key's shares, and the compensation, from the stored
    lines (so that a decided split reads as it was decided): NotFound without a proposal."""
    proposal = get_proposal(session, actor=actor, on=on)
    key = cost_keys.key_for_split(session, on=on)
    current = rules.check_cost_key(key.year, key.users)
    users = _key_of(proposal, current)
    per_owner = session.execute(
        select(
            col(SplitLine.to_owner_id),
            func.count(),
            func.coalesce(func.sum(col(SplitLine.book_value_ore)), 0),
            func.coalesce(func.sum(col(SplitLine.purchase_price_ore)), 0),
        )
        .where(col(SplitLine.proposal_id) == proposal.id)
        .group_by(col(SplitLine.to_owner_id))
    ).all()
    values = {owner: (int(n), int(value)) for owner, n, value, _ in per_owner}
    prices = {owner: int(price) for owner, _, _, price in per_owner}
    settlement = rules.settle(users, values)
    names = {o.id: o for o in session.exec(select(Owner))}
    sides = tuple(
        Side(
            owner_id=s.owner_id,
            slug=names[s.owner_id].slug,
            name=names[s.owner_id].name,
            users=s.users,
            share=s.share,
            percent=rules.percent(s.share),
            count=s.count,
            book_value_ore=s.book_value_ore,
            purchase_price_ore=prices.get(s.owner_id, 0),
            share_ore=s.share_ore,
        )
        for s in settlement.sides
    )
    payments = tuple(
        Payment(
            from_slug=names[t.from_owner_id].slug,
            from_name=names[t.from_owner_id].name,
            to_slug=names[t.to_owner_id].slug,
            to_name=names[t.to_owner_id].name,
            ore=t.ore,
        )
        for t in settlement.transfers
    )
    emails = _emails(session, {proposal.computed_by_id, proposal.applied_by_id})
    return Summary(
        proposal_id=proposal.id,  # type: ignore[arg-type]
        on=proposal.split_on,
        state=proposal.state,
        cost_key_year=proposal.cost_key_year,
        computed_at=proposal.computed_at,
        computed_by=emails.get(proposal.computed_by_id, ""),
        decided_on=proposal.decided_on,
        decision_ref=proposal.decision_ref,
        decision_comment=proposal.decision_comment,
        applied_at=proposal.applied_at,
        applied_by=emails.get(proposal.applied_by_id, ""),
        joint_total_ore=settlement.joint_total_ore,
        joint_purchase_price_ore=sum(prices.values()),
        sides=sides,
        transfers=payments,
        adjusted_count=_count_lines(session, proposal, rules.Basis.ADJUSTED),
        key_changed=proposal.state == SplitState.DRAFT and users != current,
        categories=_names_of_lines(session, proposal, Category, col(SplitLine.category_id)),
        sites=_names_of_lines(session, proposal, Site, col(SplitLine.site_id)),
    )


def _emails(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.email).where(col(User.id).in_(wanted))).all()
    return dict(rows)


def _count_lines(session: Session, proposal: SplitProposal, basis: rules.Basis) -> int:
    query = select(func.count()).where(
        col(SplitLine.proposal_id) == proposal.id, col(SplitLine.basis) == basis.value
    )
    return int(session.execute(query).scalar_one())


def _names_of_lines(
    session: Session, proposal: SplitProposal, table: type[Category | Site], ref: object
) -> tuple[tuple[int, str], ...]:
    used = select(ref).where(col(SplitLine.proposal_id) == proposal.id).distinct()  # type: ignore[call-overload]
    rows = session.execute(
        select(col(table.id), col(table.name))
        .where(col(table.id).in_(used))
        .order_by(col(table.name))
    ).all()
    return tuple((i, name) for i, name in rows)


@dataclass(frozen=True)
class LineRow:
    """One item of the split, as it was valued and assigned."""

    asset_id: int
    tag: str
    category_id: int
    category: str
    site_id: int | None
    site: str  # "" without a site
    proposed_slug: str
    to_owner_id: int
    to_slug: str
    to_name: str
    basis: str  # Basis: site, balance or adjusted
    book_value_ore: int
    purchase_price_ore: int
    reason: str  # the latest adjustment's reason, "" when not adjusted


def lines(
    session: Session,
    *,
    actor: User,
    on: dt.date,
    category_id: int | None = None,
    site_id: int | None = None,
    to_owner_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[LineRow]:
    """The proposal's items in tag order, optionally only one category's, one site's or one
    side's, and only `limit` of them from `offset` (a page of them: `count_lines` counts
    them all)."""
    proposal = get_proposal(session, actor=actor, on=on)
    query = _filtered(
        select(SplitLine, Category.name, Site.name)
        .join(Category, col(Category.id) == col(SplitLine.category_id))
        .outerjoin(Site, col(Site.id) == col(SplitLine.site_id))
        .order_by(col(SplitLine.tag)),
        proposal,
        category_id=category_id,
        site_id=site_id,
        to_owner_id=to_owner_id,
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    owners = {o.id: o for o in session.exec(select(Owner))}
    latest = _latest_adjustments(session, proposal.id)  # type: ignore[arg-type]
    return [
        LineRow(
            asset_id=line.asset_id,
            tag=line.tag,
            category_id=line.category_id,
            category=category,
            site_id=line.site_id,
            site=site or "",
            proposed_slug=owners[line.proposed_owner_id].slug,
            to_owner_id=line.to_owner_id,
            to_slug=owners[line.to_owner_id].slug,
            to_name=owners[line.to_owner_id].name,
            basis=line.basis,
            book_value_ore=line.book_value_ore,
            purchase_price_ore=line.purchase_price_ore,
            reason=latest[line.asset_id][1] if line.basis == rules.Basis.ADJUSTED else "",
        )
        for line, category, site in session.exec(query).all()
    ]


def _filtered(
    query: Any,
    proposal: SplitProposal,
    *,
    category_id: int | None,
    site_id: int | None,
    to_owner_id: int | None,
) -> Any:
    """The proposal's lines, of one category, site or side if given."""
    query = query.where(col(SplitLine.proposal_id) == proposal.id)
    if category_id is not None:
        query = query.where(col(SplitLine.category_id) == category_id)
    if site_id is not None:
        query = query.where(col(SplitLine.site_id) == site_id)
    if to_owner_id is not None:
        query = query.where(col(SplitLine.to_owner_id) == to_owner_id)
    return query


@dataclass(frozen=True)
class AdjustmentRow:
    at: dt.datetime
    tag: str
    to_slug: str
    to_name: str
    reason: str
    actor_email: str  # "" when the user is gone
    actor_name: str


def adjustment_log(session: Session, *, actor: User, on: dt.date) -> list[AdjustmentRow]:
    """Every adjustment of the proposal, oldest first, with who made it (the latest of an
    asset is the one in force)."""
    proposal = get_proposal(session, actor=actor, on=on)
    rows = session.execute(
        sa_select(
            SplitAdjustment,
            col(Asset.tag),
            col(Owner.slug),
            col(Owner.name),
            col(User.email),
            col(User.name),
        )
        .join(Asset, col(Asset.id) == col(SplitAdjustment.asset_id))
        .join(Owner, col(Owner.id) == col(SplitAdjustment.to_owner_id))
        .outerjoin(User, col(User.id) == col(SplitAdjustment.actor_id))
        .where(col(SplitAdjustment.proposal_id) == proposal.id)
        .order_by(col(SplitAdjustment.at), col(SplitAdjustment.id))
    ).all()
    return [
        AdjustmentRow(
            at=adj.at,
            tag=tag,
            to_slug=slug,
            to_name=owner_name,
            reason=adj.reason,
            actor_email=email or "",
            actor_name=user_name or "",
        )
        for adj, tag, slug, owner_name, email, user_name in rows
    ]


# --- reading, for the proposal page and its exports ------------------------------------------


def count_lines(
    session: Session,
    *,
    actor: User,
    on: dt.date,
    category_id: int | None = None,
    site_id: int | None = None,
    to_owner_id: int | None = None,
) -> int:
    """How many items `lines` gives with the same filters (a page shows some of them)."""
    proposal = get_proposal(session, actor=actor, on=on)
    query = _filtered(
        sa_select(func.count()).select_from(SplitLine),
        proposal,
        category_id=category_id,
        site_id=site_id,
        to_owner_id=to_owner_id,
    )
    return int(session.execute(query).scalar_one())


def models_of_lines(
    session: Session, *, actor: User, on: dt.date, asset_ids: Iterable[int] | None = None
) -> dict[int, str]:
    """Asset id -> "manufacturer model" of the proposal's items (all of them, or those of
    `asset_ids`: a page's), shown beside the tag on the page and in the exports."""
    proposal = get_proposal(session, actor=actor, on=on)
    query = (
        sa_select(col(SplitLine.asset_id), col(Manufacturer.name), col(Model.name))
        .join(Asset, col(Asset.id) == col(SplitLine.asset_id))
        .join(Model, col(Model.id) == col(Asset.model_id))
        .join(Manufacturer, col(Manufacturer.id) == col(Model.manufacturer_id))
        .where(col(SplitLine.proposal_id) == proposal.id)
    )
    if asset_ids is not None:
        query = query.where(col(SplitLine.asset_id).in_(sorted(set(asset_ids))))
    return {asset_id: f"{maker} {model}" for asset_id, maker, model in session.execute(query)}


@dataclass(frozen=True)
class Party:
    """A municipality the joint property is divided between, as the handover protocol
    names it."""

    owner_id: int
    name: str
    org_number: str  # "" when the register has none


def parties(session: Session, *, actor: User, on: dt.date) -> dict[int, Party]:
    """Owner id -> party, for the sides of the proposal of `on` (its cost key's)."""
    get_proposal(session, actor=actor, on=on)
    key = cost_keys.key_for_split(session, on=on)
    ids = [row.owner_id for row in key.rows]
    owners = session.exec(select(Owner).where(col(Owner.id).in_(ids))).all()
    return {
        o.id: Party(owner_id=o.id, name=o.name, org_number=o.org_number or "")
        for o in owners
        if o.id is not None
    }


@dataclass(frozen=True)
class Move:
    """One adjustment as the page's log shows it: from which side to which."""

    at: dt.datetime
    tag: str
    from_name: str  # "" when the asset is no longer in the proposal
    to_name: str
    reason: str
    actor_email: str
    actor_name: str


def adjustment_moves(session: Session, *, actor: User, on: dt.date) -> list[Move]:
    """`adjustment_log` with where each move came from: the side of the asset's previous
    adjustment, or, for its first, the side the rules put it on (as last computed)."""
    proposal = get_proposal(session, actor=actor, on=on)
    log = adjustment_log(session, actor=actor, on=on)
    proposed: dict[str, str] = dict(
        session.execute(  # type: ignore[arg-type]
            sa_select(col(Asset.tag), col(Owner.name))
            .select_from(SplitLine)
            .join(Asset, col(Asset.id) == col(SplitLine.asset_id))
            .join(Owner, col(Owner.id) == col(SplitLine.proposed_owner_id))
            .where(col(SplitLine.proposal_id) == proposal.id)
            .where(col(SplitLine.basis) == rules.Basis.ADJUSTED.value)
        ).all()
    )
    last: dict[str, str] = {}
    moves = []
    for row in log:
        moves.append(
            Move(
                at=row.at,
                tag=row.tag,
                from_name=last.get(row.tag, proposed.get(row.tag, "")),
                to_name=row.to_name,
                reason=row.reason,
                actor_email=row.actor_email,
                actor_name=row.actor_name,
            )
        )
        last[row.tag] = row.to_name
    return moves
