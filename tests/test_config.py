"""Settings from INVENTORY_* variables: a bad value stops the start with a clear message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inventory.config import Settings


def test_the_time_zone_is_stockholm_unless_set(tmp_path: Path) -> None:
    base = {"INVENTORY_INSTANCE_PATH": str(tmp_path), "INVENTORY_SECRET_KEY": "k" * 40}
    assert Settings.from_env(base).timezone == "Europe/Stockholm"
    assert Settings.from_env({**base, "INVENTORY_TIMEZONE": "UTC"}).timezone == "UTC"
    with pytest.raises(ValueError, match="INVENTORY_TIMEZONE is not a time zone name"):
        Settings.from_env({**base, "INVENTORY_TIMEZONE": "Europe/Borgholm"})


def test_the_split_date_is_the_agreements_end_unless_set(tmp_path: Path) -> None:
    base = {"INVENTORY_INSTANCE_PATH": str(tmp_path), "INVENTORY_SECRET_KEY": "k" * 40}
    assert Settings.from_env(base).split_on == dt.date(2026, 12, 31)
    assert Settings.from_env({**base, "INVENTORY_SPLIT_ON": "2027-06-30"}).split_on == dt.date(
        2027, 6, 30
    )
    with pytest.raises(ValueError, match="INVENTORY_SPLIT_ON is not a date"):
        Settings.from_env({**base, "INVENTORY_SPLIT_ON": "31/12/2026"})
