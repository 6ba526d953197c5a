"""Four joint assets whose §20 split is worked out by hand, for the proposal page, its exports
and the browser test.

Split date 2026-12-31, cost key 2026: Mörbylånga 2002, Borgholm 1658 users (3 660). Book
values on the split date, straight line by whole months over the PCs' 48 months
(price - price * months // 48):

| tag     | where                     | price öre | bought     | months | book value |
|---------|---------------------------|-----------|------------|--------|------------|
| GEM-001 | Slottsskolan (Borgholm)   | 1 200 000 | 2025-01-01 | 23     |    625 000 |
| GEM-002 | Mörbylånga skola (M)      | 2 400 000 | 2026-01-01 | 11     |  1 850 000 |
| GEM-003 | server hall (joint)       | 4 800 000 | 2026-01-01 | 11     |  3 700 000 |
| GEM-004 | server hall (joint)       | 1 200 000 | 2026-07-01 | 5      |  1 075 000 |

Joint total 7 250 000 öre. Shares: Mörbylånga 7 250 000 × 2002 / 3660 = 3 965 710.38…,
Borgholm 3 284 289.61…: rounded down 3 965 710 and 3 284 289, the öre left over to the larger
remainder, Borgholm's: 3 284 290. By site GEM-001 goes to Borgholm and GEM-002 to Mörbylånga;
balancing gives GEM-003 to the side furthest below its share (Borgholm: 625 000 of 3 284 290)
and GEM-004 then to Mörbylånga; no move or swap brings the sides closer. So Borgholm's items
are worth 4 325 000 (1 040 710 over its share) and Mörbylånga's 2 925 000: Borgholm pays
Mörbylånga 10 407,10 kr.

Moving GEM-004 to Borgholm by hand: Borgholm 5 400 000 (2 115 710 over), Mörbylånga
1 850 000: Borgholm pays Mörbylånga 21 157,10 kr.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from inventory.models import Asset, Location, Site
from inventory.services import cost_keys, partnership

from .factories import NOW, Reference, make_asset

SPLIT_ON = dt.date(2026, 12, 31)
COMPENSATION = "Borgholms kommun betalar Mörbylånga kommun 10\u00a0407,10\u00a0kr."
COMPENSATION_AFTER_MOVE = "Borgholms kommun betalar Mörbylånga kommun 21\u00a0157,10\u00a0kr."


@dataclass
class SplitWorld:
    ref: Reference
    assets: dict[str, Asset]
    morbylanga_school: Location


def set_cost_key(session: Session, year: int = 2026) -> None:
    cost_keys.set_users(
        session, actor=None, year=year, users={"morbylanga": 2002, "borgholm": 1658}, now=NOW
    )


def make_split_world(session: Session, ref: Reference, *, key: bool = True) -> SplitWorld:
    site = Site(name="Mörbylånga skola", owner_id=ref.morbylanga.id)
    session.add(site)
    session.flush()
    room = Location(site_id=site.id, building="Hus M", room="M1")
    session.add(room)
    session.commit()
    fleet = (
        ("GEM-001", ref.school.id, 1_200_000, dt.date(2025, 1, 1)),
        ("GEM-002", room.id, 2_400_000, dt.date(2026, 1, 1)),
        ("GEM-003", ref.server_hall.id, 4_800_000, dt.date(2026, 1, 1)),
        ("GEM-004", ref.server_hall.id, 1_200_000, dt.date(2026, 7, 1)),
    )
    assets = {
        tag: make_asset(
            session,
            ref,
            tag=tag,
            owner_id=ref.joint.id,
            location_id=location,
            price_ore=price,
            purchase_date=bought,
        )
        for tag, location, price, bought in fleet
    }
    if key:
        set_cost_key(session)
    return SplitWorld(ref, assets, room)


def compute(session: Session, world: SplitWorld) -> None:
    partnership.compute(session, actor=world.ref.admin, on=SPLIT_ON, now=NOW)
