"""Book value and stock value on the hand-built fleet of tests/finance_fleet.py, against
answers computed by hand (whole months; öre rounded down per device), and the SQL's
depreciation against the domain's for random devices and days."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inventory.domain.depreciation import book_value as domain_book_value
from inventory.models import Asset, Owner, User
from inventory.seeding import demo
from inventory.services import capitalisation
from inventory.services.book_value import BookFilter, BookValue, book_value
from inventory.services.stock_value import StockFilter, stock_value

from ..factories import Reference, make_asset
from ..finance_fleet import make_finance_fleet

D = dt.date


def _lines(report: BookValue) -> dict[tuple[str, str], tuple[int, int, int, int, int]]:
    return {
        (x.owner, x.category): (x.count, x.acquisition_ore, x.accumulated_ore, x.expensed_count,
                                x.expensed_ore)
        for x in report.lines
    }  # fmt: skip


def test_the_book_value_on_a_past_day(session: Session, ref: Reference) -> None:
    make_finance_fleet(session, ref)
    report = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 6, 30)))
    # S1 and S2 (12 490 and 13 000 kr, not on one order) are expensed; F5 has left.
    assert _lines(report) == {
        # F1: 17 whole months from 2024-01-31 to 2025-06-30 (the 30th stands for the 31st):
        # 3 600 000 × 17 // 48 = 1 275 000. F2-F4: 2 months from 2025-04-01:
        # 1 249 000 × 2 // 48 = 52 041 each.
        ("borgholm", "pc"): (4, 3_600_000 + 3 * 1_249_000, 1_275_000 + 3 * 52_041, 2,
                             1_249_000 + 1_300_000),
        ("borgholm", "phone"): (0, 0, 0, 1, 899_000),
        # F7: 5 months from 2025-01-10: 3 000 000 × 5 // 48 = 312 500.
        ("morbylanga", "pc"): (1, 3_000_000, 312_500, 0, 0),
    }  # fmt: skip
    pc = next(x for x in report.lines if (x.owner, x.category) == ("borgholm", "pc"))
    assert pc.book_value_ore == 7_347_000 - 1_431_123
    # Per year: F1 900 000 a year (a 12th of 3 600 000 × 12 / 48) until its last 75 000 in
    # 2028; F2-F4 8 months in 2025 (208 166 each), then 936 750 together a year, 312 252 in
    # 2029 (what is left of 3 747 000).
    assert report.years == [2025, 2026, 2027, 2028, 2029]
    assert pc.by_year == [900_000 + 3 * 208_166, 900_000 + 936_750, 900_000 + 936_750,
                          75_000 + 936_750, 312_252]  # fmt: skip
    # Per month of 2025: F1 75 000 each month; F2-F4 from May, 26 020 or 26 021 each.
    assert pc.by_month[:4] == [75_000] * 4
    assert pc.by_month[4:6] == [75_000 + 3 * 26_020, 75_000 + 3 * (52_041 - 26_020)]
    assert sum(pc.by_month) == pc.by_year[0]


def test_the_31st_and_a_short_month(session: Session, ref: Reference) -> None:
    make_finance_fleet(session, ref)
    # 2025-02-27: the 28th stands for the 31st in February and is not reached: 12 months.
    # F5 beside it: 21 months from 2023-05-10 on both days.
    early = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 2, 27)))
    line = _lines(early)[("borgholm", "pc")]
    assert line[:3] == (2, 3_600_000 + 4_000_000, 3_600_000 * 12 // 48 + 4_000_000 * 21 // 48)
    late = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 2, 28)))
    assert _lines(late)[("borgholm", "pc")][2] == 3_600_000 * 13 // 48 + 4_000_000 * 21 // 48


def test_a_device_disposed_of_leaves_the_books_that_day(session: Session, ref: Reference) -> None:
    make_finance_fleet(session, ref)
    # F5 on 2025-03-31: 22 months from 2023-05-10: 4 000 000 × 22 // 48 = 1 833 333.
    before = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 3, 31)))
    assert _lines(before)[("borgholm", "pc")][:3] == (
        5, 3_600_000 + 4_000_000 + 3 * 1_249_000, 3_600_000 * 14 // 48 + 1_833_333 + 0,
    )  # fmt: skip
    after = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 5, 15)))
    assert _lines(after)[("borgholm", "pc")][0] == 4


def test_a_batch_is_an_investment_only_by_its_order(session: Session, ref: Reference) -> None:
    from inventory.domain.capitalisation import Rule
    from inventory.services import capitalisation

    make_finance_fleet(session, ref)
    capitalisation.set_rule(
        session,
        actor=None,
        owner=ref.borgholm,
        rule=Rule(),
        now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    report = book_value(session, actor=ref.admin, flt=BookFilter(on=D(2025, 6, 30)))
    assert _lines(report)[("borgholm", "pc")][:2] == (1, 3_600_000)
    assert _lines(report)[("borgholm", "pc")][3] == 5  # F2-F4, S1, S2 expensed


def test_owner_scope_and_filters(session: Session, ref: Reference) -> None:
    make_finance_fleet(session, ref)
    mine = book_value(session, actor=ref.viewer_morbylanga, flt=BookFilter(on=D(2025, 6, 30)))
    assert list(_lines(mine)) == [("morbylanga", "pc")]
    phones = book_value(
        session, actor=ref.admin, flt=BookFilter(on=D(2025, 6, 30), category="phone")
    )
    assert list(_lines(phones)) == [("borgholm", "phone")]


def test_the_stock_value_on_a_past_day(session: Session, ref: Reference) -> None:
    make_finance_fleet(session, ref)
    june = stock_value(session, actor=ref.admin, flt=StockFilter(on=D(2025, 6, 30)))
    (pc,) = [x for x in june.lines if x.category == "pc"]
    # S1 (since its purchase, 2024-08-20: 314 days, more than six months), S2 (60 days),
    # and F2-F4 (in stock since 2025-03-15: 107 days each); F1 since 2024-01-31: 516 days.
    assert (pc.count, pc.value_ore) == (6, 1_249_000 + 1_300_000 + 3 * 1_249_000 + 3_600_000)
    assert pc.days_total == 314 + 60 + 3 * 107 + 516
    assert (pc.long_count, pc.long_value_ore) == (2, 1_249_000 + 3_600_000)
    assert [d.tag for d in june.long][:2] and [d.days for d in june.long] == [516, 314]
    september = stock_value(session, actor=ref.admin, flt=StockFilter(on=D(2025, 9, 30)))
    (pc,) = [x for x in september.lines if x.category == "pc"]
    assert pc.count == 5  # S2 was handed out on 2025-07-01


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bought=st.dates(D(2016, 1, 1), D(2026, 11, 1)),
    in_service_after=st.one_of(st.none(), st.integers(0, 90)),
    months=st.sampled_from([36, 48, 60, 84]),
    price=st.integers(30_000_00, 500_000_00),
    on=st.dates(D(2016, 1, 1), D(2026, 11, 23)),
)
def test_accumulated_and_book_value_add_up_to_the_acquisition_value(
    session: Session, ref: Reference, bought: dt.date, in_service_after: int | None,
    months: int, price: int, on: dt.date,
) -> None:  # fmt: skip
    """For any investment (over 30 000 kr, three years or more) and day, the SQL's
    accumulated depreciation and the domain's book value of the one device add up to its
    price. Each example's device has an owner of its own, for the report to hold it alone."""
    in_service = None if in_service_after is None else bought + dt.timedelta(days=in_service_after)
    in_service = min(in_service, D(2026, 11, 23)) if in_service else None
    owner = Owner(slug=f"prov-{next(_examples)}", name="Provägare")
    session.add(owner)
    session.commit()
    make_asset(session, ref, purchase_date=bought, in_service_date=in_service, price_ore=price,
               depreciation_months=months, owner_id=owner.id)  # fmt: skip
    report = book_value(session, actor=ref.admin, flt=BookFilter(on=on, owner=owner.slug))
    if on < bought:
        assert report.lines == []
        return
    (line,) = report.lines
    expected = domain_book_value(price, in_service or bought, months, on)
    assert (line.count, line.acquisition_ore) == (1, price)
    assert line.accumulated_ore + expected == price


