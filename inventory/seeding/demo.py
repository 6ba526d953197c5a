"""The deterministic demo fleet: Öland's devices from the 2025 plan, with a believable history.

`seed_demo` always makes sure the reference data and the demo users exist, then adds the
fleet once: when the asset table already has rows it adds nothing, so `inventory seed demo`
can run before every `inventory serve`. The same seed and count give identical rows: all
randomness comes from one `random.Random(seed)` and all dates from `DEMO_TODAY`.

Rows are written with SQLAlchemy Core executemany in chunks inside one transaction; ORM
objects per row would make 100 000 assets take minutes instead of seconds.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from .. import db, search_index
from ..domain import assets as rules
from ..domain.dates import add_months
from ..domain.lifecycle import younger_than_target
from ..domain.reuse import Decision
from ..domain.roles import Role
from ..domain.statuses import DisposalKind, Status
from ..models import Assessment, Asset, AssetEvent, AssetSpan, Owner, User
from ..services import clock, flags, passwords, spans
from ..services.assets import TRACKED_FIELDS
from ..services.reuse import ASSESSMENT_FIELDS
from . import reference as refdata
from .reference import (
    BORGHOLM,
    CATEGORY_BY_SLUG,
    HALL,
    JOINT,
    MORBYLANGA,
    STORE,
    TECH,
    WORK,
    CategorySpec,
    ModelSpec,
    ReferenceIds,
    RoomSpec,
    SiteSpec,
)

DEMO_ADMIN = "admin@demo.oland.se"
# A demo password, printed on purpose: the demo is for trying the app, not for real data.
DEMO_PASSWORD = "demo-oland-2025"
LOGIN_HINT = f"Log in as {DEMO_ADMIN} with the password {DEMO_PASSWORD}"
# The demo's helpdesk on labels and the found-device page: the committee's helpdesk hours
# (07:30–16:00), a number from the range PTS keeps for fiction (070-174 06 05 – 070-174 06 99)
# and an address of the demo's own domain, so that no real line is called.
DEMO_HELPDESK_LINE = (
    "Ölands IT-servicedesk, vardagar 07.30–16.00: 070-174 06 50, servicedesk@demo.oland.se"
)

# The demo's "today": fixed, so the fleet's ages and statuses never drift with the clock.
DEMO_TODAY = dt.date(2026, 11, 1)

# The fleet in the 2025 plan: about 500 switches, 900 access points, 2 300 phones, 1 500
# tablets, 1 900 computers and 2 000 Chromebooks; two server halls (virtualisation hosts,
# storage, firewalls, UPS); and the monitors, printers and AV the committee also buys.
DEFAULT_FLEET: dict[str, int] = {
    "switch": 500,
    "access-point": 900,
    "phone": 2300,
    "tablet": 1500,
    "pc": 1900,
    "chromebook": 2000,
    "server": 20,
    "storage": 4,
    "firewall": 4,
    "monitor": 1100,
    "printer": 140,
    "av": 160,
    "other": 24,
}

CHUNK = 5000


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    owner: str | None = None


DEMO_USERS = (
    DemoUser(DEMO_ADMIN, "Demo Administratör", Role.ADMIN),
    DemoUser("tekniker@demo.oland.se", "Demo Tekniker", Role.TECHNICIAN),
    DemoUser("lasare@demo.oland.se", "Demo Läsare", Role.VIEWER),
    DemoUser(
        "tekniker.borgholm@demo.oland.se", "Demo Tekniker Borgholm", Role.TECHNICIAN, BORGHOLM
    ),
    DemoUser(
        "tekniker.morbylanga@demo.oland.se", "Demo Tekniker Mörbylånga", Role.TECHNICIAN, MORBYLANGA
    ),
)
# Who records status changes for each owner's devices.
TECHNICIAN_FOR_OWNER = {
    BORGHOLM: "tekniker.borgholm@demo.oland.se",
    MORBYLANGA: "tekniker.morbylanga@demo.oland.se",
    JOINT: "tekniker@demo.oland.se",
}


@dataclass(frozen=True)
class SeedResult:
    summary: str
    created: bool
    assets: int = 0
    events: int = 0
    seconds: float = 0.0
    by_category: dict[str, int] = field(default_factory=dict)


def seed_demo(engine: Engine, *, assets: int | None, seed: int) -> SeedResult:
    """Reference data and demo users always; the fleet only into an empty asset table."""
    started = time.perf_counter()
    with Session(engine) as session:
        ref = refdata.seed_reference(session)
        users = seed_demo_users(session, ref.owners)
        existing = session.exec(select(func.count()).select_from(Asset)).one()
        if existing:
            session.commit()
            seconds = time.perf_counter() - started
            return SeedResult(
                summary=(f"The demo fleet is already there ({existing:,} assets in the register); "
                         f"no assets added, reference data checked in {seconds:.1f} s."),
                created=False, seconds=seconds,
            )  # fmt: skip
        _demo_capitalisation(session)
        counts = fleet_counts(assets)
        planner = FleetPlanner(random.Random(seed), ref, users)
        # Öland's own fleet: exactly the plan's counts in use, plus retired devices.
        planned = planner.plan(counts, active_exactly=assets is None)
        with _cyclic_gc_paused():
            events = _write_fleet(session.connection(), planned)
        # The stored flags as the nightly job would leave them, so that the dashboard's
        # figures agree with the asset pages from the first start.
        flags.recompute(session, today=clock.today())
        session.commit()
    # The planner's statistics for what was just written: without them PostgreSQL plans the
    # lists and searches of a fresh register as if its tables were empty (about twice as
    # slow, issue 16), until autovacuum comes round; SQLite's planner reads them too.
    db.analyze(engine, vacuum=True)
    seconds = time.perf_counter() - started
    counts = {slug: planner.created[slug] for slug in DEFAULT_FLEET if slug in planner.created}
    total = sum(counts.values())
    return SeedResult(
        summary=_summary(counts, planner.disposed, events, seconds),
        created=total > 0, assets=total, events=events, seconds=seconds, by_category=counts,
    )  # fmt: skip


def _demo_capitalisation(session: Session) -> None:
    """The demo's owners test a purchase order's devices together: one order of 40 PCs at
    12 490 kr is an investment, as DOMAIN.md's PCs depreciated over four years imply; a
    single PC, under half a prisbasbelopp, would be expensed. (Each owner's real rule is
    its own to set: Administration, Investment or expense.)"""
    for owner in session.exec(select(Owner)):
        owner.capitalise_by_order = True
        session.add(owner)
    session.flush()


def _summary(counts: dict[str, int], disposed: int, events: int, seconds: float) -> str:
    per_category = ", ".join(f"{slug} {n:,}" for slug, n in counts.items() if n)
    total = sum(counts.values())
    return (
        f"Created {total:,} demo assets ({disposed:,} disposed) and {events:,} history events "
        f"in {seconds:.1f} s.\nPer category: {per_category or 'none'}."
    )


def seed_demo_users(session: Session, owners: dict[str, int]) -> dict[str, int]:
    """Add the missing demo users (all with DEMO_PASSWORD); return every demo user's id."""
    emails = [u.email for u in DEMO_USERS]
    existing = {u.email: u for u in session.exec(select(User).where(col(User.email).in_(emails)))}
    for spec in DEMO_USERS:
        if spec.email not in existing:
            user = User(
                email=spec.email, name=spec.name, role=spec.role.value,
                password_hash=passwords.hash_password(DEMO_PASSWORD),
                owner_id=owners[spec.owner] if spec.owner else None,
            )  # fmt: skip
            session.add(user)
            existing[spec.email] = user
    session.flush()
    return {email: user.id for email, user in existing.items()}  # type: ignore[misc]


