"""QR codes, label sheets, and the page a scanned label opens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
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
from ..domain.finder import finder_note
from ..domain.roles import Role
from ..labels import pdf, qr
from ..services import asset_list, labels
from ..services import assets as asset_service
from .access import public, requires
from .helpers import flash_errors, parse_id, safe_next
from .i18n import gettext

bp = Blueprint("labels", __name__)


def _base_url() -> str:
    return str(current_app.config["INVENTORY"].base_url)


@bp.route("/assets/<tag>/qr.svg")
@requires(Role.VIEWER)
def qr_svg(tag: str) -> Response:
    asset = asset_service.get_asset(db.session(), actor=current_user, tag=tag)
    return Response(qr.svg(qr.asset_url(_base_url(), asset.tag)), mimetype="image/svg+xml")


@bp.route("/assets/<tag>/qr.png")
@requires(Role.VIEWER)
def qr_png(tag: str) -> Response:
    asset = asset_service.get_asset(db.session(), actor=current_user, tag=tag)
    return Response(qr.png(qr.asset_url(_base_url(), asset.tag)), mimetype="image/png")


@bp.route("/labels.pdf")
@requires(Role.TECHNICIAN)
def sheet():  # type: ignore[no-untyped-def]
    """?layout=a4-3x8|roll-62x29 and one of: tag=… (repeatable), location=ID, owner=slug
    (repeatable), or selection=list with the asset list's filters."""
    args = request.args
    layout = pdf.LAYOUTS.get(args.get("layout", "a4-3x8"))
    back = safe_next(request.referrer and urlsplit(request.referrer).path, url_for("assets.index"))
    if layout is None:
        flash(gettext("Unknown label layout."), "danger")
        return redirect(back)
    try:
        location = args.get("location", "")
        rows = labels.label_rows(
            db.session(),
            actor=current_user,
            tags=args.getlist("tag"),
            location_id=parse_id(location),
            owner_slugs=args.getlist("owner") if args.get("selection") != "list" else (),
            flt=asset_list.parse_filter(args.to_dict(), hide_disposed=True)
            if args.get("selection") == "list"
            else None,
        )
    except ValidationFailed as exc:
        flash_errors(exc)
        return redirect(back)
    settings = current_app.config["INVENTORY"]
    body = pdf.render(
        pdf.labels_from(rows, settings.base_url), layout, footer=settings.helpdesk_line
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="etiketter-{layout.slug}.pdf"'},
    )


@bp.route("/a/<tag>")
@public
def scanned(tag: str):  # type: ignore[no-untyped-def]
    """Where a label's QR code leads. Logged in: the asset. Otherwise: who owns it and how to
    reach IT, so that a finder can return it — and nothing more."""
    if current_user.is_authenticated:
        return redirect(url_for("assets.show", tag=tag.upper()))
    found = labels.found_device(db.session(), tag=tag)
    if found is None:
        abort(404)
    return render_template(
        "labels/found.html",
        tag=found.tag,
        owner=found.owner,
        note=finder_note(found.status, found.disposal_kind),
        helpdesk=current_app.config["INVENTORY"].helpdesk_line,
        login_url=url_for("auth.login", next=url_for("labels.scanned", tag=found.tag)),
    )