_examples = itertools.count()


def test_the_reports_sql_decides_as_the_asset_page_does(engine: Engine) -> None:
    """Over the demo fleet (its owners test purchase orders together): the book value's
    investments are the devices each one's own decision (the asset page's) calls so, with
    the same accumulated depreciation as the domain's per device."""
    demo.seed_demo(engine, assets=400, seed=5)
    # The demo's last day of history: the register as it is now is the books of that day.
    on = demo.DEMO_TODAY
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == demo.DEMO_ADMIN)).one()
        report = book_value(session, actor=actor, flt=BookFilter(on=on))
        count = acquisition = accumulated = expensed = 0
        for asset in session.exec(select(Asset)):
            if asset.status == "disposed" or asset.purchase_date > on:
                continue
            if not capitalisation.decide_asset(session, asset).capitalised:
                expensed += 1
                continue
            start = asset.in_service_date or asset.purchase_date
            count += 1
            acquisition += asset.price_ore
            accumulated += asset.price_ore - domain_book_value(
                asset.price_ore, start, asset.depreciation_months, on
            )
        total = report.total()
    assert (total.count, total.acquisition_ore, total.accumulated_ore, total.expensed_count) == (
        count, acquisition, accumulated, expensed,
    )  # fmt: skip
    assert count > 50 and expensed > 100  # both kinds, many of each