# --- how many of what -----------------------------------------------------------------------


# The default fleet is the plan's *active* fleet; retired devices (disposed, with history)
# come on top of it, this share of each category.
RETIRED_SHARE = 0.05


def fleet_counts(total: int | None) -> dict[str, int]:
    """The default fleet, or `total` assets in its proportions (largest remainder, exact sum)."""
    if total is None:
        return dict(DEFAULT_FLEET)
    return largest_remainder(DEFAULT_FLEET, total)


def largest_remainder(weights: dict[str, int], total: int) -> dict[str, int]:
    """Split `total` in proportion to `weights`; leftover units go to the largest remainders."""
    whole = sum(weights.values())
    shares = {key: total * w // whole for key, w in weights.items()}
    position = {key: i for i, key in enumerate(weights)}
    by_remainder = sorted(weights, key=lambda k: (-(total * weights[k] % whole), position[k]))
    for key in by_remainder[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


# --- when things were bought ---------------------------------------------------------------

Window = tuple[dt.date, dt.date, float]


def _span(start: str, end: str, weight: float) -> Window:
    return (dt.date.fromisoformat(start), dt.date.fromisoformat(end), weight)


def _every_year(month: int, weights: Mapping[int, float]) -> tuple[Window, ...]:
    """One window a year in `month`, e.g. Chromebooks bought each August for the school start."""
    return tuple(
        (dt.date(year, month, 1), min(add_months(dt.date(year, month, 1), 1), DEMO_TODAY), w)
        for year, w in weights.items()
    )


def _yearly(weights: Mapping[int, float]) -> tuple[Window, ...]:
    """Continuous buying, with a weight per calendar year."""
    return tuple(
        (dt.date(year, 1, 1), min(dt.date(year, 12, 31), DEMO_TODAY), w)
        for year, w in weights.items()
    )


def _trickle(weight: float, start: str = "2017-01-01") -> Window:
    """Replacements of broken and lost devices between the big waves."""
    return (dt.date.fromisoformat(start), DEMO_TODAY, weight)


# Chromebooks arrive in big batches each August for the school start; 2020 was the 1:1 rollout.
_CHROMEBOOKS_PER_AUGUST = {2018: 1, 2019: 3, 2020: 10, 2021: 10, 2022: 12, 2023: 12, 2024: 13,
                           2025: 13, 2026: 12}  # fmt: skip
# Phones are bought all year round, more each year.
_PHONES_PER_YEAR = {2017: 0.5, 2018: 1, 2019: 2, 2020: 5, 2021: 9, 2022: 13, 2023: 17, 2024: 19,
                    2025: 19, 2026: 16}  # fmt: skip
# PCs are refreshed in waves, with replacements in between.
_PC_WAVES = (
    _span("2017-02-01", "2017-06-15", 3),
    _span("2019-01-15", "2019-06-15", 10),
    _span("2021-09-01", "2022-03-31", 28),
    _span("2024-01-15", "2024-06-15", 30),
    _trickle(29, "2019-01-01"),
)
PURCHASE_WINDOWS: dict[str, tuple[Window, ...]] = {
    "chromebook": (*_every_year(8, _CHROMEBOOKS_PER_AUGUST), _trickle(3, "2018-01-01")),
    "pc": _PC_WAVES,
    "monitor": _PC_WAVES,
    "phone": _yearly(_PHONES_PER_YEAR),
    "tablet": (
        _span("2018-08-01", "2018-09-30", 4),
        _span("2020-03-15", "2020-09-30", 12),
        _span("2022-08-01", "2022-08-31", 16),
        _span("2024-08-01", "2024-08-31", 18),
        _span("2025-08-01", "2025-08-31", 22),
        _trickle(28, "2019-01-01"),
    ),
    "switch": (
        _span("2017-04-01", "2017-10-31", 30),
        _span("2020-05-01", "2020-09-30", 15),
        _span("2022-06-01", "2022-10-31", 30),
        _span("2025-05-01", "2025-09-30", 15),
        _trickle(10),
    ),
    "access-point": (
        _span("2018-06-01", "2018-09-30", 20),
        _span("2021-06-01", "2021-09-30", 30),
        _span("2024-06-01", "2024-08-31", 30),
        _trickle(12),
    ),
    "server": (_span("2019-03-01", "2019-05-31", 45), _span("2023-10-01", "2024-02-29", 55)),
    "storage": (_span("2020-04-01", "2020-06-30", 50), _span("2024-03-01", "2024-05-31", 50)),
    # The firewalls are replaced in 2026 (2025 plan): the new ones are on order.
    "firewall": (_span("2020-10-01", "2020-12-15", 50), _span("2026-10-05", "2026-10-28", 50)),
    "printer": (
        _span("2018-08-01", "2018-10-31", 25),
        _span("2022-08-01", "2022-10-31", 40),
        _trickle(20),
    ),
    "av": (_span("2021-07-01", "2021-09-30", 40), _trickle(60)),
    "other": (
        _span("2017-08-01", "2017-10-31", 40),
        _span("2022-04-01", "2022-06-30", 40),
        _trickle(20),
    ),
}

# --- who owns it and where it stands -------------------------------------------------------

HALL_GEAR = frozenset({"server", "storage", "firewall"})
# Devices a person or a group uses; these come back, get reused and are handed out again.
END_USER = frozenset({"pc", "phone", "tablet", "chromebook", "monitor"})
# Infrastructure that belongs to no business unit.
INFRASTRUCTURE = frozenset({"switch", "access-point", "other"}) | HALL_GEAR

# Share owned jointly (agreement §9: inherited from ÖKF, or serving both municipalities).
JOINT_SHARE = {"pc": 0.02, "phone": 0.02, "monitor": 0.02, "switch": 0.3, "access-point": 0.3,
               "server": 0.8, "storage": 0.8, "firewall": 1.0, "other": 0.5}  # fmt: skip
# The rest is split by the 2025 cost key: Borgholm 1 658 of 3 660 users (45.3 %).
BORGHOLM_SHARE = refdata.COST_KEYS[refdata.COST_KEY_YEAR][BORGHOLM] / sum(
    refdata.COST_KEYS[refdata.COST_KEY_YEAR].values()
)
MUNICIPALITIES = (BORGHOLM, MORBYLANGA)

# How likely each kind of site is to hold a category, before weighing by the site's size.
SITE_AFFINITY: dict[str, dict[str, float]] = {
    "chromebook": {"school": 1},
    "tablet": {"preschool": 3, "school": 2, "care_home": 2, "home_care": 1, "office": 0.5,
               "library": 0.3},
    "phone": {"office": 2, "school": 1, "preschool": 1, "care_home": 2, "home_care": 4,
              "library": 0.5},
    "pc": {"office": 4, "school": 2, "care_home": 1, "home_care": 0.5, "preschool": 0.5,
           "library": 0.5},
    "monitor": {"office": 4, "school": 1.5, "care_home": 0.5, "library": 0.5},
    "printer": {"office": 2, "school": 2, "care_home": 1, "home_care": 1, "preschool": 1,
                "library": 1},
    "av": {"school": 3, "office": 2, "library": 1},
    "switch": {"office": 3, "school": 3, "care_home": 2, "home_care": 1, "preschool": 1,
               "library": 1},
    "access-point": {"school": 4, "office": 2, "care_home": 2, "preschool": 1.5,
                     "home_care": 0.5, "library": 1},
    "other": {"office": 2, "school": 2, "care_home": 1},
}  # fmt: skip

WARRANTY_MONTHS = {"server": 60, "storage": 60, "firewall": 60, "switch": 60, "access-point": 60,
                   "phone": 24, "tablet": 24, "other": 24}  # fmt: skip
DEFAULT_WARRANTY_MONTHS = 36
# Shown in order references: BH-202408-CB.
CATEGORY_CODES = {"server": "SRV", "storage": "SAN", "firewall": "FW", "switch": "SW",
                  "access-point": "AP", "pc": "PC", "tablet": "TAB", "phone": "MOB",
                  "chromebook": "CB", "monitor": "SKM", "printer": "PRN", "av": "AV",
                  "other": "OVR"}  # fmt: skip
# Part of the hostname of managed devices: bh-sw-slott-01.
HOST_KINDS = {"switch": "sw", "access-point": "ap", "server": "esx", "storage": "san",
              "firewall": "fw", "printer": "prn", "other": "ups"}  # fmt: skip
# Devices with a network interface the register tracks.
HAS_MAC = frozenset({"switch", "access-point", "server", "storage", "firewall", "printer", "pc",
                     "other"})  # fmt: skip
MGMT_NETWORK = {BORGHOLM: 10, MORBYLANGA: 20}

# --- people and shared uses (fictional) ----------------------------------------------------

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin",
    "Sofia", "Linnea", "Elin", "Johanna", "Hanna", "Ida", "Elsa", "Maja", "Ulla", "Birgitta",
    "Lars", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Mikael", "Jan", "Hans",
    "Fredrik", "Daniel", "Magnus", "Jonas", "Oskar", "Gustav", "Nils", "Lucas", "Björn", "Olof",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
    "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist",
    "Lindgren", "Axelsson", "Berg", "Bergström", "Lundberg", "Lind", "Lundgren", "Mattsson",
    "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Holm", "Sjöberg", "Nyström", "Öberg",
)  # fmt: skip
PERSON_SHARE = {"pc": 0.85, "phone": 0.8, "tablet": 0.45}
SHARED_USES: dict[str, tuple[str, ...]] = {
    "office": ("Reception", "Växeln", "Sammanträdesrum", "Lånedator"),
    "school": ("Personalrum", "Expedition", "Elevhälsan", "Fritids"),
    "preschool": ("Personalrum",),
    "care_home": ("Sjuksköterska", "Nattpersonal", "Personalrum"),
    "home_care": ("Hemtjänst grupp Norr", "Hemtjänst grupp Syd", "Hemtjänst grupp Öst",
                  "Hemtjänst grupp Väst", "Nattpatrullen", "Larmtelefon"),
    "library": ("Publik dator", "Utlåning"),
    "it": ("Lånedator IT", "Testenhet IT", "Jourtelefon IT"),
}  # fmt: skip

# --- serial numbers ------------------------------------------------------------------------

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_DIGITS = "0123456789"
# (prefix, random characters, alphabet): shaped like each maker's labels, random in content.
SERIAL_SHAPES: dict[str, tuple[str, int, str]] = {
    "Dell": ("", 7, _ALNUM), "HP": ("5CG", 7, _ALNUM), "HPE": ("CZJ", 7, _ALNUM),
    "HPE Aruba": ("CN", 8, _ALNUM), "Lenovo": ("PF", 6, _ALNUM), "Apple": ("", 10, _ALNUM),
    "Samsung": ("R5", 9, _ALNUM), "Cisco": ("FOC", 8, _ALNUM), "NetApp": ("", 12, _DIGITS),
    "Fortinet": ("FG", 14, _DIGITS), "Acer": ("NX", 18, _ALNUM), "Lexmark": ("", 11, _ALNUM),
    "Konica Minolta": ("A", 10, _ALNUM), "Epson": ("X", 9, _ALNUM), "APC": ("AS", 10, _ALNUM),
    "Eaton": ("G", 9, _ALNUM),
}  # fmt: skip
DEFAULT_SERIAL_SHAPE = ("", 12, _ALNUM)


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body + digit` pass the Luhn check (the last digit of an IMEI)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these are odd positions once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


# --- lifecycle paths -----------------------------------------------------------------------

# The way each device has come through its life so far; every path keeps to TRANSITIONS.
ORDERED = "ordered"  # ordered
NEW_STOCK = "new_stock"  # in_stock
DEPLOYED = "deployed"  # (in_stock ->) deployed
IN_REPAIR = "in_repair"  # ... deployed -> in_repair
RETURNED = "returned"  # ... deployed -> returned
REUSE_POOL = "reuse_pool"  # ... returned -> reuse_pool
BACK_TO_STOCK = "back_to_stock"  # ... returned -> in_stock
REDEPLOYED = "redeployed"  # ... returned -> reuse_pool -> deployed, with a new holder
DISPOSED = "disposed"  # ... returned -> disposed (recycled, sold, donated)
MISSING = "missing"  # ... deployed -> disposed (lost, stolen)

DISPOSAL_COMMENTS = {
    DisposalKind.RECYCLED: "Lämnad till certifierad återvinning, data raderad",
    DisposalKind.SOLD: "Såld via återbruksförsäljning, data raderad",
    DisposalKind.DONATED: "Skänkt till ideell förening, data raderad",
    DisposalKind.LOST: "Anmäld förlorad av användaren",
    DisposalKind.STOLEN: "Polisanmäld stöld",
}
REPAIR_COMMENTS = ("Garantiärende hos leverantören", "Trasig skärm", "Batteribyte", "Startar inte")

# The reuse routine's assessments (illustrative: methods as IT departments describe them,
# a made-up recycler and certificate series).
HAS_BATTERY = frozenset({"pc", "chromebook", "tablet", "phone"})
WIPE_METHODS = {
    "pc": "Blancco Drive Eraser, NIST 800-88 Purge",
    "chromebook": "Powerwash via Google Admin",
    "tablet": "Fabriksåterställning via MDM",
    "phone": "Fabriksåterställning via MDM",
    "monitor": "Inga lagrade data",
}
WIPED_BY = {BORGHOLM: "Demo Tekniker Borgholm", MORBYLANGA: "Demo Tekniker Mörbylånga",
            JOINT: "Demo Tekniker"}  # fmt: skip
RECYCLER = "Demo Återvinning AB"
YOUNG_DISPOSAL_REASONS = (
    "Moderkortet trasigt, reparation kostar mer än en ny",
    "Vätskeskada, går inte att laga",
    "Modellen kan inte köra den version av operativsystemet som krävs",
)


# (at, action, changes, comment, actor_id), as stored in asset_event.
Event = tuple[dt.datetime, str, dict[str, list[Any]], str, int | None]


@dataclass
class PlannedAsset:
    row: dict[str, Any]
    # The first is the "create" event.
    events: list[Event]
    # Reuse assessments (asset_assessment rows without asset_id), in order.
    assessments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Slot:
    """What is decided before tags are handed out: tags follow the purchase order."""

    purchase: dt.date
    category: str
    owner: str
    # For server-hall gear: which municipality's hall.
    hall: str | None
    # "stay": stays in the fleet; "leave": retired before DEMO_TODAY; None: drawn by age.
    fate: str | None = None


class FleetPlanner:
    """Turns counts per category into asset rows and events, drawing only from `rng`."""

    def __init__(self, rng: random.Random, ref: ReferenceIds, users: dict[str, int]) -> None:
        self.rng = rng
        self.ref = ref
        self.admin_id = users[DEMO_ADMIN]
        self.technician_ids = {owner: users[email] for owner, email in TECHNICIAN_FOR_OWNER.items()}
        self.sites = {s.name: s for s in refdata.SITES}
        self.models_by_category: dict[str, list[ModelSpec]] = {}
        for spec in refdata.MODELS:
            self.models_by_category.setdefault(spec.category, []).append(spec)
        self._model_choice: dict[tuple[str, int], tuple[list[ModelSpec], list[float]]] = {}
        self._site_choice: dict[tuple[str, str], tuple[list[SiteSpec], list[float]]] = {}
        self._serials: dict[tuple[str, str], set[str]] = {}
        self._imeis: set[str] = set()
        self._host_numbers: dict[str, int] = {}
        self._ip_numbers: dict[str, int] = {}
        self.disposed = 0
        self.created: dict[str, int] = {}

    # -- the whole fleet --

    def plan(
        self, counts: dict[str, int], *, active_exactly: bool = False
    ) -> Iterator[PlannedAsset]:
        """Assets in purchase order. With active_exactly, `counts` are the devices in use
        and retired ones are added; otherwise `counts` are totals and age decides."""
        slots = self._slots(counts, active_exactly)
        for number, slot in enumerate(slots, start=1):
            self.created[slot.category] = self.created.get(slot.category, 0) + 1
            yield self._asset(number, slot)

    def _slots(self, counts: dict[str, int], active_exactly: bool) -> list[_Slot]:
        order = list(DEFAULT_FLEET)
        slots: list[tuple[dt.date, int, int, _Slot]] = []
        for category, count in counts.items():
            retired = round(count * RETIRED_SHARE) if active_exactly else 0
            for seq in range(count + retired):
                fate = None if not active_exactly else ("stay" if seq < count else "leave")
                hall = MUNICIPALITIES[seq % 2] if category in HALL_GEAR else None
                purchase = self._purchase_date(category, seq if hall else None, fate == "leave")
                owner = self._owner(category, hall)
                slots.append((purchase, order.index(category), seq,
                              _Slot(purchase, category, owner, hall, fate)))  # fmt: skip
        slots.sort(key=lambda s: s[:3])
        return [s[3] for s in slots]

    def _purchase_date(self, category: str, pair: int | None = None, old: bool = False) -> dt.date:
        """A day in a purchase window; server-hall gear is bought in pairs, one per hall.
        `old`: bought at least a depreciation period before DEMO_TODAY (for retired devices)."""
        windows = PURCHASE_WINDOWS[category]
        if old:
            limit = add_months(DEMO_TODAY, -CATEGORY_BY_SLUG[category].depreciation_months)
            windows = tuple((a, min(b, limit), w) for a, b, w in windows if a <= limit) or windows
        if pair is not None:
            start, end, _ = windows[(pair // 2) % len(windows)]
        else:
            start, end, _ = self.rng.choices(windows, weights=[w[2] for w in windows])[0]
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def _owner(self, category: str, hall: str | None) -> str:
        if self.rng.random() < JOINT_SHARE.get(category, 0.0):
            return JOINT
        if hall is not None:
            return hall
        return BORGHOLM if self.rng.random() < BORGHOLM_SHARE else MORBYLANGA

    # -- one asset --

    def _asset(self, number: int, slot: _Slot) -> PlannedAsset:
        rng, category = self.rng, CATEGORY_BY_SLUG[slot.category]
        model = self._model(slot.category, slot.purchase.year)
        site, room = self._place(slot)
        tag = f"IT-{number:06d}"
        holder = self._holder(slot, site, room)
        serial = self._serial(model)
        hostname = self._hostname(slot, site, number)
        row: dict[str, Any] = {
            "tag": tag,
            "serial": serial,
            "model_id": self.ref.models[model.key],
            "category_id": self.ref.categories[slot.category],
            "owner_id": self.ref.owners[slot.owner],
            "business_unit_id": self._unit(slot, site),
            "service_object_id": self._service_object(slot, site),
            "location_id": self._location_id(site, room),
            "holder": holder,
            "status": Status.DEPLOYED.value,
            "disposal_kind": None,
            "disposed_on": None,
            "proceeds_ore": None,
            "purchase_date": slot.purchase,
            "in_service_date": None,
            "price_ore": round(model.price_kr * rng.uniform(0.93, 1.05)) * 100,
            "depreciation_months": category.depreciation_months,
            "supplier": _supplier(slot.category, model, slot.purchase),
            "order_ref": (f"{refdata.OWNER_CODES[slot.owner].upper()}-{slot.purchase:%Y%m}-"
                          f"{CATEGORY_CODES[slot.category]}"),
            "warranty_end": add_months(
                slot.purchase, WARRANTY_MONTHS.get(slot.category, DEFAULT_WARRANTY_MONTHS)),
            "due_override": None,
            "hostname": hostname,
            "mac": self._mac() if slot.category in HAS_MAC else None,
            "ip": self._ip(site) if slot.category in HOST_KINDS else None,
            "imei": self._imei(model) if slot.category == "phone" else None,
            "notes": "",
            "returned_at": None,
            "version": 1,
        }  # fmt: skip
        events, assessments = self._history(row, slot, category, site)
        row["version"] = len(events)
        row["created_at"] = events[0][0]
        row["updated_at"] = events[-1][0]
        row["search_text"] = rules.search_text(tag, serial, row["holder"], hostname)
        if row["status"] == Status.DISPOSED.value:
            self.disposed += 1
        return PlannedAsset(row, events, assessments)

    def _model(self, category: str, year: int) -> ModelSpec:
        key = (category, year)
        if key not in self._model_choice:
            models = self.models_by_category[category]
            on_sale = [m for m in models if m.sold_from <= year <= m.sold_to]
            if not on_sale:  # the nearest generation, if the catalogue has a gap
                on_sale = [min(models, key=lambda m: min(abs(m.sold_from - year),
                                                         abs(m.sold_to - year)))]  # fmt: skip
            self._model_choice[key] = (on_sale, [m.weight for m in on_sale])
        models, weights = self._model_choice[key]
        return self.rng.choices(models, weights=weights)[0]

    def _place(self, slot: _Slot) -> tuple[SiteSpec, RoomSpec]:
        rng = self.rng
        if slot.hall is not None:
            return self._hall(slot.hall)
        if slot.owner == JOINT:
            if slot.category == "other" or (slot.category == "switch" and rng.random() < 0.4):
                # UPS units and the ring network's core switches stand in the server halls.
                return self._hall(rng.choice(MUNICIPALITIES))
            if slot.category not in ("switch", "access-point"):
                # The IT department's own devices, in its office in either town hall.
                site = self.sites[refdata.STOCK_SITE[rng.choice(MUNICIPALITIES)]]
                return site, _room_named(site, "IT-avdelningen")
        site = self._weighted_site(slot)
        use = TECH if slot.category in ("switch", "other") else WORK
        return site, rng.choice([r for r in site.rooms if r.use == use])

    def _hall(self, municipality: str) -> tuple[SiteSpec, RoomSpec]:
        site = self.sites[refdata.STOCK_SITE[municipality]]
        return site, next(r for r in site.rooms if r.use == HALL)

    def _weighted_site(self, slot: _Slot) -> SiteSpec:
        key = (slot.owner, slot.category)
        if key not in self._site_choice:
            owners = MUNICIPALITIES if slot.owner == JOINT else (slot.owner,)
            affinity = SITE_AFFINITY[slot.category]
            candidates = [s for s in refdata.SITES if s.owner in owners and s.kind in affinity]
            self._site_choice[key] = (candidates, [affinity[s.kind] * s.size for s in candidates])
        sites, weights = self._site_choice[key]
        return self.rng.choices(sites, weights=weights)[0]

    def _new_room(self, site: SiteSpec, slot: _Slot) -> RoomSpec:
        """Where a reused device goes: its owner's site, another workplace there."""
        if slot.owner == JOINT:
            return _room_named(site, "IT-avdelningen")
        return self.rng.choice([r for r in site.rooms if r.use == WORK])

    def _location_id(self, site: SiteSpec, room: RoomSpec) -> int:
        return self.ref.locations[(site.name, room.building, room.room)]

    def _stock_location_id(self, owner: str) -> int:
        site = self.sites[refdata.STOCK_SITE[owner]]
        return self._location_id(site, next(r for r in site.rooms if r.use == STORE))

    def _unit(self, slot: _Slot, site: SiteSpec) -> int | None:
        if slot.owner == JOINT:
            return self.ref.units[(JOINT, refdata.IT_DEPARTMENT)]
        if slot.category in INFRASTRUCTURE:
            return None
        names = refdata.UNITS_BY_SITE_KIND[slot.owner][site.kind]
        return self.ref.units[(slot.owner, self.rng.choice(names))]

    def _service_object(self, slot: _Slot, site: SiteSpec) -> int | None:
        """The category's, but a school's computers are pedagogical workplaces."""
        name = refdata.CATEGORY_SERVICE_OBJECTS[slot.category]
        if name == refdata.ADMINISTRATION and site.kind == "school":
            name = refdata.PEDAGOGICAL
        return self.ref.service_objects.get(name)

    def _holder(self, slot: _Slot, site: SiteSpec, room: RoomSpec) -> str | None:
        rng = self.rng
        if slot.category == "chromebook":
            # Class sets: pupils' names do not belong in the IT register.
            if rng.random() < 0.8:
                return f"Klass {rng.randint(1, 9)}{rng.choice('ABC')}"
            return f"Laddvagn {rng.randint(1, 12)}"
        if slot.category not in PERSON_SHARE:
            return None
        if rng.random() < PERSON_SHARE[slot.category]:
            return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if slot.owner == JOINT:
            return rng.choice(SHARED_USES["it"])
        if room.room.startswith("Avdelning"):
            return room.room
        if site.kind == "school" and slot.category == "tablet":
            return f"Klass {rng.randint(1, 6)}{rng.choice('AB')}"
        return rng.choice(SHARED_USES[site.kind])

    def _serial(self, model: ModelSpec) -> str:
        prefix, length, alphabet = SERIAL_SHAPES.get(model.manufacturer, DEFAULT_SERIAL_SHAPE)
        taken = self._serials.setdefault(model.key, set())
        while True:
            serial = prefix + "".join(self.rng.choices(alphabet, k=length))
            if serial not in taken:
                taken.add(serial)
                return serial

    def _imei(self, model: ModelSpec) -> str:
        # A fixed, made-up type allocation code per model, then a random unique serial part.
        tac = f"35{zlib.crc32(model.name.encode()) % 1_000_000:06d}"
        while True:
            body = f"{tac}{self.rng.randrange(1_000_000):06d}"
            if body not in self._imeis:
                self._imeis.add(body)
                return body + luhn_check_digit(body)

    def _mac(self) -> str:
        # Locally administered addresses (02:...): valid, and no real vendor's prefix.
        value = f"02{self.rng.getrandbits(40):010X}"
        return ":".join(value[i : i + 2] for i in range(0, 12, 2))

    def _hostname(self, slot: _Slot, site: SiteSpec, number: int) -> str | None:
        town = refdata.OWNER_CODES[site.owner]
        if slot.category == "pc":
            return f"{town}-pc-{number:06d}"
        kind = HOST_KINDS.get(slot.category)
        if kind is None:
            return None
        base = f"{town}-{kind}" if slot.category in HALL_GEAR else f"{town}-{kind}-{site.code}"
        self._host_numbers[base] = self._host_numbers.get(base, 0) + 1
        return f"{base}-{self._host_numbers[base]:02d}"

    def _ip(self, site: SiteSpec) -> str:
        """Management addresses: 10.10.x.y in Borgholm, 10.20.x.y in Mörbylånga."""
        n = self._ip_numbers.get(site.owner, 0)
        self._ip_numbers[site.owner] = n + 1
        third, fourth = divmod(n, 250)
        return f"10.{MGMT_NETWORK[site.owner] + third // 256}.{third % 256}.{fourth + 2}"

    # -- history --

    def _history(
        self, row: dict[str, Any], slot: _Slot, category: CategorySpec, site: SiteSpec
    ) -> tuple[list[Event], list[dict[str, Any]]]:
        """Move the row along a lifecycle path drawn for its age; return its events in order
        and its reuse assessments."""
        rng = self.rng
        path = _draw_path(rng, category, slot.purchase, slot.category in END_USER, slot.fate)
        history = _History(row, rng, creator=self.admin_id, actor=self.technician_ids[slot.owner])
        stock = self._stock_location_id(slot.owner)
        delivered = min(slot.purchase + dt.timedelta(days=rng.randint(2, 10)), DEMO_TODAY)
        if path == ORDERED:
            row["location_id"], row["holder"] = None, None
            history.create(slot.purchase, Status.ORDERED)
            return history.events, history.assessments
        if path == NEW_STOCK:
            row["location_id"], row["holder"] = stock, None
            history.create(delivered, Status.IN_STOCK)
            return history.events, history.assessments

        deployed_on = min(slot.purchase + dt.timedelta(days=rng.randint(3, 30)), DEMO_TODAY)
        if rng.random() < 0.85:
            # Registered as it was set up and handed out: the in-service date is known.
            row["in_service_date"] = deployed_on
            history.create(deployed_on, Status.DEPLOYED)
        else:
            # Registered into stock on delivery; nobody filled in the in-service date.
            history.create(delivered, Status.IN_STOCK)
            history.status(max(deployed_on, delivered), Status.DEPLOYED, "Utlämnad")

        yesterday = DEMO_TODAY - dt.timedelta(days=1)
        if path == IN_REPAIR:
            recently = max(deployed_on + dt.timedelta(days=30), DEMO_TODAY - dt.timedelta(days=60))
            history.status(_between(rng, recently, yesterday), Status.IN_REPAIR,
                           rng.choice(REPAIR_COMMENTS))  # fmt: skip
        elif path == MISSING:
            kind = DisposalKind.STOLEN if rng.random() < 0.4 else DisposalKind.LOST
            missed = _between(rng, deployed_on + dt.timedelta(days=30), yesterday)
            history.status(missed, Status.DISPOSED, DISPOSAL_COMMENTS[kind], kind)
        elif path != DEPLOYED:
            self._return(history, path, slot, category, site, deployed_on, stock)
        return history.events, history.assessments

    def _return(
        self, history: _History, path: str, slot: _Slot, category: CategorySpec, site: SiteSpec,
        deployed_on: dt.date, stock: int,
    ) -> None:  # fmt: skip
        """A return, where the device is checked, wiped and put in the IT stock room; then on."""
        rng = self.rng
        earliest = deployed_on + dt.timedelta(days=_MIN_DAYS_IN_USE[path])
        if path == DISPOSED:
            # Mostly once written off: PCs are depreciated over 4 years.
            earliest = max(earliest, add_months(slot.purchase, category.depreciation_months))
        latest = DEMO_TODAY - dt.timedelta(days=_MIN_DAYS_SINCE_RETURN[path])
        returned_on = _between(rng, min(earliest, latest), latest)
        history.status(returned_on, Status.RETURNED, "Återlämnad")
        history.edit(returned_on, "Till IT-lagret", location_id=stock, holder=None)
        checked = _between(rng, returned_on + dt.timedelta(days=3),
                           returned_on + dt.timedelta(days=25))  # fmt: skip
        if path == REUSE_POOL:
            history.assess(checked, Decision.REUSE_POOL, returned_on, slot, category)
        elif path == BACK_TO_STOCK:
            history.status(checked, Status.IN_STOCK, "Åter i lager")
        elif path == REDEPLOYED:
            history.assess(checked, Decision.REUSE_POOL, returned_on, slot, category)
            again = _between(rng, checked + dt.timedelta(days=5), checked + dt.timedelta(days=60))
            history.status(again, Status.DEPLOYED, "Återbrukad: utlämnad till ny användare")
            room = self._new_room(site, slot)
            history.edit(again, "Ny användare", location_id=self._location_id(site, room),
                         holder=self._holder(slot, site, room))  # fmt: skip
        elif path == DISPOSED:
            decision = rng.choices(_RETURNED_DISPOSALS, weights=_RETURNED_DISPOSAL_WEIGHTS)[0]
            history.assess(checked, decision, returned_on, slot, category)


# Days between handing a device out and its return, and from the return to DEMO_TODAY (room
# for the steps after it), per path that goes through a return.
_MIN_DAYS_IN_USE = {RETURNED: 60, REUSE_POOL: 180, BACK_TO_STOCK: 180, REDEPLOYED: 365,
                    DISPOSED: 30}  # fmt: skip
_MIN_DAYS_SINCE_RETURN = {RETURNED: 3, REUSE_POOL: 30, BACK_TO_STOCK: 30, REDEPLOYED: 90,
                          DISPOSED: 30}  # fmt: skip
_RETURNED_DISPOSALS = (Decision.RECYCLE, Decision.SELL, Decision.DONATE)
_RETURNED_DISPOSAL_WEIGHTS = (70, 18, 12)


class _History:
    """One asset's events, written the way the services write them, changing the row as it goes."""

    def __init__(
        self, row: dict[str, Any], rng: random.Random, *, creator: int, actor: int
    ) -> None:
        self.row = row
        self.clock = _Clock(rng)
        self.rng = rng
        self.creator = creator
        self.actor = actor
        self.events: list[Event] = []
        self.assessments: list[dict[str, Any]] = []

    def create(self, day: dt.date, initial: Status) -> None:
        self.row["status"] = initial.value
        self.events.append((self.clock.at(day), "create", _snapshot(self.row), "", self.creator))

    def status(
        self, day: dt.date, after: Status, comment: str, kind: DisposalKind | None = None
    ) -> None:
        at = self.clock.at(day)
        self.events.append((at, "status", self._move(at, after, kind), comment, self.actor))

    def _move(
        self, at: dt.datetime, after: Status, kind: DisposalKind | None
    ) -> dict[str, list[Any]]:
        """The row's status change, done as services.lifecycle.move does it: leaving the
        user is a return, from which a wipe must be newer (asset.returned_at)."""
        changes: dict[str, list[Any]] = {"status": [self.row["status"], after.value]}
        if self.row["status"] == Status.DEPLOYED.value:
            self.row["returned_at"] = at
        self.row["status"] = after.value
        if kind is not None:
            changes["disposal_kind"] = [None, kind.value]
            self.row["disposal_kind"] = kind.value
            # Recorded on the day it left; a sale at 5-15 % of the price, to the 50 kronor,
            # by the tag (not by rng, whose draws the rest of the fleet follows).
            left = clock.local_date(at)
            changes["disposed_on"] = [None, left.isoformat()]
            self.row["disposed_on"] = left
            if kind is DisposalKind.SOLD:
                share = 5 + zlib.crc32(self.row["tag"].encode()) % 11
                proceeds = self.row["price_ore"] * share // 100 // 5000 * 5000
                changes["proceeds_ore"] = [None, proceeds]
                self.row["proceeds_ore"] = proceeds
        return changes

    def assess(
        self, day: dt.date, decision: Decision, returned_on: dt.date, slot: _Slot,
        category: CategorySpec,
    ) -> None:  # fmt: skip
        """The reuse routine's assessment of a returned device: its condition, the data wipe
        (between the return and the assessment), and the decision with the move it makes;
        one history event and one asset_assessment row, as services.reuse.assess writes."""
        rng = self.rng
        at = self.clock.at(day)
        leaves = decision.target is Status.DISPOSED
        start = self.row["in_service_date"] or self.row["purchase_date"]
        young = leaves and younger_than_target(start, category.target_lifespan_months, day)
        grade = rng.choices(("A", "B", "C"), weights=(35, 50, 15) if not leaves else (5, 35, 60))[0]
        recycled = decision is Decision.RECYCLE
        certificate = f"ÅV-{day.year}-{rng.randint(1, 99999):05d}" if recycled else ""
        assessment: dict[str, Any] = {
            "assessed_at": at,
            "assessed_by": self.actor,
            "grade": grade,
            "battery_health": (rng.randint(55, 97) if slot.category in HAS_BATTERY else None),
            "wiped": True,
            "wipe_method": WIPE_METHODS[slot.category if slot.category in WIPE_METHODS else "pc"],
            "wiped_on": _between(rng, returned_on, day),
            "wiped_by": WIPED_BY[slot.owner],
            "decision": decision.value,
            "recycler": RECYCLER if recycled else "",
            "certificate": certificate,
            "reason": rng.choice(YOUNG_DISPOSAL_REASONS) if young else "",
        }
        changes = self._move(at, decision.target, decision.disposal_kind)
        changes |= {
            name: [None, value.isoformat() if isinstance(value, dt.date) else value]
            for name, value in ((n, assessment[n]) for n in ASSESSMENT_FIELDS)
            if value not in (None, "")
        }
        # Its comment is the written reason, as services.reuse.assess records it.
        self.events.append((at, "assessment", changes, assessment["reason"], self.actor))
        self.assessments.append(assessment)

    def edit(self, day: dt.date, comment: str, **after: Any) -> None:
        row = self.row
        changes = {
            k: [row[k], after[k]] for k in TRACKED_FIELDS if k in after and row[k] != after[k]
        }
        if changes:
            row.update(after)
            self.events.append((self.clock.at(day), "edit", changes, comment, self.actor))


def _draw_path(
    rng: random.Random, category: CategorySpec, purchase: dt.date, end_user: bool,
    fate: str | None = None,
) -> str:  # fmt: skip
    if fate == "leave":
        p_missing = 0.12 if category.slug == "phone" else 0.04
        return MISSING if end_user and rng.random() < p_missing else DISPOSED
    path = _draw_path_by_age(rng, category, purchase, end_user)
    if fate == "stay" and path in (MISSING, DISPOSED):
        return DEPLOYED
    return path


def _draw_path_by_age(
    rng: random.Random, category: CategorySpec, purchase: dt.date, end_user: bool
) -> str:
    age = (DEMO_TODAY - purchase).days
    if age <= 21:
        return ORDERED if rng.random() < 0.6 else NEW_STOCK
    if age <= 75:
        return NEW_STOCK if rng.random() < 0.3 else DEPLOYED
    # Devices leave mostly after their depreciation period, more the further past it they are.
    months_over = age / 30.44 - category.depreciation_months
    spread = category.target_lifespan_months - category.depreciation_months + 36
    p_gone = 0.003 + (0.2 * min(months_over / spread, 2.0) if months_over > 0 else 0.0)
    if rng.random() < p_gone:
        p_missing = 0.12 if category.slug == "phone" else 0.04
        return MISSING if end_user and rng.random() < p_missing else DISPOSED
    r = rng.random()
    if not end_user:
        return IN_REPAIR if r < 0.005 else DEPLOYED
    if r < 0.012:
        return IN_REPAIR
    if r < 0.03:
        return RETURNED
    if age > 365:
        if r < 0.05:
            return REUSE_POOL
        if r < 0.065:
            return BACK_TO_STOCK
        if r < 0.10:
            return REDEPLOYED
    return DEPLOYED


class _Clock:
    """Working-hour timestamps (UTC) that never go backwards within one asset's history."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last: dt.datetime | None = None

    def at(self, day: dt.date) -> dt.datetime:
        day = min(day, DEMO_TODAY)
        # 07:00-15:59 Swedish time is 05:00/06:00-14:59 UTC; 06-13 UTC fits both seasons.
        stamp = dt.datetime(day.year, day.month, day.day, self.rng.randint(6, 13),
                            self.rng.randint(0, 59), tzinfo=dt.UTC)  # fmt: skip
        if self.last is not None and stamp <= self.last:
            stamp = self.last + dt.timedelta(minutes=self.rng.randint(2, 20))
        self.last = stamp
        return stamp


def _between(rng: random.Random, earliest: dt.date, latest: dt.date) -> dt.date:
    """A day in [earliest, latest], or `earliest` when the range is empty."""
    if latest <= earliest:
        return earliest
    return earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))


def _snapshot(row: dict[str, Any]) -> dict[str, list[Any]]:
    """The create event's changes, shaped like services.assets: {field: [None, value]}."""
    changes: dict[str, list[Any]] = {}
    for name in TRACKED_FIELDS:
        value = row.get(name)
        if value is None or value == "":
            continue
        changes[name] = [None, value.isoformat() if isinstance(value, dt.date) else value]
    return changes


def _room_named(site: SiteSpec, name: str) -> RoomSpec:
    return next(r for r in site.rooms if r.room == name)


def _supplier(category: str, model: ModelSpec, purchase: dt.date) -> str:
    """Framework-agreement resellers, changing with each procurement (illustrative)."""
    if model.manufacturer == "Konica Minolta":
        return "Konica Minolta"
    if category in INFRASTRUCTURE or category == "av":
        return "Atea"
    if purchase.year <= 2019:
        return "Atea"
    return "Dustin" if purchase.year <= 2022 else "Advania"


# --- writing -------------------------------------------------------------------------------


def _write_fleet(conn: Connection, planned: Iterator[PlannedAsset]) -> int:
    """Insert assets and their events in chunks; return the number of events."""
    asset_table, event_table = Asset.__table__, AssetEvent.__table__  # type: ignore[attr-defined]
    assessment_table = Assessment.__table__  # type: ignore[attr-defined]
    span_table = AssetSpan.__table__  # type: ignore[attr-defined]
    events_written = 0
    # Seeding an empty table: the search index built in one go (inventory/search_index.py).
    with search_index.insert_trigger_off(conn) as deferred:
        for chunk in _chunks(planned, CHUNK):
            conn.execute(insert(asset_table), [p.row for p in chunk])
            tags = [p.row["tag"] for p in chunk]
            ids: dict[str, int] = {
                tag: asset_id
                for tag, asset_id in conn.execute(
                    select(asset_table.c.tag, asset_table.c.id).where(asset_table.c.tag.in_(tags))
                )
            }
            rows = [
                {"asset_id": ids[p.row["tag"]], "at": at, "action": action, "changes": changes,
                 "comment": comment, "actor_id": actor}
                for p in chunk
                for at, action, changes, comment, actor in p.events
            ]  # fmt: skip
            conn.execute(insert(event_table), rows)
            events_written += len(rows)
            # Cut from the same events the write point cuts them from (services/spans.py).
            conn.execute(
                insert(span_table),
                [
                    spans.values(ids[p.row["tag"]], s)
                    for p in chunk
                    for s in spans.spans_for((at, changes) for at, _, changes, _, _ in p.events)
                ],
            )
            assessments = [
                {"asset_id": ids[p.row["tag"]], **a} for p in chunk for a in p.assessments
            ]
            if assessments:
                conn.execute(insert(assessment_table), assessments)
        if deferred:
            search_index.rebuild(conn)
    return events_written


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the fleet is written.

    Seeding allocates millions of small dicts and lists that form no cycles; the collector kept
    re-scanning the growing heap and took 7 of 20 seconds for 100 000 assets.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(items: Iterator[PlannedAsset], size: int) -> Iterator[Sequence[PlannedAsset]]:
    chunk: list[PlannedAsset] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
