"""Handing over a departing owner's register (services/handover.py): when it is refused,
what it does in one transaction, what it leaves alone, and that a failure half-way leaves
nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, func, select

from inventory.domain.errors import PermissionDenied, ValidationFailed
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import ApiToken, Asset, AssetEvent, AssetFlag, AuditEvent, OwnerHandover, User
from inventory.services import assets as asset_service
from inventory.services import dashboard, flags, handover, labels, lifecycle, reuse
from inventory.services.asset_list import list_assets, parse_filter

from ..departing import AFTER, AFTER_NOW, LEAVES_ON, Departing, make_departing
from ..factories import NOW, Reference, record_wipe


@pytest.fixture
def w(session: Session, ref: Reference) -> Departing:
    return make_departing(session, ref)


def hand_over(session: Session, w: Departing, *, today: dt.date = AFTER) -> handover.HandoverReport:
    return handover.hand_over(session, actor=w.ref.admin, owner=w.owner, today=today, now=AFTER_NOW)


def fresh(session: Session, asset: Asset) -> Asset:
    session.expire_all()
    found = session.get(Asset, asset.id)
    assert found is not None
    return found


def refusal(session: Session, w: Departing, **kwargs: object) -> str:
    with pytest.raises(ValidationFailed) as refused:
        hand_over(session, w, **kwargs)  # type: ignore[arg-type]
    return refused.value.errors["handover"]


# --- refusals ------------------------------------------------------------------------------


def test_a_handover_before_the_leaving_date_is_refused(session: Session, w: Departing) -> None:
    assert "on or after %(date)s" in refusal(session, w, today=dt.date(2026, 12, 30))
    assert fresh(session, w.in_stock).status == Status.IN_STOCK


def test_on_the_leaving_date_itself_the_register_is_handed_over(
    session: Session, w: Departing
) -> None:
    assert hand_over(session, w, today=LEAVES_ON).asset_count == 3


def test_a_handover_without_a_leaving_date_is_refused(session: Session, w: Departing) -> None:
    w.owner.leaves_on = None
    session.add(w.owner)
    session.commit()
    assert "leaves the partnership first" in refusal(session, w)


def test_the_joint_property_is_never_handed_over(session: Session, w: Departing) -> None:
    w.ref.joint.leaves_on = LEAVES_ON  # even with a date set behind the service's back
    with pytest.raises(ValidationFailed) as refused:
        handover.hand_over(
            session, actor=w.ref.admin, owner=w.ref.joint, today=AFTER, now=AFTER_NOW
        )
    assert "divided" in refused.value.errors["handover"]
    assert fresh(session, w.joint).status == Status.IN_STOCK


def test_a_register_is_handed_over_once(session: Session, w: Departing) -> None:
    hand_over(session, w)
    assert "already been handed over" in refusal(session, w)
    assert len(session.exec(select(OwnerHandover)).all()) == 1


@pytest.mark.parametrize("who", ["admin_borgholm", "technician", "viewer"])
def test_only_an_admin_for_all_owners_hands_over(session: Session, w: Departing, who: str) -> None:
    with pytest.raises(PermissionDenied):
        handover.hand_over(
            session, actor=getattr(w.ref, who), owner=w.owner, today=AFTER, now=AFTER_NOW
        )


# --- what it does --------------------------------------------------------------------------


def test_every_remaining_asset_leaves_as_handed_over_with_history_naming_it(
    session: Session, w: Departing
) -> None:
    report = hand_over(session, w)
    assert report.asset_count == 3
    for asset in w.remaining:
        row = fresh(session, asset)
        assert (row.status, row.disposal_kind) == (Status.DISPOSED, DisposalKind.HANDED_OVER)
        last = session.exec(
            select(AssetEvent)
            .where(AssetEvent.asset_id == asset.id)
            .order_by(col(AssetEvent.id).desc())
        ).first()
        assert last is not None and last.action == "handover"
        # Handed over on 2027-01-04, after leaving on 2026-12-31: the history names the day
        # it left, which is when the devices stopped being its fleet.
        assert "Mörbylånga kommun" in last.comment and LEAVES_ON.isoformat() in last.comment
        assert AFTER.isoformat() not in last.comment
        assert last.changes["disposal_kind"] == [None, "handed_over"]
    # The holder leaves the record; the history keeps who had it.
    deployed = fresh(session, w.deployed)
    assert deployed.holder is None
    event = session.exec(
        select(AssetEvent).where(
            AssetEvent.asset_id == deployed.id, AssetEvent.action == "handover"
        )
    ).one()
    assert event.changes["holder"] == ["Maja Mörby", None]
    assert event.changes["status"] == ["deployed", "disposed"]


def test_what_left_before_and_other_owners_assets_are_left_alone(
    session: Session, w: Departing
) -> None:
    before = {a.id: a.version for a in (w.recycled, w.borgholm, w.joint)}
    hand_over(session, w)
    for asset_id, version in before.items():
        row = session.get(Asset, asset_id)
        assert row is not None and row.version == version
    assert fresh(session, w.recycled).disposal_kind == DisposalKind.RECYCLED


def test_the_owners_users_are_deactivated_and_their_tokens_revoked(
    session: Session, w: Departing
) -> None:
    versions = {w.tech.id: w.tech.session_version, w.viewer.id: w.viewer.session_version}
    report = hand_over(session, w)
    assert [u.email for u in report.users] == [w.viewer.email, w.tech.email]
    assert report.tokens_revoked == 1
    session.expire_all()
    for user_id, version in versions.items():
        user = session.get(User, user_id)
        assert user is not None and not user.active and user.session_version == version + 1
    assert all(t.revoked for t in session.exec(select(ApiToken)))
    # Users of the other owner and those for all owners keep their access.
    for other in (w.ref.tech_borgholm, w.ref.admin, w.ref.technician):
        assert session.get(User, other.id).active  # type: ignore[union-attr]


def test_the_handed_over_owners_users_stay_closed(session: Session, w: Departing) -> None:
    """An admin can neither reactivate a user the handover closed nor give the departed
    owner a new one: there is nothing of theirs left to see or do."""
    from inventory.services import users

    hand_over(session, w)
    session.expire_all()
    tech = session.get(User, w.tech.id)
    assert tech is not None
    with pytest.raises(ValidationFailed) as refused:
        users.update_user(
            session, actor=w.ref.admin, user=tech, role=tech.role, owner_id=tech.owner_id,
            active=True, name=tech.name,
        )  # fmt: skip
    assert "owner_id" in refused.value.errors
    with pytest.raises(ValidationFailed):
        users.create_user(
            session, actor=w.ref.admin, email="ny@morbylanga.se", password="x" * 12,
            role="viewer", owner_id=w.owner.id,
        )  # fmt: skip
    session.expire_all()
    assert not session.get(User, w.tech.id).active  # type: ignore[union-attr]
    # Closed, a user can still be edited (a name, a password) and moved to another owner.
    users.update_user(
        session, actor=w.ref.admin, user=tech, role=tech.role, owner_id=w.ref.borgholm.id,
        active=True, name=tech.name,
    )  # fmt: skip


def test_the_handover_is_recorded_with_its_report_and_audited(
    session: Session, w: Departing
) -> None:
    hand_over(session, w)
    record = session.exec(select(OwnerHandover)).one()
    # The day it left, though the handover was done days later (AFTER, performed_at).
    assert (record.owner_id, record.handed_over_on, record.asset_count) == (
        w.owner.id,
        LEAVES_ON,
        3,
    )
    assert record.performed_at == AFTER_NOW.replace(tzinfo=record.performed_at.tzinfo)
    assert [u["email"] for u in record.details["users"]] == [w.viewer.email, w.tech.email]
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "owner.handover")).one()
    assert audit.subject == "morbylanga" and audit.actor_id == w.ref.admin.id
    assert audit.details["assets"] == 3
    report = handover.report(session, actor=w.ref.admin, owner=w.owner)
    assert report is not None and report.performed_by == w.ref.admin.email


def test_a_failure_half_way_leaves_nothing_changed(
    session: Session, w: Departing, monkeypatch: pytest.MonkeyPatch
) -> None:
    def count(entity: type) -> int:
        return session.exec(select(func.count()).select_from(entity)).one()

    events, audits = count(AssetEvent), count(AuditEvent)
    real = handover.stage_change
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the disk is full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(handover, "stage_change", failing)
    with pytest.raises(RuntimeError):
        hand_over(session, w)
    session.expire_all()
    assert [fresh(session, a).status for a in w.remaining] == [
        Status.DEPLOYED,
        Status.IN_STOCK,
        Status.REUSE_POOL,
    ]
    assert fresh(session, w.deployed).holder == "Maja Mörby"
    assert (count(AssetEvent), count(AuditEvent), count(OwnerHandover)) == (events, audits, 0)
    assert all(u.active for u in session.exec(select(User)))
    assert not any(t.revoked for t in session.exec(select(ApiToken)))
    # And it can be done once the fault is gone.
    monkeypatch.setattr(handover, "stage_change", real)
    assert hand_over(session, w).asset_count == 3


# --- handed over is the handover's own -------------------------------------------------------


def test_the_status_form_cannot_hand_a_device_over(session: Session, w: Departing) -> None:
    with pytest.raises(ValidationFailed) as refused:
        asset_service.change_status(
            session, actor=w.ref.admin, asset=w.in_stock, target=Status.DISPOSED,
            disposal_kind=DisposalKind.HANDED_OVER, now=NOW,
        )  # fmt: skip
    assert "disposal_kind" in refused.value.errors
    assert fresh(session, w.in_stock).status == Status.IN_STOCK


def test_the_lifecycle_hands_over_only_with_the_assets_own_owners_handover(
    session: Session, w: Departing
) -> None:
    others = OwnerHandover(
        id=999, owner_id=w.ref.borgholm.id, handed_over_on=AFTER, performed_at=AFTER_NOW
    )
    for record in (None, others):
        with pytest.raises(ValidationFailed):
            lifecycle.move(
                session, asset=w.in_stock, target=Status.DISPOSED,
                disposal_kind=DisposalKind.HANDED_OVER, today=AFTER, now=AFTER_NOW,
                handover=record,
            )  # fmt: skip
    assert w.in_stock.status == Status.IN_STOCK


def test_a_handover_needs_no_wipe(session: Session, w: Departing) -> None:
    """The in-stock device was never wiped: by agreement it goes with its data."""
    assert lifecycle.wipe_in_effect(session, w.in_stock) is None
    hand_over(session, w)
    assert fresh(session, w.in_stock).disposal_kind == DisposalKind.HANDED_OVER


# --- afterwards ----------------------------------------------------------------------------


def test_handed_over_assets_leave_the_dashboard_flags_pool_labels_and_active_lists(
    session: Session, w: Departing
) -> None:
    record_wipe(session, w.ref, w.borgholm)  # so that the other owner has a flagged pool too
    flags.recompute(session, today=AFTER)
    hand_over(session, w)
    mine = w.owner.id
    board = dashboard.dashboard(session, actor=w.ref.admin, today=AFTER)
    assert all(owner != mine for _, owner in board.by_category_owner)
    assert all(owner != mine for _, owner in board.reuse_pool)
    assert all(owner != mine for counts in board.flagged.values() for _, owner in counts)
    assert board.owner_total(w.ref.borgholm.id) == 1
    # The nightly job finds nothing of theirs to flag either.
    flags.recompute(session, today=AFTER)
    assert session.exec(select(AssetFlag).where(AssetFlag.owner_id == mine)).all() == []
    assert reuse.pool(session, actor=w.ref.admin) == []
    with pytest.raises(ValidationFailed) as nothing:
        labels.label_rows(session, actor=w.ref.admin, owner_slugs=["morbylanga"])
    assert "nothing to print" in nothing.value.errors["selection"]
    for status in Status:
        if status.is_active:
            page = list_assets(
                session,
                actor=w.ref.admin,
                flt=parse_filter({"owner": "morbylanga", "status": status}),
            )
            assert page.items == [], status
    # Still readable: the register keeps every one of them, disposed.
    everything = list_assets(session, actor=w.ref.admin, flt=parse_filter({"owner": "morbylanga"}))
    assert {row.tag for row in everything.items} == {a.tag for a in (*w.remaining, w.recycled)}


def test_nothing_is_registered_for_or_moved_to_an_owner_that_has_left(
    session: Session, w: Departing
) -> None:
    from ..factories import edit_asset, make_asset

    hand_over(session, w)
    with pytest.raises(ValidationFailed) as refused:
        make_asset(session, w.ref, owner_id=w.owner.id, location_id=None)
    assert "owner_id" in refused.value.errors
    mine = make_asset(session, w.ref, owner_id=w.ref.borgholm.id)
    with pytest.raises(ValidationFailed) as moved:
        edit_asset(session, w.ref, mine, owner_id=w.owner.id, location_id=None)
    assert "owner_id" in moved.value.errors
    assert fresh(session, mine).owner_id == w.ref.borgholm.id


def test_an_open_stocktake_of_the_owner_waits_the_handover(session: Session, w: Departing) -> None:
    from inventory.services import stocktakes

    counting = stocktakes.start(session, actor=w.tech, now=AFTER_NOW,
                                owner_slug="morbylanga")  # fmt: skip
    assert refusal(session, w).startswith("Close the owner's open stocktakes first")
    assert all(fresh(session, a).status != Status.DISPOSED for a in w.remaining)
    stocktakes.close(session, actor=w.tech, stocktake=counting, today=AFTER, now=AFTER_NOW)
    assert hand_over(session, w).asset_count == 3


def test_a_split_still_a_proposal_waits_the_handover(session: Session, w: Departing) -> None:
    """Applied after the handover, a split would give the departed owner devices no handover
    could reach: the handover waits for it."""
    from inventory.services import cost_keys, partnership

    cost_keys.set_users(session, actor=w.ref.admin, year=2026,
                        users={"morbylanga": 2002, "borgholm": 1658}, now=AFTER_NOW)  # fmt: skip
    partnership.compute(session, actor=w.ref.admin, on=LEAVES_ON, now=AFTER_NOW)
    refused = refusal(session, w)
    assert refused.startswith("The split of the joint property")
    partnership.apply(session, actor=w.ref.admin, on=LEAVES_ON, decided_on=AFTER,
                      decision_ref="ITN § 1/2027", now=AFTER_NOW, today=AFTER)  # fmt: skip
    assert hand_over(session, w).asset_count >= 3


def test_a_split_is_not_applied_to_an_owner_already_handed_over(
    session: Session, w: Departing
) -> None:
    from inventory.services import cost_keys, partnership

    from ..factories import make_asset

    joint = make_asset(session, w.ref, owner_id=w.ref.joint.id, location_id=None)
    hand_over(session, w)
    cost_keys.set_users(session, actor=w.ref.admin, year=2026,
                        users={"morbylanga": 2002, "borgholm": 1658}, now=AFTER_NOW)  # fmt: skip
    partnership.compute(session, actor=w.ref.admin, on=LEAVES_ON, now=AFTER_NOW)
    partnership.adjust(
        session,
        actor=w.ref.admin,
        on=LEAVES_ON,
        tags=[joint.tag],
        to_owner_slug="morbylanga",
        reason="Står i Mörbylånga",
        now=AFTER_NOW,
    )
    with pytest.raises(ValidationFailed) as refused:
        partnership.apply(session, actor=w.ref.admin, on=LEAVES_ON, decided_on=AFTER,
                          decision_ref="ITN § 1/2027", now=AFTER_NOW, today=AFTER)  # fmt: skip
    assert refused.value.field_params["proposal"] == {"owner": "Mörbylånga kommun"}
    assert fresh(session, joint).owner_id == w.ref.joint.id
    theirs = [line.tag for line in partnership.lines(session, actor=w.ref.admin, on=LEAVES_ON)
              if line.to_slug == "morbylanga"]  # fmt: skip
    assert joint.tag in theirs
    partnership.adjust(session, actor=w.ref.admin, on=LEAVES_ON, tags=theirs,
                       to_owner_slug="borgholm", reason="Mörbylånga har lämnat",
                       now=AFTER_NOW)  # fmt: skip
    partnership.apply(session, actor=w.ref.admin, on=LEAVES_ON, decided_on=AFTER,
                      decision_ref="ITN § 1/2027", now=AFTER_NOW, today=AFTER)  # fmt: skip
    assert fresh(session, joint).owner_id == w.ref.borgholm.id


def test_only_the_departed_owners_tokens_are_revoked(session: Session, w: Departing) -> None:
    from inventory.services import users

    for other in (w.ref.tech_borgholm, w.ref.admin, w.ref.viewer):
        users.create_token(session, email=other.email, now=AFTER_NOW)
    report = hand_over(session, w)
    assert report.tokens_revoked == 1
    session.expire_all()
    survivors = session.exec(
        select(ApiToken).where(col(ApiToken.user_id).in_(
            [w.ref.tech_borgholm.id, w.ref.admin.id, w.ref.viewer.id]))
    ).all()  # fmt: skip
    assert len(survivors) == 3 and not any(t.revoked for t in survivors)
