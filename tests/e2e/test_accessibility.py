"""WCAG 2.1 A and AA on the main pages, at phone and desktop size: axe-core (from the npm
registry, installed by the test and put into the page by the test, never served by the app)
in Debian's chromium. Public-sector digital services must meet WCAG 2.1 AA (lag 2018:1937,
EN 301 549)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from inventory.domain.statuses import Status
from inventory.services import assets as asset_service
from inventory.services import stocktakes

from ..factories import NOW, PASSWORD, Reference, make_asset, record_wipe
from .conftest import ARTEFACTS, PHONE

AXE_VERSION = "4.14.1"
AXE_DIR = ARTEFACTS.parent / "node"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "sv-SE"}


def axe_source() -> str:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core for the accessibility test")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
             f"axe-core@{AXE_VERSION}"],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return script.read_text(encoding="utf-8")


@pytest.fixture
def browser(chromium: Any, live_server: str) -> tuple[Any, str]:
    return chromium, live_server


def violations(page: Any, source: str) -> list[str]:
    # The app's Content-Security-Policy refuses inline scripts: the context bypasses it for
    # axe only (the app itself is tested with it in test_content_security_policy.py).
    page.add_script_tag(content=source)
    found = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})"
        ".then(r => r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))]))",
        RULES,
    )
    return [f"{rule}: {why} at {', '.join(nodes[:5])}" for rule, why, nodes in found]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_main_pages_have_no_wcag_21_aa_violations(
    browser: tuple[Any, str], session: Session, ref: Reference, size: str
) -> None:
    chromium, base = browser
    asset = make_asset(session, ref, holder="Karin Karlsson")
    returned = make_asset(session, ref)
    returned = asset_service.change_status(
        session, actor=ref.admin, asset=returned, target=Status.DEPLOYED, now=NOW
    )
    asset_service.change_status(
        session, actor=ref.admin, asset=returned, target=Status.RETURNED, now=NOW
    )
    pooled = make_asset(session, ref)
    record_wipe(session, ref, pooled)
    asset_service.change_status(
        session, actor=ref.admin, asset=pooled, target=Status.REUSE_POOL, now=NOW
    )
    stocktake = stocktakes.start(session, actor=ref.technician, now=NOW, location_id=ref.school.id)
    source = axe_source()
    options = PHONE if size == "phone" else DESKTOP
    context = chromium.new_context(base_url=base, bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found: dict[str, list[str]] = {}
    page.goto("/login")
    found["/login"] = violations(page, source)
    page.fill("#email", ref.technician.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{base}/")
    for path in (
        "/",
        "/dashboard",
        "/scan",
        "/scan?code=IT-404404",
        "/assets/",
        f"/assets/{asset.tag}",
        f"/assets/{asset.tag}/do/hand_out",
        f"/assets/{returned.tag}/do/take_back",
        f"/assets/{returned.tag}/assess",
        "/assets/new",
        "/stocktakes/",
        f"/stocktakes/{stocktake.id}",
        "/reuse",
        # Procurement's plan with a what-if (chart, tables) and the devices behind a count.
        "/reports/refresh-plan?lifespan.pc=72",
        "/reports/refresh-plan/devices?owner=borgholm&category=pc&year=2029&quarter=3",
        # The reports' index and the committee's report (KPI cards, two charts, tables).
        "/reports/",
        "/reports/sustainability?year=2025",
        # The controllers' book value (three tables, a chart) and stock value.
        "/reports/book-value",
        "/reports/stock-value",
    ):
        page.goto(path)
        found[path] = violations(page, source)
    context.close()
    failing = {path: v for path, v in found.items() if v}
    assert failing == {}, "\n".join(f"{p}: {line}" for p, v in failing.items() for line in v)


def test_the_axe_check_finds_what_it_should(browser: tuple[Any, str], tmp_path: Path) -> None:
    """The check can fail: a page with an unnamed field and grey-on-grey text is caught."""
    chromium, _ = browser
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(
        '<html lang="sv"><title>t</title><main><input id="x">'
        '<p style="color:#aaa;background:#bbb">svag text</p><div role="progressbar"></div></main></html>'
    )
    rules = {line.split(":")[0] for line in violations(page, axe_source())}
    context.close()
    assert {"label", "color-contrast", "aria-progressbar-name"} <= rules
