"""Forms refuse posts without the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from sqlmodel import Session

from inventory.models import Asset

from ..factories import PASSWORD, Reference, make_asset


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_forms_without_a_csrf_token_are_refused(
    make_app: Callable[..., Flask], session: Session, ref: Reference
) -> None:
    app = make_app(csrf_enabled=True)
    client = app.test_client()
    assert (
        client.post("/login", data={"email": ref.admin.email, "password": PASSWORD}).status_code
        == 400
    )
    login_page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"email": ref.admin.email, "password": PASSWORD, "csrf_token": token(login_page)},
    )
    assert response.status_code == 302

    asset = make_asset(session, ref)
    refused = client.post(
        f"/assets/{asset.tag}/status", data={"target": "deployed", "version": "1", "confirmed": "1"}
    )
    assert refused.status_code == 400
    session.refresh(asset)
    assert asset.status == "in_stock"

    page = client.get(f"/assets/{asset.tag}").get_data(as_text=True)
    accepted = client.post(
        f"/assets/{asset.tag}/status",
        data={
            "target": "deployed",
            "version": "1",
            "confirmed": "1",
            "csrf_token": token(page),
        },
    )
    assert accepted.status_code == 302
    session.expire_all()
    assert session.get(Asset, asset.id).status == "deployed"  # type: ignore[union-attr]


def test_page_tokens_are_reused_for_a_while_and_belong_to_their_session(
    make_app: Callable[..., Flask], session: Session, ref: Reference
) -> None:
    app = make_app(csrf_enabled=True)
    mine, theirs = app.test_client(), app.test_client()
    for client, email in ((mine, ref.admin.email), (theirs, ref.technician.email)):
        login_page = client.get("/login").get_data(as_text=True)
        data = {"email": email, "password": PASSWORD, "csrf_token": token(login_page)}
        assert client.post("/login", data=data).status_code == 302
    asset = make_asset(session, ref)
    first = token(mine.get(f"/assets/{asset.tag}").get_data(as_text=True))
    assert token(mine.get("/").get_data(as_text=True)) == first
    other = token(theirs.get(f"/assets/{asset.tag}").get_data(as_text=True))
    assert other != first
    # Another session's token is refused; the session's own, reused, is accepted.
    move = {"target": "deployed", "version": "1", "confirmed": "1"}
    assert (
        theirs.post(f"/assets/{asset.tag}/status", data={**move, "csrf_token": first}).status_code
        == 400
    )
    assert (
        mine.post(f"/assets/{asset.tag}/status", data={**move, "csrf_token": first}).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Asset, asset.id).status == "deployed"  # type: ignore[union-attr]
