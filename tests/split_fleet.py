"""A small joint fleet whose §20 split is worked out by hand (tests/services/test_partnership.py
and tests/api/test_partnership_split_api.py check the register against the same figures).

The split date is 2026-12-31 and the 2026 cost key Mörbylånga 2002, Borgholm 1658 users
(3 660 in all). Book values on 2026-12-31, straight line by whole months from the purchase
(domain.depreciation.book_value: price - price * months // period):

| tag  | where                        | cat.  | price öre  | bought     | period | months | book value |
|------|------------------------------|-------|------------|------------|--------|--------|------------|
| J-01 | Slottsskolan (Borgholm)      | pc    |  1 200 000 | 2025-01-01 | 48     | 23     |    625 000 |
| J-02 | Borgholms kommunhus (B)      | pc    |    800 000 | 2022-01-01 | 48     | 59>48  |          0 |
| J-03 | Mörbylånga skola (M)         | pc    |  2 400 000 | 2026-01-01 | 48     | 11     |  1 850 000 |
| J-04 | Ekbacka vårdboende (M)       | phone |    900 000 | 2025-07-01 | 36     | 17     |    475 000 |
| J-05 | server hall (joint)          | pc    | 30 000 000 | 2024-01-01 | 60     | 35     | 12 500 000 |
| J-06 | server hall                  | pc    | 12 000 000 | 2025-01-01 | 60     | 23     |  7 400 000 |
| J-07 | server hall                  | pc    |  4 800 000 | 2026-01-01 | 48     | 11     |  3 700 000 |
| J-08 | stock, no site               | pc    |  1 200 000 | 2026-07-01 | 48     | 5      |  1 075 000 |
| J-09 | stock, no site               | phone |    900 000 | 2026-10-01 | 36     | 2      |    850 000 |
| J-10 | server hall                  | pc    |  6 000 000 | 2020-01-01 | 48     | >48    |          0 |
| J-11 | stock, no site               | pc    |  1 000 000 | 2021-03-01 | 48     | >48    |          0 |
| J-12 | stock, no site               | phone |    500 000 | 2022-01-01 | 36     | >36    |          0 |
| J-13 | server hall                  | pc    |    700 000 | 2019-05-01 | 48     | >48    |          0 |

Not in the split: J-14 (joint, disposed on 2026-11-23, before the split date) and the
municipalities' own assets B-01 (Borgholm's, in the server hall) and M-01 (Mörbylånga's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from inventory.domain.statuses import DisposalKind, Status
from inventory.models import Asset, Location, Site
from inventory.services import assets as asset_service
from inventory.services import cost_keys

from .factories import NOW, Reference, make_asset

SPLIT_ON = dt.date(2026, 12, 31)

# (tag, where, phone?, price öre, bought, period months)
FLEET = (
    ("J-01", "b_school", False, 1_200_000, dt.date(2025, 1, 1), 48),
    ("J-02", "b_town_hall", False, 800_000, dt.date(2022, 1, 1), 48),
    ("J-03", "m_school", False, 2_400_000, dt.date(2026, 1, 1), 48),
    ("J-04", "m_care_home", True, 900_000, dt.date(2025, 7, 1), 36),
    ("J-05", "hall", False, 30_000_000, dt.date(2024, 1, 1), 60),
    ("J-06", "hall", False, 12_000_000, dt.date(2025, 1, 1), 60),
    ("J-07", "hall", False, 4_800_000, dt.date(2026, 1, 1), 48),
    ("J-08", None, False, 1_200_000, dt.date(2026, 7, 1), 48),
    ("J-09", None, True, 900_000, dt.date(2026, 10, 1), 36),
    ("J-10", "hall", False, 6_000_000, dt.date(2020, 1, 1), 48),
    ("J-11", None, False, 1_000_000, dt.date(2021, 3, 1), 48),
    ("J-12", None, True, 500_000, dt.date(2022, 1, 1), 36),
    ("J-13", "hall", False, 700_000, dt.date(2019, 5, 1), 48),
)


@dataclass
class Fleet:
    ref: Reference
    assets: dict[str, Asset]
    locations: dict[str, Location]


def _place(session: Session, name: str, owner_id: int | None) -> Location:
    site = Site(name=name, owner_id=owner_id)
    session.add(site)
    session.flush()
    room = Location(site_id=site.id, building="Hus 1", room="101")
    session.add(room)
    session.commit()
    return room


def set_key(session: Session, ref: Reference, year: int = 2026) -> None:
    cost_keys.set_users(
        session, actor=ref.admin, year=year, users={"morbylanga": 2002, "borgholm": 1658}, now=NOW
    )


def make_fleet(session: Session, ref: Reference) -> Fleet:
    set_key(session, ref)
    locations = {
        "b_school": ref.school,
        "b_town_hall": _place(session, "Borgholms kommunhus", ref.borgholm.id),
        "m_school": _place(session, "Mörbylånga skola", ref.morbylanga.id),
        "m_care_home": _place(session, "Ekbacka vårdboende", ref.morbylanga.id),
        "hall": ref.server_hall,
    }
    assets = {}
    for tag, where, phone, price, bought, months in FLEET:
        assets[tag] = make_asset(
            session,
            ref,
            tag=tag,
            owner_id=ref.joint.id,
            model_id=(ref.iphone if phone else ref.latitude).id,
            location_id=locations[where].id if where else None,
            price_ore=price,
            purchase_date=bought,
            depreciation_months=months,
        )
    gone = make_asset(session, ref, tag="J-14", owner_id=ref.joint.id, location_id=None)
    asset_service.change_status(
        session, actor=ref.admin, asset=gone, target=Status.DISPOSED,
        disposal_kind=DisposalKind.LOST, comment="Borttappad vid flytten", now=NOW,
    )  # fmt: skip
    assets["J-14"] = gone
    assets["B-01"] = make_asset(session, ref, tag="B-01", location_id=ref.server_hall.id)
    assets["M-01"] = make_asset(
        session, ref, tag="M-01", owner_id=ref.morbylanga.id, location_id=None
    )
    return Fleet(ref, assets, locations)


# Worked out by hand (see the table above).
#
# Rule 1, by site: Borgholm J-01 625 000 + J-02 0 = 625 000; Mörbylånga J-03 1 850 000 +
# J-04 475 000 = 2 325 000.
# The joint total: 625 000 + 2 325 000 + J-05..J-09 (12 500 000 + 7 400 000 + 3 700 000 +
# 1 075 000 + 850 000 = 25 525 000) = 28 475 000 öre.
# Exact shares: Borgholm 28 475 000 * 1658 / 3660 = 12 899 330.601..., Mörbylånga
# 28 475 000 * 2002 / 3660 = 15 575 669.398...; rounded down 12 899 330 + 15 575 669 =
# 28 474 999, the öre left goes to the larger remainder (Borgholm's .601):
# Borgholm 12 899 331, Mörbylånga 15 575 669.
#
# Rule 2, largest first to the side furthest below its share (what it still lacks):
#   J-05 12 500 000: B lacks 12 274 330.6, M 13 250 669.4 -> M (M lacks 750 669.4)
#   J-06  7 400 000: B lacks 12 274 330.6 -> B (B lacks 4 874 330.6)
#   J-07  3 700 000: B 4 874 330.6 > M 750 669.4 -> B (B lacks 1 174 330.6)
#   J-08  1 075 000: B 1 174 330.6 > M 750 669.4 -> B (B lacks 99 330.6)
#   J-09    850 000: M 750 669.4 > B 99 330.6 -> M (M exceeds by 99 330.6)
# No single move (an item under 2 * 99 330.6 from M: M has 12 500 000 and 850 000) and no
# swap (M's item minus B's between 0 and 198 661) brings them closer.
# Rule 3, by count per category in the key's proportion (largest remainder):
#   pc without value J-10, J-11, J-13: quotas B 3 * 1658/3660 = 1.359, M 1.641 -> B 1, M 1,
#   the third to the larger remainder M: B 1, M 2; in tag order Borgholm's first:
#   J-10 -> B, J-11 and J-13 -> M.
#   phone without value J-12: quotas B 0.453, M 0.547 -> M.
#
# Totals: Borgholm J-01, J-02, J-06, J-07, J-08, J-10: 6 items, 625 000 + 7 400 000 +
# 3 700 000 + 1 075 000 = 12 800 000; Mörbylånga J-03, J-04, J-05, J-09, J-11, J-12, J-13:
# 7 items, 1 850 000 + 475 000 + 12 500 000 + 850 000 = 15 675 000.
# Compensation: Borgholm lacks 12 899 331 - 12 800 000 = 99 331; Mörbylånga exceeds by
# 15 675 000 - 15 575 669 = 99 331: Mörbylånga pays Borgholm 993,31 kr.
EXPECTED_TO = {
    "J-01": ("borgholm", "site"),
    "J-02": ("borgholm", "site"),
    "J-03": ("morbylanga", "site"),
    "J-04": ("morbylanga", "site"),
    "J-05": ("morbylanga", "balance"),
    "J-06": ("borgholm", "balance"),
    "J-07": ("borgholm", "balance"),
    "J-08": ("borgholm", "balance"),
    "J-09": ("morbylanga", "balance"),
    "J-10": ("borgholm", "balance"),
    "J-11": ("morbylanga", "balance"),
    "J-12": ("morbylanga", "balance"),
    "J-13": ("morbylanga", "balance"),
}
BOOK_VALUES = {
    "J-01": 625_000,
    "J-02": 0,
    "J-03": 1_850_000,
    "J-04": 475_000,
    "J-05": 12_500_000,
    "J-06": 7_400_000,
    "J-07": 3_700_000,
    "J-08": 1_075_000,
    "J-09": 850_000,
    "J-10": 0,
    "J-11": 0,
    "J-12": 0,
    "J-13": 0,
}
JOINT_TOTAL = 28_475_000
SHARES = {"borgholm": 12_899_331, "morbylanga": 15_575_669}
TOTALS = {"borgholm": (6, 12_800_000), "morbylanga": (7, 15_675_000)}
COMPENSATION = ("morbylanga", "borgholm", 99_331)
