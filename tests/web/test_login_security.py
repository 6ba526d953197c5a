"""Login throttling, the same answer for unknown accounts, the audit of logins, sessions
ended by logout, password change and deactivation, next= links and cookie flags."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie
from sqlmodel import Session, col, select

from inventory.models import AuditEvent, User
from inventory.services import users
from inventory.web.throttle import per_process_warning

from ..conftest import login
from ..factories import PASSWORD, Reference

WRONG = "not-the-password"


@pytest.fixture
def advance_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Moves the clock the limiter's memory storage reads (time.time) forward, instead of
    waiting a minute for its window to pass."""
    offset = [0.0]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + offset[0])

    def advance(seconds: float) -> None:
        offset[0] += seconds

    return advance


def attempt(client: FlaskClient, email: str, password: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def audit_rows(session: Session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


# --- throttling -------------------------------------------------------------------------


def test_after_ten_wrong_passwords_within_a_minute_the_right_one_is_refused(
    client: FlaskClient, ref: Reference
) -> None:
    for _ in range(10):
        assert attempt(client, ref.admin.email, WRONG).status_code == 200
    response = attempt(client, ref.admin.email, PASSWORD)
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "För många misslyckade inloggningar. Försök igen om" in body
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert f"om {seconds} sekunder" in body
    assert client.get("/").status_code == 302  # not logged in


def test_the_throttled_message_is_in_english_for_english_users(
    client: FlaskClient, ref: Reference
) -> None:
    client.get("/lang/en")
    for _ in range(10):
        attempt(client, ref.admin.email, WRONG)
    body = attempt(client, ref.admin.email, PASSWORD).get_data(as_text=True)
    assert "Too many failed logins. Try again in" in body


def test_nine_wrong_passwords_still_let_the_right_one_in(
    client: FlaskClient, ref: Reference
) -> None:
    for _ in range(9):
        attempt(client, ref.admin.email, WRONG)
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 302


def test_successful_logins_are_not_counted(app: Flask, ref: Reference) -> None:
    for _ in range(12):
        client = app.test_client()
        login(client, ref.admin.email)


def test_the_right_password_works_again_once_the_minute_has_passed(
    client: FlaskClient, ref: Reference, advance_clock: Callable[[float], None]
) -> None:
    for _ in range(10):
        attempt(client, ref.admin.email, WRONG)
    advance_clock(30)
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 429
    advance_clock(31)
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 302


def test_the_account_limit_holds_whatever_the_spelling_of_the_address(
    client: FlaskClient, ref: Reference
) -> None:
    for i in range(10):
        email = ref.admin.email.upper() if i % 2 else f"  {ref.admin.email} "
        attempt(client, email, WRONG)
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 429


def test_the_account_limit_holds_from_every_address(app: Flask, ref: Reference) -> None:
    for i in range(10):
        attempt(from_address(app, f"10.0.0.{i + 1}"), ref.admin.email, WRONG)
    assert attempt(from_address(app, "10.0.1.1"), ref.admin.email, PASSWORD).status_code == 429


def test_one_account_throttled_leaves_the_others_alone(client: FlaskClient, ref: Reference) -> None:
    for _ in range(10):
        attempt(client, ref.viewer.email, WRONG)
    assert attempt(client, ref.viewer.email, PASSWORD).status_code == 429
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 302


def test_thirty_failures_from_one_address_over_several_accounts_throttle_that_address(
    app: Flask, ref: Reference
) -> None:
    accounts = [ref.admin, ref.technician, ref.viewer, ref.tech_borgholm, ref.viewer_morbylanga]
    spraying = from_address(app, "192.0.2.7")
    for _ in range(6):  # 6 × 5 accounts = 30 failures, none of the accounts at its own 10
        for account in accounts:
            assert attempt(spraying, account.email, WRONG).status_code == 200
    refused = attempt(spraying, ref.admin_borgholm.email, PASSWORD)
    assert refused.status_code == 429
    assert "Försök igen om" in refused.get_data(as_text=True)
    # The accounts themselves are not locked: from another address they log in.
    assert attempt(from_address(app, "192.0.2.8"), ref.admin.email, PASSWORD).status_code == 302


def test_twenty_nine_failures_from_one_address_do_not_throttle_it(
    app: Flask, ref: Reference
) -> None:
    client = from_address(app, "192.0.2.9")
    for i in range(29):
        attempt(client, f"nobody{i}@example.se", WRONG)
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 302


def test_each_app_counts_on_its_own(make_app: Callable[..., Flask], ref: Reference) -> None:
    first, second = make_app(), make_app()
    for _ in range(10):
        attempt(first.test_client(), ref.admin.email, WRONG)
    assert attempt(first.test_client(), ref.admin.email, PASSWORD).status_code == 429
    assert attempt(second.test_client(), ref.admin.email, PASSWORD).status_code == 302


def test_serving_several_workers_with_counts_in_memory_warns_the_operator() -> None:
    warning = per_process_warning("memory://", 2)
    assert warning is not None and "2 x 10 failures" in warning
    assert per_process_warning("memory://", 1) is None
    assert per_process_warning("redis://127.0.0.1:6379", 4) is None


# --- unknown accounts --------------------------------------------------------------------


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(
    app: Flask, ref: Reference
) -> None:
    wrong = attempt(app.test_client(), ref.admin.email, WRONG)
    unknown = attempt(app.test_client(), "nobody@example.se", WRONG)
    assert wrong.status_code == unknown.status_code == 200
    page = wrong.get_data(as_text=True).replace(ref.admin.email, "nobody@example.se")
    assert page == unknown.get_data(as_text=True)
    assert "Fel e-postadress eller lösenord." in page


def test_a_deactivated_account_gets_the_same_answer_as_a_wrong_password(
    app: Flask, session: Session, ref: Reference
) -> None:
    ref.viewer.active = False
    session.add(ref.viewer)
    session.commit()
    inactive = attempt(app.test_client(), ref.viewer.email, PASSWORD)
    wrong = attempt(app.test_client(), ref.viewer.email, WRONG)
    assert inactive.status_code == 200
    assert inactive.get_data(as_text=True) == wrong.get_data(as_text=True)


# --- audit -------------------------------------------------------------------------------


def test_each_login_and_logout_is_audited(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    attempt(client, "Nobody@Example.se", WRONG)
    attempt(client, ref.admin.email, PASSWORD)
    client.post("/logout")
    rows = audit_rows(session)
    assert [(r.action, r.subject, r.actor_id) for r in rows] == [
        ("login.failed", "nobody@example.se", None),
        ("login.success", ref.admin.email, ref.admin.id),
        ("logout", ref.admin.email, ref.admin.id),
    ]
    assert all(r.remote_addr == "127.0.0.1" for r in rows)
    assert all(r.at.tzinfo is not None for r in rows)


def test_a_throttled_login_is_audited_with_its_limit(
    app: Flask, session: Session, ref: Reference
) -> None:
    client = from_address(app, "198.51.100.4")
    for _ in range(10):
        attempt(client, ref.viewer.email, WRONG)
    attempt(client, ref.viewer.email, PASSWORD)
    rows = audit_rows(session)
    assert [r.action for r in rows] == ["login.failed"] * 10 + ["login.throttled"]
    throttled = rows[-1]
    assert throttled.subject == ref.viewer.email
    assert throttled.remote_addr == "198.51.100.4"
    assert throttled.actor_id is None
    assert throttled.details["limit"] == "account"
    assert 1 <= throttled.details["retry_after"] <= 60


def test_a_form_that_fails_validation_is_neither_audited_nor_counted(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    for _ in range(12):
        assert attempt(client, ref.admin.email, "").status_code == 200
    assert audit_rows(session) == []
    assert attempt(client, ref.admin.email, PASSWORD).status_code == 302


# --- sessions ----------------------------------------------------------------------------


def copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same session cookie (say, one that was copied)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value)
    return other


def test_a_session_cookie_saved_before_logout_is_refused_after_it(
    app: Flask, client: FlaskClient, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    copied = copy_of_session(app, client)
    assert copied.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302
    response = copied.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logging_out_ends_the_users_sessions_in_other_browsers(app: Flask, ref: Reference) -> None:
    phone, desktop = app.test_client(), app.test_client()
    login(phone, ref.technician.email)
    login(desktop, ref.technician.email)
    phone.post("/logout")
    assert desktop.get("/").status_code == 302
    login(desktop, ref.technician.email)
    assert desktop.get("/").status_code == 200


def test_logging_out_leaves_other_users_sessions_alone(app: Flask, ref: Reference) -> None:
    mine, theirs = app.test_client(), app.test_client()
    login(mine, ref.viewer.email)
    login(theirs, ref.technician.email)
    mine.post("/logout")
    assert theirs.get("/").status_code == 200


def test_a_password_change_ends_the_users_other_sessions(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    change(session, ref, ref.viewer, password="a-brand-new-password")
    assert client.get("/").status_code == 302
    login(client, ref.viewer.email, "a-brand-new-password")
    assert client.get("/").status_code == 200


def test_a_change_without_a_new_password_keeps_the_session(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    change(session, ref, ref.viewer, name="Vera Viewer")
    assert client.get("/").status_code == 200


def test_deactivation_ends_the_session_and_reactivation_does_not_revive_it(
    client: FlaskClient, session: Session, ref: Reference
) -> None:
    login(client, ref.viewer.email)
    change(session, ref, ref.viewer, active=False)
    assert client.get("/").status_code == 302
    change(session, ref, ref.viewer, active=True)
    assert client.get("/").status_code == 302
    login(client, ref.viewer.email)
    assert client.get("/").status_code == 200


def test_a_session_without_the_users_current_version_is_refused(
    client: FlaskClient, ref: Reference
) -> None:
    for stale in (str(ref.viewer.id), f"{ref.viewer.id}:0", f"{ref.viewer.id}:2", "x:1"):
        with client.session_transaction() as cookie_session:
            cookie_session["_user_id"] = stale
        assert client.get("/").status_code == 302, stale


def test_a_remember_me_cookie_from_before_logout_is_refused(
    app: Flask, client: FlaskClient, ref: Reference
) -> None:
    with app.test_request_context():
        # What Flask-Login's remember-me cookie holds: the user's get_id(), signed.
        token = encode_cookie(ref.viewer.get_id())
    remembered = app.test_client()
    remembered.set_cookie("remember_token", token)
    assert remembered.get("/").status_code == 200
    login(client, ref.viewer.email)
    client.post("/logout")
    returning = app.test_client()
    returning.set_cookie("remember_token", token)
    assert returning.get("/").status_code == 302


def change(session: Session, ref: Reference, user: User, **fields: object) -> None:
    """An admin edits the user through the service, as the admin pages do."""
    session.expire_all()
    target = session.get(User, user.id)
    assert target is not None
    values: dict[str, object] = {
        "role": target.role,
        "owner_id": target.owner_id,
        "active": target.active,
        "name": target.name,
        "password": "",
        **fields,
    }
    users.update_user(session, actor=ref.admin, user=target, **values)  # type: ignore[arg-type]


# --- next= -------------------------------------------------------------------------------

NASTY_NEXT = [
    "/\r\nSet-Cookie: stolen=1",
    "/assets/\r\n",
    "\x00",
    "/\x00/evil.example",
    "/\t/evil.example",
    "\t//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\x7f",
    "/\x85evil",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", NASTY_NEXT)
def test_a_nasty_next_shows_the_plain_login_page(client: FlaskClient, target: str) -> None:
    response = client.get("/login?next=" + quote(target, safe=""))
    assert response.status_code == 200
    assert 'name="password"' in response.get_data(as_text=True)


@pytest.mark.parametrize("target", NASTY_NEXT)
def test_a_nasty_next_logs_in_to_the_dashboard(
    client: FlaskClient, ref: Reference, target: str
) -> None:
    response = attempt(client, ref.viewer.email, PASSWORD, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "stolen" not in response.headers.get("Set-Cookie", "")


def test_a_plain_next_still_leads_back(client: FlaskClient, ref: Reference) -> None:
    response = attempt(
        client, ref.viewer.email, PASSWORD, query_string={"next": "/assets/?q=anna b"}
    )
    assert response.headers["Location"] == "/assets/?q=anna%20b"


# --- cookies -----------------------------------------------------------------------------


def session_cookie_header(client: FlaskClient, ref: Reference) -> str:
    response = attempt(client, ref.viewer.email, PASSWORD)
    assert response.status_code == 302
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert len(headers) == 1
    return headers[0]


def test_cookies_are_secure_when_the_base_url_is_https(
    make_app: Callable[..., Flask], ref: Reference
) -> None:
    app = make_app(base_url="https://inventarie.oland.se")
    header = session_cookie_header(app.test_client(), ref)
    assert "; Secure" in header and "; HttpOnly" in header and "SameSite=Lax" in header
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_cookies_are_not_marked_secure_on_plain_http(
    make_app: Callable[..., Flask], ref: Reference
) -> None:
    app = make_app(base_url="http://127.0.0.1:8000")
    header = session_cookie_header(app.test_client(), ref)
    assert "Secure" not in header
    assert "; HttpOnly" in header and "SameSite=Lax" in header


def test_an_admin_changing_their_own_password_stays_logged_in_and_elsewhere_not(
    app: Flask, ref: Reference
) -> None:
    here, elsewhere = app.test_client(), app.test_client()
    login(here, ref.admin.email)
    login(elsewhere, ref.admin.email)
    saved = here.post(
        f"/admin/users/{ref.admin.id}",
        data={
            "email": ref.admin.email,
            "role": "admin",
            "owner_id": "",
            "active": "y",
            "password": "another-long-password-2026",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_workers_sharing_redis_count_failures_together() -> None:
    """With INVENTORY_RATELIMIT_STORAGE_URL=redis://…, every worker sees the same counts:
    ten failures spread over two workers lock the account in both."""
    import uuid

    from inventory.web.throttle import LoginThrottle

    url = "redis://127.0.0.1:6379"
    first, second = LoginThrottle(url), LoginThrottle(url)
    email = f"{uuid.uuid4().hex}@worker.test"
    for n in range(10):
        assert (first if n % 2 else second).refusal(email=email, remote_addr="10.0.0.9") is None
        (first if n % 2 else second).failed(email=email, remote_addr="10.0.0.9")
    for throttle in (first, second):
        refused = throttle.refusal(email=email, remote_addr="10.0.0.9")
        assert refused is not None and refused.limit == "account"
        assert 1 <= refused.retry_after <= 60
    assert first.refusal(email="other-" + email, remote_addr="10.0.0.10") is None
