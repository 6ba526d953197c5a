"""Stocktake pages: start, scan item after item, close, read and export the result."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from .. import db
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..domain.text import N_
from ..exports import stocktake_csv
from ..services import stocktakes
from .access import requires
from .helpers import flash_errors, now, parse_id, today
from .i18n import gettext, ngettext

bp = Blueprint("stocktakes", __name__, url_prefix="/stocktakes")

SCAN_MESSAGES = {
    "found": ("success", N_("%(code)s found.")),
    "elsewhere": (
        "warning",
        N_("%(code)s is registered elsewhere: it will be listed as misplaced."),
    ),
    "repeat": ("info", N_("%(code)s was already scanned; it counts once.")),
    "unknown": (
        "warning",
        N_("%(code)s is not in the register: it will be listed as an unknown code."),
    ),
}


@bp.route("/")
@requires(Role.VIEWER)
def index():  # type: ignore[no-untyped-def]
    s = db.session()
    choices = stocktakes.start_choices(s, actor=current_user)
    return render_template(
        "stocktakes/index.html",
        stocktakes=stocktakes.listing(s, actor=current_user),
        locations=choices.locations,
        sites=choices.sites,
        owners=choices.owners,
    )


@bp.route("/", methods=["POST"])
@requires(Role.TECHNICIAN)
def start():  # type: ignore[no-untyped-def]
    form = request.form
    try:
        stocktake = stocktakes.start(
            db.session(),
            actor=current_user,
            now=now(),
            location_id=parse_id(form.get("location_id")),
            site_id=parse_id(form.get("site_id")),
            owner_slug=form.get("owner") or None,
        )
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(url_for("stocktakes.index"))
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake.id))


@bp.route("/<int(max=2147483647):stocktake_id>")
@requires(Role.VIEWER)
def show(stocktake_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    if stocktake.status == stocktakes.OPEN:
        return render_template(
            "stocktakes/open.html",
            stocktake=stocktake,
            progress=stocktakes.progress(s, stocktake=stocktake),
        )
    return render_template(
        "stocktakes/result.html",
        stocktake=stocktake,
        result=stocktakes.result(s, stocktake=stocktake),
    )


@bp.route("/<int(max=2147483647):stocktake_id>/scan", methods=["POST"])
@requires(Role.TECHNICIAN)
def scan(stocktake_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    try:
        outcome = stocktakes.record_scan(
            s,
            actor=current_user,
            stocktake=stocktake,
            code=request.form.get("code", ""),
            base_url=current_app.config["INVENTORY"].base_url,
            now=now(),
        )
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        category, message = SCAN_MESSAGES[outcome.kind]
        flash(gettext(message, code=outcome.code), category)
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake_id))


@bp.route("/<int(max=2147483647):stocktake_id>/close", methods=["POST"])
@requires(Role.TECHNICIAN)
def close(stocktake_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    try:
        stocktakes.close(s, actor=current_user, stocktake=stocktake, today=today(), now=now())
    except ValidationFailed as exc:
        flash_errors(exc)
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake_id))


@bp.route("/<int(max=2147483647):stocktake_id>/move-misplaced", methods=["POST"])
@requires(Role.TECHNICIAN)
def move_misplaced(stocktake_id: int):  # type: ignore[no-untyped-def]
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    try:
        moved = stocktakes.move_misplaced_here(
            s, actor=current_user, stocktake=stocktake, now=now()
        )
    except ValidationFailed as exc:
        flash_errors(exc)
    else:
        flash(
            ngettext("%(num)s item registered here.", "%(num)s items registered here.", moved),
            "success",
        )
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake_id))


@bp.route("/<int(max=2147483647):stocktake_id>.csv")
@requires(Role.VIEWER)
def export(stocktake_id: int) -> Response:
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    body = stocktake_csv.render(stocktakes.result(s, stocktake=stocktake))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="inventering-{stocktake_id}.csv"'},
    )
