"""How long a login lasts: at most `session_hours` from the login itself, and it ends after
`session_idle_minutes` without a request; the user then logs in again, and comes back to
where they were. A call authenticated by an API token has no session and is not timed."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, session
from flask_login import logout_user

from .i18n import gettext

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
# The idle clock is written back at most this often (seconds): not a new cookie per request.
_TOUCH_EVERY = 60


def started() -> None:
    """At login: the session's clocks start. The cookie itself stays a browser session's (no
    expiry of its own, so that no host's clock ahead of another's can void it): the clocks
    in it, signed with it, end the login here."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def check() -> None:
    """Before every request: end a session that has lasted too long or idled too long (the
    access check then sends the user to the login page)."""
    if "_user_id" not in session:
        return
    settings = current_app.config["INVENTORY"]
    now = int(time.time())
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        started()  # a session from before these clocks: timed from now on
        return
    too_old = now - login_at > settings.session_hours * 3600
    idle = now - seen_at > settings.session_idle_minutes * 60
    if too_old or idle:
        logout_user()
        session.pop(LOGIN_AT, None)
        session.pop(SEEN_AT, None)
        flash(gettext("Your session has ended: log in again to go on."), "info")
        return
    if now - seen_at >= _TOUCH_EVERY:
        session[SEEN_AT] = now


def init_sessions(app: Flask) -> None:
    app.before_request(check)
