"""The HTML side: blueprints, access checks, error pages."""

from __future__ import annotations

import logging

from flask import Flask, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError, NotFound, PermissionDenied
from ..logs import request_id
from .access import init_access, wants_json
from .formatting import init_formatting
from .headers import init_security_headers
from .helpers import error_text
from .i18n import gettext
from .sessions import init_sessions
from .throttle import init_throttle

log = logging.getLogger(__name__)


def register_web(app: Flask) -> None:
    from . import (
        admin,
        assets,
        attachments,
        audit,
        auth,
        field,
        finance,
        health,
        imports,
        invoicing,
        labels,
        main,
        owners,
        partnership,
        personal_data,
        refresh_plan,
        reuse,
        stocktakes,
        sustainability,
        tokens,
    )

    app.before_request(_refuse_nul_bytes)
    init_security_headers(app)
    init_throttle(app, app.config["INVENTORY"].ratelimit_storage_url)
    # Before the access check: a session that has ended is logged out first.
    init_sessions(app)
    init_access(app)
    init_formatting(app)
    for module in (
        auth,
        main,
        assets,
        admin,
        owners,
        labels,
        field,
        stocktakes,
        reuse,
        attachments,
        partnership,
        refresh_plan,
        sustainability,
        finance,
        invoicing,
        imports,
        tokens,
        health,
        personal_data,
        audit,
    ):
        app.register_blueprint(module.bp)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NotFound, _domain_not_found)
    app.register_error_handler(PermissionDenied, _domain_forbidden)
    app.register_error_handler(Exception, _unexpected)


def _refuse_nul_bytes() -> None:
    """No field of ours holds a NUL byte, and PostgreSQL refuses them in text: answer 400
    before any of it reaches a query. A `next=` link is exempt: it never reaches a query,
    and safe_next answers any control character in it with the plain fallback."""
    texts = [
        request.path,
        *(v for name, values in request.values.lists() if name != "next" for v in values),
    ]
    if any("\x00" in text for text in texts):
        abort(400)


def _page(status: int, title: str, message: str, code: str | None = None):  # type: ignore[no-untyped-def]
    # The request's id with a server error: what the user quotes, and the log is searched by.
    rid = request_id() if status >= 500 else None
    if wants_json():
        from ..api.errors import json_error

        extra = {"request_id": rid} if rid else {}
        return json_error(status, title, message, code=code, **extra)
    return render_template(
        "error.html", status=status, title=title, message=message, request_id=rid
    ), status


def _http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
    titles = {
        400: gettext("Bad request"),
        403: gettext("Not allowed"),
        404: gettext("Not found"),
        405: gettext("Method not allowed"),
    }
    messages = {
        400: gettext("The request could not be understood. Reload the page and try again."),
        403: gettext("Your role does not allow this."),
        404: gettext("There is nothing here, or you do not have access to it."),
    }
    code = exc.code or 500
    if code == 413:
        return _page(413, gettext("The file is too large"), _too_large_text())
    if code == 400 and "CSRF" in (exc.description or ""):
        # "csrf": a phone's stocktake script fetches a fresh token and sends again.
        return _page(
            400,
            titles[400],
            gettext("The form has expired. Reload the page and try again."),
            code="csrf",
        )
    return _page(code, titles.get(code, str(code)), messages.get(code, exc.description or ""))


def _too_large_text() -> str:
    """Said when a request is over MAX_CONTENT_LENGTH: nothing of it was read, so the form
    cannot be shown again with what was typed (the pages check a file's size before sending
    it, static/app.js; this is for browsers without scripts)."""
    return gettext(
        "Nothing was saved: what was sent is larger than the register takes (at most %(max)s MB "
        "a file). Go back, choose a smaller file and send the form again; what you typed is "
        "usually still in the form.",
        max=current_app.config["INVENTORY"].attachment_max_mb,
    )


def _domain_not_found(exc: NotFound):  # type: ignore[no-untyped-def]
    return _page(404, gettext("Not found"), error_text(exc))


def _domain_forbidden(exc: PermissionDenied):  # type: ignore[no-untyped-def]
    return _page(403, gettext("Not allowed"), error_text(exc))


def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    if current_app.testing and not isinstance(exc, DomainError):
        raise exc
    if isinstance(exc, DomainError):
        return _page(400, gettext("Bad request"), error_text(exc))
    log.exception("unhandled error")
    return _page(
        500,
        gettext("Something went wrong"),
        gettext("The error has been logged. Nothing was saved; please try again."),
    )
