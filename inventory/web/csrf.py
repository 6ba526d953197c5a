"""The CSRF token pages put into their forms, signed once a minute rather than per page.

Every page carries at least one form (logging out), and Flask-WTF signs its token anew for
each request: deriving the key, compressing, signing. That cost a tenth of a whole page.
A signed token stays valid for WTF_CSRF_TIME_LIMIT (an hour) from its signing, so one
reused for up to REUSE_SECONDS still has nearly all of that left, and Flask-WTF checks it
exactly as before. Forms built with Flask-WTF sign their own tokens as usual.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, session
from flask_wtf.csrf import generate_csrf

REUSE_SECONDS = 60
# Signed tokens by (secret key, the session's raw token): apps with different keys never
# share one. Emptied when it grows past MAX_SESSIONS.
MAX_SESSIONS = 10_000
_signed: dict[tuple[str, str], tuple[float, str]] = {}


def csrf_token() -> str:
    raw = session.get("csrf_token")
    now = time.monotonic()
    if isinstance(raw, str):
        known = _signed.get((str(current_app.secret_key), raw))
        if known is not None and now - known[0] < REUSE_SECONDS:
            return known[1]
    # Signed anew, and kept, also on the session's first form (where Flask-WTF makes the
    # raw token first): the pages after it carry the same token as it until it is renewed.
    token: str = generate_csrf()
    key = (str(current_app.secret_key), session["csrf_token"])
    if len(_signed) >= MAX_SESSIONS:
        _signed.clear()
    _signed[key] = (now, token)
    return token


def init_csrf_tokens(app: Flask) -> None:
    """Call after CSRFProtect.init_app: this context processor then wins over its own."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
