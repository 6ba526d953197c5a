"""Login, role and owner scope on every route, found from the app's URL map."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from inventory.domain.roles import Role
from inventory.models import Asset
from inventory.web.access import required_role

from ..conftest import login
from ..factories import Reference, make_asset

# Routes anyone may open: the login page, the language switch and static files.
PUBLIC = {
    "auth.login",
    "auth.logout",
    "main.set_language",
    "labels.scanned",
    # The stocktakes' service worker: a script of ours, no one's data.
    "stocktakes.service_worker",
    # For a load balancer: whether the process is up and ready, no one's data (test_health).
    "health.healthz",
    "health.readyz",
    "static",
    "bootstrap.static",
}


def routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route the app answers."""
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.rule


def fill(rule: str, tag: str, ids: dict[str, int]) -> str:
    url = (
        rule.replace("<tag>", tag)
        .replace("<code>", "en")
        .replace("<action>", "seen")
        .replace("<filename>", "css/bootstrap.min.css")
        .replace("<path:filename>", "app.css")
    )
    return re.sub(r"<int[^>]*>", str(ids.get("item", 1)), url)


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    with app.test_request_context():
        undeclared = [e for e, _, _ in routes(app) if required_role(e) is False]
        public = {e for e, _, _ in routes(app) if required_role(e) is None}
    assert undeclared == []
    assert public == PUBLIC


@pytest.fixture
def foreign_asset(session: Session, ref: Reference) -> Asset:
    """A Mörbylånga asset, with a holder and serial that must not leak to Borgholm's users."""
    return make_asset(
        session, ref, owner_id=ref.morbylanga.id, holder="Maja Mörby", serial="MB-SECRET-1"
    )


@pytest.fixture
def asset_tag(foreign_asset: Asset) -> str:
    return foreign_asset.tag


def test_anonymous_visitors_are_sent_to_login_or_refused(
    app: Flask, client: FlaskClient, asset_tag: str
) -> None:
    checked = 0
    for endpoint, method, rule in routes(app):
        if endpoint in PUBLIC:
            continue
        url = fill(rule, asset_tag, {})
        response = client.open(url, method=method)
        if rule.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.get_json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (method, url)
            assert "/login?next=" in response.headers["Location"], (method, url)
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("user", ["viewer", "technician"])
def test_each_role_is_refused_what_it_may_not_do(
    app: Flask, client: FlaskClient, ref: Reference, asset_tag: str, user: str
) -> None:
    actor = getattr(ref, user)
    login(client, actor.email)
    refused = 0
    with app.test_request_context():
        needs = {e: required_role(e) for e, _, _ in routes(app)}
    for endpoint, method, rule in routes(app):
        role = needs[endpoint]
        if not isinstance(role, Role) or actor.role_enum.at_least(role):
            continue
        response = client.open(fill(rule, asset_tag, {}), method=method)
        assert response.status_code == 403, (endpoint, method)
        refused += 1
    assert refused > 0


def test_a_scoped_user_gets_404_for_the_other_owners_asset_on_every_asset_route(
    app: Flask, client: FlaskClient, ref: Reference, foreign_asset: Asset
) -> None:
    login(client, ref.tech_borgholm.email)
    checked = 0
    for endpoint, method, rule in routes(app):
        if "<tag>" not in rule or endpoint in PUBLIC:
            continue
        response = client.open(fill(rule, foreign_asset.tag, {}), method=method, data={})
        assert response.status_code == 404, (endpoint, method)
        body = response.get_data(as_text=True)
        assert "Maja" not in body and "MB-SECRET" not in body
        checked += 1
    assert checked >= 5


def test_a_scoped_user_sees_only_their_owner_in_lists_and_dashboard(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    mine = make_asset(session, ref, owner_id=ref.borgholm.id)
    theirs = make_asset(session, ref, owner_id=ref.morbylanga.id)
    login(client, ref.tech_borgholm.email)
    listing = client.get("/assets/").get_data(as_text=True)
    assert mine.tag in listing and theirs.tag not in listing
    api = client.get("/api/v1/assets?owner=morbylanga").get_json()
    assert api["total"] == 0
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert 'data-owner="morbylanga"' not in dashboard


def test_a_deactivated_user_is_logged_out(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    ref.viewer.active = False
    session.add(ref.viewer)
    session.commit()
    assert client.get("/").status_code == 302


def test_login_refuses_a_wrong_password(client: FlaskClient, ref: Reference) -> None:
    response = client.post("/login", data={"email": ref.admin.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_does_not_redirect_to_another_site(client: FlaskClient, ref: Reference) -> None:
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": ref.admin.email, "password": "correct-horse-battery"},
    )
    assert response.headers["Location"] == "/"


def test_another_owners_asset_answers_exactly_like_a_missing_one(
    client: FlaskClient, ref: Reference, foreign_asset: Asset
) -> None:
    login(client, ref.tech_borgholm.email)
    for prefix in ("/assets/", "/api/v1/assets/"):
        foreign = client.get(prefix + foreign_asset.tag)
        missing = client.get(prefix + "IT-999999")
        assert foreign.status_code == missing.status_code == 404
        same = foreign.get_data(as_text=True).replace(foreign_asset.tag, "IT-999999")
        assert same == missing.get_data(as_text=True), prefix
