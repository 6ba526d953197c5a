"""Security headers on every response of every route in the URL map, and pages that keep to
the Content-Security-Policy (no inline scripts, event handlers or styles)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from inventory.config import PROJECT_ROOT
from inventory.models import Asset
from inventory.web.headers import CACHEABLE_ENDPOINTS

from ..conftest import login
from ..factories import Reference, make_asset
from .test_access import fill, routes

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Markup the policy would refuse: scripts without src, on...= handlers, style attributes and
# elements, javascript: links.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:", re.IGNORECASE
)


def assert_secure(response: TestResponse, endpoint: str | None, what: object) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CSP, what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy") == "same-origin", what
    if endpoint in CACHEABLE_ENDPOINTS:
        if response.status_code == 200:
            assert "no-store" not in headers.get("Cache-Control", ""), what
    else:
        assert headers.get("Cache-Control") == "no-store", what


def assert_no_inline_code(response: TestResponse, what: object) -> None:
    if response.mimetype == "text/html":
        found = INLINE.findall(response.get_data(as_text=True))
        assert found == [], what


@pytest.fixture
def asset(session: Session, ref: Reference) -> Asset:
    return make_asset(session, ref, holder="Anna Andersson")


def test_every_route_answers_anonymous_visitors_with_the_security_headers(
    app: Flask, client: FlaskClient, asset: Asset
) -> None:
    statuses = set()
    for endpoint, method, rule in routes(app):
        response = client.open(fill(rule, asset.tag, {"item": 1}), method=method)
        assert_secure(response, endpoint, (method, rule, response.status_code))
        assert_no_inline_code(response, (method, rule))
        statuses.add(response.status_code)
    assert {200, 302, 401} <= statuses


def test_every_page_answers_a_signed_in_admin_with_the_security_headers(
    app: Flask, client: FlaskClient, ref: Reference, asset: Asset
) -> None:
    login(client, ref.admin.email)
    statuses = set()
    checked = 0
    for endpoint, method, rule in routes(app):
        # Forms are only opened here: posting them would change the data the walk reads.
        if method != "GET":
            continue
        response = client.open(fill(rule, asset.tag, {"item": 1}), method=method)
        assert_secure(response, endpoint, (method, rule, response.status_code))
        assert_no_inline_code(response, (method, rule))
        statuses.add(response.status_code)
        checked += 1
    assert checked >= 30
    assert 200 in statuses and 302 in statuses
    assert client.get("/").status_code == 200  # still signed in: the walk saw real pages


def test_errors_carry_the_security_headers_too(
    client: FlaskClient, ref: Reference, asset: Asset
) -> None:
    anonymous = [
        client.get("/no-such-page"),
        client.get("/api/v1/no-such-thing"),
        client.get("/assets/"),
        client.put("/login"),
    ]
    login(client, ref.viewer.email)
    signed_in = [
        client.get("/assets/IT-999999"),
        client.get("/api/v1/assets/IT-999999"),
        client.get("/admin/"),
        client.post(f"/assets/{asset.tag}/edit", data={}),
    ]
    codes = [r.status_code for r in anonymous + signed_in]
    assert codes == [404, 404, 302, 405, 404, 404, 403, 403]
    for response in anonymous + signed_in:
        assert_secure(response, None, response.status_code)


def test_the_found_device_page_and_static_files_may_be_cached(
    client: FlaskClient, asset: Asset
) -> None:
    for url in (f"/a/{asset.tag}", "/static/app.css", "/bootstrap/static/css/bootstrap.min.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_and_the_api_with_holders_names_are_not_stored(
    client: FlaskClient, ref: Reference, asset: Asset
) -> None:
    login(client, ref.viewer.email)
    for url in (f"/assets/{asset.tag}", f"/api/v1/assets/{asset.tag}", "/assets/"):
        response = client.get(url)
        assert "Anna Andersson" in response.get_data(as_text=True), url
        assert response.headers["Cache-Control"] == "no-store", url


def templates_and_scripts() -> list[Path]:
    return sorted((PROJECT_ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", templates_and_scripts(), ids=lambda p: p.name)
def test_templates_hold_no_inline_scripts_handlers_or_styles(template: Path) -> None:
    assert INLINE.findall(template.read_text()) == []
