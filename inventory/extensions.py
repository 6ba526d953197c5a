"""Flask extensions and how they find the user and the language."""

from __future__ import annotations

import re

from flask import Flask, current_app, g, request, session
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import col

from . import db
from .models import User
from .services import users
from .services.clock import utcnow
from .web.i18n import init_i18n

LOCALES = ("sv", "en")
# User.get_id(): "<id>:<session version>".
_SESSION_ID = re.compile(r"([0-9]{1,10}):([0-9]{1,10})")

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()


def init_extensions(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # type: ignore[assignment]
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)
    bootstrap.init_app(app)


def select_locale() -> str:
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        # Another system says which language its users read (the API's messages).
        asked = request.accept_languages.best_match(LOCALES)
        if asked:
            return str(asked)
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


# Every request loads its user, so through Core, built once, into a plain copy of the row:
# views and services only read the signed-in user (changes to users go through an instance
# a service loads itself), and an ORM load cost as much as the rest of a small page.
_USER_COLUMNS = tuple(User.__table__.c)  # type: ignore[attr-defined]
# A session from before the user's last logout, password change or deactivation holds an
# older version and finds no user: it is logged out. The remember-me cookie holds the same id.
_ACTIVE_USER = sa_select(*_USER_COLUMNS).where(
    col(User.id) == bindparam("id"),
    col(User.session_version) == bindparam("version"),
    col(User.active).is_(True),
)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    found = _SESSION_ID.fullmatch(user_id)
    if found is None:
        return None
    values = {"id": int(found[1]), "version": int(found[2])}
    row = db.session().connection().execute(_ACTIVE_USER, values).first()
    return None if row is None else User.model_construct(**row._mapping)


@login_manager.request_loader
def load_user_from_token(req) -> User | None:  # type: ignore[no-untyped-def]
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = users.user_for_token(
        db.session(), token=header.removeprefix("Bearer ").strip(), now=utcnow()
    )
    # The request is authenticated by its token, not by a browser's session: no CSRF token
    # to ask for, and no new token to make with it (api/__init__.py, api/tokens.py).
    g.via_token = user is not None
    return user
