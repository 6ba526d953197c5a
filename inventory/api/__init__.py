"""/api/v1: JSON in and out, one error shape."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..domain.errors import ValidationFailed
from .errors import validation_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def register_api(app: Flask) -> None:
    from . import assets  # noqa: F401  (registers the routes on bp)

    bp.register_error_handler(ValidationFailed, validation_error)
    app.register_blueprint(bp)
