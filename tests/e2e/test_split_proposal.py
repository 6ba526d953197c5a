"""An admin on a phone opens the §20 split proposal, moves one asset to the other side with a
reason, sees the compensation change, and downloads the handover protocol."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlmodel import Session

from ..factories import Reference
from ..split_page_world import COMPENSATION, COMPENSATION_AFTER_MOVE, compute, make_split_world
from ..web.test_owner_scope import pdf_text
from .test_phone import log_in


def test_an_admin_moves_an_asset_and_downloads_the_protocol(
    phone: Any, session: Session, ref: Reference
) -> None:
    compute(session, make_split_world(session, ref))
    log_in(phone, ref.admin.email)
    phone.click(".navbar-toggler")  # the menu folds away on a phone
    phone.click("nav >> text=Administration")
    phone.click("#split-link")
    phone.wait_for_url(re.compile(r"/partnership/split$"))
    assert phone.inner_text("#compensation") == COMPENSATION
    # Nothing of the page's main content scrolls sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.check("#pick-GEM-004")
    phone.fill("#reason", "Brandväggen stannar hos värdkommunen")
    phone.click("#move >> text=Flytta till Borgholms kommun")
    phone.wait_for_selector(".alert-success")
    assert phone.inner_text("#compensation") == COMPENSATION_AFTER_MOVE
    assert "Brandväggen stannar hos värdkommunen" in phone.inner_text("#moves")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with phone.expect_download() as download:
        phone.click("#download-pdf")
    saved = Path(download.value.path())
    body = saved.read_bytes()
    assert body.startswith(b"%PDF")
    assert download.value.suggested_filename == "overlamningsprotokoll-2026-12-31.pdf"
    text = re.sub(r"\s+", " ", pdf_text(body))
    assert "Borgholms kommun betalar Mörbylånga kommun 21 157,10 kr." in text
