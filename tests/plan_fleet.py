"""A small hand-built fleet for the refresh plan, with its answers computed by hand.

The plan starts 2026-12-02 and covers five budget years, 2026-2030 (until 2031-01-01).
Datorer (pc) have a target lifespan of 60 months, Mobiltelefoner (phone) 48. Latitude 5440:
12 490,00 kr standard price, 300 kg CO2e; iPhone 15: 8 990,00 kr, 60 kg; Chromebook X: no
standard price and no footprint (the category's average price paid from 2024-12-02 until
2026-12-02 stands in: (11 000 + 13 000) / 2 = 12 000 kr)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session

from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, Manufacturer, Model
from inventory.services import assets as asset_service

from .factories import NOW, Reference, make_asset, record_wipe

START = dt.date(2026, 12, 2)

# (year, quarter, owner, category) -> (count, cost in öre, kg CO2e, no footprint)
TODAY_RULES = {
    (2027, 1, "borgholm", "pc"): (2, 2 * 1_249_000, Decimal("600.0"), 0),  # due 2027-02-01, 03-10
    (2027, 4, "borgholm", "pc"): (1, 1_200_000, Decimal(0), 1),  # Chromebook, 2027-11-20
    (2028, 4, "borgholm", "phone"): (1, 899_000, Decimal("60.0"), 0),  # in service 2024-10-01
    (2029, 3, "borgholm", "pc"): (1, 1_249_000, Decimal("300.0"), 0),  # in the reuse pool
    (2030, 2, "borgholm", "pc"): (1, 1_249_000, Decimal("300.0"), 0),  # bought 2025-06-01
}
# Due before the plan starts: one at its lifespan (2026-06-01), one by its override.
TODAY_BACKLOG = {("borgholm", "pc"): (2, 2 * 1_249_000, Decimal("600.0"), 0)}

# pc at 72 months: every pc one year later (60 -> 72), but the override stays.
WHAT_IF = {
    (2027, 2, "borgholm", "pc"): (1, 1_249_000, Decimal("300.0"), 0),  # was backlog
    (2028, 1, "borgholm", "pc"): (2, 2 * 1_249_000, Decimal("600.0"), 0),
    (2028, 4, "borgholm", "pc"): (1, 1_200_000, Decimal(0), 1),
    (2028, 4, "borgholm", "phone"): (1, 899_000, Decimal("60.0"), 0),
    (2030, 3, "borgholm", "pc"): (1, 1_249_000, Decimal("300.0"), 0),  # the pool's, 2030-08-15
}
WHAT_IF_BACKLOG = {("borgholm", "pc"): (1, 1_249_000, Decimal("300.0"), 0)}


def make_plan_fleet(session: Session, ref: Reference) -> dict[str, Asset]:
    ref.latitude.carbon_kg = Decimal("300.0")
    ref.iphone.carbon_kg = Decimal("60.0")
    google = Manufacturer(name="Google")
    session.add_all([ref.latitude, ref.iphone, google])
    session.flush()
    chromebook = Model(manufacturer_id=google.id, category_id=ref.pc.id, name="Chromebook X")
    session.add(chromebook)
    session.commit()

    def pc(day: dt.date, **more: object) -> Asset:
        return make_asset(session, ref, purchase_date=day, **more)

    assets = {
        "due-2027-03": pc(dt.date(2022, 3, 10)),
        "due-2027-02": pc(dt.date(2022, 2, 1)),
        "overdue": pc(dt.date(2021, 6, 1)),
        "override": pc(dt.date(2023, 5, 5), due_override=dt.date(2025, 12, 31)),
        "chromebook": pc(dt.date(2022, 11, 20), model_id=chromebook.id, price_ore=500_000),
        "phone": make_asset(
            session,
            ref,
            model_id=ref.iphone.id,
            purchase_date=dt.date(2024, 8, 15),
            in_service_date=dt.date(2024, 10, 1),
            price_ore=899_000,
        ),
        "too-new": pc(dt.date(2026, 1, 10), price_ore=1_100_000),
        "bought-2025": pc(dt.date(2025, 6, 1), price_ore=1_300_000),
        "pool": pc(dt.date(2024, 8, 15)),
        "disposed": pc(dt.date(2020, 1, 1)),
        # Mörbylånga's phone would be due 2027-01-15, after Mörbylånga leaves (2026-12-31).
        "departing": make_asset(
            session,
            ref,
            model_id=ref.iphone.id,
            owner_id=ref.morbylanga.id,
            purchase_date=dt.date(2023, 1, 15),
            price_ore=899_000,
            location_id=None,
        ),
    }
    # Through the status form's service, so that the history (and the spans a plan from a
    # past day reads) says so too.
    record_wipe(session, ref, assets["pool"])
    for key, status, kind in (
        ("pool", Status.REUSE_POOL, None),
        ("disposed", Status.DISPOSED, DisposalKind.LOST),
    ):
        asset_service.change_status(
            session, actor=ref.admin, asset=assets[key], target=status, now=NOW,
            disposal_kind=kind,
        )  # fmt: skip
    ref.morbylanga.leaves_on = dt.date(2026, 12, 31)
    session.add(ref.morbylanga)
    session.commit()
    return assets
