"""Reading scanned codes: our label URLs and bare tags, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory.domain.errors import ValidationFailed
from inventory.domain.scan import tag_from_scan

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
