"""/api/v1: JSON in and out, one error shape."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..domain.errors import ValidationFailed
from .errors import validation_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(ValidationFailed, validation_error)

from . import assets, report_finance, report_refresh_plan, report_sustainability, reports  # noqa: F401  (their routes attach to bp)


def register_api(app: Flask) -> None:
    app.register_blueprint(bp)
