"""Reference data: owners, cost keys, categories, the model catalogue, places and business units.

Everything here is found by its natural key (a slug, a name, a site and room) and only missing
rows are added, so seeding twice changes nothing and an admin's later edits are kept.

Sources: owners, org numbers and the 2025 cost key come from the cooperation agreement and
the 2025 plan (shared/DOMAIN.md). Support-end dates come from endoflife.date (MIT) and carbon
footprints from Boavizta's environmental-footprint-data (manufacturers' own PCF sheets); each
is noted next to the model it belongs to and left empty where no source was found. Standard
prices are illustrative list prices for the demo, not quotes. Site names use real Öland place
names; which schools, care homes and rooms stand there is illustrative, not a survey.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from ..models import (
    BusinessUnit,
    Category,
    CostKey,
    Location,
    Manufacturer,
    Model,
    Owner,
    ServiceObject,
    Site,
)
from ..models.org import OwnerKind

# --- owners and the cost key ---------------------------------------------------------------


@dataclass(frozen=True)
class OwnerSpec:
    slug: str
    name: str
    org_number: str | None
    kind: OwnerKind
    # Prefix of hostnames and order references for equipment on this owner's sites.
    code: str
    # The day it leaves the partnership, when it has said so.
    leaves_on: dt.date | None = None


BORGHOLM = "borgholm"
MORBYLANGA = "morbylanga"
JOINT = "joint"

OWNERS = (
    OwnerSpec(BORGHOLM, "Borgholms kommun", "212000-0795", OwnerKind.MUNICIPALITY, "bh"),
    # Mörbylånga has announced it leaves: the current agreement ends 2026-12-31.
    OwnerSpec(
        MORBYLANGA,
        "Mörbylånga kommun",
        "212000-0704",
        OwnerKind.MUNICIPALITY,
        "mb",
        leaves_on=dt.date(2026, 12, 31),
    ),
    # Agreement §9: assets inherited from the former federation (ÖKF) are owned jointly.
    OwnerSpec(JOINT, "Gemensam egendom (Ölands IT-nämnd)", None, OwnerKind.JOINT, "oit"),
)
OWNER_CODES = {o.slug: o.code for o in OWNERS}

# Users per municipality on 1 January of the year before (agreement §13, Bilaga 3; 2025 plan).
COST_KEYS: dict[int, dict[str, int]] = {2025: {MORBYLANGA: 2002, BORGHOLM: 1658}}
COST_KEY_YEAR = 2025

# --- categories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    depreciation_months: int
    target_lifespan_months: int


CATEGORIES = (
    CategorySpec("server", "Servrar", 60, 72),
    CategorySpec("storage", "Lagring", 60, 72),
    CategorySpec("firewall", "Brandväggar", 60, 72),
    CategorySpec("switch", "Switchar", 84, 96),
    CategorySpec("access-point", "Accesspunkter", 60, 84),
    # PCs are depreciated over 4 years (Sydnärke §2.1); Öland's KPI targets 5 years of use.
    CategorySpec("pc", "Datorer", 48, 60),
    CategorySpec("tablet", "Surfplattor", 36, 48),
    CategorySpec("phone", "Mobiltelefoner", 36, 48),
    CategorySpec("chromebook", "Chromebooks", 36, 60),
    CategorySpec("monitor", "Skärmar", 60, 96),
    CategorySpec("printer", "Skrivare", 60, 84),
    CategorySpec("av", "AV-utrustning", 60, 84),
    CategorySpec("other", "Övrigt", 36, 60),
)

# The committee's service objects (DOMAIN.md; written by migration 0017) each category's
# devices belong to unless told otherwise: a school's computers are pedagogical
# (demo.py), the rest of the workplaces administrative.
ADMINISTRATION = "Datorarbetsplats administration"
PEDAGOGICAL = "Datorarbetsplats pedagogisk"
CATEGORY_SERVICE_OBJECTS = {
    "server": "IT-infrastruktur",
    "storage": "IT-infrastruktur",
    "firewall": "IT-infrastruktur",
    "switch": "IT-infrastruktur",
    "access-point": "IT-infrastruktur",
    "pc": ADMINISTRATION,
    "monitor": ADMINISTRATION,
    "tablet": "Mobila enheter",
    "phone": "Mobila enheter",
    "chromebook": PEDAGOGICAL,
    "printer": "Utskrifter",
    "av": "Övriga IT-tjänster",
    "other": "Övriga IT-tjänster",
}
CATEGORY_BY_SLUG = {c.slug: c for c in CATEGORIES}

# --- the model catalogue -------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    category: str
    manufacturer: str
    name: str
    price_kr: int
    # Years in which the demo fleet buys this model (inclusive).
    sold_from: int
    sold_to: int
    weight: float = 1.0
    end_of_support: dt.date | None = None
    carbon_kg: Decimal | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.manufacturer, self.name)


def _kg(value: str) -> Decimal:
    return Decimal(value)


# end_of_support: endoflife.date products/<file>.md (snapshot a70eca33, 2026-08-22), field
#   "eol" (for Samsung: end of security updates); the file is named by each model (EOL).
# carbon_kg: Boavizta environmental-footprint-data, boavizta-data-us.csv (snapshot 61323eb5),
#   gwp_total in kg CO2e over the whole life cycle, from the manufacturer's PCF sheet; the
#   row's name is quoted where it differs from ours (PCF row).
# fmt: off
MODELS: tuple[ModelSpec, ...] = (
    # Servers: virtualisation hosts, about 150 virtual servers per hall (2025 plan).
    ModelSpec("server", "Dell", "PowerEdge R640", 110_000, 2018, 2020, carbon_kg=_kg("7730")),
    ModelSpec("server", "Dell", "PowerEdge R740", 140_000, 2018, 2020, carbon_kg=_kg("8640")),
    ModelSpec("server", "HPE", "ProLiant DL380 Gen10", 130_000, 2018, 2022,
              carbon_kg=_kg("4780")),  # PCF row "HP,ProLiant DL380 Gen10 server4"
    ModelSpec("server", "Dell", "PowerEdge R650", 150_000, 2021, 2024),
    ModelSpec("server", "Dell", "PowerEdge R750", 190_000, 2021, 2024),
    ModelSpec("server", "HPE", "ProLiant DL380 Gen11", 180_000, 2023, 2026),
    ModelSpec("server", "Dell", "PowerEdge R760", 210_000, 2024, 2026),
    # Storage: about 90 TB per hall.
    ModelSpec("storage", "NetApp", "AFF A220", 650_000, 2018, 2020),
    ModelSpec("storage", "NetApp", "AFF A250", 900_000, 2020, 2024),
    ModelSpec("storage", "Dell", "PowerStore 500T", 700_000, 2022, 2026),
    ModelSpec("storage", "Dell", "PowerStore 1200T", 1_200_000, 2022, 2026, weight=0.5),
    # Firewalls: to be replaced in 2026 (2025 plan).
    ModelSpec("firewall", "Fortinet", "FortiGate 100F", 45_000, 2019, 2026, weight=0.3),
    ModelSpec("firewall", "Fortinet", "FortiGate 200F", 95_000, 2020, 2026),
    ModelSpec("firewall", "Fortinet", "FortiGate 600F", 260_000, 2021, 2026, weight=1.5),
    # Switches.
    ModelSpec("switch", "Cisco", "Catalyst 2960-X", 28_000, 2016, 2019),
    ModelSpec("switch", "HPE Aruba", "2930F 48G PoE+", 30_000, 2017, 2021),
    ModelSpec("switch", "Cisco", "Catalyst 9200L-48P", 32_000, 2019, 2024),
    ModelSpec("switch", "Cisco", "Catalyst 9300-48P", 65_000, 2019, 2026, weight=0.4),
    ModelSpec("switch", "HPE Aruba", "CX 6100 48G PoE", 22_000, 2021, 2026),
    ModelSpec("switch", "HPE Aruba", "CX 6200F 48G PoE+", 35_000, 2021, 2026),
    # Access points.
    ModelSpec("access-point", "HPE Aruba", "AP-315", 6_500, 2016, 2020),
    ModelSpec("access-point", "HPE Aruba", "AP-515", 8_500, 2019, 2023, weight=2.0),
    ModelSpec("access-point", "HPE Aruba", "AP-535", 10_500, 2020, 2023, weight=0.5),
    ModelSpec("access-point", "HPE Aruba", "AP-635", 11_000, 2022, 2026, weight=2.0),
    ModelSpec("access-point", "Cisco", "Meraki MR36", 7_500, 2020, 2024, weight=0.5),
    ModelSpec("access-point", "Cisco", "Meraki MR46", 11_500, 2020, 2024, weight=0.3),
    # Computers: the big refresh waves are Dell, HP and Lenovo laptops and small desktops.
    ModelSpec("pc", "Dell", "Latitude 5490", 10_500, 2016, 2019, weight=2.0, carbon_kg=_kg("251")),
    ModelSpec("pc", "Dell", "Latitude 5400", 11_000, 2019, 2020, weight=2.0, carbon_kg=_kg("315")),
    ModelSpec("pc", "Dell", "Latitude 5420", 12_500, 2021, 2022, weight=2.0, carbon_kg=_kg("364")),
    ModelSpec("pc", "Dell", "Latitude 5430", 12_900, 2022, 2023, weight=2.0, carbon_kg=_kg("301")),
    ModelSpec("pc", "Dell", "Latitude 5440", 12_500, 2023, 2026, weight=2.0),
    ModelSpec("pc", "Dell", "OptiPlex 7070 Micro", 8_900, 2019, 2020,
              carbon_kg=_kg("272")),  # PCF row "OptiPlex 7070 Micro Form Factor"
    ModelSpec("pc", "Dell", "OptiPlex 7090 Micro", 9_200, 2021, 2022,
              carbon_kg=_kg("267")),  # PCF row "OptiPlex 7090 Micro Form Factor"
    ModelSpec("pc", "Dell", "OptiPlex 7000 Micro", 9_400, 2022, 2023,
              carbon_kg=_kg("246")),  # PCF row "OptiPlex 7000 Micro Form Factor"
    ModelSpec("pc", "Dell", "OptiPlex 7010 Micro", 9_500, 2023, 2026),
    ModelSpec("pc", "HP", "EliteBook 840 G5", 12_000, 2016, 2019),
    ModelSpec("pc", "HP", "EliteBook 840 G8", 12_900, 2021, 2022),
    ModelSpec("pc", "HP", "EliteBook 840 G10", 13_500, 2023, 2026),
    ModelSpec("pc", "HP", "ProBook 445 G9", 8_900, 2022, 2024,
              carbon_kg=_kg("185")),  # PCF row "ProBook 445 14 inch G9 Notebook PC"
    ModelSpec("pc", "Lenovo", "ThinkPad T490", 12_000, 2019, 2020, carbon_kg=_kg("421")),
    ModelSpec("pc", "Lenovo", "ThinkPad E14", 8_500, 2020, 2021, carbon_kg=_kg("276")),
    ModelSpec("pc", "Lenovo", "ThinkPad T14 Gen 2", 12_500, 2021, 2022),
    ModelSpec("pc", "Lenovo", "ThinkPad L14 Gen 3", 10_500, 2022, 2024),
    ModelSpec("pc", "Lenovo", "ThinkPad T14 Gen 4", 13_500, 2023, 2026),
    # Tablets.
    ModelSpec("tablet", "Apple", "iPad (6th generation)", 3_900, 2016, 2019,
              end_of_support=dt.date(2026, 5, 11)),  # EOL ipad.md, cycle "6"
    ModelSpec("tablet", "Apple", "iPad (7th generation)", 3_900, 2019, 2020,
              end_of_support=dt.date(2026, 5, 11)),  # EOL ipad.md, cycle "7"
    ModelSpec("tablet", "Apple", "iPad (8th generation)", 4_100, 2020, 2021),
    ModelSpec("tablet", "Apple", "iPad (9th generation) Wi-Fi + Cellular 64GB", 4_900, 2021, 2023,
              carbon_kg=_kg("75")),  # PCF row "iPad (9th generation) Wi-Fi + Cellular with 64GB"
    ModelSpec("tablet", "Apple", "iPad (10th generation) 64GB", 5_500, 2023, 2025,
              carbon_kg=_kg("72")),  # PCF row "iPad (10th generation) with 64GB"
    ModelSpec("tablet", "Apple", "iPad (A16)", 4_800, 2025, 2026),
    ModelSpec("tablet", "Samsung", "Galaxy Tab A 10.1 (2019)", 2_600, 2019, 2021, weight=0.5),
    ModelSpec("tablet", "Samsung", "Galaxy Tab A8", 2_900, 2022, 2023, weight=0.5,
              end_of_support=dt.date(2026, 2, 21)),  # EOL samsung-galaxy-tab.md
    ModelSpec("tablet", "Samsung", "Galaxy Tab A9+", 2_700, 2023, 2026, weight=0.5,
              end_of_support=dt.date(2027, 10, 23)),  # EOL samsung-galaxy-tab.md
    # Phones.
    ModelSpec("phone", "Apple", "iPhone 8", 5_500, 2016, 2019,
              end_of_support=dt.date(2025, 3, 31)),  # EOL iphone.md, cycle "8"
    ModelSpec("phone", "Apple", "iPhone 11", 6_500, 2019, 2020),
    ModelSpec("phone", "Apple", "iPhone SE (2nd generation)", 4_500, 2020, 2021),
    ModelSpec("phone", "Apple", "iPhone 12 64GB", 7_500, 2020, 2022, carbon_kg=_kg("70")),
    ModelSpec("phone", "Apple", "iPhone 13 128GB", 8_000, 2021, 2023,
              carbon_kg=_kg("64")),  # PCF row "iPhone 13 with 128GB"
    ModelSpec("phone", "Apple", "iPhone 14 128GB", 8_500, 2022, 2024,
              carbon_kg=_kg("61")),  # PCF row "iPhone 14 with 128GB"
    ModelSpec("phone", "Apple", "iPhone 15 128GB", 8_900, 2023, 2026),
    ModelSpec("phone", "Apple", "iPhone 16e 128GB", 6_900, 2025, 2026),
    ModelSpec("phone", "Samsung", "Galaxy XCover Pro", 4_900, 2020, 2021, weight=0.6,
              end_of_support=dt.date(2024, 1, 1)),  # EOL samsung-mobile.md
    ModelSpec("phone", "Samsung", "Galaxy XCover6 Pro", 5_200, 2022, 2024, weight=0.6,
              end_of_support=dt.date(2027, 7, 13)),  # EOL samsung-mobile.md
    ModelSpec("phone", "Samsung", "Galaxy XCover7", 3_300, 2024, 2026, weight=0.6,
              end_of_support=dt.date(2030, 1, 10)),  # EOL samsung-mobile.md
    ModelSpec("phone", "Samsung", "Galaxy A53 5G", 3_900, 2022, 2022, weight=0.6,
              end_of_support=dt.date(2027, 4, 1)),  # EOL samsung-mobile.md
    ModelSpec("phone", "Samsung", "Galaxy A54 5G", 4_000, 2023, 2024, weight=0.6,
              end_of_support=dt.date(2028, 3, 24)),  # EOL samsung-mobile.md
    ModelSpec("phone", "Samsung", "Galaxy A55 5G", 4_200, 2024, 2026, weight=0.6,
              end_of_support=dt.date(2029, 3, 11)),  # EOL samsung-mobile.md
    # Chromebooks (auto-update expiry comes from Google per device, so none is bundled).
    ModelSpec("chromebook", "Lenovo", "300e Chromebook", 3_200, 2016, 2019,
              carbon_kg=_kg("232")),  # PCF row "N24/Lenovo 300e"
    ModelSpec("chromebook", "Dell", "Chromebook 3100", 3_300, 2019, 2020, carbon_kg=_kg("266")),
    ModelSpec("chromebook", "Acer", "Chromebook Spin 511", 3_400, 2020, 2022),
    ModelSpec("chromebook", "Lenovo", "500e Chromebook Gen 3", 4_200, 2021, 2023),
    ModelSpec("chromebook", "HP", "Chromebook x360 11 G4 EE", 3_900, 2021, 2023),
    ModelSpec("chromebook", "Dell", "Chromebook 3110", 3_600, 2022, 2024),
    ModelSpec("chromebook", "Lenovo", "300e Yoga Chromebook Gen 4", 4_100, 2023, 2026),
    # Monitors.
    ModelSpec("monitor", "Dell", "P2419H", 2_100, 2016, 2020,
              carbon_kg=_kg("505")),  # PCF row "P2419H Monitor"
    ModelSpec("monitor", "HP", "E24 G4", 2_000, 2020, 2023,
              carbon_kg=_kg("565")),  # PCF row "E24 G4 FHD Monitor"
    ModelSpec("monitor", "Dell", "P2422H", 2_200, 2021, 2023,
              carbon_kg=_kg("481")),  # PCF row "P2422H Monitor"
    ModelSpec("monitor", "Dell", "P2723D", 3_400, 2022, 2026, weight=0.4,
              carbon_kg=_kg("586")),  # PCF row "P2723D Monitor"
    ModelSpec("monitor", "Dell", "P2425H", 2_300, 2024, 2026),
    # Printers. Lexmark's PCF figures include the paper printed over the device's life.
    ModelSpec("printer", "HP", "LaserJet Enterprise M507dn", 7_900, 2016, 2022),
    ModelSpec("printer", "HP", "Color LaserJet Pro MFP M479fdw", 8_500, 2019, 2023),
    ModelSpec("printer", "Lexmark", "MX331adne", 4_900, 2020, 2024, carbon_kg=_kg("8250")),
    ModelSpec("printer", "Lexmark", "MC3426adwe", 6_900, 2020, 2026, carbon_kg=_kg("6150")),
    ModelSpec("printer", "Konica Minolta", "bizhub C300i", 48_000, 2019, 2026, weight=0.5),
    # AV: projectors, interactive displays, conference equipment, TV screens (Bilaga 1, item 4).
    ModelSpec("av", "Epson", "EB-695Wi", 18_000, 2016, 2021),
    ModelSpec("av", "Samsung", "Flip 2 WM65R", 28_000, 2020, 2023),
    ModelSpec("av", "Promethean", "ActivPanel Titanium 75", 32_000, 2021, 2026),
    ModelSpec("av", "Samsung", "QM55R", 9_000, 2019, 2024),
    ModelSpec("av", "Poly", "Studio X50", 30_000, 2020, 2024, weight=0.5),
    ModelSpec("av", "Logitech", "Rally Bar", 35_000, 2021, 2026, weight=0.5),
    # Other: UPS units in the server halls and network rooms.
    ModelSpec("other", "APC", "Smart-UPS SRT 3000VA", 24_000, 2016, 2026),
    ModelSpec("other", "APC", "Smart-UPS SMT1500RMI2U", 9_500, 2016, 2026),
    ModelSpec("other", "Eaton", "9PX 6000i", 38_000, 2021, 2026, weight=0.5),
)
# fmt: on

# --- places --------------------------------------------------------------------------------

# What a room is used for decides what stands in it.
WORK, TECH, STORE, HALL = "work", "tech", "store", "hall"


@dataclass(frozen=True)
class RoomSpec:
    building: str
    room: str
    use: str = WORK

    @property
    def is_server_hall(self) -> bool:
        return self.use == HALL

    @property
    def is_it_storage(self) -> bool:
        return self.use == STORE


# Kinds of site; each maps to the business unit that works there.
OFFICE, SCHOOL, PRESCHOOL, CARE_HOME, HOME_CARE, LIBRARY = (
    "office", "school", "preschool", "care_home", "home_care", "library",
)  # fmt: skip


@dataclass(frozen=True)
class SiteSpec:
    name: str
    owner: str
    place: str
    kind: str
    # Short name in hostnames: bh-sw-slott-01.
    code: str
    # Relative number of people and devices.
    size: int
    rooms: tuple[RoomSpec, ...] = field(default=())


def _office_rooms() -> tuple[RoomSpec, ...]:
    house = "Kommunhuset"
    return (
        RoomSpec(house, "Reception"),
        RoomSpec(house, "Kontor plan 1"),
        RoomSpec(house, "Kontor plan 2"),
        RoomSpec(house, "Sammanträdesrum"),
        # The IT department has one office in each municipality (2025 plan).
        RoomSpec(house, "IT-avdelningen"),
        RoomSpec(house, "IT-lager", STORE),
        RoomSpec(house, "Teknikrum", TECH),
        RoomSpec(house, "Serverhall", HALL),
    )


def _school_rooms(classrooms: int) -> tuple[RoomSpec, ...]:
    rooms = [RoomSpec("", "Expedition"), RoomSpec("", "Personalrum"), RoomSpec("", "Skolbibliotek")]
    rooms += [RoomSpec("", f"Klassrum {n}") for n in range(1, classrooms + 1)]
    return (*rooms, RoomSpec("", "Teknikrum", TECH))


def _preschool_rooms() -> tuple[RoomSpec, ...]:
    return (
        RoomSpec("", "Avdelning Solen"),
        RoomSpec("", "Avdelning Månen"),
        RoomSpec("", "Avdelning Stjärnan"),
        RoomSpec("", "Personalrum"),
        RoomSpec("", "Teknikrum", TECH),
    )


def _care_home_rooms() -> tuple[RoomSpec, ...]:
    return (
        RoomSpec("", "Avdelning Tallen"),
        RoomSpec("", "Avdelning Eken"),
        RoomSpec("", "Avdelning Linden"),
        RoomSpec("", "Sjuksköterskeexpedition"),
        RoomSpec("", "Personalrum"),
        RoomSpec("", "Teknikrum", TECH),
    )


def _home_care_rooms() -> tuple[RoomSpec, ...]:
    return (
        RoomSpec("", "Kontor"),
        RoomSpec("", "Planeringsrum"),
        RoomSpec("", "Personalrum"),
        RoomSpec("", "Teknikrum", TECH),
    )


def _library_rooms() -> tuple[RoomSpec, ...]:
    return (
        RoomSpec("", "Utlåning"),
        RoomSpec("", "Studierum"),
        RoomSpec("", "Personalrum"),
        RoomSpec("", "Teknikrum", TECH),
    )


def _site(name: str, owner: str, place: str, kind: str, code: str, size: int) -> SiteSpec:
    rooms = {
        OFFICE: _office_rooms,
        SCHOOL: lambda: _school_rooms(4 + 2 * size),
        PRESCHOOL: _preschool_rooms,
        CARE_HOME: _care_home_rooms,
        HOME_CARE: _home_care_rooms,
        LIBRARY: _library_rooms,
    }[kind]()
    return SiteSpec(name, owner, place, kind, code, size, rooms)


# Each municipality's town hall holds its server hall (2025 plan: one hall per municipality,
# joined by a ring network) and an IT stock room.
SITES: tuple[SiteSpec, ...] = (
    _site("Borgholms kommunhus", BORGHOLM, "Borgholm", OFFICE, "khus", 5),
    _site("Slottsskolan", BORGHOLM, "Borgholm", SCHOOL, "slott", 5),
    _site("Viktoriaskolan", BORGHOLM, "Borgholm", SCHOOL, "vikt", 4),
    _site("Köpingsviks skola", BORGHOLM, "Köpingsvik", SCHOOL, "kvik", 3),
    _site("Gärdslösa skola", BORGHOLM, "Gärdslösa", SCHOOL, "glosa", 2),
    _site("Rälla skola", BORGHOLM, "Rälla", SCHOOL, "ralla", 2),
    _site("Åkerboskolan", BORGHOLM, "Löttorp", SCHOOL, "aker", 3),
    _site("Böda förskola", BORGHOLM, "Böda", PRESCHOOL, "boda", 1),
    _site("Köpingsviks förskola", BORGHOLM, "Köpingsvik", PRESCHOOL, "kvfsk", 1),
    _site("Äldreboendet i Borgholm", BORGHOLM, "Borgholm", CARE_HOME, "abbh", 3),
    _site("Äldreboendet i Löttorp", BORGHOLM, "Löttorp", CARE_HOME, "ablt", 2),
    _site("Hemtjänsten Borgholm", BORGHOLM, "Borgholm", HOME_CARE, "htbh", 2),
    _site("Borgholms bibliotek", BORGHOLM, "Borgholm", LIBRARY, "bibl", 1),
    _site("Mörbylånga kommunhus", MORBYLANGA, "Mörbylånga", OFFICE, "khus", 5),
    _site("Färjestadens skola", MORBYLANGA, "Färjestaden", SCHOOL, "fjst", 5),
    _site("Mörbylånga skola", MORBYLANGA, "Mörbylånga", SCHOOL, "mbla", 4),
    _site("Glömminge skola", MORBYLANGA, "Glömminge", SCHOOL, "glom", 2),
    _site("Algutsrums skola", MORBYLANGA, "Algutsrum", SCHOOL, "algu", 2),
    _site("Gårdby skola", MORBYLANGA, "Gårdby", SCHOOL, "gby", 2),
    _site("Degerhamns skola", MORBYLANGA, "Degerhamn", SCHOOL, "dgh", 2),
    _site("Torslunda förskola", MORBYLANGA, "Torslunda", PRESCHOOL, "tors", 1),
    _site("Färjestadens förskola", MORBYLANGA, "Färjestaden", PRESCHOOL, "fjfsk", 2),
    _site("Äldreboendet i Färjestaden", MORBYLANGA, "Färjestaden", CARE_HOME, "abfj", 3),
    _site("Äldreboendet i Mörbylånga", MORBYLANGA, "Mörbylånga", CARE_HOME, "abmb", 2),
    _site("Hemtjänsten Färjestaden", MORBYLANGA, "Färjestaden", HOME_CARE, "htfj", 2),
    _site("Färjestadens bibliotek", MORBYLANGA, "Färjestaden", LIBRARY, "bibl", 1),
)

# Where the IT department keeps each owner's stock; joint stock sits with the host, Borgholm.
STOCK_SITE = {
    BORGHOLM: "Borgholms kommunhus",
    MORBYLANGA: "Mörbylånga kommunhus",
    JOINT: "Borgholms kommunhus",
}

# --- business units ------------------------------------------------------------------------

IT_DEPARTMENT = "IT-avdelningen"
BUSINESS_UNITS: dict[str, tuple[str, ...]] = {
    BORGHOLM: (
        "Kommunledningskontoret",
        "Barn- och utbildningsförvaltningen",
        "Socialförvaltningen",
        "Samhällsbyggnadsförvaltningen",
        "Kultur och fritid",
    ),
    MORBYLANGA: (
        "Kommunledningskontoret",
        "Barn- och utbildningsförvaltningen",
        "Vård och omsorg",
        "Samhällsbyggnadsförvaltningen",
        "Kultur och fritid",
    ),
    JOINT: (IT_DEPARTMENT,),
}

# The business units that work at each kind of site; a town hall houses two.
UNITS_BY_SITE_KIND: dict[str, dict[str, tuple[str, ...]]] = {
    BORGHOLM: {
        OFFICE: ("Kommunledningskontoret", "Samhällsbyggnadsförvaltningen"),
        SCHOOL: ("Barn- och utbildningsförvaltningen",),
        PRESCHOOL: ("Barn- och utbildningsförvaltningen",),
        CARE_HOME: ("Socialförvaltningen",),
        HOME_CARE: ("Socialförvaltningen",),
        LIBRARY: ("Kultur och fritid",),
    },
    MORBYLANGA: {
        OFFICE: ("Kommunledningskontoret", "Samhällsbyggnadsförvaltningen"),
        SCHOOL: ("Barn- och utbildningsförvaltningen",),
        PRESCHOOL: ("Barn- och utbildningsförvaltningen",),
        CARE_HOME: ("Vård och omsorg",),
        HOME_CARE: ("Vård och omsorg",),
        LIBRARY: ("Kultur och fritid",),
    },
}

# --- writing it ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceIds:
    """Database ids of the reference rows, by natural key, for the demo fleet."""

    owners: dict[str, int]
    categories: dict[str, int]
    models: dict[tuple[str, str], int]
    sites: dict[str, int]
    # (site name, building, room) -> id
    locations: dict[tuple[str, str, str], int]
    # (owner slug, unit name) -> id
    units: dict[tuple[str, str], int]
    # service object name -> id
    service_objects: dict[str, int]


Row = TypeVar("Row", bound=SQLModel)


def seed_reference(session: Session) -> ReferenceIds:
    """Add whatever reference rows are missing (flushing, not committing) and return all ids."""
    owners = _ensure_owners(session)
    _ensure_cost_keys(session, owners)
    objects = {o.name: o.id for o in session.exec(select(ServiceObject))}
    categories = _ensure_categories(session, objects)  # type: ignore[arg-type]
    models = _ensure_models(session, categories)
    sites, locations = _ensure_places(session, owners)
    units = _ensure_units(session, owners)
    return ReferenceIds(owners, categories, models, sites, locations, units, objects)  # type: ignore[arg-type]


def _ensure(session: Session, existing: dict[Any, Row], wanted: Iterable[tuple[Any, Row]]) -> None:
    """Add the wanted rows whose key is not there yet, and record them in `existing`."""
    added = False
    for key, row in wanted:
        if key not in existing:
            session.add(row)
            existing[key] = row
            added = True
    if added:
        session.flush()


def _ids(rows: dict[Any, Row]) -> dict[Any, int]:
    return {key: row.id for key, row in rows.items()}  # type: ignore[attr-defined]


def _ensure_owners(session: Session) -> dict[str, int]:
    existing = {o.slug: o for o in session.exec(select(Owner))}
    _ensure(session, existing, (
        (o.slug, Owner(
            slug=o.slug, name=o.name, org_number=o.org_number, kind=o.kind.value,
            leaves_on=o.leaves_on,
        ))
        for o in OWNERS
    ))  # fmt: skip
    return _ids(existing)


def _ensure_cost_keys(session: Session, owners: dict[str, int]) -> None:
    existing = {(k.year, k.owner_id): k for k in session.exec(select(CostKey))}
    _ensure(session, existing, (
        ((year, owners[slug]), CostKey(year=year, owner_id=owners[slug], users=users))
        for year, per_owner in COST_KEYS.items()
        for slug, users in per_owner.items()
    ))  # fmt: skip


def _ensure_categories(session: Session, objects: dict[str, int]) -> dict[str, int]:
    existing = {c.slug: c for c in session.exec(select(Category))}
    _ensure(session, existing, (
        (c.slug, Category(slug=c.slug, name=c.name, depreciation_months=c.depreciation_months,
                          target_lifespan_months=c.target_lifespan_months,
                          service_object_id=objects.get(CATEGORY_SERVICE_OBJECTS[c.slug])))
        for c in CATEGORIES
    ))  # fmt: skip
    return _ids(existing)


def _ensure_models(session: Session, categories: dict[str, int]) -> dict[tuple[str, str], int]:
    makers = {m.name: m for m in session.exec(select(Manufacturer))}
    _ensure(session, makers, ((m.manufacturer, Manufacturer(name=m.manufacturer)) for m in MODELS))
    maker_ids = _ids(makers)
    names = {m_id: name for name, m_id in maker_ids.items()}
    existing = {(names[m.manufacturer_id], m.name): m for m in session.exec(select(Model))}
    _ensure(session, existing, (
        (spec.key, Model(manufacturer_id=maker_ids[spec.manufacturer],
                         category_id=categories[spec.category], name=spec.name,
                         standard_price_ore=spec.price_kr * 100,
                         end_of_support=spec.end_of_support, carbon_kg=spec.carbon_kg))
        for spec in MODELS
    ))  # fmt: skip
    return _ids(existing)


def _ensure_places(
    session: Session, owners: dict[str, int]
) -> tuple[dict[str, int], dict[tuple[str, str, str], int]]:
    sites = {s.name: s for s in session.exec(select(Site))}
    _ensure(session, sites, (
        (s.name, Site(name=s.name, address=f"{s.place}, Öland", owner_id=owners[s.owner]))
        for s in SITES
    ))  # fmt: skip
    site_ids = _ids(sites)
    site_names = {site_id: name for name, site_id in site_ids.items()}
    existing = {
        (site_names[loc.site_id], loc.building, loc.room): loc
        for loc in session.exec(select(Location))
        if loc.site_id in site_names
    }
    _ensure(session, existing, (
        ((s.name, r.building, r.room),
         Location(site_id=site_ids[s.name], building=r.building, room=r.room,
                  is_server_hall=r.is_server_hall, is_it_storage=r.is_it_storage))
        for s in SITES
        for r in s.rooms
    ))  # fmt: skip
    return site_ids, _ids(existing)


def _ensure_units(session: Session, owners: dict[str, int]) -> dict[tuple[str, str], int]:
    slugs = {owner_id: slug for slug, owner_id in owners.items()}
    existing = {
        (slugs[u.owner_id], u.name): u
        for u in session.exec(select(BusinessUnit))
        if u.owner_id in slugs
    }
    _ensure(session, existing, (
        ((slug, name), BusinessUnit(owner_id=owners[slug], name=name))
        for slug, names in BUSINESS_UNITS.items()
        for name in names
    ))  # fmt: skip
    return _ids(existing)
