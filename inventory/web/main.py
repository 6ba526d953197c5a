"""The start page, the dashboard and the language switch."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import db
from ..domain.roles import Role
from ..extensions import LOCALES
from ..services.dashboard import dashboard as dashboard_figures
from ..services.home import technician_home
from .access import public, requires
from .helpers import safe_next, today

bp = Blueprint("main", __name__)


@bp.route("/")
@requires(Role.VIEWER)
def home():  # type: ignore[no-untyped-def]
    """Technicians land on their start page (scan first); readers, the committee and
    controllers among them, on the dashboard."""
    if not current_user.role_enum.at_least(Role.TECHNICIAN):
        return dashboard()
    return render_template("main/home.html", h=technician_home(db.session(), actor=current_user))


@bp.route("/dashboard")
@requires(Role.VIEWER)
def dashboard():  # type: ignore[no-untyped-def]
    figures = dashboard_figures(db.session(), actor=current_user, today=today())
    return render_template("main/dashboard.html", d=figures)


@bp.route("/lang/<code>")
@public
def set_language(code: str):  # type: ignore[no-untyped-def]
    if code not in LOCALES:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("main.home")))
