"""The API tokens page: a token made is shown once and works; revoked, it stops working; a
user sees and revokes only their own."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlmodel import Session, select

from inventory.models import ApiToken, AuditEvent

from ..factories import Reference


def test_a_token_is_made_shown_once_used_and_revoked(
    as_user: Callable[[str], FlaskClient], session: Session, ref: Reference
) -> None:
    client = as_user(ref.viewer.email)
    page = client.post("/account/tokens", data={"name": "Ekonomisystemet", "days": "30"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = re.search(r'user-select-all fs-6">([^<]+)<', html)
    assert secret is not None and "Ekonomisystemet" in html
    token = secret[1]
    again = client.get("/account/tokens").get_data(as_text=True)
    assert token not in again and "Ekonomisystemet" in again  # shown that once
    stored = session.exec(select(ApiToken).where(ApiToken.name == "Ekonomisystemet")).one()
    assert token not in stored.token_hash
    api = client.application.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/owners", headers=headers).status_code == 200
    other = as_user(ref.technician.email)
    assert other.post(f"/account/tokens/{stored.id}/revoke").status_code == 404
    assert "Ekonomisystemet" not in other.get("/account/tokens").get_data(as_text=True)
    mine = as_user(ref.viewer.email)
    assert mine.post(f"/account/tokens/{stored.id}/revoke").status_code == 302
    assert api.get("/api/v1/owners", headers=headers).status_code == 401
    # Who gave access and who took it away stays in the audit log; the secret never does.
    session.expire_all()
    logged = session.exec(select(AuditEvent).where(AuditEvent.action.startswith("token."))).all()  # type: ignore[attr-defined]
    assert [(e.action, e.subject, e.details["name"]) for e in logged] == [
        ("token.created", ref.viewer.email, "Ekonomisystemet"),
        ("token.revoked", ref.viewer.email, "Ekonomisystemet"),
    ]
    assert all(token not in str(e.details) for e in logged)
    refused = mine.post("/account/tokens", data={"name": "", "days": "900"})
    assert refused.status_code == 422
