"""Under the Content-Security-Policy a real browser refuses nothing on our pages, and the
camera scan (static/scan.js) still reads a code and opens the asset."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from ..factories import Reference, make_asset
from .test_phone import log_in

# The page's camera and the browser's BarcodeDetector, stood in for: headless chromium has
# neither. Init scripts come from the browser itself, so the policy does not apply to them.
FAKE_CAMERA = """
window.BarcodeDetector = class {
  constructor() {}
  detect() { return Promise.resolve([{ rawValue: window.__scannedCode }]); }
};
navigator.mediaDevices.getUserMedia = function () {
  const canvas = document.createElement("canvas");
  canvas.getContext("2d").fillRect(0, 0, 10, 10);
  return Promise.resolve(canvas.captureStream());
};
"""


def refusals(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_the_pages_a_technician_uses_break_no_rule_of_the_policy(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref, location_id=ref.school.id)
    refused = refusals(phone)
    log_in(phone, ref.technician.email)
    for path in ("/", "/scan", "/assets/", f"/assets/{asset.tag}", "/stocktakes/", "/reuse"):
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
    assert refused == []


def test_the_camera_scan_opens_the_asset_under_the_policy(
    phone: Any, session: Session, ref: Reference
) -> None:
    asset = make_asset(session, ref)
    refused = refusals(phone)
    phone.add_init_script(FAKE_CAMERA + f"window.__scannedCode = '{asset.tag}';")
    log_in(phone, ref.technician.email)
    phone.goto("/scan")
    phone.click("#start-camera")
    phone.wait_for_url(re.compile(rf"/assets/{asset.tag}\?scanned=1$"))
    assert refused == []
