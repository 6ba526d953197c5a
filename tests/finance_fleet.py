"""A small hand-built fleet for the finance reports, written through the services at past
moments. Prisbasbelopp 2023: 52 500 kr, 2024: 57 300 kr, 2025: 58 800 kr (half: 26 250,
28 650, 29 400 kr). Borgholm tests purchase orders together; Datorer are depreciated over
48 months, Mobiltelefoner over 36.

- F1 a pc of 36 000 kr bought on 2024-01-31 (no in-service date): an investment alone.
- F2, F3, F4 three pcs of 12 490 kr on order BH-2025-01, bought 2025-03-15, in service
  2025-04-01: each under the threshold, together 37 470 kr: investments by their order.
- F5 a pc of 40 000 kr bought and in service 2023-05-10, lost on 2025-05-15.
- F6 a phone of 8 990 kr bought 2025-02-01: expensed.
- F7 Mörbylånga's pc of 30 000 kr bought and in service 2025-01-10: an investment.
- S1 a pc of 12 490 kr bought 2024-08-20, registered in stock 2024-09-01, still there.
- S2 a pc of 13 000 kr registered in stock 2025-05-01 (bought then), handed out 2025-07-01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlmodel import Session

from inventory.domain import reuse
from inventory.domain.capitalisation import Rule
from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset
from inventory.services import assets as asset_service
from inventory.services import capitalisation
from inventory.services import reuse as reuse_service

from .factories import Reference, asset_input
from .sustainability_fleet import noon

D = dt.date


def make_finance_fleet(session: Session, ref: Reference) -> dict[str, Asset]:
    capitalisation.set_rule(session, actor=None, owner=ref.borgholm, rule=Rule(by_order=True),
                            now=noon(D(2023, 1, 2)))  # fmt: skip

    def register(day: dt.date, status: Status = Status.IN_STOCK, **values: object) -> Asset:
        holder = "Anna Ekström" if status is Status.DEPLOYED else None
        return asset_service.create_asset(
            session, actor=ref.admin, data=asset_input(ref, holder=holder, **values), today=day,
            now=noon(day), status=status,
        )  # fmt: skip

    fleet = {
        "F1": register(D(2024, 1, 31), price_ore=3_600_000, purchase_date=D(2024, 1, 31)),
        **{
            f"F{n}": register(D(2025, 3, 15), price_ore=1_249_000, purchase_date=D(2025, 3, 15),
                              in_service_date=D(2025, 4, 1), order_ref="BH-2025-01")
            for n in (2, 3, 4)
        },
        "F5": register(D(2023, 5, 10), Status.DEPLOYED, price_ore=4_000_000,
                       purchase_date=D(2023, 5, 10), in_service_date=D(2023, 5, 10)),
        "F6": register(D(2025, 2, 1), model_id=ref.iphone.id, price_ore=899_000,
                       purchase_date=D(2025, 2, 1)),
        "F7": register(D(2025, 1, 10), Status.DEPLOYED, owner_id=ref.morbylanga.id,
                       price_ore=3_000_000, purchase_date=D(2025, 1, 10),
                       in_service_date=D(2025, 1, 10)),
        "S1": register(D(2024, 9, 1), price_ore=1_249_000, purchase_date=D(2024, 8, 20)),
        "S2": register(D(2025, 5, 1), price_ore=1_300_000, purchase_date=D(2025, 5, 1)),
    }  # fmt: skip
    asset_service.change_status(session, actor=ref.admin, asset=fleet["F5"],
                                target=Status.DISPOSED, disposal_kind=DisposalKind.LOST,
                                now=noon(D(2025, 5, 15)))  # fmt: skip
    fleet["S2"].holder = None
    asset_service.change_status(session, actor=ref.admin, asset=fleet["S2"],
                                target=Status.DEPLOYED, now=noon(D(2025, 7, 1)))  # fmt: skip
    return fleet


def make_ledger_fleet(session: Session, ref: Reference) -> dict[str, Asset]:
    """The finance fleet and two more, for the asset ledger:

    - F8 a joint pc of 35 000 kr bought 2025-02-28, moved to Borgholm on 2025-06-10 (3 whole
      months by then: 2 187,50 kr depreciated, 32 812,50 kr left).
    - F9 a Borgholm pc of 30 000 kr bought 2024-06-30, wiped on 2025-06-12 and sold for
      3 500 kr on 2025-06-14, recorded on 2025-06-20 (11 whole months: 6 875 kr
      depreciated, 23 125 kr left).
    F5 (40 000 kr, in service 2023-05-10) was lost on 2025-05-15: 24 months, 20 000 kr left.
    """
    fleet = make_finance_fleet(session, ref)
    moved = D(2025, 2, 28)
    f8 = asset_service.create_asset(
        session, actor=ref.admin, today=moved, now=noon(moved),
        data=asset_input(ref, owner_id=ref.joint.id, price_ore=3_500_000, purchase_date=moved),
    )  # fmt: skip
    asset_service.update_asset(
        session, actor=ref.admin, asset=f8, expected_version=f8.version, today=D(2025, 6, 10),
        now=noon(D(2025, 6, 10)),
        data=replace(asset_input(ref, owner_id=ref.borgholm.id, price_ore=3_500_000,
                                 purchase_date=moved), tag=f8.tag, serial=f8.serial),
    )  # fmt: skip
    bought = D(2024, 6, 30)
    f9 = asset_service.create_asset(
        session, actor=ref.admin, today=bought, now=noon(bought),
        data=asset_input(ref, price_ore=3_000_000, purchase_date=bought),
    )  # fmt: skip
    wiped = D(2025, 6, 12)
    reuse_service.assess(
        session, actor=ref.admin, asset=f9, today=wiped, now=noon(wiped),
        expected_version=f9.version,
        data=reuse.AssessmentInput(grade=reuse.Grade.B, decision=reuse.Decision.SPARE,
                                   wipe=reuse.Wipe("Blancco", wiped, "Tina")),
    )  # fmt: skip
    asset_service.change_status(
        session, actor=ref.admin, asset=f9, target=Status.DISPOSED,
        disposal_kind=DisposalKind.SOLD, disposed_on=D(2025, 6, 14), proceeds_ore=350_000,
        comment="Såld till personal", now=noon(D(2025, 6, 20)),
    )  # fmt: skip
    return fleet | {"F8": f8, "F9": f9}
