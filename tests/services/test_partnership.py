"""The §20 split as a proposal: computed from the register, adjusted by hand, applied in one
transaction (services/partnership.py), on the hand-built fleet of tests/split_fleet.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from inventory.domain.errors import NotFound, PermissionDenied, ValidationFailed
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, AssetEvent, AuditEvent, BusinessUnit, SplitLine
from inventory.services import assets as asset_service
from inventory.services import partnership

from ..factories import NOW, TODAY, Reference, edit_asset, make_asset
from ..split_fleet import (
    BOOK_VALUES,
    COMPENSATION,
    EXPECTED_TO,
    JOINT_TOTAL,
    SHARES,
    SPLIT_ON,
    TOTALS,
    Fleet,
    make_fleet,
    set_key,
)

LATER = NOW + dt.timedelta(hours=1)


@pytest.fixture
def fleet(session: Session, ref: Reference) -> Fleet:
    return make_fleet(session, ref)


def compute(session: Session, ref: Reference, on: dt.date = SPLIT_ON) -> None:
    partnership.compute(session, actor=ref.admin, on=on, now=NOW)


def assigned(session: Session, ref: Reference, on: dt.date = SPLIT_ON) -> dict[str, Any]:
    return {
        line.tag: (line.to_slug, line.basis)
        for line in partnership.lines(session, actor=ref.admin, on=on)
    }


def decide(session: Session, ref: Reference, **overrides: Any) -> None:
    values: dict[str, Any] = {
        "actor": ref.admin,
        "on": SPLIT_ON,
        "decided_on": dt.date(2026, 11, 20),
        "decision_ref": "ITN § 45/2026",
        "comment": "Enligt samverkansavtalet § 20",
        "now": LATER,
        "today": TODAY,
    }
    values.update(overrides)
    partnership.apply(session, **values)


def test_the_hand_built_fleet_is_split_as_worked_out_by_hand(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    assert assigned(session, ref) == EXPECTED_TO
    lines = partnership.lines(session, actor=ref.admin, on=SPLIT_ON)
    assert {line.tag: line.book_value_ore for line in lines} == BOOK_VALUES
    assert {line.tag: line.purchase_price_ore for line in lines}["J-05"] == 30_000_000
    summary = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    assert summary.joint_total_ore == JOINT_TOTAL
    assert {s.slug: s.share_ore for s in summary.sides} == SHARES
    assert {s.slug: (s.count, s.book_value_ore) for s in summary.sides} == TOTALS
    assert {s.slug: str(s.percent) for s in summary.sides} == {
        "borgholm": "45.3",
        "morbylanga": "54.7",
    }
    pay = summary.compensation
    assert pay is not None and (pay.from_slug, pay.to_slug, pay.ore) == COMPENSATION
    assert summary.state == "draft" and summary.cost_key_year == 2026
    assert summary.computed_by == ref.admin.email


def test_disposed_and_non_joint_assets_are_not_in_the_split(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    tags = set(assigned(session, ref))
    assert {"J-14", "B-01", "M-01"}.isdisjoint(tags)


def test_the_split_of_an_earlier_date_values_what_was_there_then(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    """On 2026-06-30 J-08 (bought 2026-07-01) and J-09 (2026-10-01) were not yet bought, and
    J-14, disposed on 2026-11-23, was still there."""
    set_key(session, ref, 2026)
    compute(session, ref, on=dt.date(2026, 6, 30))
    lines = {
        line.tag: line
        for line in partnership.lines(session, actor=ref.admin, on=dt.date(2026, 6, 30))
    }
    assert "J-08" not in lines and "J-09" not in lines
    assert "J-14" in lines
    # J-05 on 2026-06-30: 29 months of 60: 30 000 000 - 30 000 000 * 29 // 60 = 15 500 000.
    assert lines["J-05"].book_value_ore == 15_500_000


def test_zero_value_items_are_shared_by_count_per_category(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    worthless = {
        line.tag: line.to_slug
        for line in partnership.lines(session, actor=ref.admin, on=SPLIT_ON)
        if line.book_value_ore == 0 and line.basis == "balance"
    }
    # pc: 3 items, B 1 and M 2; phone: 1 item, to M (see split_fleet.py).
    assert worthless == {"J-10": "borgholm", "J-11": "morbylanga", "J-13": "morbylanga",
                         "J-12": "morbylanga"}  # fmt: skip


def test_lines_filter_by_category_site_and_side(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    phones = partnership.lines(session, actor=ref.admin, on=SPLIT_ON, category_id=ref.phone.id)
    assert [line.tag for line in phones] == ["J-04", "J-09", "J-12"]
    hall = fleet.locations["hall"].site_id
    in_hall = partnership.lines(session, actor=ref.admin, on=SPLIT_ON, site_id=hall)
    assert [line.tag for line in in_hall] == ["J-05", "J-06", "J-07", "J-10", "J-13"]
    assert {line.site for line in in_hall} == {"Serverhall Borgholm"}
    mine = partnership.lines(session, actor=ref.admin, on=SPLIT_ON, to_owner_id=ref.borgholm.id)
    assert [line.tag for line in mine] == ["J-01", "J-02", "J-06", "J-07", "J-08", "J-10"]
    summary = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    assert dict(summary.categories) == {ref.pc.id: "Datorer", ref.phone.id: "Mobiltelefoner"}
    assert "Serverhall Borgholm" in dict(summary.sites).values()


def test_an_adjustment_moves_the_asset_and_the_compensation_follows(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    moved = partnership.adjust(
        session, actor=ref.admin, on=SPLIT_ON, tags=["j-09"], to_owner_slug="borgholm",
        reason="Lagret stannar hos värdkommunen", now=LATER,
    )  # fmt: skip
    assert moved == 1
    assert assigned(session, ref)["J-09"] == ("borgholm", "adjusted")
    summary = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    # Borgholm 12 800 000 + 850 000 = 13 650 000, exceeding its 12 899 331 by 750 669:
    # Borgholm pays Mörbylånga 7 506,69 kr. Nothing else moved: no rebalancing.
    assert {s.slug: (s.count, s.book_value_ore) for s in summary.sides} == {
        "borgholm": (7, 13_650_000),
        "morbylanga": (6, 14_825_000),
    }
    pay = summary.compensation
    assert pay is not None and (pay.from_slug, pay.to_slug, pay.ore) == (
        "borgholm",
        "morbylanga",
        750_669,
    )
    assert summary.adjusted_count == 1
    line = next(
        x for x in partnership.lines(session, actor=ref.admin, on=SPLIT_ON) if x.tag == "J-09"
    )
    assert line.reason == "Lagret stannar hos värdkommunen" and line.proposed_slug == "morbylanga"
    log = partnership.adjustment_log(session, actor=ref.admin, on=SPLIT_ON)
    assert [(a.tag, a.to_slug, a.actor_email, a.at) for a in log] == [
        ("J-09", "borgholm", ref.admin.email, LATER)
    ]


def test_adjustments_survive_a_recompute_and_the_latest_wins(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    for to, reason, at in (
        ("morbylanga", "Brandväggen följer driften", LATER),
        ("borgholm", "Ångrat: stannar i värdkommunen", LATER + dt.timedelta(minutes=1)),
    ):
        partnership.adjust(
            session, actor=ref.admin, on=SPLIT_ON, tags=["J-06", "J-07"], to_owner_slug=to,
            reason=reason, now=at,
        )  # fmt: skip
    compute(session, ref)
    after = assigned(session, ref)
    # Back on the side the rules proposed: allowed, and kept as an adjustment.
    assert after["J-06"] == after["J-07"] == ("borgholm", "adjusted")
    assert {t: v for t, v in after.items() if t not in ("J-06", "J-07")} == {
        t: v for t, v in EXPECTED_TO.items() if t not in ("J-06", "J-07")
    }
    assert len(partnership.adjustment_log(session, actor=ref.admin, on=SPLIT_ON)) == 4


@pytest.mark.parametrize(
    ("tags", "to", "reason", "field"),
    [
        (["J-09"], "borgholm", "  ", "reason"),
        (["J-99"], "borgholm", "Skäl", "tags"),
        (["B-01"], "borgholm", "Skäl", "tags"),
        (["J-09"], "joint", "Skäl", "to_owner"),
        ([], "borgholm", "Skäl", "tags"),
    ],
)
def test_an_adjustment_needs_a_reason_a_side_of_the_key_and_assets_of_the_proposal(
    session: Session,
    ref: Reference,
    fleet: Fleet,
    tags: list[str],
    to: str,
    reason: str,
    field: str,
) -> None:
    compute(session, ref)
    with pytest.raises(ValidationFailed) as refused:
        partnership.adjust(
            session, actor=ref.admin, on=SPLIT_ON, tags=tags, to_owner_slug=to, reason=reason,
            now=LATER,
        )  # fmt: skip
    assert field in refused.value.errors
    assert assigned(session, ref) == EXPECTED_TO


def test_without_a_cost_key_for_the_year_the_split_is_refused_naming_the_year(
    session: Session, ref: Reference
) -> None:
    make_asset(session, ref, owner_id=ref.joint.id)
    with pytest.raises(ValidationFailed) as refused:
        partnership.compute(session, actor=ref.admin, on=dt.date(2027, 3, 1), now=NOW)
    assert refused.value.field_params["cost_key"] == {"year": 2027}
    assert "2027" not in refused.value.errors["cost_key"]  # the year is a parameter
    assert "%(year)s" in refused.value.errors["cost_key"]


def test_only_an_admin_for_all_owners_computes_and_scoped_users_find_nothing(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    with pytest.raises(PermissionDenied):
        partnership.compute(session, actor=ref.viewer, on=SPLIT_ON, now=NOW)
    with pytest.raises(NotFound):
        partnership.compute(session, actor=ref.admin_borgholm, on=SPLIT_ON, now=NOW)
    compute(session, ref)
    assert partnership.summary(session, actor=ref.viewer, on=SPLIT_ON).joint_total_ore
    assert partnership.lines(session, actor=ref.technician, on=SPLIT_ON)
    for scoped in (ref.admin_borgholm, ref.viewer_morbylanga, ref.tech_borgholm):
        with pytest.raises(NotFound):
            partnership.summary(session, actor=scoped, on=SPLIT_ON)
    with pytest.raises(PermissionDenied):
        partnership.adjust(
            session, actor=ref.technician, on=SPLIT_ON, tags=["J-09"], to_owner_slug="borgholm",
            reason="x", now=LATER,
        )  # fmt: skip


def test_no_proposal_is_not_found_with_the_date(session: Session, ref: Reference) -> None:
    with pytest.raises(NotFound) as missing:
        partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    assert missing.value.params == {"on": "2026-12-31"}


def test_applying_gives_every_joint_asset_its_side_with_history_naming_the_decision(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    decide(session, ref)
    session.expire_all()
    owners = {ref.borgholm.id: "borgholm", ref.morbylanga.id: "morbylanga"}
    for tag, (slug, _) in EXPECTED_TO.items():
        asset = session.get(Asset, fleet.assets[tag].id)
        assert asset is not None and owners[asset.owner_id] == slug, tag
    events = session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all()
    assert len(events) == len(EXPECTED_TO)
    assert {e.comment for e in events} == {"ITN § 45/2026: Enligt samverkansavtalet § 20"}
    assert all(e.changes["owner_id"][0] == ref.joint.id for e in events)
    assert all(e.actor_id == ref.admin.id and e.at == LATER for e in events)
    summary = partnership.summary(session, actor=ref.viewer, on=SPLIT_ON)
    assert summary.applied and summary.decision_ref == "ITN § 45/2026"
    assert summary.decided_on == dt.date(2026, 11, 20) and summary.applied_by == ref.admin.email
    # Frozen: its lines keep their values, whatever happens to the assets later.
    assert {s.slug: s.share_ore for s in summary.sides} == SHARES
    actions = [a.action for a in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]
    assert actions.count("split.compute") == 1 and actions.count("split.apply") == 1


def test_a_decided_split_is_frozen_and_cannot_be_applied_twice(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    decide(session, ref)
    for again in (
        lambda: compute(session, ref),
        lambda: partnership.adjust(
            session,
            actor=ref.admin,
            on=SPLIT_ON,
            tags=["J-09"],
            to_owner_slug="borgholm",
            reason="Sent påkommet",
            now=LATER,
        ),
        lambda: decide(session, ref, decision_ref="ITN § 46/2026"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            again()
        assert refused.value.field_params["proposal"]["ref"] == "ITN § 45/2026"
    assert len(session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all()) == 13


def test_a_decision_needs_its_date_and_reference(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    with pytest.raises(ValidationFailed) as refused:
        decide(session, ref, decided_on=None, decision_ref="  ")
    assert set(refused.value.errors) == {"decided_on", "decision_ref"}
    assert partnership.summary(session, actor=ref.admin, on=SPLIT_ON).state == "draft"


def test_applying_is_all_or_nothing(
    session: Session, ref: Reference, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute(session, ref)
    real = asset_service.stage_change
    calls = {"n": 0}

    def failing_on_the_seventh(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("the disk is full")
        real(*args, **kwargs)

    monkeypatch.setattr(asset_service, "stage_change", failing_on_the_seventh)
    with pytest.raises(RuntimeError):
        decide(session, ref)
    assert calls["n"] == 7
    session.expire_all()
    joint = [a for t, a in fleet.assets.items() if t.startswith("J-")]
    for asset in joint:
        fresh = session.get(Asset, asset.id)
        assert (
            fresh is not None and fresh.owner_id == ref.joint.id and fresh.version == asset.version
        )
    assert session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all() == []
    assert partnership.summary(session, actor=ref.admin, on=SPLIT_ON).state == "draft"
    assert "split.apply" not in [a.action for a in session.exec(select(AuditEvent))]
    monkeypatch.setattr(asset_service, "stage_change", real)
    decide(session, ref)  # and nothing stands in the way of doing it properly
    assert partnership.summary(session, actor=ref.admin, on=SPLIT_ON).applied


def test_a_proposal_the_register_changed_under_is_refused_naming_the_assets(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    edit_asset(
        session, ref, fleet.assets["J-05"], owner_id=ref.joint.id, location_id=ref.server_hall.id,
        model_id=ref.latitude.id, price_ore=30_000_000, purchase_date=dt.date(2024, 1, 1),
        depreciation_months=60, notes="Nytt RAM",
    )  # fmt: skip
    make_asset(session, ref, tag="J-20", owner_id=ref.joint.id, location_id=None)
    with pytest.raises(ValidationFailed) as refused:
        decide(session, ref)
    assert refused.value.field_params["proposal"] == {"tags": "J-05, J-20"}
    assert session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all() == []
    compute(session, ref)
    decide(session, ref)
    session.expire_all()
    assert session.get(Asset, fleet.assets["J-05"].id).owner_id == ref.morbylanga.id  # type: ignore[union-attr]


def test_an_asset_gone_from_the_joint_property_makes_the_proposal_stale(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    asset_service.change_status(
        session, actor=ref.admin, asset=fleet.assets["J-11"], target=Status.DISPOSED,
        disposal_kind=DisposalKind.LOST, comment="Stulen ur lagret", now=LATER,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        decide(session, ref)
    assert refused.value.field_params["proposal"] == {"tags": "J-11"}


def test_a_business_unit_of_the_joint_property_does_not_follow_the_asset(
    session: Session, ref: Reference
) -> None:
    set_key(session, ref)
    unit = BusinessUnit(owner_id=ref.joint.id, name="Ölands IT-nämnd")
    session.add(unit)
    session.commit()
    asset = make_asset(session, ref, owner_id=ref.joint.id, business_unit_id=unit.id)
    compute(session, ref)
    decide(session, ref)
    session.expire_all()
    after = session.get(Asset, asset.id)
    assert after is not None and after.owner_id == ref.borgholm.id  # Slottsskolan is Borgholm's
    assert after.business_unit_id is None
    event = session.exec(select(AssetEvent).where(AssetEvent.action == "split")).one()
    assert event.changes["business_unit_id"] == [unit.id, None]


def test_lines_keep_the_values_they_had_when_computed(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    compute(session, ref)
    decide(session, ref)
    stored = session.exec(select(SplitLine).where(SplitLine.tag == "J-05")).one()
    # The version the asset had when the proposal was computed; applying moved it on.
    assert (stored.book_value_ore, stored.asset_version) == (12_500_000, 1)
    assert session.get(Asset, stored.asset_id).version == 2  # type: ignore[union-attr]


_split_days = iter(range(300))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["joint", "borgholm", "morbylanga"]),
            st.sampled_from(["school", "hall", None]),
            st.integers(0, 5_000_000),
            st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_applying_never_changes_the_owner_of_an_asset_that_is_not_joint(
    session: Session, ref: Reference, assets: list[tuple[str, str | None, int, dt.date]]
) -> None:
    """Each example adds its assets and splits on a day of its own in 2026 (after which no
    joint asset is left), so the examples share one database."""
    if not session.exec(select(AuditEvent).where(AuditEvent.action == "cost_key.set")).first():
        set_key(session, ref)
    on = dt.date(2026, 1, 1) + dt.timedelta(days=next(_split_days))
    places = {"school": ref.school.id, "hall": ref.server_hall.id, None: None}
    for owner, place, price, bought in assets:
        make_asset(
            session, ref, owner_id=getattr(ref, owner).id, location_id=places[place],
            price_ore=price, purchase_date=bought,
        )  # fmt: skip
    before = {a.id: a.owner_id for a in session.exec(select(Asset))}
    joint = {i for i, owner in before.items() if owner == ref.joint.id}
    partnership.compute(session, actor=ref.admin, on=on, now=NOW)
    lines = {line.asset_id: line.to_owner_id for line in session.exec(select(SplitLine))
             if line.asset_id in joint}  # fmt: skip
    partnership.apply(
        session, actor=ref.admin, on=on, decided_on=on, decision_ref="ITN § 1/2026", now=LATER,
        today=TODAY,
    )  # fmt: skip
    session.expire_all()
    after = {a.id: a.owner_id for a in session.exec(select(Asset))}
    assert {i: o for i, o in after.items() if i not in joint} == {
        i: o for i, o in before.items() if i not in joint
    }
    assert {i: after[i] for i in joint} == lines
    assert set(lines.values()) <= {ref.borgholm.id, ref.morbylanga.id}


def test_a_draft_whose_cost_key_changed_reads_with_its_own_key_and_cannot_be_applied(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    """The lines were balanced to the key as it was computed: the page keeps reading them
    with that key (the shares and compensation of the hand-worked fleet stay), says the key
    changed, and applying waits for a recompute with the new key."""
    from inventory.services import cost_keys

    compute(session, ref)
    cost_keys.set_users(
        session, actor=ref.admin, year=2026, users={"morbylanga": 1000, "borgholm": 3000}, now=NOW
    )
    shown = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    assert shown.key_changed
    assert {s.slug: s.share_ore for s in shown.sides} == SHARES
    with pytest.raises(ValidationFailed) as refused:
        decide(session, ref)
    assert refused.value.field_params["proposal"] == {"year": 2026}
    assert session.exec(select(AssetEvent).where(AssetEvent.action == "split")).all() == []
    compute(session, ref)
    again = partnership.summary(session, actor=ref.admin, on=SPLIT_ON)
    assert not again.key_changed
    # A quarter of the joint total now (1000 of 4000 users), to the öre.
    assert {s.slug: s.share_ore for s in again.sides}["morbylanga"] == JOINT_TOTAL // 4
    decide(session, ref)


def test_a_site_given_to_a_municipality_after_computing_makes_the_proposal_stale(
    session: Session, ref: Reference, fleet: Fleet
) -> None:
    """No asset changes when a site changes hands, yet the rules put its assets elsewhere:
    the proposal must be computed again (J-05, J-06, J-07 stand in the server hall)."""
    from inventory.models import Location, Site

    compute(session, ref)
    hall = session.get(Location, ref.server_hall.id)
    assert hall is not None
    site = session.get(Site, hall.site_id)
    assert site is not None
    site.owner_id = ref.borgholm.id
    session.add(site)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        decide(session, ref)
    assert refused.value.field_params["proposal"]["tags"].startswith("J-05, J-06, J-07")
    compute(session, ref)
    assert {tag: to for tag, (to, _) in assigned(session, ref).items() if tag in
            ("J-05", "J-06", "J-07")} == dict.fromkeys(("J-05", "J-06", "J-07"), "borgholm")  # fmt: skip
    decide(session, ref)
