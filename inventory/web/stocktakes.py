"""Stocktake pages: start, scan item after item, close, read and export the result."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from .. import db
from ..api.errors import json_error
from ..domain.errors import ValidationFailed
from ..domain.roles import Role
from ..domain.scan import parse_client_id, parse_device_time
from ..domain.text import N_
from ..exports import stocktake_csv
from ..services import stocktakes
from .access import public, requires
from .helpers import error_text, flash_errors, now, parse_id, today, translate
from .i18n import gettext, ngettext

bp = Blueprint("stocktakes", __name__, url_prefix="/stocktakes")


def progress_text(progress: stocktakes.Progress) -> str:
    """ "3 skannade · 1 registrerad här": each count with its own singular or plural."""
    scanned = ngettext("%(num)s scanned", "%(num)s scanned", progress.scanned)
    expected = ngettext("%(num)s registered here", "%(num)s registered here", progress.expected)
    return f"{scanned} · {expected}"


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
    # The phone's script takes the progress of a later answer over a kept copy's figure.
    rendered_at = now().isoformat()
    if stocktake.status == stocktakes.OPEN:
        progress = stocktakes.progress(s, stocktake=stocktake)
        return render_template(
            "stocktakes/open.html",
            stocktake=stocktake,
            progress=progress,
            progress_text=progress_text(progress),
            rendered_at=rendered_at,
        )
    return render_template(
        "stocktakes/result.html",
        stocktake=stocktake,
        result=stocktakes.result(s, stocktake=stocktake),
        rendered_at=rendered_at,
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


@bp.route("/<int(max=2147483647):stocktake_id>/scans", methods=["POST"])
@requires(Role.TECHNICIAN)
def scan_sent(stocktake_id: int) -> tuple[Response, int] | Response:
    """A scan sent by the page's script (static/stocktake.js), perhaps long after it was made
    offline: JSON {client_id, code, scanned_at} in, the outcome and the progress out, or a
    refusal with its reason in words, which the phone keeps showing."""
    s = db.session()
    stocktake = stocktakes.get(s, actor=current_user, stocktake_id=stocktake_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return json_error(400, "bad_request", gettext("The scan could not be read."))
    try:
        outcome = stocktakes.record_scan(
            s,
            actor=current_user,
            stocktake=stocktake,
            code=body["code"],
            base_url=current_app.config["INVENTORY"].base_url,
            now=now(),
            client_id=parse_client_id(body.get("client_id")),
            scanned_at=parse_device_time(body.get("scanned_at")),
        )
    except ValidationFailed as exc:
        return _refused(exc)
    category, message = SCAN_MESSAGES[outcome.kind]
    progress = stocktakes.progress(s, stocktake=stocktake)
    return jsonify(
        answered_at=now().isoformat(),
        outcome=outcome.kind,
        code=outcome.code,
        replayed=outcome.replayed,
        message=gettext(message, code=outcome.code),
        category=category,
        progress=progress_text(progress),
    )


def _refused(exc: ValidationFailed) -> tuple[Response, int]:
    """422 with the first reason as the message: the phone shows it beside the scan."""
    fields = {k: translate(v, exc.field_params.get(k)) for k, v in exc.errors.items()}
    reason = next(iter(fields.values()), error_text(exc))
    return json_error(422, "invalid", reason, fields=fields)


@bp.route("/sw.js")
@public
def service_worker() -> Response:
    """The service worker that keeps open stocktakes working offline. Served from here, not
    /static/, so that its scope (the directory it is served from) is /stocktakes/."""
    response = send_from_directory(
        current_app.static_folder or "static", "stocktake-sw.js", mimetype="text/javascript"
    )
    return response


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
