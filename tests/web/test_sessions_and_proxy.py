"""A login's lifetime and idle time, and the reverse proxy's headers believed only when
configured: the login throttle and the audit log see the real address."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from inventory.models import AuditEvent
from inventory.services import users
from inventory.web import sessions

from ..conftest import login
from ..factories import NOW, Reference


def _age(client: FlaskClient, *, login_s: int = 0, seen_s: int = 0) -> None:
    with client.session_transaction() as stored:
        stored[sessions.LOGIN_AT] -= login_s
        stored[sessions.SEEN_AT] -= seen_s


def test_a_session_idle_too_long_or_too_old_ends_and_one_in_use_goes_on(
    client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.technician.email)
    _age(client, login_s=3 * 3600, seen_s=30 * 60)  # in use: half an hour since the last page
    assert client.get("/assets/").status_code == 200
    with client.session_transaction() as stored:
        assert stored[sessions.SEEN_AT] - stored[sessions.LOGIN_AT] >= 3 * 3600  # touched
    _age(client, seen_s=121 * 60)  # two hours and a minute without a request
    ended = client.get("/assets/")
    assert ended.status_code == 302 and "/login?next=/assets/" in ended.headers["Location"]
    assert "Din session har tagit slut" in client.get("/login").get_data(as_text=True)

    login(client, ref.technician.email)
    _age(client, login_s=12 * 3600 + 60)  # twelve hours since the login, however busy
    assert client.get("/assets/").status_code == 302


def test_token_calls_have_no_session_to_end(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    token = users.create_token(session, email=ref.viewer.email, now=NOW, days=30)
    api = client.get("/api/v1/owners", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def _failed_login_from(client: FlaskClient, forwarded: str) -> None:
    client.post("/login", data={"email": "nobody@test.se", "password": "wrong-password"},
                headers={"X-Forwarded-For": forwarded})  # fmt: skip


def _last_address(session: Session) -> str | None:
    session.expire_all()
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "login.failed")
        .order_by(col(AuditEvent.id).desc())
    ).first()  # fmt: skip
    assert event is not None
    return event.remote_addr


def test_forwarded_headers_are_believed_only_behind_a_configured_proxy(
    make_app: Callable[..., Flask], session: Session, ref: Reference
) -> None:
    direct = make_app().test_client()
    _failed_login_from(direct, "203.0.113.9")
    assert _last_address(session) == "127.0.0.1"  # a client cannot choose its address
    proxied = make_app(trusted_proxies=1).test_client()
    _failed_login_from(proxied, "198.51.100.7, 203.0.113.9")
    assert _last_address(session) == "203.0.113.9"  # the one our proxy saw
    # Served over https, as the proxy says: the browser is told to keep to it.
    secure = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    claimed = direct.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in claimed.headers
