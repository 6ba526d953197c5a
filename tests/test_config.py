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


def test_the_largest_attachment_is_10_mb_unless_set(tmp_path: Path) -> None:
    base = {"INVENTORY_INSTANCE_PATH": str(tmp_path), "INVENTORY_SECRET_KEY": "k" * 40}
    settings = Settings.from_env(base)
    assert settings.attachment_max_mb == 10 and settings.attachment_max_bytes == 10_485_760
    # Room for the assessment form's two files at their largest, and its fields.
    assert settings.max_request_bytes == 2 * 10_485_760 + 1_048_576
    assert Settings.from_env({**base, "INVENTORY_ATTACHMENT_MAX_MB": "25"}).attachment_max_mb == 25
    for bad in ("0", "ten", "-5", "101", "2.5"):
        with pytest.raises(ValueError, match="INVENTORY_ATTACHMENT_MAX_MB is not a whole number"):
            Settings.from_env({**base, "INVENTORY_ATTACHMENT_MAX_MB": bad})
