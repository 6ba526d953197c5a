"""The technician's phone: scanning, and one-tap actions with a confirm step."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import db
from ..domain.errors import Conflict, NotFound, ValidationFailed
from ..domain.field_actions import FieldAction
from ..domain.roles import Role
from ..domain.scan import tag_from_scan
from ..services import assets as asset_service
from ..services import catalog, field_actions
from .access import requires
from .helpers import error_text, flash_errors, now, parse_id, today, translate
from .i18n import gettext

bp = Blueprint("field", __name__)


@bp.route("/scan")
@requires(Role.VIEWER)
def scan():  # type: ignore[no-untyped-def]
    """Camera scanning where the browser has BarcodeDetector, and always a text field for
    keyboard-wedge scanners, which type the code and Enter."""
    code = request.args.get("code")
    if code is None:
        return render_template("field/scan.html", code="")
    try:
        tag = tag_from_scan(code, base_url=current_app.config["INVENTORY"].base_url)
        # An old label of a corrected tag finds the asset: go to its current tag's page.
        tag = asset_service.get_asset(db.session(), actor=current_user, tag=tag).tag
    except ValidationFailed as exc:
        flash(translate(exc.errors["code"]), "danger")
        return _scan_again(code), 422
    except NotFound as exc:
        flash(error_text(exc), "danger")
        return _scan_again(code), 404
    return redirect(url_for("assets.show", tag=tag, scanned=1))


def _scan_again(code: str) -> str:
    """The scan page after a refused code: the code is named in the message and the field is
    empty, so that a wedge scanner's next code is not glued onto it."""
    return render_template("field/scan.html", code="", refused=code.strip()[:60])


@bp.route("/assets/<tag>/do/<action>", methods=["GET", "POST"])
@requires(Role.TECHNICIAN)
def act(tag: str, action: str):  # type: ignore[no-untyped-def]
    try:
        chosen = FieldAction(action)
    except ValueError:
        abort(404)
    s = db.session()
    asset, details = catalog.get_asset_with_details(s, actor=current_user, tag=tag)
    choices = catalog.asset_form_choices(s, actor=current_user)
    if request.method == "POST":
        form = request.form
        try:
            field_actions.perform(
                s,
                actor=current_user,
                asset=asset,
                action=chosen,
                now=now(),
                today=today(),
                expected_version=parse_id(form.get("version")) or -1,
                holder=form.get("holder", ""),
                business_unit_id=parse_id(form.get("business_unit_id")),
                location_id=parse_id(form.get("location_id")),
                comment=form.get("comment", ""),
            )
        except Conflict as exc:
            flash(error_text(exc), "danger")
        except ValidationFailed as exc:
            flash_errors(exc)
            return render_template(
                "field/act.html", asset=asset, d=details, action=chosen, choices=choices, form=form
            ), 422
        else:
            flash(
                gettext(
                    "%(action)s: saved for %(tag)s.", action=gettext(chosen.label), tag=asset.tag
                ),
                "success",
            )
        # Back to the asset with the field for the next scan ready.
        return redirect(url_for("assets.show", tag=asset.tag, scanned=1))
    proposed: dict[str, str] = {}
    if chosen is FieldAction.TAKE_BACK:
        # Where a device taken back usually goes: the IT storage (the technician may change it).
        place = catalog.return_place_for(s, actor=current_user, asset=asset)
        proposed = {"location_id": str(place)} if place is not None else {}
    return render_template(
        "field/act.html", asset=asset, d=details, action=chosen, choices=choices, form=proposed
    )
