"""/api/v1: JSON in and out, one error shape, described by /api/v1/openapi.json."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, request

from ..domain.errors import ValidationFailed
from ..extensions import csrf
from .errors import validation_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ValidationFailed, validation_error)

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@bp.before_request
def _forged_requests_refused() -> None:
    """A call authenticated by its token is no browser's: nothing to forge. A logged-in
    browser's writes carry the CSRF token, as its forms do, whatever headers come with them
    (the session is read first; a token is looked at only without one)."""
    if request.method in _SAFE or g.get("via_token"):
        return
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


from . import (  # noqa: F401  (their routes attach to bp)
    assets,
    docs,
    reference,
    report_finance,
    report_refresh_plan,
    report_sustainability,
    reports,
    tokens,
)


def register_api(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
