"""Ölands IT-nämnd's asset register: the application factory."""

from __future__ import annotations

from flask import Flask

from . import logs
from .config import PROJECT_ROOT, Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(settings.instance_path),
        instance_relative_config=True,
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        INVENTORY=settings,
        TESTING=settings.testing,
        WTF_CSRF_ENABLED=settings.csrf_enabled,
        # Bearer-token API clients send no CSRF token; browsers' forms always do.
        WTF_CSRF_CHECK_DEFAULT=True,
        BOOTSTRAP_SERVE_LOCAL=True,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "inventory" / "translations"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.https,
        JSON_SORT_KEYS=False,
        # Evidence files are uploaded with the assessment form (settings.attachment_max_mb).
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
    )
    logs.configure()

    from . import db
    from .api import register_api
    from .cli import register_cli
    from .extensions import init_extensions
    from .services import clock
    from .web import register_web

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.add_extension("inventory.web.fragments.FragmentCache")
    clock.configure(settings.timezone)
    db.init_app(app, db.make_engine(settings.database_url))
    # First of the request hooks: everything logged while serving names its request.
    logs.init_request_ids(app)
    init_extensions(app)
    register_web(app)
    register_api(app)
    register_cli(app)
    if settings.trusted_proxies:
        # Werkzeug's ProxyFix believes the X-Forwarded-* headers of that many proxies, and
        # no further: a client cannot pretend to be another address by sending them itself.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    return app
