"""The refresh plan on a hand-built fleet (tests/plan_fleet.py), and against a plain
computation per asset over the demo fleet."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inventory.domain import refresh_plan as rules
from inventory.domain.errors import ValidationFailed
from inventory.models import Asset, Category, Model, Owner, User
from inventory.seeding import demo
from inventory.services.refresh_plan import Plan, PlanFilter, plan_devices, refresh_plan

from ..factories import Reference
from ..plan_fleet import (
    START,
    TODAY_BACKLOG,
    TODAY_RULES,
    WHAT_IF,
    WHAT_IF_BACKLOG,
    make_plan_fleet,
)


def _items(
    plan: Plan,
) -> dict[tuple[int | None, int | None, str, str], tuple[int, int, Decimal, int]]:
    return {
        (x.year, x.quarter, x.owner, x.category): (x.count, x.cost_ore, x.co2e_kg, x.no_footprint)
        for x in plan.items
    }


def _backlog(plan: Plan) -> dict[tuple[str, str], tuple[int, int, Decimal, int]]:
    return {
        (x.owner, x.category): (x.count, x.cost_ore, x.co2e_kg, x.no_footprint)
        for x in plan.backlog
    }


def test_the_plan_under_todays_rules(session: Session, ref: Reference) -> None:
    make_plan_fleet(session, ref)
    plan = refresh_plan(session, actor=ref.viewer, flt=PlanFilter(start=START))
    assert _items(plan) == TODAY_RULES
    assert _backlog(plan) == TODAY_BACKLOG
    assert plan.years == [2026, 2027, 2028, 2029, 2030]
    totals = plan.totals_by_year()
    assert totals[2027].count == 3 and totals[2027].cost_ore == 2 * 1_249_000 + 1_200_000
    assert totals[2026].count == 0
    # The budget puts the backlog in the first year.
    budget = plan.budget()
    assert budget[("borgholm", 2026)].count == 2
    assert budget[("borgholm", 2027)].cost_ore == 3_698_000
    # The pool's one Latitude could replace one of the eight pcs due.
    (pool,) = plan.reuse_pool
    assert (pool.owner, pool.category, pool.in_pool, pool.covers) == ("borgholm", "pc", 1, 1)


def test_a_plan_from_a_past_day_plans_the_fleet_of_that_day(
    session: Session, ref: Reference
) -> None:
    """The device lost on 2026-11-23 (bought 2020-01-01, due 2025-01-01) was in the fleet on
    2026-11-01: a plan from then has it in the backlog; one from the plan's start has not."""
    make_plan_fleet(session, ref)
    past = refresh_plan(session, actor=ref.viewer, flt=PlanFilter(start=dt.date(2026, 11, 1)))
    count, cost, kg, no_footprint = TODAY_BACKLOG[("borgholm", "pc")]
    assert _backlog(past) == {
        ("borgholm", "pc"): (count + 1, cost + 1_249_000, kg + Decimal(300), no_footprint)
    }
    assert _items(past) == TODAY_RULES
    # On 2020-06-01 only that device had been bought: due in the first quarter of 2025, the
    # sixth budget year.
    early = refresh_plan(
        session, actor=ref.viewer, flt=PlanFilter(start=dt.date(2020, 6, 1), years=6)
    )
    assert _items(early) == {(2025, 1, "borgholm", "pc"): (1, 1_249_000, Decimal(300), 0)}
    assert early.backlog == []


def test_the_what_if_moves_devices_and_saves_nothing(session: Session, ref: Reference) -> None:
    make_plan_fleet(session, ref)
    plan = refresh_plan(
        session, actor=ref.viewer, flt=PlanFilter(start=START, lifespans={"pc": 72})
    )
    assert _items(plan) == WHAT_IF
    assert _backlog(plan) == WHAT_IF_BACKLOG
    assert plan.lifespans == {"pc": 72, "phone": 48}
    session.expire_all()
    assert session.get(Category, ref.pc.id).target_lifespan_months == 60  # type: ignore[union-attr]


def test_a_departing_owner_is_planned_only_until_it_leaves(
    session: Session, ref: Reference
) -> None:
    make_plan_fleet(session, ref)
    scoped = refresh_plan(session, actor=ref.viewer_morbylanga, flt=PlanFilter(start=START))
    assert scoped.items == [] and scoped.backlog == []
    # Were it staying, its phone would be due in Q1 2027.
    ref.morbylanga.leaves_on = None
    session.add(ref.morbylanga)
    session.commit()
    plan = refresh_plan(session, actor=ref.viewer_morbylanga, flt=PlanFilter(start=START))
    assert _items(plan) == {(2027, 1, "morbylanga", "phone"): (1, 899_000, Decimal("60.0"), 0)}
    # A user scoped to Borgholm sees Borgholm's only.
    borgholm = refresh_plan(session, actor=ref.tech_borgholm, flt=PlanFilter(start=START))
    assert {k[2] for k in _items(borgholm)} == {"borgholm"}


