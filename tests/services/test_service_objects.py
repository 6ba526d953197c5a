"""Service objects: the category's by default, set for a selection of the list with each
device's history, the admin-edited list; and the quarterly invoicing basis of
tests/invoicing_fleet.py against object-months worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from inventory.domain.errors import PermissionDenied, ValidationFailed
from inventory.models import Asset, AssetEvent
from inventory.services import service_objects
from inventory.services.asset_list import AssetFilter
from inventory.services.service_objects import BasisFilter, Quarter, basis
from inventory.services.stock_value import StockFilter, stock_value

from ..factories import NOW, TODAY, Reference, make_asset
from ..invoicing_fleet import ADMINISTRATION, MOBILE, PEDAGOGICAL, make_invoicing_fleet, object_ids

Q3 = Quarter(2026, 3)


def test_quarters_know_their_days() -> None:
    assert (Q3.start, Q3.end, Q3.days) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), 92)
    assert Quarter(2024, 1).days == 91 and Quarter(2026, 4).end == dt.date(2026, 12, 31)


def test_the_invoicing_basis_of_a_quarter(session: Session, ref: Reference) -> None:
    make_invoicing_fleet(session, ref)
    report = basis(session, actor=ref.admin, flt=BasisFilter(quarter=Q3))
    lines = {(x.owner, x.business_unit, x.service_object): (x.devices, x.days, x.object_months)
             for x in report.lines}  # fmt: skip
    unit = ref.unit_borgholm.name
    assert lines == {
        # A 77 days, B 31 (from the 31st of August), C 45 (lost on the 15th): 153 × 3 / 92.
        ("borgholm", unit, ADMINISTRATION): (3, 153, Decimal("4.99")),
        # A from the 16th of September, when the list set it.
        ("borgholm", unit, PEDAGOGICAL): (1, 15, Decimal("0.49")),
        # D half the quarter with each unit: half its three months each.
        ("borgholm", unit, MOBILE): (1, 46, Decimal("1.50")),
        ("borgholm", "Kultur och fritid", MOBILE): (1, 46, Decimal("1.50")),
        ("morbylanga", None, ADMINISTRATION): (1, 92, Decimal("3.00")),
    }
    # 352 device-days: the total is rounded once, not summed from rounded lines.
    assert report.total_months == Decimal("11.48")
    assert report.months_by_object() == {
        ADMINISTRATION: Decimal("7.99"), PEDAGOGICAL: Decimal("0.49"), MOBILE: Decimal("3.00")
    }  # fmt: skip
    # The filters and the owner scope.
    mine = basis(session, actor=ref.tech_borgholm, flt=BasisFilter(quarter=Q3))
    assert {x.owner for x in mine.lines} == {"borgholm"}
    theirs = basis(session, actor=ref.admin, flt=BasisFilter(quarter=Q3, owner="morbylanga"))
    assert [x.days for x in theirs.lines] == [92]
    unit_only = basis(session, actor=ref.admin,
                      flt=BasisFilter(quarter=Q3, business_unit_id=ref.unit_borgholm.id))  # fmt: skip
    assert sum(x.days for x in unit_only.lines) == 153 + 15 + 46
    # Q2: A from 10 May (52 days), C from 1 June (30), F all of it (91), D not yet.
    q2 = basis(session, actor=ref.admin, flt=BasisFilter(quarter=Quarter(2026, 2)))
    assert sum(x.days for x in q2.lines) == 52 + 30 + 91


def test_a_device_takes_its_category_s_service_object(session: Session, ref: Reference) -> None:
    make_invoicing_fleet(session, ref)
    ids = object_ids(session)
    phone = make_asset(session, ref, model_id=ref.iphone.id)
    assert phone.service_object_id == ids[MOBILE]
    chosen = make_asset(session, ref, service_object_id=ids["Utskrifter"])
    assert chosen.service_object_id == ids["Utskrifter"]
    with pytest.raises(ValidationFailed) as refused:
        make_asset(session, ref, service_object_id=999_999)
    assert list(refused.value.errors) == ["service_object_id"]


def test_setting_a_selection_writes_each_history_within_scope(
    session: Session, ref: Reference
) -> None:
    fleet = make_invoicing_fleet(session, ref)
    ids = object_ids(session)
    # A Borgholm technician's "every pc" reaches Borgholm's only; the disposed C is left.
    changed = service_objects.set_for_selection(
        session, actor=ref.tech_borgholm, flt=AssetFilter(category=ref.pc.slug),
        object_id=ids["Övriga IT-tjänster"], now=NOW, today=NOW.date(),
    )  # fmt: skip
    assert changed == 3  # A, B, E
    session.expire_all()
    assert session.get(Asset, fleet["F"].id).service_object_id == ids[ADMINISTRATION]  # type: ignore[union-attr]
    assert session.get(Asset, fleet["C"].id).service_object_id == ids[ADMINISTRATION]  # type: ignore[union-attr]
    last = session.exec(
        select(AssetEvent).where(AssetEvent.asset_id == fleet["B"].id)
        .order_by(col(AssetEvent.id).desc())
    ).first()  # fmt: skip
    assert last is not None and last.changes == {
        "service_object_id": [ids[ADMINISTRATION], ids["Övriga IT-tjänster"]]
    }
    # E has lain in stock since 2026-06-01: the change of its service object does not
    # restart its days in stock (asset_span's status_since).
    stock = stock_value(session, actor=ref.admin, flt=StockFilter(on=TODAY))
    assert [(x.count, x.days_total) for x in stock.lines] == [(1, 175)]
    with pytest.raises(PermissionDenied):
        service_objects.set_for_selection(session, actor=ref.viewer, flt=AssetFilter(),
                                          object_id=ids[MOBILE], now=NOW, today=NOW.date())  # fmt: skip


def test_the_list_is_edited_by_an_admin_for_all_owners(session: Session, ref: Reference) -> None:
    made = service_objects.save(session, actor=ref.admin, name="  Skrivare  på avtal ",
                                position=None, now=NOW)  # fmt: skip
    assert (made.name, made.position) == ("Skrivare på avtal", 9)  # after the eight
    with pytest.raises(ValidationFailed) as clash:
        service_objects.save(session, actor=ref.admin, name="mobila enheter", position=None,
                             now=NOW)  # fmt: skip
    assert "already" in clash.value.errors["name"]
    with pytest.raises(PermissionDenied):
        service_objects.save(session, actor=ref.admin_borgholm, name="X", position=1, now=NOW)
    service_objects.save(session, actor=ref.admin, name="Skrivartjänst", position=4, now=NOW,
                         object_id=made.id)  # fmt: skip
    names = [o.name for o in service_objects.ordered(session)]
    assert (
        names.index("IT-infrastruktur") < names.index("Skrivartjänst") < names.index("Utskrifter")
    )
    used = make_asset(session, ref, service_object_id=made.id)
    with pytest.raises(ValidationFailed):
        service_objects.delete(session, actor=ref.admin, object_id=made.id, now=NOW)
    session.rollback()
    assert used.id is not None
    unused = service_objects.save(session, actor=ref.admin, name="Tillfälligt", position=None,
                                  now=NOW)  # fmt: skip
    service_objects.delete(session, actor=ref.admin, object_id=unused.id, now=NOW)  # type: ignore[arg-type]
    assert "Tillfälligt" not in [o.name for o in service_objects.ordered(session)]
