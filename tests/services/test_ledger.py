"""The asset ledger's changes in a period on the hand-built fleet of tests/finance_fleet.py
(make_ledger_fleet), against entries worked out by hand: acquisitions on their purchase
dates, disposals on the day the device left with its proceeds and what was left of its
value, transfers between owners on the day of the change; and the disposal's own rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from inventory.domain.errors import ValidationFailed
from inventory.domain.periods import Period, year
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, AssetSpan
from inventory.services import assets as asset_service
from inventory.services.book_value import BookFilter, book_value
from inventory.services.ledger import EntryKind, LedgerFilter, ledger

from ..factories import Reference, asset_input
from ..finance_fleet import make_ledger_fleet
from ..sustainability_fleet import noon

D = dt.date
H1_2025 = Period(D(2025, 1, 1), D(2025, 6, 30), "jan–jun 2025")


def _entries(report):  # type: ignore[no-untyped-def]
    return [
        (e.kind.value, e.day, e.owner, e.acquisition_ore, e.accumulated_ore, e.book_value_ore,
         e.disposal_kind, e.proceeds_ore, e.counterpart_name)
        for e in report.entries
    ]  # fmt: skip


def test_the_ledger_of_a_half_year(session: Session, ref: Reference) -> None:
    fleet = make_ledger_fleet(session, ref)
    report = ledger(session, actor=ref.admin, flt=LedgerFilter(period=H1_2025))
    b, m, j = ref.borgholm.slug, ref.morbylanga.slug, ref.joint.slug
    tags = {e.tag: name for name, e in fleet.items()}
    assert [(tags[e.tag], *row) for e, row in zip(report.entries, _entries(report), strict=True)] == [
        ("F7", "acquisition", D(2025, 1, 10), m, 3_000_000, 0, 3_000_000, None, None, None),
        ("F8", "acquisition", D(2025, 2, 28), j, 3_500_000, 0, 3_500_000, None, None, None),
        # Each under half a prisbasbelopp, an investment by its order of three.
        ("F2", "acquisition", D(2025, 3, 15), b, 1_249_000, 0, 1_249_000, None, None, None),
        ("F3", "acquisition", D(2025, 3, 15), b, 1_249_000, 0, 1_249_000, None, None, None),
        ("F4", "acquisition", D(2025, 3, 15), b, 1_249_000, 0, 1_249_000, None, None, None),
        # Lost after 24 of its 48 months.
        ("F5", "disposal", D(2025, 5, 15), b, 4_000_000, 2_000_000, 2_000_000, "lost", None,
         None),
        # Moved on 2025-06-10, three whole months after 2025-02-28: out of the joint books
        # and into Borgholm's at 35 000 − 35 000 × 3/48 = 32 812,50 kr.
        ("F8", "transfer_out", D(2025, 6, 10), j, 3_500_000, 218_750, 3_281_250, None, None,
         ref.borgholm.name),
        ("F8", "transfer_in", D(2025, 6, 10), b, 3_500_000, 218_750, 3_281_250, None, None,
         ref.joint.name),
        # Sold on the 14th (recorded on the 20th): 11 whole months from 2024-06-30.
        ("F9", "disposal", D(2025, 6, 14), b, 3_000_000, 687_500, 2_312_500, "sold", 350_000,
         None),
    ]  # fmt: skip
    lines = {(x.owner, x.kind.value): (x.count, x.acquisition_ore, x.accumulated_ore,
                                       x.book_value_ore, x.proceeds_ore)
             for x in report.lines}  # fmt: skip
    assert lines == {
        (b, "acquisition"): (3, 3_747_000, 0, 3_747_000, 0),
        (b, "disposal"): (2, 7_000_000, 2_687_500, 4_312_500, 350_000),
        (b, "transfer_in"): (1, 3_500_000, 218_750, 3_281_250, 0),
        (j, "acquisition"): (1, 3_500_000, 0, 3_500_000, 0),
        (j, "transfer_out"): (1, 3_500_000, 218_750, 3_281_250, 0),
        (m, "acquisition"): (1, 3_000_000, 0, 3_000_000, 0),
    }
    assert {x.category for x in report.lines} == {ref.pc.slug}
    # Expensed when bought, apart: F6 (a phone, 8 990 kr) and S2 (13 000 kr, on no order).
    assert [(x.owner, x.bought_count, x.bought_ore, x.disposed_count, x.proceeds_ore)
            for x in report.expensed] == [(b, 2, 2_199_000, 0, 0)]  # fmt: skip
    assert report.total(EntryKind.DISPOSAL).proceeds_ore == 350_000


def test_the_period_and_the_filters_choose_the_entries(session: Session, ref: Reference) -> None:
    make_ledger_fleet(session, ref)

    def kinds(actor=ref.admin, **flt):  # type: ignore[no-untyped-def]
        report = ledger(session, actor=actor, flt=LedgerFilter(**flt))
        return sorted((e.owner, e.kind.value, e.day) for e in report.entries)

    b, m, j = ref.borgholm.slug, ref.morbylanga.slug, ref.joint.slug
    june = Period(D(2025, 6, 11), D(2025, 6, 30), "")
    assert kinds(period=june) == [(b, "disposal", D(2025, 6, 14))]
    # The year 2024: F1 bought on the 31st of January, F9 on the 30th of June (S1 expensed).
    assert kinds(period=year(2024)) == [(b, "acquisition", D(2024, 1, 31)),
                                        (b, "acquisition", D(2024, 6, 30))]  # fmt: skip
    assert kinds(period=H1_2025, owner=m) == [(m, "acquisition", D(2025, 1, 10))]
    assert kinds(period=H1_2025, owner=j) == [(j, "acquisition", D(2025, 2, 28)),
                                              (j, "transfer_out", D(2025, 6, 10))]  # fmt: skip
    assert kinds(period=H1_2025, category=ref.phone.slug) == []
    # A user scoped to an owner sees that owner's books only: Borgholm the transfer in, not
    # the joint property's side of it.
    assert kinds(actor=ref.viewer_morbylanga, period=H1_2025) == [
        (m, "acquisition", D(2025, 1, 10))
    ]
    scoped = kinds(actor=ref.tech_borgholm, period=H1_2025)
    assert {owner for owner, _, _ in scoped} == {b}
    assert (b, "transfer_in", D(2025, 6, 10)) in scoped


def test_a_disposal_counts_from_the_day_the_device_left(session: Session, ref: Reference) -> None:
    """Sold on the 14th, recorded on the 20th: the books lose it on the 14th."""
    fleet = make_ledger_fleet(session, ref)
    f9 = fleet["F9"]
    span = session.exec(
        select(AssetSpan).where(AssetSpan.asset_id == f9.id, col(AssetSpan.ended_on).is_(None))
    ).one()
    assert (span.status, span.started_on) == (Status.DISPOSED.value, D(2025, 6, 14))

    def on_books(day: dt.date) -> int:
        report = book_value(session, actor=ref.admin, flt=BookFilter(on=day))
        return sum(x.count for x in report.lines if x.owner == ref.borgholm.slug)

    assert on_books(D(2025, 6, 13)) - on_books(D(2025, 6, 14)) == 1


@pytest.mark.parametrize(
    ("kind", "on", "proceeds", "field", "fragment"),
    [
        (DisposalKind.SOLD, None, None, "proceeds", "sold for"),
        (DisposalKind.LOST, None, 10_000, "proceeds", "only for a device sold or recycled"),
        (DisposalKind.LOST, D(2026, 11, 24), None, "disposed_on", "future"),
        (DisposalKind.LOST, D(2024, 8, 1), None, "disposed_on", "before the purchase date"),
        (DisposalKind.LOST, D(2026, 11, 1), None, "disposed_on", "last change"),
    ],
)
def test_a_disposal_is_refused_with_a_reason_and_nothing_changes(
    session: Session, ref: Reference, kind: DisposalKind, on: dt.date | None,
    proceeds: int | None, field: str, fragment: str,
) -> None:  # fmt: skip
    # Bought 2024-08-15, registered in stock (its last change) on 2026-11-20; today is
    # 2026-11-23.
    registered = D(2026, 11, 20)
    asset = asset_service.create_asset(
        session, actor=ref.admin, data=asset_input(ref, purchase_date=D(2024, 8, 15)),
        today=registered, now=noon(registered),
    )  # fmt: skip
    version = asset.version
    with pytest.raises(ValidationFailed) as refused:
        asset_service.change_status(
            session, actor=ref.admin, asset=asset, target=Status.DISPOSED, disposal_kind=kind,
            disposed_on=on, proceeds_ore=proceeds, comment="Försvann", now=noon(D(2026, 11, 23)),
        )  # fmt: skip
    # A sale is also refused for want of a wipe, said at the same time.
    assert list(refused.value.errors) == [field] + (["wipe"] if kind is DisposalKind.SOLD else [])
    assert fragment in refused.value.errors[field]
    session.rollback()
    again = session.get(Asset, asset.id)
    assert again is not None
    assert (again.status, again.version, again.disposed_on) == ("in_stock", version, None)
