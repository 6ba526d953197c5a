"""A real browser (Debian's chromium, headless, driven by Playwright) against the app served
on a loopback port, with CSRF on as in production."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own background traffic (updates, sync, safe browsing) must not try the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "sv-SE",
}


@pytest.fixture
def live_app(make_app: Callable[..., Flask]) -> Flask:
    """The app the live server serves: tests may move its clock (extra["now"])."""
    return make_app(csrf_enabled=True)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["db_engine"].dispose()


@pytest.fixture
def chromium(live_server: str) -> Iterator[object]:
    """Debian's chromium, headless, with the app served beside it (live_server)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any, live_server: str) -> Iterator[object]:
    context = chromium.new_context(base_url=live_server, **PHONE)
    page = context.new_page()
    # Generous: CI shares two cores between the app, chromium and the test.
    page.set_default_timeout(20_000)
    yield page
    context.close()


# Screenshots the browser tests take of the main phone pages, for a reviewer to look at:
# kept as test artefacts (not committed), one file per page and size.
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    def take(page: Any, name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size or {"width": 0, "height": 0}
        path = ARTEFACTS / f"{name}-{size['width']}x{size['height']}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def new_phone(chromium: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Another phone: a browser context of its own (its own storage, service worker and
    network), on the phone viewport unless told otherwise."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = chromium.new_context(
            base_url=live_server, service_workers="allow", **{**PHONE, **options}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()
