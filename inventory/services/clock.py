"""Time, in one place, so that tests and reports can fix the reference date.

Moments are stored in UTC; dates are the calendar's where the register is kept
(INVENTORY_TIMEZONE, set by create_app): a device handed out at 00:30 in Sweden is handed
out that day, not the day before as in UTC."""

from __future__ import annotations

import datetime as dt

from ..domain.dates import local_date as _local_date
from ..domain.dates import zone_info

DEFAULT_ZONE = "Europe/Stockholm"
_zone = DEFAULT_ZONE


def configure(zone: str) -> None:
    """The register's time zone for this process (create_app calls it with the settings')."""
    global _zone
    _zone = zone


def zone() -> str:
    return _zone


def utcnow() -> dt.datetime:
    """Aware UTC: the database stores timestamps with their zone."""
    return dt.datetime.now(dt.UTC)


def local_date(moment: dt.datetime) -> dt.date:
    return _local_date(moment, _zone)


def today() -> dt.date:
    return local_date(utcnow())


def start_of_day(day: dt.date) -> dt.datetime:
    """The moment (UTC) a local day begins: for selecting the timestamps of local days."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone_info(_zone)).astimezone(dt.UTC)
