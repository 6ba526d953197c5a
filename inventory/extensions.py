"""Flask extensions and how they find the user and the language."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, g, session
from flask_babel import Babel, get_translations
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from . import db
from .models import User
from .services import users
from .services.clock import utcnow

LOCALES = ("sv", "en")

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
    _install_request_cached_gettext(app)
    bootstrap.init_app(app)


def _request_translations() -> Any:
    """The request's catalogue, looked up once: a page has dozens of strings, and Flask-Babel
    finds the catalogue anew (context, locale, cache) for each of them."""
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


def _install_request_cached_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        newstyle=True,
    )


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not re.fullmatch(r"[0-9]{1,10}", user_id):
        return None
    user = db.session().get(User, int(user_id))
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_token(req) -> User | None:  # type: ignore[no-untyped-def]
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return users.user_for_token(
        db.session(), token=header.removeprefix("Bearer ").strip(), now=utcnow()
    )
