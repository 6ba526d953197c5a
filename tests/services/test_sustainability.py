"""The sustainability report on a hand-built fleet (tests/sustainability_fleet.py) at fixed
reference dates, against answers computed by hand: a past tertial whose fleet differs from
today's, the KPIs, the reuse share, the climate years and the emissions avoided."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inventory.domain.dates import add_months, local_date
from inventory.domain.periods import Period, tertial
from inventory.models import Asset, AssetEvent, Category, Model, Owner, User
from inventory.seeding import demo
from inventory.services.sustainability import ReportFilter, Sustainability, sustainability

from ..factories import Reference, make_asset
from ..sustainability_fleet import (
    A1_LIFESPAN_DAYS,
    A2_LIFESPAN_DAYS,
    AVOIDED_2024_KG,
    AVOIDED_2025_KG,
    T2_2025_BORGHOLM_PC_DAYS,
    T2_2025_MORBYLANGA_PC_DAYS,
    T2_2025_PHONE_DAYS,
    T3_2026_BORGHOLM_PC_DAYS,
    make_sustainability_fleet,
)

YEAR = Decimal("365.25")
T2_2025 = tertial(2025, 2)


def _report(
    session: Session, ref: Reference, period: Period, on: dt.date, actor=None, **more
) -> Sustainability:  # type: ignore[no-untyped-def]
    flt = ReportFilter(on=on, period=period, computers=("pc",), **more)
    return sustainability(session, actor=actor or ref.admin, flt=flt)


def _items(report: Sustainability) -> dict[tuple[str, str], tuple[int, Decimal | None, int, int]]:
    return {
        (i.owner, i.category): (i.active_count, i.average_age_years, i.handed_out_count,
                                i.reused_count)
        for i in report.items
    }  # fmt: skip


def test_a_past_tertial_counts_the_fleet_as_it_stood_then(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    report = _report(session, ref, T2_2025, dt.date(2025, 8, 31))
    assert _items(report) == {
        # A2, A3, A4, A8 (registered only in 2026, counted from its in-service date), A9;
        # handed out: A3 from the reuse pool, A4 new.
        ("borgholm", "pc"): (5, Decimal(T2_2025_BORGHOLM_PC_DAYS) / YEAR / 5, 2, 1),
        ("borgholm", "phone"): (1, Decimal(T2_2025_PHONE_DAYS) / YEAR, 0, 0),
        ("morbylanga", "pc"): (1, Decimal(T2_2025_MORBYLANGA_PC_DAYS) / YEAR, 0, 0),
    }
    assert all(i.retired_count == 0 for i in report.items)
    k = report.kpi
    assert k.active_count == 6
    assert k.average_age_years == Decimal(6481 + 1460) / YEAR / 6  # ≈ 3.62
    assert (k.handed_out_count, k.reused_count, k.reused_share) == (2, 1, Decimal("0.5"))
    assert (k.retired_count, k.average_lifespan_years, k.lifespan_met) == (0, None, None)


def test_today_the_fleet_differs_and_the_retired_are_gone(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    report = _report(session, ref, tertial(2026, 3), dt.date(2026, 11, 23))
    items = _items(report)
    # A1 lost, A2 recycled, A6 only ordered: four Borgholm computers instead of five.
    assert items[("borgholm", "pc")][:2] == (4, Decimal(T3_2026_BORGHOLM_PC_DAYS) / YEAR / 4)


def test_lifespan_at_retirement_per_period_and_the_kpi(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    t1 = _report(session, ref, tertial(2025, 1), dt.date(2025, 4, 30))
    # A1, lost 2025-03-01 after 2 220 days: 6.08 years, the 5-year target met.
    assert t1.kpi.retired_count == 1
    assert t1.kpi.average_lifespan_years == Decimal(A1_LIFESPAN_DAYS) / YEAR
    assert t1.kpi.lifespan_met is True
    year = _report(session, ref, Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025"),
                   dt.date(2025, 12, 31))  # fmt: skip
    # A1 and A2 (recycled 2025-10-15 after 1 984 days): (2 220 + 1 984) / 2 days = 5.75 years.
    assert year.kpi.retired_count == 2
    assert (
        year.kpi.average_lifespan_years == Decimal(A1_LIFESPAN_DAYS + A2_LIFESPAN_DAYS) / YEAR / 2
    )
    pc = next(i for i in year.items if i.category == "pc" and i.owner == "borgholm")
    assert pc.retired_count == 2
    assert pc.average_lifespan_at_retirement_years == year.kpi.average_lifespan_years


def test_the_trend_walks_twelve_tertials_to_the_report(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    report = _report(session, ref, T2_2025, dt.date(2025, 8, 31))
    names = [p.period.name for p in report.trend]
    assert names[0] == "T3 2021" and names[-1] == "T2 2025" and len(names) == 12
    by_name = {p.period.name: p for p in report.trend}
    assert by_name["T1 2025"].retired_count == 1
    assert by_name["T1 2025"].average_lifespan_years == Decimal(A1_LIFESPAN_DAYS) / YEAR
    assert (by_name["T2 2025"].handed_out_count, by_name["T2 2025"].reused_count) == (2, 1)
    # T1 2022: A3 handed out new on registration (2022-01-20).
    assert (by_name["T1 2022"].handed_out_count, by_name["T1 2022"].reused_count) == (1, 0)
    # The fleet at the end of T3 2024 (2024-12-31): A1, A2, A3, A7, A8, A9.
    assert by_name["T3 2024"].active_count == 6
    assert by_name["T2 2025"].active_count == report.kpi.active_count == 6


def test_climate_per_year_the_change_and_the_avoided(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    report = _report(session, ref, T2_2025, dt.date(2025, 8, 31))
    years = {y.year: y for y in report.climate}
    assert list(years) == [2020, 2021, 2022, 2023, 2024, 2025]
    # One 300-kg computer bought each year 2019-2022 (A1, A2, A7, A3), none in 2023 (the
    # phone is not a computer), A9 in 2024, A4 in 2025 to the report's day.
    assert [(y.bought, y.total_kg) for y in report.climate] == [
        (1, Decimal(300)), (1, Decimal(300)), (1, Decimal(300)), (0, Decimal(0)),
        (1, Decimal(300)), (1, Decimal(300)),
    ]  # fmt: skip
    assert years[2020].change == 0 and years[2023].change == -1
    assert years[2024].change is None  # nothing bought in 2023 to compare with
    assert years[2025].until == dt.date(2025, 8, 31)
    assert years[2025].per_device_kg == Decimal(300)
    assert years[2025].avoided_kg == pytest.approx(AVOIDED_2025_KG, abs=Decimal("0.001"))
    assert years[2024].avoided_kg == pytest.approx(AVOIDED_2024_KG, abs=Decimal("0.001"))
    # 2025 to 31 August against 2024 to 31 August (A9, bought 2024-04-01): no change, so the
    # −5 % target is not met.
    k = report.kpi
    assert (k.bought_kg, k.bought_kg_before, k.climate_change) == (
        Decimal(300), Decimal(300), Decimal(0),
    )  # fmt: skip
    assert k.climate_met is False and k.bought_without_footprint == 0


def test_a_computer_without_a_footprint_leaves_the_climate_kpi_unjudged(
    session: Session, ref: Reference
) -> None:
    make_sustainability_fleet(session, ref)
    unknown = Model(manufacturer_id=ref.latitude.manufacturer_id, category_id=ref.pc.id,
                    name="Okänd modell")  # fmt: skip
    session.add(unknown)
    session.commit()
    make_asset(session, ref, model_id=unknown.id, purchase_date=dt.date(2025, 2, 1))
    report = _report(session, ref, T2_2025, dt.date(2025, 8, 31))
    y = report.climate[-1]
    assert (y.bought, y.without_footprint, y.total_kg, y.per_device_kg) == (
        2, 1, Decimal(300), Decimal(300),
    )  # fmt: skip
    assert report.kpi.climate_met is None and report.kpi.bought_without_footprint == 1


def test_an_owner_that_has_left_counts_only_until_it_left(session: Session, ref: Reference) -> None:
    """Mörbylånga's computer (A7) counts on 2025-04-30, not after its leaving day
    (2025-06-30), however late the handover is recorded."""
    make_sustainability_fleet(session, ref)
    ref.morbylanga.leaves_on = dt.date(2025, 6, 30)
    session.add(ref.morbylanga)
    session.commit()
    before = _report(session, ref, tertial(2025, 1), dt.date(2025, 4, 30))
    assert ("morbylanga", "pc") in _items(before)
    after = _report(session, ref, T2_2025, dt.date(2025, 8, 31))
    assert ("morbylanga", "pc") not in _items(after)
    assert after.kpi.active_count == 5
    # The trend's T1 2025 still has it: A2, A3, A7, A8, A9 (A1 was lost in March).
    (t1,) = (p for p in after.trend if p.period.name == "T1 2025")
    assert t1.active_count == 5
    # A4 joined in June and A7 left: the T2 2025 fleet of computers is five too, without A7.
    assert after.trend[-1].active_count == 5


def test_owner_scope_and_filters(session: Session, ref: Reference) -> None:
    make_sustainability_fleet(session, ref)
    mine = _report(session, ref, T2_2025, dt.date(2025, 8, 31), actor=ref.viewer_morbylanga)
    assert _items(mine) == {
        ("morbylanga", "pc"): (1, Decimal(T2_2025_MORBYLANGA_PC_DAYS) / YEAR, 0, 0)
    }
    assert [y.bought for y in mine.climate] == [0, 1, 0, 0, 0, 0]  # A7, 2021
    phones = _report(session, ref, T2_2025, dt.date(2025, 8, 31), category="phone")
    assert list(_items(phones)) == [("borgholm", "phone")]
    # The chosen category's purchases instead of the computers': A5 in 2023. The KPIs are the
    # computers': not judged on phones.
    assert [y.bought for y in phones.climate] == [0, 0, 0, 1, 0, 0]
    assert phones.kpi.applies is False and phones.kpi.active_count == 0
    assert (phones.kpi.climate_change, phones.kpi.climate_met) == (None, None)
    assert phones.kpi.lifespan_met is None
    borgholm = _report(session, ref, T2_2025, dt.date(2025, 8, 31), owner="borgholm")
    assert {i.owner for i in borgholm.items} == {"borgholm"}


def test_the_sql_agrees_with_a_walk_over_every_asset_history(engine: Engine) -> None:
    """Over the demo fleet: each asset's events replayed one by one in plain Python, by the
    report's definitions, for a past tertial and for today's; the SQL over asset_span must
    give the same figures."""
    demo.seed_demo(engine, assets=600, seed=11)
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        categories = {c.id: c for c in session.exec(select(Category))}
        owners = {o.id: o.slug for o in session.exec(select(Owner))}
        carbon = {m.id: m.carbon_kg for m in session.exec(select(Model))}
        assets = {a.id: a for a in session.exec(select(Asset))}
        history: dict[int, list[tuple[dt.date, dict[str, Any]]]] = defaultdict(list)
        for e in session.exec(select(AssetEvent).order_by(col(AssetEvent.at), col(AssetEvent.id))):
            history[e.asset_id].append((local_date(e.at, "Europe/Stockholm"), e.changes))
        computers = ("pc", "chromebook")
        for period, on in ((tertial(2025, 2), dt.date(2025, 8, 31)),
                           (tertial(2026, 3), dt.date(2026, 11, 23))):  # fmt: skip
            flt = ReportFilter(on=on, period=period, computers=computers)
            report = sustainability(session, actor=actor, flt=flt)
            expected: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
            bought = [0, 0, Decimal(0)]
            avoided = Decimal(0)
            window = (dt.date(on.year, 1, 1), on + dt.timedelta(days=1))
            for asset_id, events in history.items():
                a = assets[asset_id]
                start = a.in_service_date or a.purchase_date
                category = categories[a.category_id].slug
                # The state at the end of `on`: the last event of that day or earlier, else
                # the registration (the fleet had the device from its start date).
                owner, status = None, None
                for day, changes in events:
                    if day > on and owner is not None:
                        break
                    if day > on and min(day, start) > on:
                        break
                    owner = changes.get("owner_id", [None, owner])[1]
                    status = changes.get("status", [None, status])[1]
                if owner is not None and status not in ("ordered", "disposed") and start <= on:
                    line = expected[(owners[owner], category)]
                    line[0] += 1
                    line[1] += (on - start).days
                owner, status = None, None
                for n, (day, changes) in enumerate(events):
                    before = status
                    owner = changes.get("owner_id", [None, owner])[1]
                    status = changes.get("status", [None, status])[1]
                    if "status" not in changes:
                        continue
                    line = expected[(owners[owner], category)]
                    if (
                        n
                        and status == "disposed"
                        and before != "disposed"
                        and (a.disposal_kind != "handed_over")
                        and day in period
                    ):
                        line[2] += 1
                        line[3] += (day - start).days
                    handed_from = before in ("ordered", "in_stock", "reuse_pool") or n == 0
                    first_day = min(day, start) if n == 0 else day
                    if status == "deployed" and handed_from and first_day in period:
                        line[4] += 1
                        line[5] += before == "reuse_pool"
                written_off = add_months(start, a.depreciation_months)
                left = [d for d, c in events if c.get("status", [None, None])[1] == "disposed"]
                until = min([window[1], *left[-1:]])
                used = (until - max(written_off, window[0])).days
                if category in computers and carbon[a.model_id] is not None and used > 0:
                    avoided += carbon[a.model_id] * used / (written_off - start).days
                if category in computers and dt.date(on.year, 1, 1) <= a.purchase_date <= on:
                    bought[0] += 1
                    if carbon[a.model_id] is None:
                        bought[1] += 1
                    else:
                        bought[2] += carbon[a.model_id]
            got = {
                (i.owner, i.category): [i.active_count, int(i.age_days), i.retired_count,
                                        int(i.lifespan_days), i.handed_out_count, i.reused_count]
                for i in report.items
            }  # fmt: skip
            assert got == {k: v for k, v in expected.items() if any(v)}, period.name
            assert sum(v[0] for v in got.values()) > 200
            this_year = report.climate[-1]
            assert [this_year.bought, this_year.without_footprint, this_year.total_kg] == bought
            assert this_year.avoided_kg == pytest.approx(avoided, rel=Decimal("1e-9"))
            assert avoided > 1000
