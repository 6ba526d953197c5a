"""/healthz and /readyz for a load balancer or a monitor: public, JSON, never cached."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .. import db
from ..services import health
from .access import public

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def healthz() -> Response:
    """The process is up and answering; asks nothing of the database."""
    return _uncached(jsonify(status="ok"), 200)


@bp.route("/readyz")
@public
def readyz() -> Response:
    """Ready for traffic (200) or not (503), with each check's answer."""
    checks = health.readiness(db.session())
    ready = health.is_ready(checks)
    return _uncached(jsonify(status="ready" if ready else "not ready", checks=checks),
                     200 if ready else 503)  # fmt: skip


def _uncached(response: Response, status: int) -> Response:
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
