"""A small hand-built fleet for the sustainability report, its history written through the
services at past moments, with the answers computed by hand (days between dates).

Datorer (pc): depreciation 48 months, target 60; the Latitude 5440 has 300 kg CO2e. All
Borgholm's unless said. Moments at noon UTC, so each lies on its Swedish day.

- A1 bought 2019-01-10, in service and registered deployed 2019-02-01, lost 2025-03-01.
- A2 bought 2020-05-01, registered in stock 2020-05-05, handed out 2020-05-10 (its first
  hand-out sets the in-service date), returned 2025-10-01, wiped and recycled 2025-10-15.
- A3 bought 2022-01-15, registered deployed (in service) 2022-01-20, returned 2025-05-05,
  wiped and put in the reuse pool 2025-05-06, handed out again 2025-06-01.
- A4 bought 2025-06-10, registered in stock 2025-06-12, handed out (in service) 2025-06-20.
- A5 a phone (60 kg), bought, in service and registered deployed 2023-03-01.
- A6 ordered 2026-11-01, bought 2026-10-20: not in the fleet.
- A7 Mörbylånga's, bought, in service and registered deployed 2021-09-01.
- A8 bought 2018-06-01, in service 2018-06-15, registered deployed only on 2026-11-23 (a fleet
  taken over from a spreadsheet): counted from 2018-06-15.
- A9 bought 2024-04-01, registered in stock 2024-04-02, still there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session

from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset
from inventory.services import assets as asset_service

from .factories import Reference, asset_input, record_wipe


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


D = dt.date

# T2 2025 (2025-05-01–2025-08-31), the fleet on 2025-08-31: days of age per device.
T2_2025_BORGHOLM_PC_DAYS = 1939 + 1319 + 72 + 2634 + 517  # A2, A3, A4, A8, A9 = 6481
T2_2025_MORBYLANGA_PC_DAYS = 1460  # A7
T2_2025_PHONE_DAYS = 914  # A5
# Today's tertial (T3 2026), the fleet on 2026-11-23: A1 and A2 have left, A6 is on order.
T3_2026_BORGHOLM_PC_DAYS = 1768 + 521 + 3083 + 966  # A3, A4, A8, A9 = 6338
# Lifespans: A1 2019-02-01 -> 2025-03-01, A2 2020-05-10 -> 2025-10-15.
A1_LIFESPAN_DAYS, A2_LIFESPAN_DAYS = 2220, 1984
# Avoided in 2025 to 2025-08-31: days past depreciation in the window over the period's days
# (1 461 each: 48 months with one 29 February): A1 59 (to 2025-03-01), A2 243, A8 243.
AVOIDED_2025_KG = Decimal(300) * (59 + 243 + 243) / 1461
# The whole of 2024 (366 days): A1 366, A2 236 (from 2024-05-10), A8 366.
AVOIDED_2024_KG = Decimal(300) * (366 + 236 + 366) / 1461


def _wipe(session: Session, ref: Reference, asset: Asset, day: dt.date) -> None:
    """A wipe recorded an hour after the day's move back, dated that day."""
    record_wipe(session, ref, asset, at=noon(day) + dt.timedelta(hours=1), wiped_on=day)


def make_sustainability_fleet(session: Session, ref: Reference) -> dict[str, Asset]:
    ref.latitude.carbon_kg = Decimal("300.0")
    ref.iphone.carbon_kg = Decimal("60.0")
    session.add_all([ref.latitude, ref.iphone])
    session.commit()

    def register(day: dt.date, status: Status, **values: object) -> Asset:
        holder = "Anna Ekström" if status is Status.DEPLOYED else None
        data = asset_input(ref, holder=holder, **values)
        return asset_service.create_asset(
            session, actor=ref.admin, data=data, today=day, now=noon(day), status=status
        )

    def move(asset: Asset, day: dt.date, target: Status, **more: object) -> None:
        asset_service.change_status(
            session, actor=ref.admin, asset=asset, target=target, now=noon(day) + dt.timedelta(
                hours=2), **more  # type: ignore[arg-type]
        )  # fmt: skip

    a1 = register(D(2019, 2, 1), Status.DEPLOYED, purchase_date=D(2019, 1, 10),
                  in_service_date=D(2019, 2, 1))  # fmt: skip
    move(a1, D(2025, 3, 1), Status.DISPOSED, disposal_kind=DisposalKind.LOST)
    a2 = register(D(2020, 5, 5), Status.IN_STOCK, purchase_date=D(2020, 5, 1))
    move(a2, D(2020, 5, 10), Status.DEPLOYED)
    move(a2, D(2025, 10, 1), Status.RETURNED)
    _wipe(session, ref, a2, D(2025, 10, 15))
    move(a2, D(2025, 10, 15), Status.DISPOSED, disposal_kind=DisposalKind.RECYCLED)
    a3 = register(D(2022, 1, 20), Status.DEPLOYED, purchase_date=D(2022, 1, 15),
                  in_service_date=D(2022, 1, 20))  # fmt: skip
    move(a3, D(2025, 5, 5), Status.RETURNED)
    _wipe(session, ref, a3, D(2025, 5, 6))
    move(a3, D(2025, 5, 6), Status.REUSE_POOL)
    move(a3, D(2025, 6, 1), Status.DEPLOYED)
    a4 = register(D(2025, 6, 12), Status.IN_STOCK, purchase_date=D(2025, 6, 10))
    move(a4, D(2025, 6, 20), Status.DEPLOYED)
    a5 = register(D(2023, 3, 1), Status.DEPLOYED, model_id=ref.iphone.id,
                  purchase_date=D(2023, 3, 1), in_service_date=D(2023, 3, 1))  # fmt: skip
    a6 = register(D(2026, 11, 1), Status.ORDERED, purchase_date=D(2026, 10, 20))
    a7 = register(D(2021, 9, 1), Status.DEPLOYED, owner_id=ref.morbylanga.id,
                  purchase_date=D(2021, 9, 1), in_service_date=D(2021, 9, 1))  # fmt: skip
    a8 = register(D(2026, 11, 23), Status.DEPLOYED, purchase_date=D(2018, 6, 1),
                  in_service_date=D(2018, 6, 15))  # fmt: skip
    a9 = register(D(2024, 4, 2), Status.IN_STOCK, purchase_date=D(2024, 4, 1))
    return {"A1": a1, "A2": a2, "A3": a3, "A4": a4, "A5": a5, "A6": a6, "A7": a7, "A8": a8,
            "A9": a9}  # fmt: skip
