"""What a technician does with a phone: log in, scan a tag with a wedge scanner, act on the
asset, and run a short stocktake to its result."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from ..factories import PASSWORD, Reference, make_asset


def log_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_scan_a_tag_and_hand_the_device_out(phone: Any, session: Session, ref: Reference) -> None:
    asset = make_asset(session, ref, holder=None)
    log_in(phone, ref.technician.email)
    phone.goto("/scan")
    # A keyboard-wedge scanner types the code and presses Enter.
    phone.locator("#code").press_sequentially(asset.tag.lower())
    phone.locator("#code").press("Enter")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}\?scanned=1$"))
    assert "I lager" in phone.inner_text("#status")

    phone.click("#actions >> text=Lämna ut")
    phone.fill("#holder", "Karin Karlsson")
    phone.click("#confirm")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}\?scanned=1$"))
    assert "Utlämnad" in phone.inner_text("#status")
    assert "Karin Karlsson" in phone.inner_text("#summary")
    assert "Lämna ut" in phone.inner_text("#history")
    # Touch targets stay large on a phone.
    box = phone.locator("#actions a").first.bounding_box()
    assert box is not None and box["height"] >= 44


def test_a_short_stocktake_to_its_result(
    new_phone: Callable[..., Any], session: Session, ref: Reference
) -> None:
    """Without a script the scan form posts and the page answers, as it always did; with
    one (tests/e2e/test_offline_stocktake.py) the same stocktake keeps its scans on the
    phone first."""
    phone = new_phone(java_script_enabled=False)
    here = [make_asset(session, ref, location_id=ref.school.id) for _ in range(3)]
    stray = make_asset(session, ref, location_id=ref.server_hall.id)
    log_in(phone, ref.technician.email)
    phone.goto("/stocktakes/")
    # Without script the room menu is the plain one.
    phone.select_option("select[name=location_id]", str(ref.school.id))
    phone.click("form:has(select[name=location_id]) button")
    phone.wait_for_url(re.compile(r"/stocktakes/\d+$"))
    said = []
    for code in (here[0].tag, here[1].tag, here[1].tag, f"http://127.0.0.1:8000/a/{stray.tag}"):
        phone.locator("#code").fill(code)
        phone.locator("#code").press("Enter")
        phone.wait_for_load_state()
        said.append(phone.inner_text(".alert"))
    assert "hittad" in said[0] and "räknas en gång" in said[2] and "felplacerad" in said[3]
    assert "3 skannade" in phone.inner_text("#progress")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("#close-stocktake")
    phone.wait_for_selector("#summary")
    counts = {
        outcome: phone.inner_text(f'[data-outcome="{outcome}"]')
        for outcome in ("found", "missing", "misplaced", "unknown")
    }
    assert counts == {"found": "2", "missing": "1", "misplaced": "1", "unknown": "0"}
