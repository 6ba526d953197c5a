"""Time, in one place, so that tests and reports can fix the reference date."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Aware UTC: the database stores timestamps with their zone."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return dt.date.today()