def test_filters_narrow_the_plan(session: Session, ref: Reference) -> None:
    make_plan_fleet(session, ref)
    phones = refresh_plan(session, actor=ref.viewer, flt=PlanFilter(start=START, category="phone"))
    assert list(_items(phones)) == [(2028, 4, "borgholm", "phone")]
    one_year = refresh_plan(session, actor=ref.viewer, flt=PlanFilter(start=START, years=1))
    assert _items(one_year) == {} and _backlog(one_year) == TODAY_BACKLOG
    with pytest.raises(ValidationFailed) as refused:
        refresh_plan(session, actor=ref.viewer, flt=PlanFilter(start=START, owner="nowhere"))
    assert set(refused.value.errors) == {"owner"}


def test_the_what_if_is_checked() -> None:
    known = {"pc": 60, "phone": 48}
    assert rules.parse_lifespans({"lifespan.pc": "72", "lifespan.phone": "48"}, known) == {"pc": 72}
    with pytest.raises(ValidationFailed) as refused:
        rules.parse_lifespans(
            {"lifespan.pc": "0", "lifespan.tv": "12", "lifespan.phone": "4x"}, known
        )
    assert set(refused.value.errors) == {"lifespan.pc", "lifespan.tv", "lifespan.phone"}
    with pytest.raises(ValidationFailed):
        rules.parse_years("11")
    assert rules.parse_years("") == 5


def test_the_sql_grouping_agrees_with_a_computation_per_asset(engine: Engine) -> None:
    """Over the demo fleet: every active asset's due date by the domain's rule, one by one."""
    demo.seed_demo(engine, assets=600, seed=11)
    start = dt.date(2026, 12, 2)
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        plan = refresh_plan(session, actor=actor, flt=PlanFilter(start=start, years=5))
        categories = {c.id: c for c in session.exec(select(Category))}
        owners = {o.id: o for o in session.exec(select(Owner))}
        models = {m.id: m for m in session.exec(select(Model))}
        expected: dict[tuple[int | None, int | None, str, str], int] = defaultdict(int)
        for asset in session.exec(select(Asset)):
            if asset.status in ("disposed",):
                continue
            category, owner = categories[asset.category_id], owners[asset.owner_id]
            begin = asset.in_service_date or asset.purchase_date
            due = rules.due_date(
                begin,
                category.target_lifespan_months,
                models[asset.model_id].end_of_support,
                asset.due_override,
            )
            if due >= dt.date(2031, 1, 1):
                continue
            if owner.leaves_on is not None and max(due, start) > owner.leaves_on:
                continue
            quarter = rules.quarter_of(due) if due >= start else None
            key = (quarter.year if quarter else None, quarter.quarter if quarter else None)
            expected[(*key, owner.slug, category.slug)] += 1
    got = {k: v[0] for k, v in _items(plan).items()}
    got.update({(None, None, *k): v[0] for k, v in _backlog(plan).items()})
    assert got == dict(expected)
    assert sum(got.values()) > 100


def test_the_devices_behind_a_line(session: Session, ref: Reference) -> None:
    fleet = make_plan_fleet(session, ref)
    flt = PlanFilter(start=START)
    q1 = plan_devices(
        session, actor=ref.viewer, flt=flt, owner="borgholm", category="pc", year=2027, quarter=1
    )
    assert [(d.tag, d.due) for d in q1] == [
        (fleet["due-2027-02"].tag, dt.date(2027, 2, 1)),
        (fleet["due-2027-03"].tag, dt.date(2027, 3, 10)),
    ]
    assert q1[0].unit_cost_ore == 1_249_000 and q1[0].model == "Dell Latitude 5440"
    backlog = plan_devices(
        session, actor=ref.viewer, flt=flt, owner="borgholm", category="pc", year=None, quarter=None
    )
    assert [d.tag for d in backlog] == [fleet["override"].tag, fleet["overdue"].tag]
    # The Chromebook's estimate is the category's average; the what-if moves it a year on.
    what_if = PlanFilter(start=START, lifespans={"pc": 72})
    q4 = plan_devices(
        session,
        actor=ref.viewer,
        flt=what_if,
        owner="borgholm",
        category="pc",
        year=2028,
        quarter=4,
    )
    assert [(d.tag, d.unit_cost_ore, d.co2e_kg) for d in q4] == [
        (fleet["chromebook"].tag, 1_200_000, None)
    ]
    # Another owner's devices are not shown to a scoped user.
    assert not plan_devices(
        session,
        actor=ref.viewer_morbylanga,
        flt=flt,
        owner="borgholm",
        category="pc",
        year=2027,
        quarter=1,
    )
