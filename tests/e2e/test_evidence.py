"""On a phone: assess a returned device with the wipe tool's report attached, and find the
report on the asset page, ready to download."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, select

from inventory.models import Attachment

from ..evidence import pdf
from ..factories import Reference, make_asset
from .test_phone import log_in


def test_a_wipe_report_attached_on_the_assessment_is_listed_on_the_asset_page(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    log_in(phone, ref.technician.email)
    phone.goto(f"/assets/{asset.tag}")
    phone.click("#assess")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}/assess$"))
    phone.select_option("#grade", "B")
    phone.check("#wiped")
    phone.fill("input[name=wipe_method]", "Blancco Drive Eraser")
    phone.fill("input[name=wiped_on]", "2026-11-23")
    phone.fill("input[name=wiped_by]", "Tekniker Tina")
    phone.set_input_files(
        "#wipe_report",
        files=[{"name": "Raderingsrapport.pdf", "mimeType": "application/pdf", "buffer": pdf()}],
    )
    phone.select_option("#decision", "reuse_pool")
    phone.click("#assess-form button[type=submit]")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}$"))

    listed = phone.locator("#file-list li")
    assert listed.count() == 1
    assert "Raderingsrapport:" in listed.inner_text()
    link = listed.locator("a")
    assert link.inner_text() == "Raderingsrapport.pdf"
    [kept] = session.exec(select(Attachment)).all()
    assert link.get_attribute("href") == f"/assets/{asset.tag}/files/{kept.id}"
    assert "Raderingsrapport bifogad: Raderingsrapport.pdf" in phone.inner_text("#history")
    with phone.expect_download() as download:
        link.click()
    saved = download.value
    assert saved.suggested_filename == "Raderingsrapport.pdf"
    with open(saved.path(), "rb") as f:
        assert f.read() == pdf()


def test_a_file_over_the_limit_is_stopped_in_the_browser_and_the_form_kept(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    log_in(phone, ref.technician.email)
    phone.goto(f"/assets/{asset.tag}/assess")
    phone.fill("input[name=wipe_method]", "Blancco Drive Eraser")
    large = pdf() + b"\n" * (10 * 1024 * 1024)
    phone.set_input_files(
        "#wipe_report", files=[{"name": "stor.pdf", "mimeType": "application/pdf", "buffer": large}]
    )
    message = phone.eval_on_selector("#wipe_report", "input => input.validationMessage")
    assert message == "Filen är större än 10 MB: välj en mindre."
    phone.select_option("#grade", "B")
    phone.select_option("#decision", "spare")
    posted: list[str] = []
    phone.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    phone.click("#assess-form button[type=submit]")
    phone.wait_for_timeout(500)
    # Not sent at all: still the form, with what was typed, and nothing saved.
    assert posted == []
    assert phone.url.endswith(f"/assets/{asset.tag}/assess")
    assert phone.input_value("input[name=wipe_method]") == "Blancco Drive Eraser"
    assert session.exec(select(Attachment)).all() == []
    # A file within the limit clears the refusal.
    phone.set_input_files(
        "#wipe_report", files=[{"name": "r.pdf", "mimeType": "application/pdf", "buffer": pdf()}]
    )
    assert phone.eval_on_selector("#wipe_report", "input => input.validity.valid")
