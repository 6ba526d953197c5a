"""A small hand-built fleet for the quarterly invoicing basis of Q3 2026 (1 July – 30
September, 92 days), written through the services at past moments. Datorer belong to
"Datorarbetsplats administration" by default, Mobiltelefoner to "Mobila enheter".

- A a Borgholm pc, Barn och utbildning, handed out since 2026-05-10; set to
  "Datorarbetsplats pedagogisk" from the asset list on 2026-09-16: 77 days administrative,
  15 pedagogical.
- B a Borgholm pc bought and handed out on 2026-08-31: 31 days.
- C a Borgholm pc handed out since 2026-06-01, lost on 2026-08-15 (recorded 2026-08-20):
  in use 1 July – 14 August, 45 days.
- D a Borgholm phone handed out on 2026-07-01 for Barn och utbildning, moved to Kultur och
  fritid on 2026-08-16: 46 days each, half the quarter each (1,50 object-months).
- E a Borgholm pc in stock all quarter: not in use, not counted.
- F a Mörbylånga pc handed out since 2026-03-02 with no business unit: 92 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlmodel import Session, select

from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, BusinessUnit, ServiceObject
from inventory.services import assets as asset_service
from inventory.services import reference, service_objects
from inventory.services.asset_list import AssetFilter

from .factories import Reference, asset_input
from .sustainability_fleet import noon

D = dt.date
ADMINISTRATION = "Datorarbetsplats administration"
PEDAGOGICAL = "Datorarbetsplats pedagogisk"
MOBILE = "Mobila enheter"


def object_ids(session: Session) -> dict[str, int]:
    return {o.name: o.id for o in session.exec(select(ServiceObject))}  # type: ignore[misc]


def make_invoicing_fleet(session: Session, ref: Reference) -> dict[str, Asset]:
    ids = object_ids(session)
    for category, name in ((ref.pc, ADMINISTRATION), (ref.phone, MOBILE)):
        reference.update_category(
            session, actor=ref.admin, category=category, name=category.name,
            depreciation_months=category.depreciation_months,
            target_lifespan_months=category.target_lifespan_months, service_object_id=ids[name],
        )  # fmt: skip
    culture = BusinessUnit(owner_id=ref.borgholm.id, name="Kultur och fritid")
    session.add(culture)
    session.commit()

    def out(day: dt.date, **values: object) -> Asset:
        values.setdefault("business_unit_id", ref.unit_borgholm.id)
        return asset_service.create_asset(
            session, actor=ref.admin, today=day, now=noon(day), status=Status.DEPLOYED,
            data=asset_input(ref, holder="Anna Ekström", purchase_date=day, **values),
        )  # fmt: skip

    fleet = {
        "A": out(D(2026, 5, 10)),
        "B": out(D(2026, 8, 31)),
        "C": out(D(2026, 6, 1)),
        "D": out(D(2026, 7, 1), model_id=ref.iphone.id),
        "F": out(D(2026, 3, 2), owner_id=ref.morbylanga.id, business_unit_id=None),
    }
    fleet["E"] = asset_service.create_asset(
        session, actor=ref.admin, today=D(2026, 6, 1), now=noon(D(2026, 6, 1)),
        data=asset_input(ref, purchase_date=D(2026, 6, 1)),
    )  # fmt: skip
    asset_service.change_status(
        session, actor=ref.admin, asset=fleet["C"], target=Status.DISPOSED,
        disposal_kind=DisposalKind.LOST, disposed_on=D(2026, 8, 15), comment="Borttappad",
        now=noon(D(2026, 8, 20)),
    )  # fmt: skip
    d = fleet["D"]
    asset_service.update_asset(
        session, actor=ref.admin, asset=d, expected_version=d.version, today=D(2026, 8, 16),
        now=noon(D(2026, 8, 16)),
        data=replace(asset_input(ref, model_id=ref.iphone.id, purchase_date=D(2026, 7, 1),
                                 holder="Anna Ekström", business_unit_id=culture.id),
                     tag=d.tag, serial=d.serial),
    )  # fmt: skip
    changed = service_objects.set_for_selection(
        session, actor=ref.admin, flt=AssetFilter(q=fleet["A"].tag), object_id=ids[PEDAGOGICAL],
        now=noon(D(2026, 9, 16)), today=D(2026, 9, 16),
    )  # fmt: skip
    assert changed == 1
    return fleet
