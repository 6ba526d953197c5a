"""Reading scanned codes: our label URLs and bare tags, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.errors import ValidationFailed
from inventory.domain.scan import (
    DEVICE_CLOCK_AHEAD,
    parse_client_id,
    parse_device_time,
    scan_time,
    tag_from_scan,
)

BASE = "https://inventarie.oland.se"


@pytest.mark.parametrize(
    ("code", "tag"),
    [
        ("https://inventarie.oland.se/a/IT-000042", "IT-000042"),
        ("HTTPS://INVENTARIE.OLAND.SE/a/it-000042", "IT-000042"),
        ("  it-000042\r\n", "IT-000042"),
        ("IT-000042", "IT-000042"),
    ],
)
def test_label_urls_and_bare_tags_give_the_tag(code: str, tag: str) -> None:
    assert tag_from_scan(code, base_url=BASE) == tag


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "x" * 301,
        "https://evil.example/a/IT-000042",
        "http://inventarie.oland.se/a/IT-000042",
        "https://inventarie.oland.se/assets/IT-000042",
        "https://inventarie.oland.se/a/",
        "https://inventarie.oland.se/a/IT 42",
        "WIFI:S:skolan;T:WPA;P:hemligt;;",
        "ÖIT-1",
        "http://[::1/a/IT-000042",
    ],
)
def test_anything_else_is_refused_with_a_clear_message(code: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        tag_from_scan(code, base_url=BASE)
    assert "code" in err.value.errors


@given(st.text(max_size=400))
def test_no_input_crashes_the_reader(code: str) -> None:
    try:
        tag = tag_from_scan(code, base_url=BASE)
    except ValidationFailed:
        return
    assert tag == tag.strip().upper() and 3 <= len(tag) <= 32


def test_the_next_tag_of_a_series() -> None:
    from inventory.domain.assets import next_in_series

    assert next_in_series("IT-010234") == ("IT-", 6, 10235)
    assert next_in_series("SRV-12-0009") == ("SRV-12-", 4, 10)
    assert next_in_series("IT-999") == ("IT-", 3, 1000)
    assert next_in_series("ABC") is None and next_in_series(None) is None
    assert next_in_series("X" * 30 + "99") is None  # the next one would not fit 32 characters


# --- A scan that waited offline on a phone: its time and its id.

STARTED = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
ARRIVED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def test_a_phones_time_of_the_scan_is_kept_though_it_arrives_an_hour_later() -> None:
    made = dt.datetime(2026, 11, 23, 8, 25, 17, tzinfo=dt.UTC)
    assert scan_time(made, started_at=STARTED, received_at=ARRIVED) == made


def test_a_clock_a_little_ahead_is_believed_and_one_far_ahead_is_not() -> None:
    ahead = ARRIVED + dt.timedelta(minutes=4, seconds=59)
    assert scan_time(ahead, started_at=STARTED, received_at=ARRIVED) == ahead
    too_far = ARRIVED + dt.timedelta(minutes=5, seconds=1)
    assert scan_time(too_far, started_at=STARTED, received_at=ARRIVED) == ARRIVED
    next_year = dt.datetime(2027, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert scan_time(next_year, started_at=STARTED, received_at=ARRIVED) == ARRIVED


def test_a_time_before_the_stocktake_started_becomes_its_start() -> None:
    behind = STARTED - dt.timedelta(seconds=1)
    assert scan_time(behind, started_at=STARTED, received_at=ARRIVED) == STARTED
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # a phone whose clock was reset
    assert scan_time(epoch, started_at=STARTED, received_at=ARRIVED) == STARTED


def test_a_scan_without_a_time_was_made_when_it_arrived() -> None:
    assert scan_time(None, started_at=STARTED, received_at=ARRIVED) == ARRIVED


@given(st.datetimes(timezones=st.just(dt.UTC)), st.integers(min_value=0, max_value=10**7))
def test_a_scans_time_lies_between_the_start_and_a_little_after_its_arrival(
    device: dt.datetime, open_seconds: int
) -> None:
    arrived = STARTED + dt.timedelta(seconds=open_seconds)
    moment = scan_time(device, started_at=STARTED, received_at=arrived)
    assert STARTED <= moment <= arrived + DEVICE_CLOCK_AHEAD
    assert moment == device or moment in (STARTED, arrived)


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("2026-11-23T08:25:17.123Z", dt.datetime(2026, 11, 23, 8, 25, 17, 123000, tzinfo=dt.UTC)),
        ("2026-11-23T09:25:17+01:00", dt.datetime(2026, 11, 23, 8, 25, 17, tzinfo=dt.UTC)),
        (None, None),
        ("", None),
    ],
)
def test_a_phones_time_is_read_in_utc(sent: str | None, meant: dt.datetime | None) -> None:
    assert parse_device_time(sent) == meant


@pytest.mark.parametrize(
    "sent", ["2026-11-23T08:25:17", "igår", "2026-13-01T00:00:00Z", 1732350317, "9" * 41]
)
def test_a_time_without_its_zone_or_not_a_time_is_refused(sent: object) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_device_time(sent)
    assert "scanned_at" in err.value.errors


def test_a_scans_id_is_kept_in_one_spelling_and_anything_else_is_refused() -> None:
    assert (
        parse_client_id("0B9A3C1E-5F2D-4C6B-9A8E-7D6C5B4A3F21")
        == "0b9a3c1e-5f2d-4c6b-9a8e-7d6c5b4a3f21"
    )
    for sent in (None, "", "1", "0b9a3c1e5f2d4c6b9a8e7d6c5b4a3f21", "x" * 36, 42):
        with pytest.raises(ValidationFailed) as err:
            parse_client_id(sent)
        assert "client_id" in err.value.errors
